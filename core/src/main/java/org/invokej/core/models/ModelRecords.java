package org.invokej.core.models;

import org.invokej.core.store.Tx;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The {@code models} table (configs as JSON, keyed by {@code id}) and the per-model allow-lists. */
public interface ModelRecords {

    /** Adds a model; the caller has checked that its name, base and type are free. */
    void insert(Tx tx, ModelConfig config);

    void update(Tx tx, ModelConfig config);

    /** Removes a model and its allow-list; false when there was none. */
    boolean delete(Tx tx, String key);

    Optional<ModelConfig> find(Tx tx, String key);

    /** The models matching {@code query}, in its order. */
    List<ModelConfig> list(Tx tx, ModelQuery query);

    Optional<ModelConfig> findByAttributes(Tx tx, String name, String type, String base);

    /** Models with this hash, oldest first. */
    List<ModelConfig> findByHash(Tx tx, String hash);

    /** Who may generate with a model besides administrators; empty when everyone may. */
    Set<String> allowedUsers(Tx tx, String key);

    /** Replaces a model's allow-list (empty: everyone may use it). */
    void setAllowedUsers(Tx tx, String key, Set<String> userIds);
}
