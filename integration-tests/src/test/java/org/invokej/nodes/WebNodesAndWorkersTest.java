package org.invokej.nodes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.invokej.inference.testmodels.TinyModels;
import org.invokej.testing.ModelInstalls;
import org.invokej.testing.Scripts;
import org.invokej.testing.StandardGraphs;
import org.invokej.testing.TestAccounts;
import org.invokej.testing.TestClient;
import org.invokej.testing.TestPostgres;
import org.invokej.testing.TestServer;
import org.invokej.testing.TestSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Several machines' worth of InvokeJ on one PostgreSQL database, as issue 17 lays it out: two web nodes
 * (each its own root, both on the same {@code database_url} and the same shared folder for images and
 * models, no worker of their own) and three {@code invokej worker} processes on the tiny model. Three
 * users enqueue 30 items through both nodes; one worker is killed with SIGKILL in the middle of an
 * item. Every other item runs exactly once (its status moved twice, one image each, served by both
 * nodes), the killed worker's item is failed as {@code WorkerLost} once its lease runs out, turns stay
 * fair across users and every surviving worker does its share, and the workers' events reach each
 * user's sockets on both nodes, redacted for others' items. Always on PostgreSQL: several hosts is
 * what PostgreSQL is for.
 */
class WebNodesAndWorkersTest {

    private static final Pattern STARTED = Pattern.compile("InvokeJ worker (\\S+) runs on");
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int ITEMS_PER_USER = 10;
    /** Short enough for the test, long enough that two cores shared by six processes renew in time (every 3.3 s). */
    private static final int LEASE_SECONDS = 10;

    @TempDir
    static Path folder;

    private static String databaseUrl;
    private static Path shared;
    private static final List<TestServer> NODES = new ArrayList<>();
    private static final Map<String, Process> WORKERS = new LinkedHashMap<>();
    private static final List<CompletableFuture<String>> LOGS = new ArrayList<>();
    /** Each user's sockets: one on each web node. */
    private static final Map<String, List<TestSocket>> SOCKETS = new LinkedHashMap<>();
    private static TestAccounts.Account admin;
    private static List<TestAccounts.Account> users;
    private static String modelKey;

    @BeforeAll
    static void start() throws IOException {
        TestPostgres postgres = TestPostgres.server();
        databaseUrl = postgres.newDatabase();
        shared = folder.resolve("shared");
        String settings = "multiuser: true\nbcrypt_cost: 4\nworkers_in_process: 0\nworker_lease_seconds: " + LEASE_SECONDS + "\n"
                + "inference_threads: 1\nmax_steps: 1000\n"
                + "outputs_dir: " + shared.resolve("outputs") + "\nmodels_dir: " + shared.resolve("models") + "\n"
                + "database_url: " + databaseUrl + "\ndatabase_user: " + postgres.user() + "\ndatabase_password: " + postgres.password() + "\n";
        for (String name : List.of("node1", "node2")) {
            Path root = Files.createDirectories(folder.resolve(name));
            Files.writeString(root.resolve("invokeai.yaml"), settings);
            // database_url named here too, so that a run with -Dinvokej.testDatabase=postgresql does not give the node a database of its own
            NODES.add(TestServer.start(root, Map.of("database_url", databaseUrl)));
        }
        TestAccounts accounts = new TestAccounts(NODES.getFirst());
        admin = accounts.setupAdmin("admin@test.com");
        users = List.of(accounts.create(admin, "alice@test.com", "Alice", false), accounts.create(admin, "bob@test.com", "Bob", false),
                accounts.create(admin, "carol@test.com", "Carol", false));
        modelKey = ModelInstalls.installKey(admin.client(), TinyModels.sd15().writeTo(shared.resolve("sources").resolve("tiny")));
        for (TestAccounts.Account user : users) {
            List<TestSocket> sockets = new ArrayList<>();
            for (TestServer node : NODES) {
                sockets.add(TestSocket.open(node.server().uri()).connectWithToken(user.token()).subscribe("default"));
            }
            SOCKETS.put(user.userId(), sockets);
        }
        // Two workers on the first node's root, one on the second's: a worker needs only the settings.
        for (Path root : List.of(NODES.get(0).root(), NODES.get(0).root(), NODES.get(1).root())) {
            startWorker(root);
        }
    }

