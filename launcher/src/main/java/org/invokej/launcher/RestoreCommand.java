package org.invokej.launcher;

import org.invokej.persistence.Database;
import org.invokej.persistence.DatabaseLocation;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code invokej restore FILE}: puts a backup back, with the server stopped (the root lock tells; it is
 * held while restoring, so no server starts meanwhile). An existing database is replaced only with
 * {@code --force}, and kept beside it.
 */
@Command(name = "restore", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Restores a backup made by 'invokej backup' (.db, .pgdump, or .zip with images) with the server stopped.",
                "An existing database is replaced only with --force; it is then kept as invokeai_before_restore_<time>.db",
                "(PostgreSQL: dumped to <db_dir>/invokeai_before_restore_<time>.pgdump)."})
final class RestoreCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The backup file.")
    String file;

    @Option(names = {"--root", "-r"}, paramLabel = "DIR",
            description = "Root directory (default: $INVOKEAI_ROOT, else the parent of $VIRTUAL_ENV, else ~/invokeai).")
    String root;

    @Option(names = {"--force", "-f"}, description = "Replace the root's existing database (it is kept beside it).")
    boolean force;

    @Override
    public Integer call() {
        ConsoleLogging.configure("warning");
        Path backup = RootDirectory.expandHome(file).toAbsolutePath().normalize();
        Path resolved = RootDirectory.resolve(Optional.ofNullable(root));
        InvokeConfig config = new ConfigLoader(System.getenv(), warning -> { }).load(resolved, Map.of());
        String database = config.databaseLocation(resolved).describe();
        InvokeServer.createLayout(resolved, config);
        RootLock lock;
        try {
            lock = RootLock.acquire(resolved);
        } catch (ConfigException running) {
            throw new ConfigException("A server is running on " + resolved + " (it holds " + resolved.resolve(RootLock.FILE_NAME)
                    + "); stop it before restoring");
        }
        try (lock) {
            Clock clock = Clock.systemUTC();
            Backups backups = new Backups(Backups.of(config, resolved, clock), config.imagesDir(resolved), clock);
            var err = spec.commandLine().getErr();
            Path aside = backups.restore(backup, force, err);
            err.println("Restored " + backup + " to " + database
                    + (aside != null ? " (the database it replaced is kept as " + aside + ")" : ""));
            DatabaseLocation location = config.databaseLocation(resolved);
            if (location instanceof DatabaseLocation.PostgresServer) {
                try (Database restored = Database.open(location, clock)) {
                    for (Path folder : SharedFolders.adopt(resolved, config, location, Repositories.of(restored))) {
                        err.println("Marked " + folder + " as the restored database's folder (" + SharedFolders.MARKER
                                + "); every web node and worker on it must mount this one");
                    }
                }
            }
        }
        return 0;
    }
}
