package org.invokej.launcher;

import org.invokej.persistence.Database;
import org.invokej.persistence.DatabaseCopy;
import org.invokej.persistence.DatabaseLocation;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code invokej db copy}: moves a root's database between its SQLite file and PostgreSQL. */
@Command(name = "db", mixinStandardHelpOptions = true,
        description = "Work on the root's database (SQLite file or PostgreSQL).",
        subcommands = DbCommand.Copy.class)
final class DbCommand implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code invokej db copy --to URL | --from URL}. */
    @Command(name = "copy", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Copy every table of the root's SQLite database into a PostgreSQL database (--to), or back (--from),",
                    "verifying the row count of each table. Stop the server first. The target is migrated first;",
                    "one with data of its own is refused unless --force replaces it. The password comes from",
                    "database_password in invokeai.yaml or INVOKEAI_DATABASE_PASSWORD."})
    static final class Copy implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        static final class Direction {
            @Option(names = "--to", paramLabel = "URL", required = true,
                    description = "Copy the root's SQLite file into this PostgreSQL database (postgresql://host:port/database).")
            String to;

            @Option(names = "--from", paramLabel = "URL", required = true,
                    description = "Copy this PostgreSQL database into the root's SQLite file.")
            String from;
        }

        @ArgGroup(exclusive = true, multiplicity = "1")
        Direction direction;

        @Option(names = "--user", paramLabel = "ROLE", description = "The PostgreSQL role (default: database_user, else your user name).")
        String user;

        @Option(names = "--force", description = "Replace what the target database holds.")
        boolean force;

        @Option(names = {"--root", "-r"}, paramLabel = "DIR",
                description = "Root directory (default: $INVOKEAI_ROOT, else the parent of $VIRTUAL_ENV, else ~/invokeai).")
        String root;

        @Override
        public Integer call() {
            ConsoleLogging.configure("warning");
            Path rootPath = RootDirectory.resolve(Optional.ofNullable(root));
            InvokeConfig config = new ConfigLoader(System.getenv(), warning -> { }).load(rootPath, Map.of());
            String url = direction.to != null ? direction.to : direction.from;
            if (!DatabaseLocation.PostgresServer.isPostgresUrl(url)) {
                throw new ConfigException("Expected a PostgreSQL URL such as postgresql://localhost:5432/invokeai, got " + url);
            }
            DatabaseLocation postgres = new DatabaseLocation.PostgresServer(url, user != null ? user : config.databaseUser(),
                    config.databasePassword(), 2);
            if (direction.to != null) {
                LocalRoot.requireExisting(rootPath);
            }
            DatabaseLocation sqlite = new DatabaseLocation.SqliteFile(config.databaseFile(rootPath));
            DatabaseLocation from = direction.to != null ? sqlite : postgres;
            DatabaseLocation to = direction.to != null ? postgres : sqlite;
            long started = System.nanoTime();
            PrintWriter out = spec.commandLine().getOut();
            out.println("Copying " + from.describe() + " to " + to.describe());
            out.flush();
            List<DatabaseCopy.Copied> copied;
            try (Database source = Database.open(from, Clock.systemUTC());
                 Database target = openTarget(to, rootPath, config)) {
                copied = new DatabaseCopy(source, target).run(force, line -> {
                    out.println("  " + line);
                    out.flush();
                });
            } catch (DatabaseCopy.TargetNotEmpty e) {
                throw new ConfigException(e.getMessage());
            }
            long rows = copied.stream().mapToLong(DatabaseCopy.Copied::rows).sum();
            out.printf("Copied %d rows in %d tables; every table's row count matches (%.1f s).%n", rows, copied.size(),
                    (System.nanoTime() - started) / 1e9);
            out.println(direction.to != null
                    ? "To use it, set database_url: " + to.describe() + " in " + rootPath.resolve("invokeai.yaml") + "."
                    : "To use it, remove database_url from " + rootPath.resolve("invokeai.yaml") + ".");
            return 0;
        }

        /** The target, after the source opened: a refused login leaves no new root behind. */
        private static Database openTarget(DatabaseLocation to, Path root, InvokeConfig config) {
            if (to instanceof DatabaseLocation.SqliteFile) {
                InvokeServer.createLayout(root, config);
            }
            return Database.open(to, Clock.systemUTC());
        }
    }
}