    private static void startWorker(Path root) throws IOException {
        Process process = Scripts.start("invokej", List.of("worker", "--root", root.toString(), "--device", "cpu"), Map.of());
        CompletableFuture<String> err = Scripts.drain(process.getErrorStream());
        LOGS.add(err);
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            Matcher matcher = STARTED.matcher(line);
            if (matcher.find()) {
                WORKERS.put(matcher.group(1), process);
                Scripts.drain(process.getInputStream());
                return;
            }
        }
        throw new IllegalStateException("the worker did not start: " + err.join());
    }

    @AfterAll
    static void stop() throws InterruptedException {
        SOCKETS.values().forEach(sockets -> sockets.forEach(TestSocket::close));
        WORKERS.values().forEach(Process::destroy);
        for (Process process : WORKERS.values()) {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        NODES.forEach(TestServer::close);
        LOGS.forEach(log -> System.out.println("--- a worker's stderr:\n" + log.getNow("(still running)")));
    }

    private static TestClient on(TestServer node, TestAccounts.Account account) {
        return node.client().withToken(account.token());
    }

    private static List<Long> enqueue(TestServer node, TestAccounts.Account account, int count, int steps) {
        List<Long> seeds = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            seeds.add(i);
        }
        Map<String, Object> batch = new LinkedHashMap<>();
        batch.put("graph", StandardGraphs.webUiTextToImage(modelKey, 64, 64, steps, "euler"));
        batch.put("data", StandardGraphs.webUiBatchData(seeds, "a lighthouse at dusk", "blurry"));
        batch.put("runs", 1);
        batch.put("origin", "generate");
        batch.put("destination", "generate");
        JsonNode answer = on(node, account).post("/api/v1/queue/default/enqueue_batch", Map.of("batch", batch, "prepend", false)).json();
        List<Long> ids = new ArrayList<>();
        answer.path("item_ids").forEach(id -> ids.add(id.asLong()));
        assertEquals(count, ids.size(), answer.toString());
        return ids;
    }

    private static JsonNode item(TestServer node, long itemId) {
        return on(node, admin).get("/api/v1/queue/default/i/" + itemId).json();
    }

    private static JsonNode await(String what, java.util.function.Supplier<JsonNode> probe, Predicate<JsonNode> done) {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
        JsonNode last = null;
        while (Instant.now().isBefore(deadline)) {
            last = probe.get();
            if (done.test(last)) {
                return last;
            }
            sleep(100);
        }
        throw new IllegalStateException(what + " did not happen in time: " + last);
    }

    private static boolean finished(JsonNode item) {
        return List.of("completed", "failed", "canceled").contains(item.path("status").asText());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The workers as the second node's {@code /observe/health} shows them, by id. */
    private static JsonNode workersHealth() {
        JsonNode body = on(NODES.get(1), admin).get("/observe/health").json();
        for (JsonNode check : body.path("checks")) {
            if (check.path("name").asText().equals("workers")) {
                return check.path("data");
            }
        }
        throw new IllegalStateException("no workers check in " + body);
    }

    private static Connection database() throws SQLException {
        TestPostgres postgres = TestPostgres.server();
        return DriverManager.getConnection("jdbc:" + databaseUrl, postgres.user(), postgres.password());
    }

    private static List<Map<String, Object>> rows(String sql) throws SQLException {
        try (Connection connection = database(); Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            List<Map<String, Object>> result = new ArrayList<>();
            while (rows.next()) {
                Map<String, Object> row = new HashMap<>();
                for (int i = 1; i <= rows.getMetaData().getColumnCount(); i++) {
                    row.put(rows.getMetaData().getColumnLabel(i), rows.getObject(i));
                }
                result.add(row);
            }
            return result;
        }
    }

    @Test
    void thirtyItemsOfThreeUsersRunOnceAcrossThreeWorkersAndTwoWebNodesThroughAKilledWorker() throws Exception {
        await("three workers registered", WebNodesAndWorkersTest::workersHealth, health -> health.size() == 3);
        TestServer node1 = NODES.get(0);
        TestServer node2 = NODES.get(1);
        // Held while everyone enqueues, so that the turns are the queue's, not whoever was quicker.
        assertEquals(200, on(node1, admin).put("/api/v1/queue/default/processor/pause", Map.of()).status());
        Map<String, List<Long>> byUser = new LinkedHashMap<>();
        TestAccounts.Account alice = users.get(0);
        // Alice's first item is long (1000 steps, the most a denoise may have): the one whose worker is killed.
        List<Long> aliceItems = new ArrayList<>(enqueue(node1, alice, 1, 1000));
        long doomed = aliceItems.getFirst();
        aliceItems.addAll(enqueue(node1, alice, ITEMS_PER_USER - 1, 3));
        byUser.put(alice.userId(), aliceItems);
        byUser.put(users.get(1).userId(), enqueue(node2, users.get(1), ITEMS_PER_USER, 3));
        byUser.put(users.get(2).userId(), enqueue(node1, users.get(2), ITEMS_PER_USER, 3));
        List<Long> all = byUser.values().stream().flatMap(List::stream).toList();
        assertEquals(30, all.size());
        // Resumed on the other node: the pause switch is the database's.
        assertEquals(200, on(node2, admin).put("/api/v1/queue/default/processor/resume", Map.of()).status());

        await("the long item running", () -> item(node2, doomed), item -> item.path("status").asText().equals("in_progress"));
        JsonNode holderRow = await("a worker holding the long item", WebNodesAndWorkersTest::workersHealth, health -> {
            for (JsonNode worker : health) {
                if (worker.path("current_item_id").asText().equals(Long.toString(doomed))) {
                    return true;
                }
            }
            return false;
        });
        String holder = null;
        for (var entry : (Iterable<Map.Entry<String, JsonNode>>) holderRow::fields) {
            if (entry.getValue().path("current_item_id").asText().equals(Long.toString(doomed))) {
                holder = entry.getKey();
            }
        }
        Process killed = WORKERS.remove(holder);
        killed.destroyForcibly(); // SIGKILL: no drain, no release, the lease simply stops being renewed
        assertTrue(killed.waitFor(30, TimeUnit.SECONDS));

        Map<Long, JsonNode> finished = new HashMap<>();
        for (long itemId : all) {
            // Read through both nodes in turn: they answer from the same rows.
            finished.put(itemId, await("item " + itemId + " finished", () -> item(itemId % 2 == 0 ? node1 : node2, itemId),
                    WebNodesAndWorkersTest::finished));
        }

        // The killed worker's item: failed once its lease ran out, naming the worker.
        JsonNode lost = finished.get(doomed);
        assertEquals("failed", lost.path("status").asText(), lost.toString());
        assertEquals("WorkerLost", lost.path("error_type").asText(), lost.toString());
        assertTrue(lost.path("error_message").asText().contains(holder), lost.toString());

        // Every other item ran exactly once: pending → in_progress → completed, and one image each.
        List<Long> completed = all.stream().filter(id -> id != doomed).toList();
        for (long itemId : completed) {
            JsonNode item = finished.get(itemId);
            assertEquals("completed", item.path("status").asText(), item.toString());
            assertEquals(2, item.path("status_sequence").asInt(), "moved more often than one run does: " + item);
        }
        Map<Long, List<Map<String, Object>>> imagesByItem = new HashMap<>();
        for (Map<String, Object> row : rows("SELECT q.item_id, i.image_name, i.image_subfolder, i.user_id, q.user_id AS owner "
                + "FROM images i JOIN session_queue q ON q.session_id = i.session_id WHERE i.is_intermediate = FALSE")) {
            imagesByItem.computeIfAbsent(((Number) row.get("item_id")).longValue(), k -> new ArrayList<>()).add(row);
        }
        assertEquals(new HashSet<>(completed), imagesByItem.keySet(), "items with an image");
        Map<String, TestAccounts.Account> byId = new HashMap<>();
        users.forEach(user -> byId.put(user.userId(), user));
        for (long itemId : completed) {
            List<Map<String, Object>> images = imagesByItem.get(itemId);
            assertEquals(1, images.size(), "images of item " + itemId + ": " + images);
            Map<String, Object> image = images.getFirst();
            assertEquals(image.get("owner"), image.get("user_id"), image.toString());
            String name = (String) image.get("image_name");
            assertTrue(Files.isRegularFile(shared.resolve("outputs").resolve("images").resolve((String) image.get("image_subfolder")).resolve(name)),
                    name + " is not in the shared folder");
            for (TestServer node : NODES) {
                assertEquals(200, on(node, byId.get((String) image.get("owner"))).get("/api/v1/images/i/" + name + "/full").status(),
                        name + " from " + node.server().uri());
            }
        }
        assertEquals(0, rows("SELECT * FROM queue_claims").size(), "claims left behind");

        // Fair across workers: the surviving ones did every completed item between them, each a share.
        Map<String, Long> done = new HashMap<>();
        for (Map<String, Object> row : rows("SELECT worker_id, items_completed FROM queue_workers")) {
            done.put((String) row.get("worker_id"), ((Number) row.get("items_completed")).longValue());
        }
        assertEquals(completed.size(), done.values().stream().mapToLong(Long::longValue).sum(), done.toString());
        for (String survivor : WORKERS.keySet()) {
            assertTrue(done.get(survivor) >= 3, "a worker did too little: " + done);
        }

        // Fair across users: in the order items started, no user gets more than two items ahead of
        // another who still has items waiting (one claim may overtake another that is committing).
        List<JsonNode> started = new ArrayList<>(finished.values());
        started.sort(Comparator.comparing(WebNodesAndWorkersTest::startedAt));
        Map<String, Integer> served = new HashMap<>();
        byUser.keySet().forEach(user -> served.put(user, 0));
        for (JsonNode item : started) {
            served.merge(item.path("user_id").asText(), 1, Integer::sum);
            int most = served.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
            int leastWaiting = served.entrySet().stream().filter(entry -> entry.getValue() < ITEMS_PER_USER)
                    .mapToInt(Map.Entry::getValue).min().orElse(most);
            assertTrue(most - leastWaiting <= 2, "turns were unfair at item " + item.path("item_id") + ": " + served);
        }

        // The workers' events reached each user's sockets on both nodes: their own in full, others' redacted.
        for (Map.Entry<String, List<Long>> entry : byUser.entrySet()) {
            String userId = entry.getKey();
            Set<Long> own = new HashSet<>(entry.getValue());
            Set<Long> ownCompleted = new HashSet<>(own);
            ownCompleted.remove(doomed);
            for (TestSocket socket : SOCKETS.get(userId)) {
                List<JsonNode> events = received(socket, got -> completedIds(got).containsAll(ownCompleted));
                String where = userId + "'s socket on node " + (SOCKETS.get(userId).indexOf(socket) + 1);
                assertTrue(completedIds(events).containsAll(ownCompleted), "completions on " + where + ": " + completedIds(events));
                Set<Long> results = new HashSet<>();
                named(events, "invocation_complete").forEach(payload -> results.add(payload.path("item_id").asLong()));
                assertTrue(results.containsAll(ownCompleted), "invocation_complete on " + where + ": " + results);
                assertTrue(own.containsAll(results), "someone else's results on " + where + ": " + results);
                for (JsonNode payload : named(events, "queue_item_status_changed")) {
                    boolean mine = own.contains(payload.path("item_id").asLong());
                    assertEquals(mine, payload.path("user_id").asText().equals(userId), where + ": " + payload);
                    if (!mine) {
                        assertEquals("redacted", payload.path("user_id").asText(), where + ": " + payload);
                    }
                }
                named(events, "invocation_progress").forEach(payload -> assertTrue(own.contains(payload.path("item_id").asLong()),
                        "someone else's progress on " + where + ": " + payload));
            }
        }
    }

    private static Instant startedAt(JsonNode item) {
        String text = item.path("started_at").asText();
        return Instant.parse(text.endsWith("Z") || text.contains("+") ? text.replace(' ', 'T') : text.replace(' ', 'T') + "Z");
    }

    private static Set<Long> completedIds(List<JsonNode> events) {
        Set<Long> ids = new HashSet<>();
        named(events, "queue_item_status_changed").stream().filter(payload -> payload.path("status").asText().equals("completed"))
                .forEach(payload -> ids.add(payload.path("item_id").asLong()));
        return ids;
    }

    /** What a socket received, until {@code enough} holds or a minute passes, as {@code [name, payload]} pairs. */
    private static List<JsonNode> received(TestSocket socket, Predicate<List<JsonNode>> enough) {
        List<JsonNode> events = new ArrayList<>();
        Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
        while (!enough.test(events) && Instant.now().isBefore(deadline)) {
            socket.poll(Duration.ofMillis(200)).filter(message -> message.startsWith("42["))
                    .ifPresent(message -> events.add(parse(message.substring(2))));
        }
        // What is already there too: a late event of someone else's must be redacted as well.
        for (var next = socket.poll(Duration.ofMillis(200)); next.isPresent(); next = socket.poll(Duration.ofMillis(200))) {
            next.filter(message -> message.startsWith("42[")).ifPresent(message -> events.add(parse(message.substring(2))));
        }
        return events;
    }

    private static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<JsonNode> named(List<JsonNode> events, String name) {
        return events.stream().filter(event -> event.get(0).asText().equals(name)).map(event -> event.get(1)).toList();
    }
}
