package org.invokej.persistence;

import io.helidon.dbclient.DbRow;
import org.invokej.core.models.ModelRelationshipRepository;
import org.invokej.core.store.Tx;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** {@code model_relationships} */
public final class SqlModelRelationshipRepository implements ModelRelationshipRepository {

    @Override
    public List<String> related(Tx tx, String key) {
        try (Stream<DbRow> rows = SqlTx.of(tx).query("SELECT model_key_2 AS other FROM model_relationships WHERE model_key_1 = ? "
                + "UNION SELECT model_key_1 AS other FROM model_relationships WHERE model_key_2 = ? ORDER BY other", key, key)) {
            return rows.map(row -> Columns.textOf(row, "other")).collect(Collectors.toCollection(ArrayList::new));
        }
    }

    @Override
    public boolean add(Tx tx, String first, String second) {
        return SqlTx.of(tx).insert("INSERT INTO model_relationships (model_key_1, model_key_2) VALUES (?, ?) "
                + "ON CONFLICT (model_key_1, model_key_2) DO NOTHING", first, second) > 0;
    }

    @Override
    public boolean remove(Tx tx, String first, String second) {
        return SqlTx.of(tx).delete("DELETE FROM model_relationships WHERE model_key_1 = ? AND model_key_2 = ?", first, second) > 0;
    }
}
