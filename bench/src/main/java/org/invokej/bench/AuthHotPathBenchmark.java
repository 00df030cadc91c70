package org.invokej.bench;

import org.invokej.testing.TestAccounts;
import org.invokej.testing.TestServer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
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

    /** One server and the three requests measured on it. */
    private record Target(TestServer server, HttpRequest status, HttpRequest meToken, HttpRequest meKey) implements AutoCloseable {
        static Target start(boolean cache) throws Exception {
            TestServer server = TestServer.start(Files.createTempDirectory("invokej-bench-hotpath"),
                    Map.of("multiuser", "true", "bcrypt_cost", "4", "log_level", "warning", "auth_cache", String.valueOf(cache)));
            TestAccounts accounts = new TestAccounts(server);
            TestAccounts.Account admin = accounts.setupAdmin("admin@test.com");
            String key = admin.client().post("/api/v1/auth/api-keys", Map.of("name", "bench")).json().path("key").asText();
            URI base = server.server().uri();
            return new Target(server, HttpRequest.newBuilder(base.resolve("api/v1/auth/status")).build(),
                    HttpRequest.newBuilder(base.resolve("api/v1/auth/me")).header("Authorization", "Bearer " + admin.token()).build(),
                    HttpRequest.newBuilder(base.resolve("api/v1/auth/me")).header("Authorization", "Bearer " + key).build());
        }

        Rates measure(HttpClient http, int clients, int seconds) throws Exception {
            return new Rates(throughput(http, status, clients, seconds), throughput(http, meToken, clients, seconds),
                    throughput(http, meKey, clients, seconds));
        }

        @Override
        public void close() {
            server.close();
        }
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        // Both servers run in one JVM; their measurements alternate, so load from elsewhere and the JIT
        // warming up weigh on both alike. Each figure is the best round.
        try (Target before = Target.start(false); Target after = Target.start(true)) {
            before.measure(http, clients, 2);
            after.measure(http, clients, 2);
            List<Rates> offs = new ArrayList<>();
            List<Rates> ons = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                offs.add(before.measure(http, clients, seconds));
                ons.add(after.measure(http, clients, seconds));
            }
            Rates off = best(offs);
            Rates on = best(ons);
            System.out.printf("%d connections, %d rounds of %d s per measurement, best round%n", clients, rounds, seconds);
            System.out.printf("%-34s %14s %14s%n", "", "auth_cache off", "on (default)");
            System.out.printf("%-34s %12.0f/s %12.0f/s%n", "GET /auth/status (no auth)", off.status(), on.status());
            System.out.printf("%-34s %12.0f/s %12.0f/s%n", "GET /auth/me (session token)", off.meToken(), on.meToken());
            System.out.printf("%-34s %12.0f/s %12.0f/s%n", "GET /auth/me (API key)", off.meKey(), on.meKey());
            System.out.printf("%-34s %14.2f %14.2f   (goal >= 0.8)%n", "ratio /me token / /status", off.meToken() / off.status(),
                    on.meToken() / on.status());
            System.out.printf("%-34s %14.2f %14.2f%n", "ratio /me key / /status", off.meKey() / off.status(), on.meKey() / on.status());
            System.out.printf("%-34s %14s %14.2f%n", "/me token, on / off", "", on.meToken() / off.meToken());
        }
    }

    private static Rates best(List<Rates> rounds) {
        return new Rates(rounds.stream().mapToDouble(Rates::status).max().orElseThrow(),
                rounds.stream().mapToDouble(Rates::meToken).max().orElseThrow(),
                rounds.stream().mapToDouble(Rates::meKey).max().orElseThrow());
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
