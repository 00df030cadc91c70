package org.invokej.persistence;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Backups of a PostgreSQL database with PostgreSQL's own tools. The snapshot is {@code pg_dump}'s custom
 * format (one repeatable-read transaction, so it is consistent while the server writes; compressed). A
 * copy is checked by reading it whole with {@code pg_restore}: its table of contents must hold InvokeJ's
 * schema history, and every table's data must decompress, which also counts its rows. A restore, with
 * every InvokeJ process stopped, loads the copy with {@code pg_restore} in one transaction and compares
 * each table's row count with the copy's; a database that holds tables is replaced only when forced, after
 * it was itself dumped to {@code invokeai_before_restore_<time>.pgdump}, so nothing is lost by a restore.
 */
public final class PostgresBackup implements DatabaseBackup {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
    /** A table in {@code pg_restore --list}: {@code 215; 1259 16390 TABLE public users invokej}. */
    private static final Pattern TOC_TABLE = Pattern.compile("^\\d+; \\d+ \\d+ TABLE (\\S+) (\\S+) ");
    /** The start of a table's rows in {@code pg_restore --data-only} output. */
    private static final Pattern COPY = Pattern.compile("^COPY (\\S+) \\((.*)\\) FROM stdin;$");

    private final DatabaseLocation.PostgresServer server;
    private final PostgresTools tools;
    private final Path asideFolder;
    private final Clock clock;

    /**
     * @param asideFolder where a database replaced by a restore is dumped first (the root's database folder)
     */
    public PostgresBackup(DatabaseLocation.PostgresServer server, PostgresTools tools, Path asideFolder, Clock clock) {
        this.server = server;
        this.tools = tools;
        this.asideFolder = asideFolder;
        this.clock = clock;
    }

    @Override
    public String extension() {
        return ".pgdump";
    }

