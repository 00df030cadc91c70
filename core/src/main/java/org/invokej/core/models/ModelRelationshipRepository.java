package org.invokej.core.models;

import org.invokej.core.store.Tx;

import java.util.List;

/** The {@code model_relationships} table: each related pair once, keys in order. */
public interface ModelRelationshipRepository {

    /** The keys related to {@code key}, sorted. */
    List<String> related(Tx tx, String key);

    /** Relates the pair ({@code first} sorts before {@code second}); false when it already was. */
    boolean add(Tx tx, String first, String second);

    /** false when the pair was not related. */
    boolean remove(Tx tx, String first, String second);
}
