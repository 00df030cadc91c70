package org.invokej.authz;

import com.fasterxml.jackson.databind.JsonNode;
import org.invokej.testing.TestClient;
import org.invokej.testing.TestResponse;
import org.invokej.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hardening suite's malformed-request corpus: every route of the authorization matrix (so a new
 * route joins it with its matrix row), sent by an administrator — so that access never refuses first —
 * with what a careless or hostile client sends: bodies larger than {@code max_request_size}, methods the
 * route does not have, bad ids (NUL bytes, 5,000 characters, path tricks, numbers out of range, bad
 * UTF-8), bodies that are not JSON or are the wrong JSON, fields of the wrong type, bad query parameters,
 * broken multipart forms. Not one answer may be a 5xx, and nothing may be written: the row count of
 * every table and the files of the root are the same afterwards.
 */
class MalformedRequestCorpusTest {

    /** Small, so that an oversized body is cheap to send. */
    private static final int MAX_REQUEST = 64 * 1024;
    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE");
    private static final List<String> BAD_IDS = List.of("%00", "x%00y", "a".repeat(5000), "..%2F..%2Fdatabases%2Finvokeai.db",
            "%2E%2E", "-1", "99999999999999999999999999", "%25", "'%20OR%201=1--", "%F0%9F%98%80", "%C0%AF", "%FF%FE");
    private static final List<String> BAD_BODIES = List.of("{", "{\"a\": 1,}", "[]", "\"text\"", "null", "12", "true",
            "{\"x\": 1} {\"y\": 2}", "{\"\u0000\": ", "\u0000", "[".repeat(5000) + "]".repeat(5000), "1e999999",
            "\uFEFF{", "{'single': 'quotes'}", "{\"a\": NaN}");
    private static final String BAD_QUERY = "limit=-1&offset=-5&page=x&per_page=99999999999999999999&order_dir=sideways"
            + "&order_by=%00&categories=nope&is_intermediate=maybe&board_id=%00&starred_first=2&search_term=%00&image_origin=x"
            + "&all=perhaps&status=weird&limit=5&include_images=sometimes&cursor=%FF";

    /** One request of the corpus. */
    private record Sent(String what, String method, String path, String contentType, byte[] body, boolean oversized,
                        boolean declaredNotImplemented) {
        Sent(String what, String method, String path, String contentType, byte[] body, boolean oversized) {
            this(what, method, path, contentType, body, oversized, false);
        }

        /** InvokeAI's routes this server declares unimplemented answer 501 whatever they are sent. */
        Sent forRoute(Route route) {
            return new Sent(what, method, path, contentType, body, oversized, route.notImplemented() && method.equals(route.method()));
        }
    }

    /** A route of the matrix, resolved once against the world. */
    private record Route(String method, String name, String path, Object body, boolean form, boolean notImplemented) {
        String template() {
            return name.replaceAll("\\{[^}]*}", "{}").replaceAll("\\?.*", "");
        }
    }

    @TempDir
    static Path root;

    private static MatrixWorld world;
    private static List<Route> routes;

