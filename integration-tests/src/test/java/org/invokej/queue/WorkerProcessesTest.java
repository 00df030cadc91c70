package org.invokej.queue;

import com.fasterxml.jackson.databind.JsonNode;
import org.invokej.testing.Scripts;
import org.invokej.testing.TestAccounts;
import org.invokej.testing.TestSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A web server that runs no worker itself and two {@code invokej worker} processes on one SQLite root:
 * three users' items each run once, in round-robin turns, with their events on the right sockets; a
 * running item is canceled in its worker process; a worker killed with SIGKILL mid-item loses the item
 * when its lease runs out, and the other worker carries on.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkerProcessesTest {

    private static final Pattern STARTED = Pattern.compile("InvokeJ worker (\\S+) runs on");
    private static final int ITEMS_PER_USER = 4;
    private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER = new com.fasterxml.jackson.databind.ObjectMapper();

    @TempDir
    static Path root;
    @TempDir
    static Path sources;

    private static QueueWorld world;
    private static final Map<String, Process> WORKERS = new LinkedHashMap<>();
    private static final Map<String, TestSocket> SOCKETS = new LinkedHashMap<>();
    /** What each worker wrote on stderr, printed at the end (surefire keeps it) for whoever reads a failure. */
    private static final List<java.util.concurrent.CompletableFuture<String>> LOGS = new ArrayList<>();

    @BeforeAll
    static void start() throws IOException {
        // The workers read invokeai.yaml: the mode and the lease must be the same for every process.
        Files.writeString(root.resolve("invokeai.yaml"),
                "multiuser: true\nbcrypt_cost: 4\nworkers_in_process: 0\nworker_lease_seconds: 15\n");
        world = new QueueWorld(root, sources, Map.of());
        for (TestAccounts.Account account : List.of(world.admin, world.alice, world.bob)) {
            SOCKETS.put(account.userId(), TestSocket.open(world.server.server().uri()).connectWithToken(account.token())
                    .subscribe("default"));
        }
        for (int i = 0; i < 2; i++) {
            startWorker();
        }
    }

    private static void startWorker() throws IOException {
        Process process = Scripts.start("invokej", List.of("worker", "--root", root.toString(), "--device", "cpu"), Map.of());
        java.util.concurrent.CompletableFuture<String> err = Scripts.drain(process.getErrorStream());
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
        SOCKETS.values().forEach(TestSocket::close);
        for (Process process : WORKERS.values()) {
            process.destroy();
        }
        for (Process process : WORKERS.values()) {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        if (world != null) {
            world.close();
        }
        LOGS.forEach(log -> System.out.println("--- a worker's stderr:\n" + log.getNow("(still running)")));
    }

    /** The workers in {@code /observe/health}, by id. */
    private static Map<String, JsonNode> health() {
        JsonNode body = world.admin.client().get("/observe/health").json();
        for (JsonNode check : body.path("checks")) {
            if (check.path("name").asText().equals("workers")) {
                Map<String, JsonNode> workers = new HashMap<>();
                check.path("data").fields().forEachRemaining(entry -> workers.put(entry.getKey(), entry.getValue()));
                return workers;
            }
        }
        throw new IllegalStateException("no workers check in " + body);
    }

    private static <T> T await(String what, java.util.function.Supplier<Optional<T>> probe) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        while (Instant.now().isBefore(deadline)) {
            Optional<T> value = probe.get();
            if (value.isPresent()) {
                return value.get();
            }
            QueueWorld.sleep(50);
        }
        throw new IllegalStateException(what + " did not happen in time; health: " + health());
    }

    private static List<Long> enqueue(TestAccounts.Account account, int count, int steps) {
        List<Long> seeds = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            seeds.add((long) i);
        }
        JsonNode answer = world.enqueue(account.client(), world.webUiBatch(seeds, steps)).json();
        List<Long> ids = new ArrayList<>();
        answer.path("item_ids").forEach(id -> ids.add(id.asLong()));
        assertEquals(count, ids.size(), answer.toString());
        return ids;
    }

    /** An item of 1000 steps (the most a denoise may have): long enough to be caught running. */
    private static long enqueueLong(TestAccounts.Account account) {
        return enqueue(account, 1, 500).getFirst(); // max_steps
    }

    /** Events a socket received until now (waiting a little for late ones), as {@code [name, payload]} pairs. */
    private static List<JsonNode> received(TestSocket socket, Predicate<List<JsonNode>> enough) {
        List<JsonNode> events = new ArrayList<>();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!enough.test(events) && Instant.now().isBefore(deadline)) {
            socket.poll(Duration.ofMillis(200)).filter(message -> message.startsWith("42["))
                    .ifPresent(message -> events.add(parse(message.substring(2))));
        }
        return events;
    }

    private static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<JsonNode> named(List<JsonNode> events, String name) {
        return events.stream().filter(event -> event.get(0).asText().equals(name)).map(event -> event.get(1)).toList();
    }

    private static void drainSockets() {
        SOCKETS.values().forEach(socket -> {
            while (socket.poll(Duration.ofMillis(50)).isPresent()) {
                // what came before this scenario
            }
        });
    }

    @Test
    @Order(1)
    void threeUsersItemsRunOnceEachInTurnsAcrossBothWorkersWithTheirEventsOnTheRightSockets() {
        assertEquals(2, await("both workers registered", () -> Optional.of(health()).filter(h -> h.size() == 2)).size());
        // Held while everyone enqueues, so that the turns are decided by the queue, not by who was quicker.
        assertEquals(200, world.admin.client().put("/api/v1/queue/default/processor/pause", Map.of()).status());
        Map<String, List<Long>> byUser = new LinkedHashMap<>();
        for (TestAccounts.Account account : List.of(world.alice, world.bob, world.admin)) {
            byUser.put(account.userId(), enqueue(account, ITEMS_PER_USER, 2));
        }
        assertEquals(200, world.admin.client().put("/api/v1/queue/default/processor/resume", Map.of()).status());
        List<Long> all = byUser.values().stream().flatMap(List::stream).toList();
        List<JsonNode> finished = all.stream().map(world::awaitFinished).toList();

        for (JsonNode item : finished) {
            assertEquals("completed", item.path("status").asText(), item.toString());
            // pending → in_progress → completed, once: an item run twice would have moved more often.
            assertEquals(2, item.path("status_sequence").asInt(), item.toString());
        }
        // Round-robin: every user's k-th item starts no later than anyone's (k+1)-th.
        Map<String, List<Instant>> starts = new HashMap<>();
        for (JsonNode item : finished) {
            starts.computeIfAbsent(item.path("user_id").asText(), k -> new ArrayList<>()).add(startedAt(item));
        }
        starts.values().forEach(list -> list.sort(Comparator.naturalOrder()));
        for (int round = 0; round + 1 < ITEMS_PER_USER; round++) {
            int k = round;
            Instant lastOfRound = starts.values().stream().map(list -> list.get(k)).max(Comparator.naturalOrder()).orElseThrow();
            Instant firstOfNext = starts.values().stream().map(list -> list.get(k + 1)).min(Comparator.naturalOrder()).orElseThrow();
            assertTrue(!lastOfRound.isAfter(firstOfNext), "round " + k + " ended at " + lastOfRound + " after round " + (k + 1)
                    + " began at " + firstOfNext + ": " + starts);
        }
        Map<String, JsonNode> workers = health();
        long completed = workers.values().stream().mapToLong(worker -> worker.path("items_completed").asLong()).sum();
        assertEquals(all.size(), completed, workers.toString());
        workers.values().forEach(worker -> assertTrue(worker.path("items_completed").asLong() > 0, "a worker did nothing: " + workers));

        // Progress and results went to their owner (and administrators), the others saw redacted status changes.
        for (Map.Entry<String, List<Long>> entry : byUser.entrySet()) {
            String userId = entry.getKey();
            Set<Long> own = new HashSet<>(entry.getValue());
            boolean admin = userId.equals(world.admin.userId());
            List<JsonNode> events = received(SOCKETS.get(userId), got -> named(got, "queue_item_status_changed").stream()
                    .filter(payload -> payload.path("status").asText().equals("completed")).count() >= all.size());
            Set<Long> completedSeen = new HashSet<>();
            named(events, "invocation_complete").forEach(payload -> completedSeen.add(payload.path("item_id").asLong()));
            Set<Long> expected = admin ? new HashSet<>(all) : own;
            assertEquals(expected, completedSeen.stream().filter(new HashSet<>(all)::contains).collect(java.util.stream.Collectors.toSet()),
                    "invocation_complete on " + userId + "'s socket");
            named(events, "invocation_progress").forEach(payload -> assertTrue(own.contains(payload.path("item_id").asLong()),
                    "someone else's progress on " + userId + "'s socket: " + payload));
            for (JsonNode payload : named(events, "queue_item_status_changed")) {
                long itemId = payload.path("item_id").asLong();
                if (!all.contains(itemId)) {
                    continue;
                }
                boolean fullCopy = admin || own.contains(itemId);
                assertEquals(fullCopy, !payload.path("user_id").asText().equals("redacted"), payload.toString());
            }
            assertEquals(all.size(), named(events, "queue_item_status_changed").stream()
                    .filter(payload -> payload.path("status").asText().equals("completed"))
                    .map(payload -> payload.path("item_id").asLong()).filter(all::contains).distinct().count(), userId);
        }
    }

    private static Instant startedAt(JsonNode item) {
        String text = item.path("started_at").asText();
        return Instant.parse(text.endsWith("Z") || text.contains("+") ? text.replace(' ', 'T') : text.replace(' ', 'T') + "Z");
    }

    @Test
    @Order(2)
    void cancelReachesTheWorkerProcessRunningTheItem() {
        drainSockets();
        long running = enqueueLong(world.alice);
        world.awaitItem(running, item -> item.path("status").asText().equals("in_progress"));
        String holder = await("a worker running " + running, () -> health().entrySet().stream()
                .filter(entry -> entry.getValue().path("current_item_id").asText().equals(Long.toString(running)))
                .map(Map.Entry::getKey).findFirst());
        long canceledBefore = health().get(holder).path("items_canceled").asLong();

        assertEquals(200, world.alice.client().put("/api/v1/queue/default/i/" + running + "/cancel", Map.of()).status());
        JsonNode canceled = world.awaitFinished(running);
        assertEquals("canceled", canceled.path("status").asText(), canceled.path("error_message").asText());
        // The worker stops the item (1000 steps) and counts it: it is free again.
        await("the worker giving up the canceled item", () -> Optional.of(health().get(holder))
                .filter(worker -> worker.path("items_canceled").asLong() == canceledBefore + 1
                        && worker.path("current_item_id").asText().isEmpty()));
        List<JsonNode> events = received(SOCKETS.get(world.alice.userId()), got -> named(got, "queue_item_status_changed").stream()
                .anyMatch(payload -> payload.path("item_id").asLong() == running && payload.path("status").asText().equals("canceled")));
        assertTrue(named(events, "queue_item_status_changed").stream()
                .anyMatch(payload -> payload.path("item_id").asLong() == running && payload.path("status").asText().equals("canceled")));
    }

    @Test
    @Order(3)
    void aWorkerKilledMidItemLosesItWhenItsLeaseRunsOutAndTheOtherCarriesOn() throws InterruptedException {
        long doomed = enqueueLong(world.bob);
        world.awaitItem(doomed, item -> item.path("status").asText().equals("in_progress"));
        String holder = await("a worker running " + doomed, () -> health().entrySet().stream()
                .filter(entry -> entry.getValue().path("current_item_id").asText().equals(Long.toString(doomed)))
                .map(Map.Entry::getKey).findFirst());
        Process killed = WORKERS.remove(holder);
        killed.destroyForcibly();
        assertTrue(killed.waitFor(30, TimeUnit.SECONDS));

        JsonNode lost = world.awaitFinished(doomed);
        assertEquals("failed", lost.path("status").asText(), lost.toString());
        assertEquals("WorkerLost", lost.path("error_type").asText(), lost.toString());
        assertTrue(lost.path("error_message").asText().contains(holder), lost.toString());

        long after = enqueue(world.bob, 1, 2).getFirst();
        assertEquals("completed", world.awaitFinished(after).path("status").asText());
        String survivor = WORKERS.keySet().iterator().next();
        assertNotEquals(holder, survivor);
        assertTrue(health().get(survivor).path("items_completed").asLong() > 0);
    }
}
