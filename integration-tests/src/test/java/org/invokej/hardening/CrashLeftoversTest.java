package org.invokej.hardening;

import com.fasterxml.jackson.databind.JsonNode;
import org.invokej.core.store.StagedBy;
import org.invokej.inference.testmodels.TinyModels;
import org.invokej.testing.ModelInstalls;
import org.invokej.testing.Scripts;
import org.invokej.testing.StandardGraphs;
import org.invokej.testing.TestClient;
import org.invokej.testing.TestImages;
import org.invokej.testing.TestResponse;
import org.invokej.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A server killed while it writes images: what it acknowledged is there after a restart, and nothing it
 * left half-written remains — no row without its file, no file without its row, no staged file.
 */
class CrashLeftoversTest {

    private static final String UPLOAD = "image_category=general&is_intermediate=false";

    @TempDir
    Path root;
    @TempDir
    Path sources;

    /**
     * The two moments a kill can fall in, made exactly: after the row's commit but before the rename (the
     * files are still staged: they are moved into place) and before the commit (files staged for a row
     * that never was: removed). Files a running process is staging are left alone.
     */
    @Test
    void filesADeadProcessStagedAreFinishedWhenTheirRowWasCommittedAndRemovedOtherwise() throws Exception {
        String kept;
        byte[] png;
        try (TestServer server = TestServer.start(root)) {
            kept = TestImages.uploadPng(server.client(), null);
            png = server.client().get("/api/v1/images/i/" + kept + "/full").body();
        }
        Path images = root.resolve("outputs").resolve("images");
        Path thumbnails = images.resolve("thumbnails");
        long dead = deadProcessId();
        Files.move(images.resolve(kept), staged(images, kept, dead));
        Files.move(thumbnails.resolve(kept), staged(thumbnails, kept, dead));
        String never = UUID.randomUUID() + ".png";
        Files.write(staged(images, never, dead), png);
        Files.write(staged(thumbnails, never, dead), png);
        Path stagedByALiveProcess = staged(images, UUID.randomUUID() + ".png", ProcessHandle.current().pid());
        Files.write(stagedByALiveProcess, png);
        // On a folder several hosts share: another host's processes cannot be seen from here, so its staged
        // files are left alone unless they are old (its write is long over).
        String elsewhere = "0badc0de".equals(StagedBy.thisProcess().host()) ? "0badc0df" : "0badc0de";
        Path stagedOnAnotherHost = images.resolve("." + UUID.randomUUID() + ".png." + dead + "-h" + elsewhere + "." + UUID.randomUUID() + ".tmp");
        Files.write(stagedOnAnotherHost, png);
        Path abandonedOnAnotherHost = images.resolve("." + UUID.randomUUID() + ".png." + dead + "-h" + elsewhere + "." + UUID.randomUUID() + ".tmp");
        Files.write(abandonedOnAnotherHost, png);
        Files.setLastModifiedTime(abandonedOnAnotherHost, FileTime.from(Instant.now().minus(StagedBy.FOREIGN_AGE).minusSeconds(60)));

        List<String> log = new CopyOnWriteArrayList<>();
        Handler handler = collecting(log);
        Logger launcher = Logger.getLogger("org.invokej.launcher");
        launcher.addHandler(handler);
        try (TestServer server = TestServer.start(root)) {
            TestResponse full = server.client().get("/api/v1/images/i/" + kept + "/full");
            assertEquals(200, full.status(), full.toString());
            assertArrayEquals(png, full.body());
            assertEquals(200, server.client().get("/api/v1/images/i/" + kept + "/thumbnail").status());
            assertEquals(404, server.client().get("/api/v1/images/i/" + never).status());
        } finally {
            launcher.removeHandler(handler);
        }
        assertEquals(Set.of(stagedByALiveProcess, stagedOnAnotherHost), Set.copyOf(stagedFiles(images)),
                "only the live process's staged file and another host's recent one are left");
        assertFalse(Files.exists(images.resolve(never)));
        assertTrue(log.stream().anyMatch(line -> line.contains("2 removed") && line.contains("1 moved into place")), log.toString());
    }

