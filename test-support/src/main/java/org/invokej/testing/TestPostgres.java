package org.invokej.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for the tests: Debian's {@code postgresql} package, started once per test JVM
 * with {@code initdb}/{@code pg_ctl} in a temporary data directory on a free port (as the {@code postgres}
 * user when the tests run as root, which PostgreSQL refuses), and stopped when the JVM ends. Each test
 * takes a fresh database from {@link #newDatabase()}.
 *
 * <p>It never skips: without PostgreSQL it fails, saying how to provide one ({@value #BIN_PROPERTY} or
 * {@value #BIN_VARIABLE} naming the folder that holds {@code initdb} and {@code pg_ctl}).
 */
public final class TestPostgres {

    public static final String BIN_PROPERTY = "invokej.pgBin";
    public static final String BIN_VARIABLE = "INVOKEJ_PG_BIN";
    /** The switch that runs the server-level suites ({@code TestServer}) on PostgreSQL: {@code postgresql} or {@code sqlite}. */
    public static final String DATABASE_PROPERTY = "invokej.testDatabase";
    public static final String DATABASE_VARIABLE = "INVOKEJ_TEST_DATABASE";

    /** The file in a test root that names the PostgreSQL database a test server put its data in. */
    public static final String ROOT_MARKER = ".test-postgresql-url";

    private static final String SUPERUSER = "postgres";

    private final Path folder;
    private final Path data;
    private final Path bin;
    private final int port;
    private final String password;
    private final boolean asPostgresUser;
    private final AtomicInteger databases = new AtomicInteger();

    private TestPostgres(Path bin) {
        this.bin = bin;
        this.asPostgresUser = "root".equals(System.getProperty("user.name"));
        this.password = UUID.randomUUID().toString();
        try {
            folder = Files.createTempDirectory("invokej-pg-");
            data = folder.resolve("data");
            Path passwordFile = folder.resolve("password");
            Files.writeString(passwordFile, password + "\n");
            if (asPostgresUser) {
                UserPrincipalLookupService users = folder.getFileSystem().getUserPrincipalLookupService();
                Files.setOwner(folder, users.lookupPrincipalByName(SUPERUSER));
                Files.setOwner(passwordFile, users.lookupPrincipalByName(SUPERUSER));
            }
            port = freePort();
            run(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", SUPERUSER, "--pwfile=" + passwordFile,
                    "--auth-local=trust", "--auth-host=scram-sha-256", "--encoding=UTF8", "--no-locale", "--no-sync"));
            // Durability is not what these tests check: no fsync keeps the shared CI machine fast.
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", folder.resolve("server.log").toString(),
                    "-w", "-t", "60", "-o", "-p " + port + " -k " + folder + " -c listen_addresses=127.0.0.1 -c max_connections=400"
                            + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off", "start"));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the test PostgreSQL server: " + e.getMessage(), e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "test-postgres-stop"));
    }

    private static final class Holder {
        private static final TestPostgres SERVER = new TestPostgres(findBin());
    }

    /** The server of this test JVM, started at the first call. */
    public static TestPostgres server() {
        return Holder.SERVER;
    }

    /** Whether the server-level suites of this run use PostgreSQL ({@value #DATABASE_PROPERTY}=postgresql). */
    public static boolean selected() {
        String chosen = Optional.ofNullable(System.getProperty(DATABASE_PROPERTY)).or(() -> Optional.ofNullable(System.getenv(DATABASE_VARIABLE)))
                .orElse("sqlite").strip();
        return switch (chosen.toLowerCase(java.util.Locale.ROOT)) {
            case "postgresql", "postgres" -> true;
            case "sqlite", "" -> false;
            default -> throw new IllegalStateException(DATABASE_PROPERTY + " must be sqlite or postgresql, not " + chosen);
        };
    }

    /** A new, empty database (UTF-8, C collation) on this server; its URL in InvokeJ's {@code database_url} form. */
    public String newDatabase() {
        String name = "invokej_test_" + databases.incrementAndGet();
        // createdb over the server's own socket (trusted locally): test-support stays free of JDBC drivers
        run(List.of(bin.resolve("createdb").toString(), "-h", folder.toString(), "-p", Integer.toString(port), "-U", SUPERUSER,
                "-T", "template0", "-E", "UTF8", "--locale=C", name));
        return "postgresql://127.0.0.1:" + port + "/" + name;
    }

    /**
     * A JDBC connection to a test root's database: the PostgreSQL database named by its {@link #ROOT_MARKER}
     * when the root has one, else its SQLite file (the drivers come from the test's classpath).
     */
    public static Connection connectToRoot(Path root) throws SQLException {
        Path marker = root.resolve(ROOT_MARKER);
        if (Files.exists(marker)) {
            try {
                return DriverManager.getConnection("jdbc:" + Files.readString(marker).strip(), SUPERUSER, server().password());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return DriverManager.getConnection("jdbc:sqlite:" + root.resolve("databases").resolve("invokeai.db"));
    }

    public String user() {
        return SUPERUSER;
    }

    public String password() {
        return password;
    }

    public int port() {
        return port;
    }

    private void stop() {
        try {
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop"));
        } catch (RuntimeException e) {
            System.err.println("Could not stop the test PostgreSQL server: " + e.getMessage());
        }
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            System.err.println("Could not delete " + folder + ": " + e.getMessage());
        }
    }

    private void run(List<String> command) {
        List<String> full = new ArrayList<>();
        if (asPostgresUser) {
            full.addAll(List.of("runuser", "-u", SUPERUSER, "--"));
        }
        full.addAll(command);
        try {
            Process process = new ProcessBuilder(full).directory(folder.toFile()).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                String log = Files.exists(folder.resolve("server.log")) ? Files.readString(folder.resolve("server.log")) : "";
                throw new IllegalStateException("Test PostgreSQL: " + String.join(" ", full) + " failed:\n" + output + log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Test PostgreSQL: cannot run " + full.getFirst() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting the test PostgreSQL server", e);
        }
    }

    private static Path findBin() {
        String configured = Optional.ofNullable(System.getProperty(BIN_PROPERTY)).orElse(System.getenv(BIN_VARIABLE));
        String help = " Install Debian's postgresql package (apt-get install postgresql), or set -D" + BIN_PROPERTY
                + " or " + BIN_VARIABLE + " to the folder holding initdb and pg_ctl.";
        if (configured != null && !configured.isBlank()) {
            Path bin = Path.of(configured.strip());
            if (!Files.isExecutable(bin.resolve("initdb")) || !Files.isExecutable(bin.resolve("pg_ctl"))) {
                throw new IllegalStateException("The tests need PostgreSQL, but " + bin + " has no initdb and pg_ctl." + help);
            }
            return bin;
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                Optional<Path> newest = versions.map(version -> version.resolve("bin"))
                        .filter(bin -> Files.isExecutable(bin.resolve("initdb")) && Files.isExecutable(bin.resolve("pg_ctl")))
                        .max(Comparator.comparing(bin -> versionOf(bin.getParent())));
                if (newest.isPresent()) {
                    return newest.get();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("The tests need PostgreSQL and found none in " + debian + "." + help);
    }

    private static int versionOf(Path folder) {
        try {
            return Integer.parseInt(folder.getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
