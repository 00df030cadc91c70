package org.invokej.launcher;

import org.invokej.core.users.UserAccessListener;
import org.invokej.core.users.UserService;
import org.invokej.persistence.Database;
import org.invokej.persistence.SqlTransactions;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The accounts of a root, opened directly by a command (no server needed, and fine while one runs:
 * SQLite serialises the writes and the server re-reads users on every request). The root resolves and
 * the database migrates exactly as for the server.
 */
final class LocalAccounts implements AutoCloseable {

    private final Database database;
    private final AccountServices services;

    private LocalAccounts(Database database, AccountServices services) {
        this.database = database;
        this.services = services;
    }

    /**
     * @param rootFlag the {@code --root} value, if given
     * @param notes    where to tell the person about a pre-migration copy
     */
    static LocalAccounts open(Optional<String> rootFlag, Consumer<String> notes) {
        Path root = RootDirectory.resolve(rootFlag);
        InvokeConfig config = new ConfigLoader(System.getenv(), warning -> { }).load(root, Map.of());
        InvokeServer.createLayout(root, config);
        Database database = Database.open(config.databaseFile(root), Clock.systemUTC());
        database.backup().ifPresent(copy -> notes.accept("The database was copied to " + copy + " before it was migrated."));
        return new LocalAccounts(database,
                AccountServices.assemble(new SqlTransactions(database), config, Clock.systemUTC(), UserAccessListener.NONE, true));
    }

    UserService users() {
        return services.users();
    }

    @Override
    public void close() {
        services.close();
        database.close();
    }
}
