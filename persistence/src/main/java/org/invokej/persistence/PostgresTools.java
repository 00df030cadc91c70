package org.invokej.persistence;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * PostgreSQL's client programs ({@code pg_dump}, {@code pg_restore}) and how to point them at a
 * {@code database_url}: host, port, database, role and password go in libpq's environment variables,
 * so that a password is never on a command line other users of the machine can read.
 *
 * <p>The programs are looked for in {@value #BIN_VARIABLE} when it is set (only there), else on the
 * {@code PATH}, else in the newest {@code /usr/lib/postgresql/<version>/bin} (Debian's layout, which the
 * {@code PATH} may not include).
 */
public final class PostgresTools {

    public static final String BIN_VARIABLE = "INVOKEJ_PG_BIN";
    private static final Path DEBIAN = Path.of("/usr/lib/postgresql");

    private final Map<String, String> environment;

    /** @param environment the process environment ({@code PATH}, {@value #BIN_VARIABLE}) */
    public PostgresTools(Map<String, String> environment) {
        this.environment = environment;
    }

    /**
     * The program {@code name}.
     *
     * @throws BackupException naming what to install when it is nowhere
     */
    public Path program(String name) {
        String configured = environment.get(BIN_VARIABLE);
        if (configured != null && !configured.isBlank()) {
            Path program = Path.of(configured.strip()).resolve(name);
            if (Files.isExecutable(program)) {
                return program;
            }
            throw new BackupException(name + " is not in " + configured.strip() + " (" + BIN_VARIABLE + "): point it at the bin "
                    + "folder of PostgreSQL's client tools, or unset it once they are installed (e.g. apt-get install postgresql-client)");
        }
        Optional<Path> onPath = Arrays.stream(environment.getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .filter(folder -> !folder.isBlank()).map(folder -> Path.of(folder).resolve(name)).filter(Files::isExecutable).findFirst();
        return onPath.or(() -> newestDebian(name)).orElseThrow(() -> new BackupException(name + " was not found (on the PATH, or in "
                + DEBIAN + "/*/bin): install PostgreSQL's client tools, as new as the server (e.g. apt-get install postgresql-client), "
                + "or set " + BIN_VARIABLE + " to the folder holding " + name));
    }

    private static Optional<Path> newestDebian(String name) {
        if (!Files.isDirectory(DEBIAN)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(DEBIAN)) {
            return versions.map(version -> version.resolve("bin").resolve(name)).filter(Files::isExecutable)
                    .max(Comparator.comparingInt(program -> versionOf(program.getParent().getParent())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int versionOf(Path folder) {
        try {
            return Integer.parseInt(folder.getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Where a database is, as libpq's variables and the database's name. */
    public record Target(String database, Map<String, String> environment) {
    }

    /**
     * libpq's variables for {@code server}: {@code PGHOST}, {@code PGPORT}, {@code PGDATABASE},
     * {@code PGUSER}, {@code PGPASSWORD}, {@code PGSSLMODE} (the URL's own {@code user:password@} and
     * {@code ?user=&password=&sslmode=} count when the settings leave them empty).
     */
    public static Target target(DatabaseLocation.PostgresServer server) {
        String url = server.url().startsWith("jdbc:") ? server.url().substring("jdbc:".length()) : server.url();
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new BackupException("database_url " + server.describe() + " is not a URL: " + e.getMessage(), e);
        }
        Map<String, String> query = new HashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                int equals = pair.indexOf('=');
                if (equals > 0) {
                    query.put(decode(pair.substring(0, equals)), decode(pair.substring(equals + 1)));
                }
            }
        }
        Map<String, String> variables = new HashMap<>();
        if (uri.getHost() != null) {
            variables.put("PGHOST", uri.getHost().replaceAll("^\\[|]$", ""));
        }
        if (uri.getPort() > 0) {
            variables.put("PGPORT", Integer.toString(uri.getPort()));
        }
        String database = uri.getPath() == null || uri.getPath().length() <= 1 ? "" : decode(uri.getRawPath().substring(1));
        if (!database.isEmpty()) {
            variables.put("PGDATABASE", database);
        }
        String[] userInfo = uri.getRawUserInfo() == null ? new String[0] : uri.getRawUserInfo().split(":", 2);
        String user = !server.user().isEmpty() ? server.user()
                : userInfo.length > 0 && !userInfo[0].isEmpty() ? decode(userInfo[0]) : query.getOrDefault("user", "");
        String password = !server.password().isEmpty() ? server.password()
                : userInfo.length > 1 ? decode(userInfo[1]) : query.getOrDefault("password", "");
        if (!user.isEmpty()) {
            variables.put("PGUSER", user);
        }
        if (!password.isEmpty()) {
            variables.put("PGPASSWORD", password);
        }
        Optional.ofNullable(query.get("sslmode")).ifPresent(mode -> variables.put("PGSSLMODE", mode));
        variables.put("PGAPPNAME", "InvokeJ backup");
        return new Target(database, Map.copyOf(variables));
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }
}
