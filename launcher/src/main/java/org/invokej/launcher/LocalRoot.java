package org.invokej.launcher;

import org.invokej.core.Actor;
import org.invokej.persistence.Database;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A root opened directly by a command (no server needed, and fine while one runs: SQLite serialises the
 * writes). The root resolves, its layout is made and the database migrates exactly as for the server.
 */
record LocalRoot(Path root, InvokeConfig config, Database database) implements AutoCloseable {

    /**
     * @param rootFlag the {@code --root} value, if given
     * @param notes    where to tell the person about a pre-migration copy
     */
    static LocalRoot open(Optional<String> rootFlag, Consumer<String> notes) {
        Path root = RootDirectory.resolve(rootFlag);
        InvokeConfig config = new ConfigLoader(System.getenv(), warning -> { }).load(root, Map.of());
        InvokeServer.createLayout(root, config);
        Database database = Database.open(config.databaseFile(root), Clock.systemUTC());
        database.backup().ifPresent(copy -> notes.accept("The database was copied to " + copy + " before it was migrated."));
        return new LocalRoot(root, config, database);
    }

    /** Who the audit log names for a command run by the machine's administrator. */
    static Actor commandLineActor(String command) {
        return new Actor("cli", "command line (" + System.getProperty("user.name", "unknown") + ")", command, true);
    }

    @Override
    public void close() {
        database.close();
    }
}
