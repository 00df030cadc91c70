package org.invokej.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.dbclient.DbRow;
import org.invokej.core.models.ModelConfig;
import org.invokej.core.models.ModelQuery;
import org.invokej.core.models.ModelRecords;
import org.invokej.core.store.Tx;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** {@code models} and {@code model_allowed_users}; configs are JSON in InvokeAI's field names. */
public final class SqlModelRecords implements ModelRecords {

    private static final Map<String, String> ORDER_COLUMNS = Map.of(
            "name", "name",
            "default", "type, base, format, name",
            "type", "type",
            "base", "base",
            "format", "format",
            "size", "file_size",
            "created_at", "created_at",
            "updated_at", "updated_at",
            "path", "path");

    /** The JSON names of {@link ModelConfig}'s own fields; anything else in a record is InvokeAI's. */
    private static final Set<String> KNOWN_FIELDS = Stream.concat(
                    Stream.of(ModelConfig.class.getRecordComponents()).map(RecordComponent::getName)
                            .filter(name -> !name.equals("invokeaiFields"))
                            .map(name -> new PropertyNamingStrategies.SnakeCaseStrategy().translate(name)),
                    Stream.of("runnable"))
            .collect(Collectors.toUnmodifiableSet());

    private final ObjectMapper mapper = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            // configs written by another version (or by InvokeAI) may carry fields this one does not know
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    @Override
    public void insert(Tx tx, ModelConfig config) {
        SqlTx.of(tx).insert("INSERT INTO models (id, config) VALUES (?, ?)", config.key(), json(config));
    }

    @Override
    public void update(Tx tx, ModelConfig config) {
        SqlTx.of(tx).update("UPDATE models SET config = ? WHERE id = ?", json(config), config.key());
    }

    @Override
    public boolean delete(Tx tx, String key) {
        return SqlTx.of(tx).delete("DELETE FROM models WHERE id = ?", key) > 0;
    }

    @Override
    public Optional<ModelConfig> find(Tx tx, String key) {
        return SqlTx.of(tx).get("SELECT config FROM models WHERE id = ?", key).map(this::config);
    }

    @Override
    public List<ModelConfig> list(Tx tx, ModelQuery query) {
        if (query.baseModels().size() <= 1) {
            return listOne(tx, query, query.baseModels().isEmpty() ? null : query.baseModels().getFirst());
        }
        // InvokeAI lists base by base, in the order the bases were asked for.
        List<ModelConfig> all = new ArrayList<>();
        for (String base : new LinkedHashSet<>(query.baseModels())) {
            all.addAll(listOne(tx, query, base));
        }
        return all;
    }

    private List<ModelConfig> listOne(Tx tx, ModelQuery query, String base) {
        StringBuilder sql = new StringBuilder("SELECT config FROM models WHERE 1 = 1");
        List<Object> parameters = new ArrayList<>();
        filter(sql, parameters, "base", base);
        filter(sql, parameters, "type", query.modelType());
        filter(sql, parameters, "name", query.modelName());
        filter(sql, parameters, "format", query.modelFormat());
        String direction = query.descending() ? " DESC" : " ASC";
        sql.append(" ORDER BY ").append(Stream.of(ORDER_COLUMNS.get(query.orderBy()).split(", "))
                .map(column -> column + direction).collect(Collectors.joining(", "))).append(", id");
        try (Stream<DbRow> rows = SqlTx.of(tx).query(sql.toString(), parameters.toArray())) {
            return rows.map(this::config).toList();
        }
    }

    private static void filter(StringBuilder sql, List<Object> parameters, String column, String value) {
        if (value != null) {
            sql.append(" AND ").append(column).append(" = ?");
            parameters.add(value);
        }
    }

    @Override
    public Optional<ModelConfig> findByAttributes(Tx tx, String name, String type, String base) {
        return SqlTx.of(tx).get("SELECT config FROM models WHERE name = ? AND type = ? AND base = ?", name, type, base)
                .map(this::config);
    }

    @Override
    public List<ModelConfig> findByHash(Tx tx, String hash) {
        try (Stream<DbRow> rows = SqlTx.of(tx).query("SELECT config FROM models WHERE hash = ? ORDER BY created_at, id", hash)) {
            return rows.map(this::config).toList();
        }
    }

    @Override
    public Set<String> allowedUsers(Tx tx, String key) {
        try (Stream<DbRow> rows = SqlTx.of(tx).query(
                "SELECT user_id FROM model_allowed_users WHERE model_key = ? ORDER BY user_id", key)) {
            return rows.map(row -> Columns.textOf(row, "user_id")).collect(Collectors.toCollection(LinkedHashSet::new));
        }
    }

    @Override
    public void setAllowedUsers(Tx tx, String key, Set<String> userIds) {
        SqlTx.of(tx).delete("DELETE FROM model_allowed_users WHERE model_key = ?", key);
        for (String userId : userIds) {
            SqlTx.of(tx).insert("INSERT INTO model_allowed_users (model_key, user_id) VALUES (?, ?)", key, userId);
        }
    }

    private String json(ModelConfig config) {
        try {
            // the cover image URL, whether we run the model and its ONNX export are worked out when a config is read, never
            // stored: InvokeAI reads these records too
            ObjectNode tree = mapper.valueToTree(config.withCoverImage(null));
            tree.remove(List.of("runnable", "unsupported_reason", "onnx_export"));
            return mapper.writeValueAsString(tree);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalStateException("Cannot write model " + config.key() + " as JSON", e);
        }
    }

    /**
     * A record as InvokeJ or InvokeAI wrote it. The fields this engine has no use for are kept aside as
     * they are.
     */
    private ModelConfig config(DbRow row) {
        String text = Columns.textOf(row, "config");
        ObjectNode tree;
        try {
            tree = (ObjectNode) mapper.readTree(text);
        } catch (JsonProcessingException | ClassCastException e) {
            throw new IllegalStateException("Unreadable model config in the database: " + e.getMessage(), e);
        }
        Map<String, JsonNode> others = new LinkedHashMap<>();
        tree.properties().forEach(field -> {
            if (!KNOWN_FIELDS.contains(field.getKey())) {
                others.put(field.getKey(), field.getValue());
            }
        });
        ModelConfig config;
        try {
            config = mapper.treeToValue(tree, ModelConfig.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            // default settings of a kind ours cannot hold are left out of the view (the record keeps them)
            tree.remove("default_settings");
            try {
                config = mapper.treeToValue(tree, ModelConfig.class);
            } catch (JsonProcessingException | IllegalArgumentException again) {
                throw new IllegalStateException("Unreadable model config in the database: " + again.getMessage(), again);
            }
        }
        return config.withInvokeaiFields(others);
    }
}