    @Override
    public void snapshot(Path target) {
        Path pgDump = tools.program("pg_dump");
        try {
            PrivateFiles.createNew(target);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + target + ": " + e.getMessage(), e);
        }
        run(List.of(pgDump.toString(), "--format=custom", "--file=" + target), line -> { },
                "pg_dump of " + server.describe() + " failed");
        PrivateFiles.ownerOnly(target);
    }

    @Override
    public int check(Path copy) {
        if (!Files.isRegularFile(copy)) {
            throw new BackupException("No such file: " + copy);
        }
        List<String> tables = new ArrayList<>();
        run(List.of(tools.program("pg_restore").toString(), "--list", copy.toString()), line -> {
            Matcher table = TOC_TABLE.matcher(line);
            if (table.find()) {
                tables.add(table.group(2));
            }
        }, copy + " is not a pg_dump archive InvokeJ can read");
        if (!tables.contains("flyway_schema_history")) {
            throw new BackupException(copy + " is a pg_dump archive, but not of InvokeJ's database (it has no flyway_schema_history)");
        }
        rowCounts(copy);
        return tables.size();
    }

    /** Each table's rows in {@code copy}; reading them all is what shows the archive's data is whole. */
    Map<String, Long> rowCounts(Path copy) {
        Map<String, Long> counts = new LinkedHashMap<>();
        String[] current = {null};
        run(List.of(tools.program("pg_restore").toString(), "--data-only", "--file=-", copy.toString()), line -> {
            if (current[0] == null) {
                Matcher start = COPY.matcher(line);
                if (start.matches()) {
                    current[0] = start.group(1);
                    counts.put(current[0], 0L);
                }
            } else if (line.equals("\\.")) {
                current[0] = null;
            } else {
                counts.merge(current[0], 1L, Long::sum);
            }
        }, copy + " is damaged (its data cannot be read back)");
        return counts;
    }

    @Override
    public List<String> imageFiles(Path copy) {
        List<String> files = new ArrayList<>();
        int[] name = {-1};
        int[] subfolder = {-1};
        run(List.of(tools.program("pg_restore").toString(), "--data-only", "--table=images", "--file=-", copy.toString()), line -> {
            Matcher start = COPY.matcher(line);
            if (start.matches()) {
                List<String> columns = List.of(start.group(2).split(", "));
                name[0] = columns.indexOf("image_name");
                subfolder[0] = columns.indexOf("image_subfolder");
            } else if (name[0] >= 0 && !line.equals("\\.")) {
                String[] fields = line.split("\t", -1);
                String image = unescape(fields[name[0]]);
                String folder = subfolder[0] >= 0 ? unescape(fields[subfolder[0]]) : "";
                files.add(folder.isEmpty() || folder.equals("\\N") ? image : folder + "/" + image);
            } else if (line.equals("\\.")) {
                name[0] = -1;
            }
        }, "Cannot read the images of " + copy);
        files.sort(null);
        return files;
    }

    /** A value of COPY's text format: backslash escapes ({@code \\}, {@code \t}, …) undone. */
    private static String unescape(String field) {
        if (field.indexOf('\\') < 0 || field.equals("\\N")) {
            return field;
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 1 < field.length()) {
                char next = field.charAt(++i);
                text.append(switch (next) {
                    case 't' -> '\t';
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    default -> next;
                });
            } else {
                text.append(c);
            }
        }
        return text.toString();
    }

    @Override
    public Path restore(Path copy, boolean force) {
        Path pgRestore = tools.program("pg_restore");
        Map<String, Long> expected = rowCounts(copy);
        Path aside = null;
        try (Connection connection = connect()) {
            refuseWhileInUse(connection);
            List<String> tables = tables(connection);
            if (!tables.isEmpty()) {
                if (!force) {
                    throw new BackupException("The PostgreSQL database " + server.describe() + " already holds " + tables.size()
                            + " tables; add --force to replace them (the database is then dumped first, to "
                            + asideFolder.resolve("invokeai_before_restore_<time>.pgdump") + ")");
                }
                PrivateFiles.folder(asideFolder);
                aside = asideFolder.resolve("invokeai_before_restore_" + STAMP.format(clock.instant()) + extension());
                snapshot(aside);
                empty(connection, tables);
            }
        } catch (SQLException e) {
            throw new BackupException("Cannot use the PostgreSQL database " + server.describe() + ": " + Database.rootMessage(e), e);
        }
        PostgresTools.Target target = PostgresTools.target(server);
        run(List.of(pgRestore.toString(), "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error",
                "--dbname=" + target.database(), copy.toString()), line -> { }, "pg_restore into " + server.describe() + " failed"
                + (aside != null ? " (nothing was restored; the database as it was is also in " + aside + ")" : ""));
        verify(expected);
        return aside;
    }

    /** Another InvokeJ process (a web node, a worker) still connected would go on writing into what is restored. */
    private void refuseWhileInUse(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                     + " AND pid <> pg_backend_pid() AND application_name = 'InvokeJ'")) {
            row.next();
            if (row.getLong(1) > 0) {
                throw new BackupException(row.getLong(1) + " InvokeJ connection(s) are open to " + server.describe()
                        + ": stop every server and worker using this database before restoring");
            }
        }
    }

    private static List<String> tables(Connection connection) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1")) {
            while (rows.next()) {
                tables.add(rows.getString(1));
            }
        }
        return tables;
    }

    /** Drops what InvokeJ's migrations made in the schema (tables with their triggers and sequences, functions), in one transaction. */
    private static void empty(Connection connection, List<String> tables) throws SQLException {
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS " + String.join(", ", tables.stream().map(PostgresBackup::quote).toList()) + " CASCADE");
            List<String> others = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery("SELECT 'FUNCTION ' || p.oid::regprocedure::text FROM pg_proc p"
                    + " JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = current_schema()"
                    + " UNION ALL SELECT 'SEQUENCE ' || quote_ident(sequence_name) FROM information_schema.sequences"
                    + " WHERE sequence_schema = current_schema()")) {
                while (rows.next()) {
                    others.add(rows.getString(1));
                }
            }
            for (String object : others) {
                statement.execute("DROP " + object + " CASCADE");
            }
            connection.commit();
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        }
    }

    private void verify(Map<String, Long> expected) {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            List<String> differences = new ArrayList<>();
            for (Map.Entry<String, Long> table : expected.entrySet()) {
                try (ResultSet row = statement.executeQuery("SELECT count(*) FROM " + table.getKey())) {
                    row.next();
                    if (row.getLong(1) != table.getValue()) {
                        differences.add(table.getKey() + " has " + row.getLong(1) + " rows, the backup " + table.getValue());
                    }
                }
            }
            if (!differences.isEmpty()) {
                throw new BackupException("The restored database differs from the backup: " + String.join("; ", differences));
            }
        } catch (SQLException e) {
            throw new BackupException("Cannot check the restored database " + server.describe() + ": " + Database.rootMessage(e), e);
        }
    }

    private Connection connect() throws SQLException {
        Properties properties = new Properties();
        if (!server.user().isEmpty()) {
            properties.setProperty("user", server.user());
        }
        if (!server.password().isEmpty()) {
            properties.setProperty("password", server.password());
        }
        properties.setProperty("ApplicationName", "InvokeJ restore");
        properties.setProperty("connectTimeout", "10");
        return DriverManager.getConnection(server.jdbcUrl(), properties);
    }

    private static String quote(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    /**
     * Runs a client program with the database in its environment; {@code lines} hears its standard output.
     * A failure is a {@link BackupException}: {@code failure} and the program's first error line.
     */
    private void run(List<String> command, Consumer<String> lines, String failure) {
        ProcessBuilder builder = new ProcessBuilder(command);
        // libpq variables of the caller's own shell must not redirect the tool to another database
        builder.environment().keySet().removeIf(name -> name.startsWith("PG"));
        builder.environment().putAll(PostgresTools.target(server).environment());
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            CompletableFuture<String> errors = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    lines.accept(line);
                }
            }
            int exit = process.waitFor();
            String said = errors.join().strip();
            if (exit != 0) {
                String first = said.lines().filter(line -> !line.isBlank()).findFirst().orElse("exit status " + exit)
                        .replaceFirst("^(pg_dump|pg_restore): (error: )?", "");
                throw new BackupException(failure + ": " + first);
            }
        } catch (IOException e) {
            throw new BackupException(failure + ": cannot run " + command.getFirst() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackupException(failure + ": interrupted", e);
        }
    }

    private static String readAll(InputStream stream) {
        try {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return e.getMessage();
        }
    }
}
