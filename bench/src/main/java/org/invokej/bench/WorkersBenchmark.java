package org.invokej.bench;

import com.fasterxml.jackson.databind.JsonNode;
import org.invokej.core.queue.ItemClaimer;
import org.invokej.core.queue.NewQueueItem;
import org.invokej.core.queue.QueueItem;
import org.invokej.core.queue.QueueScheduler;
import org.invokej.inference.testmodels.TinyModels;
import org.invokej.persistence.Database;
import org.invokej.persistence.SqlQueueClaims;
import org.invokej.persistence.SqlQueueRepository;
import org.invokej.persistence.SqlTransactions;
import org.invokej.testing.ModelInstalls;
import org.invokej.testing.Scripts;
import org.invokej.testing.StandardGraphs;
import org.invokej.testing.TestAccounts;
import org.invokej.testing.TestClient;
import org.invokej.testing.TestServer;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Generation workers on one SQLite root: items per minute on the tiny model with 1 and 2
 * {@code invokej worker} processes (the web server runs none), and the latency of a claim when 1, 2
 * and 4 claimers on separate connection pools (as separate processes are) compete for one queue. Both
 * are reported as ratios against the single worker or claimer measured in the same run. With fewer
 * cores than workers the throughput cannot grow: each worker uses the cores ONNX Runtime gives it.
 */
public final class WorkersBenchmark {

    public static void main(String[] args) throws Exception {
        int items = args.length > 0 ? Integer.parseInt(args[0]) : 24;
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        System.out.printf("%d cores; %d items of the SD1.5 web UI graph on the tiny model, 64x64, %d steps%n",
                Runtime.getRuntime().availableProcessors(), items, steps);
        throughput(items, steps);
        claimLatency(400);
    }

    private static void throughput(int items, int steps) throws Exception {
        Path root = Files.createTempDirectory("invokej-bench-workers");
        // One ONNX Runtime thread per worker, so that two workers do not fight over the same cores.
        Files.writeString(root.resolve("invokeai.yaml"), "multiuser: true\nbcrypt_cost: 4\nworkers_in_process: 0\n"
                + "inference_threads: 1\nlog_level: warning\n");
        List<Process> workers = new ArrayList<>();
        try (TestServer server = TestServer.start(root, Map.of())) {
            TestAccounts.Account admin = new TestAccounts(server).setupAdmin("admin@test.com");
            String key = ModelInstalls.installKey(admin.client(), TinyModels.sd15().writeTo(root.resolve("tiny")));
            double baseline = 0;
            for (int count = 1; count <= 2; count++) {
                workers.add(startWorker(root));
                run(admin.client(), key, steps, 2 * count); // every worker loads the model
                double perMinute = run(admin.client(), key, steps, items);
                if (count == 1) {
                    baseline = perMinute;
                }
                System.out.printf("%d worker process(es): %6.1f items/min (%.2f x one worker)%n", count, perMinute, perMinute / baseline);
            }
        } finally {
            workers.forEach(Process::destroy);
            for (Process worker : workers) {
                worker.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    static Process startWorker(Path root) throws Exception {
        Process process = Scripts.start("invokej", List.of("worker", "--root", root.toString(), "--device", "cpu"), Map.of());
        Scripts.drain(process.getErrorStream());
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith("InvokeJ worker ")) {
                Scripts.drain(process.getInputStream());
                return process;
            }
        }
        throw new IllegalStateException("the worker did not start");
    }

    /** Enqueues {@code count} items and waits for all; items per minute from enqueue to the last completion. */
    static double run(TestClient client, String key, int steps, int count) throws InterruptedException {
        List<Long> seeds = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            seeds.add(i);
        }
        Map<String, Object> batch = Map.of("graph", StandardGraphs.webUiTextToImage(key, 64, 64, steps, "euler"),
                "data", StandardGraphs.webUiBatchData(seeds, "a benchmark", ""), "runs", 1);
        long start = System.nanoTime();
        JsonNode result = client.post("/api/v1/queue/default/enqueue_batch", Map.of("batch", batch)).json();
        long deadline = start + Duration.ofMinutes(10).toNanos();
        for (JsonNode id : result.path("item_ids")) {
            while (!client.get("/api/v1/queue/default/i/" + id.asLong()).json().path("status").asText().equals("completed")) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("item " + id + " did not complete");
                }
                Thread.sleep(10);
            }
        }
        double minutes = (System.nanoTime() - start) / 60e9;
        return count / minutes;
    }

    /** Claim latency with 1, 2 and 4 claimers, each on its own connection pool, draining one queue. */
    private static void claimLatency(int items) throws Exception {
        double baseline = 0;
        for (int claimers : List.of(1, 2, 4)) {
            Path root = Files.createTempDirectory("invokej-bench-claims");
            Path file = root.resolve("invokeai.db");
            List<Database> databases = new ArrayList<>();
            for (int i = 0; i < claimers; i++) {
                databases.add(Database.open(file, Clock.systemUTC()));
            }
            try {
                fill(new SqlTransactions(databases.getFirst()), items);
                List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
                CountDownLatch go = new CountDownLatch(1);
                List<Thread> threads = new ArrayList<>();
                for (int i = 0; i < claimers; i++) {
                    ItemClaimer claimer = new ItemClaimer(new SqlTransactions(databases.get(i)), new SqlQueueRepository(),
                            new SqlQueueClaims(), QueueScheduler.Mode.ROUND_ROBIN, Duration.ofSeconds(30), Clock.systemUTC());
                    String worker = "bench-" + i;
                    Thread thread = new Thread(() -> {
                        try {
                            go.await();
                            while (true) {
                                long before = System.nanoTime();
                                Optional<QueueItem> claimed = claimer.claim(worker);
                                if (claimed.isEmpty()) {
                                    return;
                                }
                                latencies.add((System.nanoTime() - before) / 1e6);
                            }
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    });
                    thread.start();
                    threads.add(thread);
                }
                go.countDown();
                for (Thread thread : threads) {
                    thread.join();
                }
                List<Double> sorted = new ArrayList<>(latencies);
                Collections.sort(sorted);
                double median = StartupBenchmark.median(sorted);
                double p95 = sorted.get((int) Math.floor(sorted.size() * 0.95));
                if (claimers == 1) {
                    baseline = median;
                }
                System.out.printf("%d claimer(s): %d claims, median %.2f ms (%.2f x one claimer), p95 %.2f ms%n", claimers,
                        sorted.size(), median, median / baseline, p95);
            } finally {
                databases.forEach(Database::close);
            }
        }
    }

    /** Pending items of 8 users, as a busy multi-user queue holds. */
    private static void fill(SqlTransactions tx, int items) {
        SqlQueueRepository queue = new SqlQueueRepository();
        List<NewQueueItem> rows = new ArrayList<>();
        for (int i = 0; i < items; i++) {
            String session = UUID.randomUUID().toString();
            rows.add(new NewQueueItem("default", "batch", session, 0, "user" + (i % 8), "bench", "gallery", null,
                    Map.of("id", session, "graph", Map.of("nodes", Map.of())), null, null));
        }
        tx.write(t -> queue.insert(t, rows));
    }
}
