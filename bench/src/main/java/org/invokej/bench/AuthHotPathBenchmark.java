package org.invokej.bench;

import org.invokej.testing.TestAccounts;
import org.invokej.testing.TestServer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The authenticated hot path, before and after keeping token answers while the database is unchanged:
 * throughput of {@code GET /api/v1/auth/me} (with a session token, and with an API key) against the
 * unauthenticated {@code GET /api/v1/auth/status}, 32 concurrent connections, on two servers in one run:
 * {@code auth_cache: false} (every request reads the user and the revocations) and the default.
 * Args: seconds per measurement (default 5), connections (default 32).
 */
public final class AuthHotPathBenchmark {

    private record Rates(double status, double meToken, double meKey) {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        Rates before = measure(false, seconds, clients);
        Rates after = measure(true, seconds, clients);
        System.out.printf("%d connections, %d s per measurement%n", clients, seconds);
        System.out.printf("%-34s %12s %12s%n", "", "auth_cache off", "on (default)");
        System.out.printf("%-34s %10.0f/s %10.0f/s%n", "GET /auth/status (no auth)", before.status(), after.status());
        System.out.printf("%-34s %10.0f/s %10.0f/s%n", "GET /auth/me (session token)", before.meToken(), after.meToken());
        System.out.printf("%-34s %10.0f/s %10.0f/s%n", "GET /auth/me (API key)", before.meKey(), after.meKey());
        System.out.printf("%-34s %12.2f %12.2f   (goal >= 0.8)%n", "ratio /me token / /status", before.meToken() / before.status(),
                after.meToken() / after.status());
        System.out.printf("%-34s %12.2f %12.2f%n", "ratio /me key / /status", before.meKey() / before.status(),
                after.meKey() / after.status());
    }

    private static Rates measure(boolean cache, int seconds, int clients) throws Exception {
        try (TestServer server = TestServer.start(Files.createTempDirectory("invokej-bench-hotpath"),
                Map.of("multiuser", "true", "bcrypt_cost", "4", "log_level", "warning", "auth_cache", String.valueOf(cache)))) {
            TestAccounts accounts = new TestAccounts(server);
            TestAccounts.Account admin = accounts.setupAdmin("admin@test.com");
            String key = admin.client().post("/api/v1/auth/api-keys", Map.of("name", "bench")).json().path("key").asText();
            URI base = server.server().uri();
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpRequest status = HttpRequest.newBuilder(base.resolve("api/v1/auth/status")).build();
            HttpRequest meToken = HttpRequest.newBuilder(base.resolve("api/v1/auth/me")).header("Authorization", "Bearer " + admin.token()).build();
            HttpRequest meKey = HttpRequest.newBuilder(base.resolve("api/v1/auth/me")).header("Authorization", "Bearer " + key).build();
            for (HttpRequest warm : new HttpRequest[] {status, meToken, meKey}) {
                throughput(http, warm, clients, 2);
            }
            return new Rates(throughput(http, status, clients, seconds), throughput(http, meToken, clients, seconds),
                    throughput(http, meKey, clients, seconds));
        }
    }

    private static double throughput(HttpClient http, HttpRequest request, int clients, int seconds) throws Exception {
        AtomicLong done = new AtomicLong();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < clients; i++) {
                pool.submit(() -> {
                    while (System.nanoTime() < end) {
                        int code = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                        if (code != 200) {
                            throw new IllegalStateException("unexpected status " + code + " for " + request.uri());
                        }
                        done.incrementAndGet();
                    }
                    return null;
                });
            }
        }
        return done.get() / (double) seconds;
    }
}