    @BeforeAll
    static void start() {
        world = new MatrixWorld(root, Map.of("max_request_size", String.valueOf(MAX_REQUEST)));
        routes = AuthorizationMatrixTest.TABLES.stream().flatMap(table -> table.get().stream())
                .map(row -> new Route(row.method(), row.name(), row.path(world), row.sendsForm() ? null : row.body(world), row.sendsForm(),
                        row.expected(Who.ADMIN) == 501))
                .toList();
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    @Test
    void noMalformedRequestOnAnyRouteIsA5xxOrWritesAnything() throws Exception {
        List<Sent> corpus = corpus();
        assertTrue(corpus.size() >= 500, "the corpus has " + corpus.size() + " requests");
        Snapshot before = Snapshot.settled();
        TestClient admin = world.client(Who.ADMIN);
        List<String> failures = new ArrayList<>();
        List<String> succeeded = new ArrayList<>();
        Map<Integer, Integer> statuses = new TreeMap<>();
        for (Sent sent : corpus) {
            TestResponse response = sent.oversized()
                    ? admin.sendOversized(sent.method(), sent.path(), sent.contentType(), sent.body())
                    : admin.send(sent.method(), sent.path(), sent.contentType(), sent.body());
            statuses.merge(response.status(), 1, Integer::sum);
            if (response.status() >= 500 && !(sent.declaredNotImplemented() && response.status() == 501)) {
                failures.add(sent.what() + " -> " + response);
            }
            if (response.status() < 300 && !sent.method().equals("GET")) {
                succeeded.add(sent.what() + " -> " + response.status());
            }
        }
        assertEquals(List.of(), failures, "5xx answers to client input (statuses: " + statuses + ")");
        Snapshot after = Snapshot.settled();
        assertEquals(before.rows(), after.rows(), "row counts; requests that succeeded: " + succeeded);
        assertEquals(Map.of(), difference(before.files(), after.files()), "files of the root; requests that succeeded: " + succeeded);
    }

    /** What changed between two listings: each file with its size before and after ("-" when missing). */
    private static Map<String, String> difference(Map<String, Long> before, Map<String, Long> after) {
        Map<String, String> changed = new TreeMap<>();
        Set<String> names = new LinkedHashSet<>(before.keySet());
        names.addAll(after.keySet());
        for (String name : names) {
            if (!java.util.Objects.equals(before.get(name), after.get(name))) {
                changed.put(name, before.getOrDefault(name, -1L) + " -> " + after.getOrDefault(name, -1L));
            }
        }
        return changed;
    }

    private static List<Sent> corpus() {
        List<Sent> corpus = new ArrayList<>();
        Map<String, Set<String>> methodsOf = new HashMap<>();
        routes.forEach(route -> methodsOf.computeIfAbsent(route.template(), k -> new LinkedHashSet<>()).add(route.method()));
        byte[] huge = ("{\"a\": \"" + "x".repeat(MAX_REQUEST) + "\"}").getBytes(StandardCharsets.UTF_8);
        Set<String> seenTemplates = new LinkedHashSet<>();
        for (Route route : routes) {
            int first = corpus.size();
            String label = route.method() + " " + route.name();
            byte[] validBody = route.body() == null ? new byte[0] : TestClientJson.write(route.body());
            corpus.add(new Sent(label + " <- oversized body", route.method(), route.path(), "application/json", huge, true));
            if (seenTemplates.add(route.template())) {
                for (String method : METHODS) {
                    if (!methodsOf.get(route.template()).contains(method)) {
                        corpus.add(new Sent(method + " " + route.name() + " (a method it does not have)", method, route.path(),
                                "application/json", "{}".getBytes(StandardCharsets.UTF_8), false));
                    }
                }
            }
            for (String path : badIdPaths(route)) {
                corpus.add(new Sent(label + " with a bad id: " + abbreviated(path), route.method(), path,
                        route.body() == null ? null : "application/json", validBody, false));
            }
            // a route whose body is any text (a client-state value) has no malformed body
            if (route.body() != null && !(route.body() instanceof String) && !route.method().equals("GET")) {
                for (String body : BAD_BODIES) {
                    corpus.add(new Sent(label + " <- " + abbreviated(body), route.method(), route.path(), "application/json",
                            body.getBytes(StandardCharsets.UTF_8), false));
                }
                for (Object wrong : wrongTypes(route.body())) {
                    corpus.add(new Sent(label + " <- " + abbreviated(new String(TestClientJson.write(wrong), StandardCharsets.UTF_8)),
                            route.method(), route.path(), "application/json", TestClientJson.write(wrong), false));
                }
                corpus.add(new Sent(label + " <- its body as text/plain", route.method(), route.path(), "text/plain", validBody, false));
            }
            if (route.form()) {
                for (String form : List.of("--b\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\n", "no multipart at all",
                        "--b\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nx\r\n--b--\r\n")) {
                    corpus.add(new Sent(label + " <- broken form " + abbreviated(form), route.method(), route.path(),
                            "multipart/form-data; boundary=b", form.getBytes(StandardCharsets.UTF_8), false));
                }
                corpus.add(new Sent(label + " <- form without boundary", route.method(), route.path(), "multipart/form-data",
                        "x".getBytes(StandardCharsets.UTF_8), false));
            }
            // a bulk download is handed out once, whatever the query says: that is a download, not a bad request
            if (route.method().equals("GET") && !route.name().startsWith("/api/v1/images/download/")) {
                String bare = route.path();
                corpus.add(new Sent(label + " ? bad query", "GET", bare + (bare.contains("?") ? "&" : "?") + BAD_QUERY, null, new byte[0],
                        false));
                corpus.add(new Sent(label + " ? NUL query", "GET", bare + (bare.contains("?") ? "&" : "?") + "%00=%00&=&&=x", null,
                        new byte[0], false));
            }
            for (int i = first; i < corpus.size(); i++) {
                corpus.set(i, corpus.get(i).forRoute(route));
            }
        }
        return corpus;
    }

    /** The route's path with each id the table fills in replaced by each bad id in turn. */
    private static List<String> badIdPaths(Route route) {
        String[] names = route.name().replaceAll("\\?.*", "").split("/", -1);
        String query = route.path().contains("?") ? route.path().substring(route.path().indexOf('?')) : "";
        String[] parts = route.path().replaceAll("\\?.*", "").split("/", -1);
        List<String> paths = new ArrayList<>();
        if (names.length != parts.length) {
            return paths;
        }
        for (int i = 0; i < names.length; i++) {
            if (names[i].contains("{")) {
                for (String bad : BAD_IDS) {
                    String[] changed = parts.clone();
                    changed[i] = bad;
                    paths.add(String.join("/", changed) + query);
                }
            }
        }
        return paths;
    }

    /** The body with one field at a time given a value of another JSON type (or a nested list for a list). */
    @SuppressWarnings("unchecked")
    private static List<Object> wrongTypes(Object body) {
        List<Object> wrong = new ArrayList<>();
        if (!(body instanceof Map<?, ?> map)) {
            return wrong;
        }
        for (Object key : map.keySet()) {
            Object value = map.get(key);
            List<Object> others = value instanceof String ? List.of(12, List.of("x"), Map.of("a", 1))
                    : value instanceof Number ? List.of("twelve", 1e308, new java.math.BigInteger("9".repeat(40)), Map.of("a", 1), List.of(1))
                    : value instanceof Boolean ? List.of("yes", 2, List.of(true))
                    : value instanceof List<?> ? List.of("list", Map.of("a", 1), List.of(List.of(List.of())))
                    : value instanceof Map<?, ?> ? List.of("object", List.of(1), 7)
                    : List.of(Map.of("unexpected", List.of()));
            for (Object other : others) {
                Map<Object, Object> changed = new LinkedHashMap<>((Map<Object, Object>) map);
                changed.put(key, other);
                wrong.add(changed);
            }
        }
        return wrong;
    }

    private static String abbreviated(String text) {
        String line = text.replace("\u0000", "\\0").replace("\r\n", "\\r\\n");
        return line.length() > 60 ? line.substring(0, 60) + "…(" + line.length() + ")" : line;
    }

    /** JSON the way the test client writes it. */
    private static final class TestClientJson {
        private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER = new com.fasterxml.jackson.databind.ObjectMapper();

        static byte[] write(Object value) {
            try {
                return MAPPER.writeValueAsBytes(value);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Every table's row count and every file of the root (but the database's own), with its size. */
    private record Snapshot(Map<String, Long> rows, Map<String, Long> files) {

        /**
         * Taken once the work the route table started (queue items, bulk downloads, a model install)
         * has finished: the same twice in a row, a second apart.
         */
        static Snapshot settled() throws Exception {
            Snapshot last = take();
            for (int i = 0; i < 60; i++) {
                awaitQueueIdle();
                Thread.sleep(1000);
                Snapshot now = take();
                if (now.equals(last)) {
                    return now;
                }
                last = now;
            }
            return last;
        }

        private static void awaitQueueIdle() throws InterruptedException {
            for (int i = 0; i < 120; i++) {
                JsonNode status = world.client(Who.ADMIN).get("/api/v1/queue/default/status").json().path("queue");
                if (status.path("pending").asInt() + status.path("in_progress").asInt() == 0) {
                    return;
                }
                Thread.sleep(500);
            }
        }

        static Snapshot take() throws SQLException, IOException {
            Map<String, Long> rows = new TreeMap<>();
            // SQLite file or PostgreSQL, whichever the server runs on.
            try (Connection connection = TestServer.database(root);
                 Statement statement = connection.createStatement()) {
                List<String> tables = new ArrayList<>();
                try (ResultSet names = connection.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
                    while (names.next()) {
                        tables.add(names.getString("TABLE_NAME"));
                    }
                }
                // The outbox is a delivery log, not data: on PostgreSQL every event published goes through it (an
                // accepted PATCH of a workflow publishes workflow_updated even when nothing in it changed).
                tables.remove("queue_event_outbox");
                for (String table : tables) {
                    try (ResultSet count = statement.executeQuery("SELECT count(*) FROM \"" + table + "\"")) {
                        count.next();
                        rows.put(table, count.getLong(1));
                    }
                }
            }
            Map<String, Long> files = new TreeMap<>();
            try (Stream<Path> walk = Files.walk(root)) {
                for (Path file : walk.filter(Files::isRegularFile).toList()) {
                    String name = root.relativize(file).toString();
                    if (!name.startsWith("databases") && !name.endsWith(".lock")) {
                        files.put(name, Files.size(file));
                    }
                }
            }
            return new Snapshot(rows, files);
        }
    }
}
