package org.invokej.core.clientstate;

import org.invokej.core.Actor;
import org.invokej.core.DomainException;
import org.invokej.core.store.Transactions;

import java.util.List;
import java.util.Optional;

/**
 * What the web UI keeps on the server between visits (its settings, panel layouts, gallery choices),
 * always the caller's own: there is no way to read or change another user's state, administrators
 * included. In single-user mode everyone is {@code system} and shares one state, as in InvokeAI.
 */
public final class ClientStateService {

    /** Keys are the UI's slice names; a bound keeps one request from filling the table with junk keys. */
    public static final int MAX_KEY_LENGTH = 255;

    private final Transactions transactions;
    private final ClientStateRepository states;

    public ClientStateService(Transactions transactions, ClientStateRepository states) {
        this.transactions = transactions;
        this.states = states;
    }

    public Optional<String> get(Actor actor, String key) {
        String checked = key(key);
        return transactions.read(tx -> states.get(tx, actor.userId(), checked));
    }

    /** Stores {@code value} under {@code key}; returns it, as InvokeAI does. */
    public String set(Actor actor, String key, String value) {
        String checked = key(key);
        transactions.write(tx -> {
            states.set(tx, actor.userId(), checked, value);
            return null;
        });
        return value;
    }

    public List<String> keysByPrefix(Actor actor, String prefix) {
        return transactions.read(tx -> states.keysByPrefix(tx, actor.userId(), prefix));
    }

    public void delete(Actor actor, String key) {
        String checked = key(key);
        transactions.write(tx -> {
            states.delete(tx, actor.userId(), checked);
            return null;
        });
    }

    /** Forgets everything the caller's UI kept. */
    public void deleteAll(Actor actor) {
        transactions.write(tx -> {
            states.deleteAll(tx, actor.userId());
            return null;
        });
    }

    private static String key(String key) {
        if (key == null || key.isEmpty()) {
            throw DomainException.unprocessable("Query parameter 'key' is required");
        }
        if (key.length() > MAX_KEY_LENGTH) {
            throw DomainException.unprocessable("Query parameter 'key' must be at most " + MAX_KEY_LENGTH + " characters");
        }
        return key;
    }
}
