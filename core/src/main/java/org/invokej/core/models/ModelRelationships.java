package org.invokej.core.models;

import org.invokej.core.Actor;
import org.invokej.core.DomainException;
import org.invokej.core.content.ContentAccess;
import org.invokej.core.store.Transactions;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which installed models belong together (a LoRA and the main model it was made for), both ways, as
 * InvokeAI relates them: everyone reads, administrators relate and unrelate. A deleted model's
 * relationships go with it (the table's foreign keys).
 */
public final class ModelRelationships {

    private final Transactions transactions;
    private final ModelRelationshipRepository relationships;
    private final ModelService models;

    public ModelRelationships(Transactions transactions, ModelRelationshipRepository relationships, ModelService models) {
        this.transactions = transactions;
        this.relationships = relationships;
        this.models = models;
    }

    public List<String> related(String key) {
        return transactions.read(tx -> relationships.related(tx, key));
    }

    /** Every key related to any of {@code keys}, each once. */
    public List<String> relatedToAny(Collection<String> keys) {
        Set<String> all = new LinkedHashSet<>();
        transactions.read(tx -> {
            keys.forEach(key -> all.addAll(relationships.related(tx, key)));
            return null;
        });
        return new ArrayList<>(all);
    }

    /** Relates two installed models; relating a related pair again changes nothing. */
    public void add(Actor actor, String key1, String key2) {
        ContentAccess.requireAdmin(actor);
        if (key1.equals(key2)) {
            throw DomainException.invalid("Cannot relate a model to itself.");
        }
        for (String key : List.of(key1, key2)) {
            models.find(key).orElseThrow(() -> DomainException.notFound("Model not found: " + key));
        }
        transactions.write(tx -> relationships.add(tx, first(key1, key2), second(key1, key2)));
    }

    /** Unrelates two models; 404 when they were not related. */
    public void remove(Actor actor, String key1, String key2) {
        ContentAccess.requireAdmin(actor);
        if (key1.equals(key2)) {
            throw DomainException.invalid("Cannot unlink a model from itself.");
        }
        if (!transactions.write(tx -> relationships.remove(tx, first(key1, key2), second(key1, key2)))) {
            throw DomainException.notFound("Relationship not found");
        }
    }

    private static String first(String a, String b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static String second(String a, String b) {
        return a.compareTo(b) <= 0 ? b : a;
    }
}
