package org.invokej.http.fakes;

import org.invokej.core.models.ModelConfig;
import org.invokej.core.models.ModelQuery;
import org.invokej.core.models.ModelRecords;
import org.invokej.core.store.Tx;

import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@code models} and their allow-lists in memory. Listings filter as the SQL does but always order by name. */
public final class MemoryModelRecords implements ModelRecords {

    private final MemoryStore.Table<String, ModelConfig> models;
    private final MemoryStore.Table<String, Set<String>> allowed;

    public MemoryModelRecords(MemoryStore store) {
        this.models = store.table();
        this.allowed = store.table();
    }

    @Override
    public void insert(Tx tx, ModelConfig config) {
        models.rows().put(config.key(), config);
    }

    @Override
    public void update(Tx tx, ModelConfig config) {
        models.rows().replace(config.key(), config);
    }

    @Override
    public boolean delete(Tx tx, String key) {
        allowed.rows().remove(key);
        return models.rows().remove(key) != null;
    }

    @Override
    public Optional<ModelConfig> find(Tx tx, String key) {
        return Optional.ofNullable(models.rows().get(key));
    }

    @Override
    public List<ModelConfig> list(Tx tx, ModelQuery query) {
        List<String> bases = query.baseModels().isEmpty() ? java.util.Collections.singletonList(null) : List.copyOf(new LinkedHashSet<>(query.baseModels()));
        Comparator<ModelConfig> order = Comparator.comparing(ModelConfig::name).thenComparing(ModelConfig::key);
        Comparator<ModelConfig> directed = query.descending() ? order.reversed() : order;
        return bases.stream().flatMap(base -> models.rows().values().stream()
                .filter(model -> base == null || base.equals(model.base()))
                .filter(model -> query.modelType() == null || query.modelType().equals(model.type()))
                .filter(model -> query.modelName() == null || query.modelName().equals(model.name()))
                .filter(model -> query.modelFormat() == null || query.modelFormat().equals(model.format()))
                .sorted(directed)).toList();
    }

    @Override
    public Optional<ModelConfig> findByAttributes(Tx tx, String name, String type, String base) {
        return models.rows().values().stream()
                .filter(model -> model.name().equals(name) && model.type().equals(type) && model.base().equals(base)).findFirst();
    }

    @Override
    public List<ModelConfig> findByHash(Tx tx, String hash) {
        return models.rows().values().stream().filter(model -> model.hash().equals(hash)).toList();
    }

    @Override
    public Set<String> allowedUsers(Tx tx, String key) {
        return allowed.rows().getOrDefault(key, Set.of());
    }

    @Override
    public void setAllowedUsers(Tx tx, String key, Set<String> userIds) {
        if (userIds.isEmpty()) {
            allowed.rows().remove(key);
        } else {
            allowed.rows().put(key, Set.copyOf(userIds));
        }
    }
}
