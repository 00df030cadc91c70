package org.invokej.persistence;

import io.helidon.dbclient.DbRow;
import org.invokej.core.prompts.SystemPrompt;
import org.invokej.core.prompts.SystemPromptRepository;
import org.invokej.core.store.Tx;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** {@code system_prompts}. */
public final class SqlSystemPromptRepository implements SystemPromptRepository {

    private static final String COLUMNS = "id, name, content, user_id, is_public, created_at, updated_at";

    @Override
    public Optional<SystemPrompt> find(Tx tx, String id) {
        return SqlTx.of(tx).get("SELECT " + COLUMNS + " FROM system_prompts WHERE id = ?", id).map(SqlSystemPromptRepository::prompt);
    }

    @Override
    public List<SystemPrompt> list(Tx tx, Optional<String> viewer) {
        SqlWhere where = new SqlWhere();
        viewer.ifPresent(userId -> where.and("(is_public = TRUE OR user_id = ?)", userId));
        try (Stream<DbRow> rows = SqlTx.of(tx).query("SELECT " + COLUMNS + " FROM system_prompts" + where.sql()
                + " ORDER BY LOWER(name) ASC, id ASC", where.params())) {
            return rows.map(SqlSystemPromptRepository::prompt).collect(Collectors.toCollection(ArrayList::new));
        }
    }

    @Override
    public void insert(Tx tx, String id, String name, String content, String ownerId, boolean isPublic) {
        SqlTx.of(tx).insert("INSERT INTO system_prompts (id, name, content, user_id, is_public) VALUES (?, ?, ?, ?, ?)",
                id, name, content, ownerId, isPublic);
    }

    @Override
    public void update(Tx tx, String id, String name, String content, boolean isPublic) {
        SqlTx.of(tx).update("UPDATE system_prompts SET name = ?, content = ?, is_public = ? WHERE id = ?",
                name, content, isPublic, id);
    }

    @Override
    public void delete(Tx tx, String id) {
        SqlTx.of(tx).delete("DELETE FROM system_prompts WHERE id = ?", id);
    }

    private static SystemPrompt prompt(DbRow row) {
        return new SystemPrompt(Columns.textOf(row, "id"), Columns.textOf(row, "name"), Columns.textOf(row, "content"),
                Columns.textOf(row, "user_id"), Columns.boolOf(row, "is_public"),
                Timestamps.parse(Columns.textOf(row, "created_at")), Timestamps.parse(Columns.textOf(row, "updated_at")));
    }
}
