package org.invokej.persistence;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/** A WHERE clause built from optional filters, with its parameters in order. */
final class SqlWhere {

    private final List<String> clauses = new ArrayList<>();
    private final List<Object> params = new ArrayList<>();

    /** Adds {@code clause} (with {@code ?} for each of {@code values}). */
    SqlWhere and(String clause, Object... values) {
        clauses.add(clause);
        params.addAll(List.of(values));
        return this;
    }

    /** Adds {@code column IN (…)}; nothing when {@code values} is empty. */
    SqlWhere in(String column, Collection<?> values) {
        if (!values.isEmpty()) {
            and(column + " IN (" + marks(values.size()) + ")", values.toArray());
        }
        return this;
    }

    /** {@code LIKE} pattern matching {@code text} anywhere, with LIKE's wildcards in it taken literally. */
    static String contains(String text) {
        return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    static String marks(int count) {
        return java.util.stream.Stream.generate(() -> "?").limit(count).collect(Collectors.joining(", "));
    }

    /** The clause, {@code ""} or {@code " WHERE …"}. */
    String sql() {
        return clauses.isEmpty() ? "" : " WHERE " + String.join(" AND ", clauses);
    }

    /** The parameters, followed by {@code more}. */
    Object[] params(Object... more) {
        List<Object> all = new ArrayList<>(params);
        all.addAll(List.of(more));
        return all.toArray();
    }
}