    /**
     * Rounds of kill -9 while uploads and generations run, each followed by a restart: every upload the
     * server acknowledged and every item it reported completed is still there, and the image rows and
     * files match one to one.
     */
    @Test
    void killedDuringUploadsAndGenerationItLosesNoAcknowledgedImageAndLeavesNoOrphans() throws Exception {
        Files.writeString(root.resolve("invokeai.yaml"), "bcrypt_cost: 4\n");
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        Set<Long> completed = new HashSet<>();
        String modelKey = null;
        int rounds = 4;
        for (int round = 1; round <= rounds; round++) {
            Process server = Scripts.start("invokeai-web", List.of("--root", root.toString(), "--port", "0"), Map.of());
            Scripts.drain(server.getErrorStream());
            try {
                TestClient client = new TestClient(StartupFailuresTest.awaitRunning(server));
                assertStillThere(client, acknowledged, completed);
                if (modelKey == null) {
                    modelKey = ModelInstalls.installKey(client, TinyModels.sd15().writeTo(sources.resolve("tiny")));
                }
                Map<String, Object> graph = StandardGraphs.headlessTextToImage(modelKey, "round " + round, round, 64, 2, "euler");
                TestResponse queued = client.post("/api/v1/queue/default/enqueue_batch",
                        Map.of("batch", Map.of("graph", graph, "runs", 20)));
                assertEquals(200, queued.status(), queued.toString());

                AtomicBoolean stop = new AtomicBoolean();
                List<CompletableFuture<Void>> uploaders = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    uploaders.add(CompletableFuture.runAsync(() -> upload(client, acknowledged, stop)));
                }
                int wanted = acknowledged.size() + 15;
                Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
                Set<Long> done = Set.of();
                while ((acknowledged.size() < wanted || done.size() < completed.size() + 2) && Instant.now().isBefore(deadline)) {
                    done = completedItems(client);
                    Thread.sleep(100);
                }
                completed.addAll(completedItems(client));
                // killed while the uploaders and the generation are writing
                server.destroyForcibly();
                assertTrue(server.waitFor(30, TimeUnit.SECONDS));
                stop.set(true);
                CompletableFuture.allOf(uploaders.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            } finally {
                server.destroyForcibly();
                server.waitFor(30, TimeUnit.SECONDS);
            }
        }
        assertTrue(acknowledged.size() >= rounds * 15, "uploads were acknowledged: " + acknowledged.size());
        assertTrue(completed.size() >= rounds * 2, "generations completed: " + completed.size());

        // A last start settles what the last kill left; stopped, the files and rows are compared whole.
        Process server = Scripts.start("invokeai-web", List.of("--root", root.toString(), "--port", "0"), Map.of());
        Scripts.drain(server.getErrorStream());
        try {
            assertStillThere(new TestClient(StartupFailuresTest.awaitRunning(server)), acknowledged, completed);
        } finally {
            server.toHandle().destroy();
            assertTrue(server.waitFor(60, TimeUnit.SECONDS));
        }
        Path images = root.resolve("outputs").resolve("images");
        Set<String> rows = imageRows(root.resolve("databases").resolve("invokeai.db"));
        assertTrue(rows.containsAll(acknowledged), "no acknowledged upload lost");
        assertEquals(rows, pngs(images), "every row has its file and every file its row");
        assertEquals(rows, pngs(images.resolve("thumbnails")), "and every image its thumbnail");
        assertEquals(List.of(), stagedFiles(images), "no staged file is left");
    }

    private static void upload(TestClient client, Set<String> acknowledged, AtomicBoolean stop) {
        byte[] png = TestImages.png(64, 64);
        while (!stop.get()) {
            try {
                TestResponse response = TestImages.upload(client, png, "image/png", UPLOAD, Map.of());
                if (response.status() == 201) {
                    acknowledged.add(response.json().path("image_name").asText());
                }
            } catch (RuntimeException refusedOrTimedOut) {
                // after the kill: connection refused; before it, a slow machine may time a request out
                if (stop.get()) {
                    return;
                }
            }
        }
    }

    private static Set<Long> completedItems(TestClient client) {
        TestResponse items = client.get("/api/v1/queue/default/list_all");
        if (items.status() != 200) {
            return Set.of();
        }
        Set<Long> ids = new HashSet<>();
        for (JsonNode item : items.json()) {
            if (item.path("status").asText().equals("completed")) {
                ids.add(item.path("item_id").asLong());
            }
        }
        return ids;
    }

    private static void assertStillThere(TestClient client, Set<String> acknowledged, Set<Long> completed) {
        for (String name : acknowledged) {
            assertEquals(200, client.get("/api/v1/images/i/" + name + "/full").status(), "acknowledged upload " + name);
        }
        for (long id : completed) {
            JsonNode item = client.get("/api/v1/queue/default/i/" + id).json();
            assertEquals("completed", item.path("status").asText(), item.toString());
        }
    }

    private static Path staged(Path folder, String name, long pid) {
        return folder.resolve("." + name + "." + pid + "." + UUID.randomUUID() + ".tmp");
    }

    private static long deadProcessId() throws IOException, InterruptedException {
        Process process = new ProcessBuilder("true").start();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        return process.pid();
    }

    private static List<Path> stagedFiles(Path images) throws IOException {
        List<Path> staged = new ArrayList<>();
        for (Path folder : List.of(images, images.resolve("thumbnails"))) {
            try (Stream<Path> files = Files.list(folder)) {
                files.filter(file -> file.getFileName().toString().endsWith(".tmp")).forEach(staged::add);
            }
        }
        return staged;
    }

    private static Set<String> pngs(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(".png") && !name.startsWith("."))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static Set<String> imageRows(Path database) throws SQLException {
        Set<String> names = new TreeSet<>();
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + database);
             ResultSet rows = db.createStatement().executeQuery("SELECT image_name FROM images")) {
            while (rows.next()) {
                names.add(rows.getString(1));
            }
        }
        return names;
    }

    private static Handler collecting(List<String> log) {
        return new Handler() {
            @Override
            public void publish(LogRecord record) {
                log.add(String.valueOf(record.getMessage()));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
    }
}
