package org.invokej.persistence;

import io.helidon.dbclient.DbRow;
import org.invokej.core.audit.AuditAction;
import org.invokej.core.audit.AuditEntry;
import org.invokej.core.audit.AuditLog;
import org.invokej.core.store.Tx;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/** {@code audit_log} */
public final class SqlAuditLog implements AuditLog {

    @Override
    public void record(Tx tx, AuditEntry entry) {
        SqlTx.of(tx).insert("INSERT INTO audit_log (occurred_at, actor_user_id, actor_email, action, target_user_id, "
                        + "target_email, client_address, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                Timestamps.format(entry.occurredAt()), entry.actorId(), entry.actorEmail(), entry.action().wireName(),
                entry.targetId(), entry.targetEmail(), entry.clientAddress(), entry.detail());
    }

    @Override
    public List<AuditEntry> newestFirst(Tx tx, int offset, int limit) {
        try (Stream<DbRow> rows = SqlTx.of(tx).query("SELECT * FROM audit_log ORDER BY id DESC LIMIT ? OFFSET ?", limit, offset)) {
            return rows.map(SqlAuditLog::entry).toList();
        }
    }

    @Override
    public long count(Tx tx) {
        return SqlTx.of(tx).get("SELECT COUNT(*) AS n FROM audit_log").map(row -> Columns.longOf(row, "n")).orElse(0L);
    }

    private static AuditEntry entry(DbRow row) {
        String action = Columns.textOf(row, "action");
        return new AuditEntry(
                Columns.longOf(row, "id"),
                Timestamps.parse(Columns.textOf(row, "occurred_at")),
                Columns.textOf(row, "actor_user_id"),
                Columns.textOf(row, "actor_email"),
                Arrays.stream(AuditAction.values()).filter(a -> a.wireName().equals(action)).findFirst()
                        .orElseThrow(() -> new IllegalStateException("Unknown audit action " + action)),
                Columns.textOf(row, "target_user_id"),
                Columns.textOf(row, "target_email"),
                Columns.textOf(row, "client_address"),
                Columns.textOf(row, "detail"));
    }
}
