package org.invokej.launcher;

import org.invokej.core.Actor;
import org.invokej.persistence.Database;

import java.nio.file.Files;
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
        return open(rootFlag, notes, true);
    }

    /**
     * @param create whether a missing root may be made (commands that add something); commands that only
     *               read, or change what must already exist, refuse a missing one instead of leaving an empty root behind
     */
    static LocalRoot open(Optional<String> rootFlag, Consumer<String> notes, boolean create) {
        Path root = RootDirectory.resolve(rootFlag);
        if (!create) {
            requireExisting(root);
        }
        InvokeConfig config = new ConfigLoader(System.getenv(), warning -> { }).load(root, Map.of());
        InvokeServer.createLayout(root, config);
        Database database = Database.open(config.databaseLocation(root), Clock.systemUTC());
        database.backup().ifPresent(copy -> notes.accept("The database was copied to " + copy + " before it was migrated."));
        return new LocalRoot(root, config, database);
    }

    static void requireExisting(Path root) {
        if (!Files.isDirectory(root)) {
            throw new ConfigException("No such folder: " + root + " (no InvokeJ root there; check --root, "
                    + "or start the server once with --root " + root + " to create one)");
        }
        InvokeConfig config = new ConfigLoader(System.getenv(), warning -> { }).load(root, Map.of());
        Path database = config.databaseFile(root);
        if (config.databaseUrl().isEmpty() && !Files.isRegularFile(database)) {
            throw new ConfigException("No InvokeJ root at " + root + ": " + database + " does not exist (check --root, "
                    + "or start the server once with --root " + root + " to create one)");
        }
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
