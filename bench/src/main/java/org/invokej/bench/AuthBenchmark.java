package org.invokej.bench;

import org.invokej.testing.TestAccounts;
import org.invokej.testing.TestServer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The cost of authentication, on one server in one run: throughput of {@code GET /api/v1/auth/me}
 * (token check + user row read) against {@code GET /api/v1/auth/status} (no auth), and the p99 latency
 * of {@code /me} while a flood of failing logins (bcrypt at the production cost, from many client
 * addresses so the throttle lets them through) runs, against the same without the flood.
 */
public final class AuthBenchmark {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        try (TestServer server = TestServer.start(Files.createTempDirectory("invokej-bench-auth"),
                Map.of("multiuser", "true", "bcrypt_cost", "12", "trusted_proxies", "127.0.0.1", "log_level", "warning"))) {
            TestAccounts accounts = new TestAccounts(server);
            TestAccounts.Account admin = accounts.setupAdmin("admin@test.com");
            URI base = server.server().uri();
            HttpRequest status = HttpRequest.newBuilder(base.resolve("api/v1/auth/status")).build();
            HttpRequest me = HttpRequest.newBuilder(base.resolve("api/v1/auth/me")).header("Authorization", "Bearer " + admin.token()).build();

            throughput(status, clients, 1); // warm-up
            throughput(me, clients, 1);
            double statusRate = throughput(status, clients, seconds);
            double meRate = throughput(me, clients, seconds);
            System.out.printf("clients: %d, %d s per measurement%n", clients, seconds);
            System.out.printf("GET /auth/status (no auth):      %8.0f req/s%n", statusRate);
            System.out.printf("GET /auth/me (bearer + DB read): %8.0f req/s%n", meRate);
            System.out.printf("ratio /me / /status:              %.2f   (goal >= 0.8)%n", meRate / statusRate);

            List<Double> quiet = latencies(me, 2, seconds);
            AtomicBoolean flooding = new AtomicBoolean(true);
            AtomicLong attempts = new AtomicLong();
            // The flood has its own HTTP client, so that it does not share a connection pool and
            // selector thread with the measured requests: what is measured is the server.
            HttpClient floodClient = HttpClient.newHttpClient();
            ExecutorService flood = Executors.newVirtualThreadPerTaskExecutor();
            for (int i = 0; i < 32; i++) {
                int worker = i;
                flood.submit(() -> {
                    long n = 0;
                    while (flooding.get()) {
                        n++;
                        HttpRequest login = HttpRequest.newBuilder(base.resolve("api/v1/auth/login"))
                                .header("Content-Type", "application/json")
                                .header("X-Forwarded-For", "10." + worker + "." + (n / 250 % 250) + "." + (n % 250))
                                .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"admin@test.com\",\"password\":\"wrong" + n + "\"}"))
                                .build();
                        try {
                            floodClient.send(login, HttpResponse.BodyHandlers.discarding());
                            attempts.incrementAndGet();
                        } catch (Exception e) {
                            return null;
                        }
                    }
                    return null;
                });
            }
            Thread.sleep(1000);
            long before = attempts.get();
            List<Double> flooded = latencies(me, 2, seconds);
            long during = attempts.get() - before;
            flooding.set(false);
            flood.shutdown();
            double p99Quiet = percentile(quiet, 0.99);
            double p99Flood = percentile(flooded, 0.99);
            System.out.printf("p50/p99 GET /auth/me, quiet:                  %6.2f / %6.2f ms%n", percentile(quiet, 0.5), p99Quiet);
            System.out.printf("p50/p99 GET /auth/me, during a login flood:   %6.2f / %6.2f ms  (%.0f failing logins/s)%n",
                    percentile(flooded, 0.5), p99Flood, during / (double) seconds);
            System.out.printf("ratio p99 flood / quiet:                        %.2f   (goal <= 2)%n", p99Flood / p99Quiet);
        }
    }

    private static double throughput(HttpRequest request, int clients, int seconds) throws Exception {
        AtomicLong done = new AtomicLong();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < clients; i++) {
                pool.submit(() -> {
                    while (System.nanoTime() < end) {
                        if (HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() != 200) {
                            throw new IllegalStateException("unexpected status");
                        }
                        done.incrementAndGet();
                    }
                    return null;
                });
            }
        }
        return done.get() / (double) seconds;
    }

    private static List<Double> latencies(HttpRequest request, int clients, int seconds) throws Exception {
        List<Double> all = Collections.synchronizedList(new ArrayList<>());
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < clients; i++) {
                pool.submit(() -> {
                    while (System.nanoTime() < end) {
                        long start = System.nanoTime();
                        HTTP.send(request, HttpResponse.BodyHandlers.discarding());
                        all.add((System.nanoTime() - start) / 1e6);
                    }
                    return null;
                });
            }
        }
        return all;
    }

    static double percentile(List<Double> values, double p) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }
}
