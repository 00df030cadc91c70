package org.invokej.http.fakes;

import org.invokej.core.audit.AuditEntry;
import org.invokej.core.audit.AuditLog;
import org.invokej.core.store.Tx;

import java.util.ArrayList;
import java.util.List;

/** {@code audit_log} in memory; ids are assigned in order, as the table's rowid does. */
public final class MemoryAuditLog implements AuditLog {

    private final MemoryStore.Table<Long, AuditEntry> entries;

    public MemoryAuditLog(MemoryStore store) {
        this.entries = store.table();
    }

    @Override
    public void record(Tx tx, AuditEntry entry) {
        long id = entries.rows().size() + 1L;
        entries.rows().put(id, new AuditEntry(id, entry.occurredAt(), entry.actorId(), entry.actorEmail(), entry.action(),
                entry.targetId(), entry.targetEmail(), entry.clientAddress(), entry.detail()));
    }

    @Override
    public List<AuditEntry> newestFirst(Tx tx, int offset, int limit) {
        return new ArrayList<>(entries.rows().values()).reversed().stream().skip(offset).limit(limit).toList();
    }

    @Override
    public long count(Tx tx) {
        return entries.rows().size();
    }
}
