package org.invokej.persistence;

import io.helidon.dbclient.DbRow;
import org.invokej.core.content.Workflow;
import org.invokej.core.content.WorkflowRepository;
import org.invokej.core.store.Tx;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** {@code workflow_library} ; name, description, category and tags are columns generated from the JSON. */
public final class SqlWorkflowRepository implements WorkflowRepository {

    private static final String COLUMNS = "workflow_id, workflow, name, description, category, tags, user_id, is_public, "
            + "created_at, updated_at, opened_at";

    @Override
    public void insert(Tx tx, String workflowId, String document, String ownerId, boolean isPublic) {
        SqlTx.of(tx).insert("INSERT INTO workflow_library (workflow_id, workflow, user_id, is_public) VALUES (?, ?, ?, ?)",
                workflowId, document, ownerId, isPublic);
    }

    @Override
    public Optional<Workflow> find(Tx tx, String workflowId) {
        return SqlTx.of(tx).get("SELECT " + COLUMNS + " FROM workflow_library WHERE workflow_id = ?", workflowId)
                .map(SqlWorkflowRepository::workflow);
    }

    @Override
    public void update(Tx tx, String workflowId, String document, boolean isPublic) {
        SqlTx.of(tx).update("UPDATE workflow_library SET workflow = ?, is_public = ? WHERE workflow_id = ?",
                document, isPublic, workflowId);
    }

    @Override
    public void setOpenedAt(Tx tx, String workflowId, Instant at) {
        SqlTx.of(tx).update("UPDATE workflow_library SET opened_at = ? WHERE workflow_id = ?", Timestamps.format(at), workflowId);
    }

    @Override
    public void delete(Tx tx, String workflowId) {
        SqlTx.of(tx).delete("DELETE FROM workflow_library WHERE workflow_id = ?", workflowId);
    }

    @Override
    public List<Workflow> list(Tx tx, Query query, Order order, boolean ascending, int offset, Integer limit) {
        SqlWhere where = where(query);
        String direction = ascending ? " ASC" : " DESC";
        String column = switch (order) {
            case NAME -> "LOWER(name)";
            case CREATED_AT -> "created_at";
            case UPDATED_AT -> "updated_at";
            case OPENED_AT -> "opened_at";
            case IS_PUBLIC -> "is_public";
        };
        try (Stream<DbRow> rows = SqlTx.of(tx).query("SELECT " + COLUMNS + " FROM workflow_library" + where.sql()
                // NULLs (never opened) sort as SQLite puts them, in PostgreSQL too: first going up, last going down
                + " ORDER BY " + column + direction + (ascending ? " NULLS FIRST" : " NULLS LAST") + ", workflow_id" + direction
                + SqlTx.dialectOf(tx).page(limit, offset),
                where.params())) {
            return rows.map(SqlWorkflowRepository::workflow).collect(Collectors.toCollection(ArrayList::new));
        }
    }

    @Override
    public long count(Tx tx, Query query) {
        SqlWhere where = where(query);
        return SqlTx.of(tx).get("SELECT COUNT(*) AS n FROM workflow_library" + where.sql(), where.params())
                .map(row -> Columns.longOf(row, "n")).orElse(0L);
    }

    @Override
    public List<String> tags(Tx tx, Query query) {
        SqlWhere where = where(query);
        try (Stream<DbRow> rows = SqlTx.of(tx).query("SELECT tags FROM workflow_library" + where.sql(), where.params())) {
            return rows.map(row -> Columns.textOf(row, "tags")).collect(Collectors.toCollection(ArrayList::new));
        }
    }

    @Override
    public Map<String, Long> countByCategory(Tx tx, Query query) {
        SqlWhere where = where(query);
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Stream<DbRow> rows = SqlTx.of(tx).query("SELECT category, COUNT(*) AS n FROM workflow_library" + where.sql()
                + " GROUP BY category", where.params())) {
            rows.forEach(row -> counts.put(Columns.textOf(row, "category"), Columns.longOf(row, "n")));
        }
        return counts;
    }

    private static SqlWhere where(Query query) {
        SqlWhere where = new SqlWhere().in("category", query.categories().stream().sorted().toList());
        if (!query.tags().isEmpty()) {
            where.and("(" + query.tags().stream().map(tag -> "LOWER(tags) LIKE LOWER(?) ESCAPE '\\'").collect(Collectors.joining(" OR ")) + ")",
                    query.tags().stream().map(SqlWhere::contains).toArray());
        }
        if (query.text() != null && !query.text().isBlank()) {
            String pattern = SqlWhere.contains(query.text());
            // LOWER on both sides: SQLite's LIKE ignores ASCII case, PostgreSQL's does not
            where.and("(LOWER(name) LIKE LOWER(?) ESCAPE '\\' OR LOWER(description) LIKE LOWER(?) ESCAPE '\\' "
                            + "OR LOWER(tags) LIKE LOWER(?) ESCAPE '\\')",
                    pattern, pattern, pattern);
        }
        if (query.hasBeenOpened() != null) {
            where.and(query.hasBeenOpened() ? "opened_at IS NOT NULL" : "opened_at IS NULL");
        }
        if (query.isPublic() != null) {
            where.and("is_public = ?", query.isPublic());
        }
        query.owner().ifPresent(owner -> where.and("(user_id = ? OR category = ?)", owner, Workflow.DEFAULT_CATEGORY));
        return where;
    }

    @Override
    public int reassign(Tx tx, String fromUserId, String toUserId) {
        return (int) SqlTx.of(tx).update("UPDATE workflow_library SET user_id = ? WHERE user_id = ?", toUserId, fromUserId);
    }

    private static Workflow workflow(DbRow row) {
        return new Workflow(
                Columns.textOf(row, "workflow_id"),
                Columns.textOf(row, "workflow"),
                Columns.textOf(row, "name"),
                Columns.textOf(row, "description"),
                Columns.textOf(row, "category"),
                Columns.textOf(row, "tags"),
                Columns.textOf(row, "user_id"),
                Columns.boolOf(row, "is_public"),
                Timestamps.parse(Columns.textOf(row, "created_at")),
                Timestamps.parse(Columns.textOf(row, "updated_at")),
                Timestamps.parse(Columns.textOf(row, "opened_at")));
    }
}
