package org.invokej.bench;

import org.invokej.core.queue.ItemClaimer;
import org.invokej.core.queue.NewQueueItem;
import org.invokej.core.queue.QueueItem;
import org.invokej.core.queue.QueueScheduler;
import org.invokej.inference.testmodels.TinyModels;
import org.invokej.persistence.Database;
import org.invokej.persistence.DatabaseLocation;
import org.invokej.persistence.SqlQueueClaims;
import org.invokej.persistence.SqlQueueRepository;
import org.invokej.persistence.SqlTransactions;
import org.invokej.testing.ModelInstalls;
import org.invokej.testing.TestAccounts;
import org.invokej.testing.TestPostgres;
import org.invokej.testing.TestServer;

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
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Generation workers on PostgreSQL (a real server, {@link TestPostgres}): items per minute on the tiny
 * model with 1, 2 and 3 {@code invokej worker} processes (the web server runs none), and the latency of
 * a claim when 1, 2, 4 and 8 claimers, each on its own connection pool as separate processes are,
 * drain one queue of 8 users with {@code FOR UPDATE SKIP LOCKED}. Both are ratios against the single
 * worker or claimer measured in the same run. Throughput can only grow up to the cores there are: each
 * worker runs ONNX Runtime on one thread.
 */
public final class PostgresWorkersBenchmark {

    public static void main(String[] args) throws Exception {
        int items = args.length > 0 ? Integer.parseInt(args[0]) : 24;
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        System.out.printf("%d cores; PostgreSQL; %d items of the SD1.5 web UI graph on the tiny model, 64x64, %d steps%n",
                Runtime.getRuntime().availableProcessors(), items, steps);
        throughput(items, steps);
        claimLatency(400);
        System.exit(0);
    }

    private static void throughput(int items, int steps) throws Exception {
        TestPostgres postgres = TestPostgres.server();
        String url = postgres.newDatabase();
        Path root = Files.createTempDirectory("invokej-bench-pg-workers");
        // One ONNX Runtime thread per worker, so that workers do not fight over the same cores.
        Files.writeString(root.resolve("invokeai.yaml"), "multiuser: true\nbcrypt_cost: 4\nworkers_in_process: 0\n"
                + "inference_threads: 1\nlog_level: warning\ndatabase_url: " + url + "\ndatabase_user: " + postgres.user()
                + "\ndatabase_password: " + postgres.password() + "\n");
        List<Process> workers = new ArrayList<>();
        try (TestServer server = TestServer.start(root, Map.of("database_url", url))) {
            TestAccounts.Account admin = new TestAccounts(server).setupAdmin("admin@test.com");
            String key = ModelInstalls.installKey(admin.client(), TinyModels.sd15().writeTo(root.resolve("tiny")));
            double baseline = 0;
            for (int count = 1; count <= 3; count++) {
                workers.add(WorkersBenchmark.startWorker(root));
                WorkersBenchmark.run(admin.client(), key, steps, 2 * count); // every worker loads the model
                double perMinute = WorkersBenchmark.run(admin.client(), key, steps, items);
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

    /** Claim latency with 1, 2, 4 and 8 claimers, each on its own connection pool, draining one queue. */
    private static void claimLatency(int items) throws Exception {
        TestPostgres postgres = TestPostgres.server();
        double baseline = 0;
        for (int claimers : List.of(1, 2, 4, 8)) {
            DatabaseLocation.PostgresServer location = new DatabaseLocation.PostgresServer(postgres.newDatabase(), postgres.user(),
                    postgres.password(), 2);
            List<Database> databases = new ArrayList<>();
            for (int i = 0; i < claimers; i++) {
                databases.add(Database.open(location, Clock.systemUTC()));
            }
            try {
                SqlTransactions first = new SqlTransactions(databases.getFirst());
                fill(first, items);
                List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
                AtomicInteger emptyHanded = new AtomicInteger();
                CountDownLatch go = new CountDownLatch(1);
                List<Thread> threads = new ArrayList<>();
                SqlQueueRepository queue = new SqlQueueRepository();
                for (int i = 0; i < claimers; i++) {
                    SqlTransactions own = new SqlTransactions(databases.get(i));
                    ItemClaimer claimer = new ItemClaimer(own, queue, new SqlQueueClaims(), QueueScheduler.Mode.ROUND_ROBIN,
                            Duration.ofSeconds(30), Clock.systemUTC());
                    String worker = "bench-" + i;
                    Thread thread = new Thread(() -> {
                        try {
                            go.await();
                            // Until nothing is pending: a claimer may find every candidate being taken by others for a moment.
                            while (own.read(tx -> !queue.pendingHeads(tx, null).isEmpty())) {
                                long before = System.nanoTime();
                                Optional<QueueItem> claimed = claimer.claim(worker);
                                if (claimed.isPresent()) {
                                    latencies.add((System.nanoTime() - before) / 1e6);
                                } else {
                                    emptyHanded.incrementAndGet();
                                }
                            }
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    });
                    thread.start();
                    threads.add(thread);
                }
                long start = System.nanoTime();
                go.countDown();
                for (Thread thread : threads) {
                    thread.join();
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                List<Double> sorted = new ArrayList<>(latencies);
                Collections.sort(sorted);
                if (sorted.size() != items) {
                    throw new IllegalStateException(sorted.size() + " claims for " + items + " items");
                }
                double median = StartupBenchmark.median(sorted);
                double p95 = sorted.get((int) Math.floor(sorted.size() * 0.95));
                if (claimers == 1) {
                    baseline = median;
                }
                System.out.printf("%d claimer(s): %d claims (%d empty-handed tries), median %.2f ms (%.2f x one claimer), p95 %.2f ms,"
                                + " %.0f claims/s%n", claimers, sorted.size(), emptyHanded.get(), median, median / baseline, p95,
                        sorted.size() / seconds);
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
