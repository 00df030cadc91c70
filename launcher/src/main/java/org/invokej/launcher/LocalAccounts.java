package org.invokej.launcher;

import org.invokej.core.auth.ApiKeys;
import org.invokej.core.users.UserAccessListener;
import org.invokej.core.users.UserService;

import java.time.Clock;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The accounts of a root, opened directly by a command (no server needed, and fine while one runs:
 * SQLite serialises the writes and the server re-reads users on every request). The root resolves and
 * the database migrates exactly as for the server.
 */
final class LocalAccounts implements AutoCloseable {

    private final LocalRoot root;
    private final AccountServices services;

    private LocalAccounts(LocalRoot root, AccountServices services) {
        this.root = root;
        this.services = services;
    }

    /**
     * @param rootFlag the {@code --root} value, if given
     * @param notes    where to tell the person about a pre-migration copy
     * @param create   whether a missing root may be made
     */
    static LocalAccounts open(Optional<String> rootFlag, Consumer<String> notes, boolean create) {
        LocalRoot root = LocalRoot.open(rootFlag, notes, create);
        return new LocalAccounts(root, AccountServices.assemble(Repositories.of(root.database()), root.config(),
                Clock.systemUTC(), UserAccessListener.NONE, true));
    }

    UserService users() {
        return services.users();
    }

    ApiKeys apiKeys() {
        return services.apiKeys();
    }

    @Override
    public void close() {
        services.close();
        root.close();
    }
}
