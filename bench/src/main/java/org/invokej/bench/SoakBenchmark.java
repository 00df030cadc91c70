package org.invokej.bench;

import org.invokej.inference.testmodels.TinyModels;
import org.invokej.testing.ModelInstalls;
import org.invokej.testing.Scripts;
import org.invokej.testing.StandardGraphs;
import org.invokej.testing.TestClient;
import org.invokej.testing.TestImages;
import org.invokej.testing.TestResponse;
import org.invokej.testing.TestSocket;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The soak: a real server process on a temporary multi-user root with the tiny SD 1.5 model, used for a
 * while (default 10 minutes, {@code bench/soak MINUTES}) by 50 simulated people browsing — each logs in,
 * keeps a live socket connected and subscribed to the queue, and every ~2 s lists boards and the
 * gallery, fetches thumbnails and a full image, and reads the queue status, logging in again now and
 * then — and 2 generating, one small image after another. It reports every error (a status other than
 * the one expected, a failed request, a socket that dropped), latency percentiles per kind of request,
 * and the server's heap and RSS sampled every 5 s, with the live heap after a full GC at the end of the
 * first minute and at the end: whether memory stays flat.
 */
public final class SoakBenchmark {

    private static final Pattern RUNNING = Pattern.compile("InvokeJ is running at (http://\\S+)");
    private static final String PASSWORD = "SoakPass123";
    private static final int BROWSERS = 50;
    private static final int GENERATORS = 2;

    private final Map<String, ConcurrentLinkedQueue<Long>> latencies = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final List<String> firstErrors = Collections.synchronizedList(new ArrayList<>());
    private final LongAdder requests = new LongAdder();
    private final AtomicInteger socketDrops = new AtomicInteger();
    private final LongAdder generated = new LongAdder();
    private volatile boolean running = true;

    public static void main(String[] args) throws Exception {
        double minutes = args.length > 0 ? Double.parseDouble(args[0]) : 10;
        System.exit(new SoakBenchmark().run(Duration.ofMillis((long) (minutes * 60_000))) ? 0 : 1);
    }

    private boolean run(Duration duration) throws Exception {
        Path root = Files.createTempDirectory("invokej-soak");
        // Each person comes from an address of their own (X-Forwarded-For through a trusted local proxy), as
        // people mostly do, so that the login throttle and the audit log tell them apart.
        Files.writeString(root.resolve("invokeai.yaml"), "multiuser: true\nbcrypt_cost: 4\nlog_level: warning\n"
                + "trusted_proxies: [127.0.0.1]\n");
        Process server = Scripts.start("invokeai-web", List.of("--root", root.toString(), "--port", "0"), Map.of());
        Scripts.drain(server.getErrorStream());
        try {
            URI uri = awaitRunning(server);
            long pid = server.pid(); // bin/invokej execs java: the script's process is the server's JVM
            TestClient anonymous = new TestClient(uri);
            expect(anonymous.post("/api/v1/auth/setup", Map.of("email", "admin@soak.test", "display_name", "Admin",
                    "password", PASSWORD)), 200, "setup");
            TestClient admin = login(anonymous, "admin@soak.test").client();
            String model = ModelInstalls.installKey(admin, TinyModels.sd15().writeTo(root.resolve("tiny")));
            List<String> emails = new ArrayList<>();
            for (int i = 0; i < BROWSERS + GENERATORS; i++) {
                String email = "user" + i + "@soak.test";
                expect(admin.post("/api/v1/auth/users", Map.of("email", email, "display_name", "User " + i, "password", PASSWORD,
                        "is_admin", false)), 201, "create user");
                emails.add(email);
            }
            System.out.printf("Soak: %s, %d people browsing and %d generating, on %d cores; server pid %d%n",
                    duration, BROWSERS, GENERATORS, Runtime.getRuntime().availableProcessors(), pid);
            MemorySampler memory = new MemorySampler(pid);
            long start = System.nanoTime();
            long end = start + duration.toNanos();
            List<Thread> people = new ArrayList<>();
            for (int i = 0; i < BROWSERS; i++) {
                String email = emails.get(i);
                TestClient from = anonymous.withHeader("X-Forwarded-For", address(i));
                people.add(Thread.ofVirtual().name("browser-" + i).start(() -> browse(from, email, end)));
            }
            for (int i = 0; i < GENERATORS; i++) {
                String email = emails.get(BROWSERS + i);
                TestClient from = anonymous.withHeader("X-Forwarded-For", address(BROWSERS + i));
                people.add(Thread.ofVirtual().name("generator-" + i).start(() -> generate(from, email, model, end)));
            }
            long firstMinuteEnd = start + Math.min(Duration.ofMinutes(1).toNanos(), duration.toNanos() / 2);
            Long liveAfterFirstMinute = null;
            while (System.nanoTime() < end) {
                memory.sample((System.nanoTime() - start) / 1e9);
                if (liveAfterFirstMinute == null && System.nanoTime() >= firstMinuteEnd) {
                    liveAfterFirstMinute = memory.liveHeapAfterFullGc();
                }
                Thread.sleep(5_000);
            }
            long liveAtEnd = memory.liveHeapAfterFullGc();
            running = false;
            for (Thread person : people) {
                person.join(Duration.ofMinutes(2));
            }
            report(duration, memory, liveAfterFirstMinute == null ? -1 : liveAfterFirstMinute, liveAtEnd);
            return errors.isEmpty() && socketDrops.get() == 0;
        } finally {
            server.toHandle().destroy();
            if (!server.waitFor(60, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    private static String address(int person) {
        return "10.0." + (person / 250) + "." + (person % 250 + 1);
    }

    /** One person browsing until {@code end}: as the web UI does when its gallery is open. */
    private void browse(TestClient anonymous, String email, long end) {
        TestSocket socket = null;
        try {
            Optional<Session> session = timedLogin(anonymous, email);
            if (session.isEmpty()) {
                return;
            }
            TestClient client = session.get().client();
            for (int i = 0; i < 3; i++) {
                TestImages.uploadPng(client, null);
            }
            socket = openSocket(session.get());
            int round = 0;
            while (running && System.nanoTime() < end) {
                sleep(1_500 + ThreadLocalRandom.current().nextInt(1_000));
                round++;
                if (round % 40 == 0) {
                    session = timedLogin(anonymous, email);
                    if (session.isPresent()) {
                        client = session.get().client();
                    }
                }
                timed("boards", client, "/api/v1/boards/?all=true", 200);
                TestResponse gallery = timed("gallery", client, "/api/v1/images/?limit=20&offset=0&is_intermediate=false", 200);
                if (gallery != null) {
                    List<String> names = new ArrayList<>();
                    gallery.json().path("items").forEach(item -> names.add(item.path("image_name").asText()));
                    for (String name : names.subList(0, Math.min(4, names.size()))) {
                        timed("thumbnail", client, "/api/v1/images/i/" + name + "/thumbnail", 200);
                    }
                    if (!names.isEmpty()) {
                        String name = names.get(ThreadLocalRandom.current().nextInt(names.size()));
                        timed("image", client, "/api/v1/images/i/" + name + "/full", 200);
                        timed("metadata", client, "/api/v1/images/i/" + name + "/metadata", 200);
                    }
                }
                timed("queue status", client, "/api/v1/queue/default/status", 200);
                drain(socket);
            }
        } catch (RuntimeException e) {
            error("browser", e.toString());
        } finally {
            if (socket != null) {
                if (socket.isClosed()) {
                    socketDrops.incrementAndGet();
                }
                socket.close();
            }
        }
    }

    /** One person generating until {@code end}: a small image, waited for, then the next. */
    private void generate(TestClient anonymous, String email, String model, long end) {
        TestSocket socket = null;
        try {
            Optional<Session> session = timedLogin(anonymous, email);
            if (session.isEmpty()) {
                return;
            }
            TestClient client = session.get().client();
            socket = openSocket(session.get());
            long seed = 0;
            while (running && System.nanoTime() < end) {
                Map<String, Object> batch = Map.of("graph", StandardGraphs.webUiTextToImage(model, 64, 64, 8, "euler"),
                        "data", StandardGraphs.webUiBatchData(List.of(seed++), "a soak test", ""), "runs", 1);
                long before = System.nanoTime();
                TestResponse enqueued = timedPost("enqueue", client, "/api/v1/queue/default/enqueue_batch", Map.of("batch", batch), 200);
                if (enqueued == null) {
                    sleep(1_000);
                    continue;
                }
                long id = enqueued.json().path("item_ids").path(0).asLong();
                String status = "pending";
                while (!status.equals("completed") && !status.equals("failed") && !status.equals("canceled")) {
                    sleep(200);
                    drain(socket);
                    TestResponse item = timed("queue item", client, "/api/v1/queue/default/i/" + id, 200);
                    if (item != null) {
                        status = item.json().path("status").asText();
                    }
                    if (System.nanoTime() - before > Duration.ofMinutes(5).toNanos()) {
                        error("generation", "item " + id + " still " + status + " after 5 minutes");
                        break;
                    }
                }
                if (status.equals("completed")) {
                    generated.increment();
                    latencies.computeIfAbsent("generation (enqueue to completed)", kind -> new ConcurrentLinkedQueue<>())
                            .add(System.nanoTime() - before);
                } else {
                    error("generation", "item " + id + " ended " + status);
                }
            }
        } catch (RuntimeException e) {
            error("generator", e.toString());
        } finally {
            if (socket != null) {
                if (socket.isClosed()) {
                    socketDrops.incrementAndGet();
                }
                socket.close();
            }
        }
    }

    /** A logged-in person: their client, which sends the token, and the token for the socket's connect. */
    private record Session(TestClient client, String token) {
    }

    private static TestSocket openSocket(Session session) {
        return TestSocket.open(session.client().base()).connectWithToken(session.token()).subscribe("default");
    }

    /** Reads what the socket received so far (events of the queue), so nothing piles up in the client. */
    private static void drain(TestSocket socket) {
        while (socket.poll(Duration.ZERO).isPresent()) {
            // the events themselves are not what the soak measures
        }
    }

    private Optional<Session> timedLogin(TestClient anonymous, String email) {
        long before = System.nanoTime();
        try {
            Session session = login(anonymous, email);
            record("login", before, 200, 200, "login " + email);
            return Optional.of(session);
        } catch (RuntimeException e) {
            requests.increment();
            error("login", e.toString());
            return Optional.empty();
        }
    }

    private static Session login(TestClient anonymous, String email) {
        TestResponse login = anonymous.post("/api/v1/auth/login", Map.of("email", email, "password", PASSWORD));
        if (login.status() != 200) {
            throw new IllegalStateException("login of " + email + ": " + login.status() + " " + new String(login.body(), StandardCharsets.UTF_8));
        }
        String token = login.json().path("token").asText();
        return new Session(anonymous.withToken(token), token);
    }

    private TestResponse timed(String kind, TestClient client, String path, int expected) {
        long before = System.nanoTime();
        try {
            TestResponse response = client.get(path);
            return record(kind, before, response.status(), expected, "GET " + path + " " + response) ? response : null;
        } catch (RuntimeException e) {
            error(kind, "GET " + path + ": " + e);
            return null;
        }
    }

    private TestResponse timedPost(String kind, TestClient client, String path, Object body, int expected) {
        long before = System.nanoTime();
        try {
            TestResponse response = client.post(path, body);
            return record(kind, before, response.status(), expected, "POST " + path + " " + response) ? response : null;
        } catch (RuntimeException e) {
            error(kind, "POST " + path + ": " + e);
            return null;
        }
    }

    private boolean record(String kind, long before, int status, int expected, String what) {
        long nanos = System.nanoTime() - before;
        requests.increment();
        latencies.computeIfAbsent(kind, key -> new ConcurrentLinkedQueue<>()).add(nanos);
        if (status != expected) {
            error(kind + " " + status, what);
            return false;
        }
        return true;
    }

    private void error(String kind, String what) {
        errors.computeIfAbsent(kind, key -> new LongAdder()).increment();
        if (firstErrors.size() < 10) {
            firstErrors.add(what.length() > 300 ? what.substring(0, 300) + "…" : what);
        }
    }

    private static void expect(TestResponse response, int status, String what) {
        if (response.status() != status) {
            throw new IllegalStateException(what + " answered " + response);
        }
    }

    private void report(Duration duration, MemorySampler memory, long liveFirst, long liveEnd) {
        long total = requests.sum();
        System.out.printf("Requests: %,d (%.1f/s); images generated: %,d%n", total, total / (duration.toMillis() / 1000.0), generated.sum());
        long errorCount = errors.values().stream().mapToLong(LongAdder::sum).sum();
        System.out.printf("Errors: %d%s; socket drops: %d%n", errorCount, errors.isEmpty() ? "" : " " + new TreeMap<>(errors), socketDrops.get());
        firstErrors.forEach(error -> System.out.println("  " + error));
        List<Long> all = new ArrayList<>();
        System.out.printf("%-36s %8s %9s %9s%n", "latency (ms)", "count", "p50", "p99");
        for (Map.Entry<String, ConcurrentLinkedQueue<Long>> kind : new TreeMap<>(latencies).entrySet()) {
            List<Long> sorted = new ArrayList<>(kind.getValue());
            Collections.sort(sorted);
            if (!kind.getKey().startsWith("generation")) {
                all.addAll(sorted);
            }
            System.out.printf("%-36s %8d %9.1f %9.1f%n", kind.getKey(), sorted.size(), percentile(sorted, 50), percentile(sorted, 99));
        }
        Collections.sort(all);
        System.out.printf("%-36s %8d %9.1f %9.1f%n", "every request", all.size(), percentile(all, 50), percentile(all, 99));
        memory.report(liveFirst, liveEnd);
    }

    private static double percentile(List<Long> sorted, int percent) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(percent / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index))) / 1e6;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static URI awaitRunning(Process process) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            Matcher matcher = RUNNING.matcher(line);
            if (matcher.find()) {
                Scripts.drain(process.getInputStream());
                return URI.create(matcher.group(1));
            }
        }
        throw new IllegalStateException("the server did not start");
    }

    /**
     * The server's memory: heap in use ({@code jstat -gc}: survivor, eden and old generation used) and
     * resident set size ({@code /proc/PID/status}), every sample kept with its time.
     */
    private static final class MemorySampler {

        private record Sample(double seconds, long heapKb, long rssKb) {
        }

        private final long pid;
        private final Path jdkBin;
        private final List<Sample> samples = new ArrayList<>();

        MemorySampler(long pid) {
            this.pid = pid;
            this.jdkBin = Path.of(Optional.ofNullable(System.getenv("JAVA_HOME")).orElse(System.getProperty("java.home"))).resolve("bin");
        }

        void sample(double seconds) {
            samples.add(new Sample(seconds, heapKb(), rssKb()));
        }

        /** Runs a full GC in the server and answers the heap still in use: what it really holds. */
        long liveHeapAfterFullGc() {
            command(List.of(jdkBin.resolve("jcmd").toString(), Long.toString(pid), "GC.run"));
            return heapKb();
        }

        private long heapKb() {
            List<String> lines = command(List.of(jdkBin.resolve("jstat").toString(), "-gc", Long.toString(pid)));
            if (lines.size() < 2) {
                return -1;
            }
            List<String> names = List.of(lines.get(0).trim().split("\\s+"));
            String[] values = lines.get(1).trim().split("\\s+");
            double used = 0;
            for (String column : List.of("S0U", "S1U", "EU", "OU")) {
                int index = names.indexOf(column);
                if (index >= 0) {
                    used += Double.parseDouble(values[index]);
                }
            }
            return (long) used;
        }

        private long rssKb() {
            try {
                return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream().filter(line -> line.startsWith("VmRSS:"))
                        .map(line -> Long.parseLong(line.replaceAll("\\D", ""))).findFirst().orElse(-1L);
            } catch (IOException e) {
                return -1;
            }
        }

        private static List<String> command(List<String> command) {
            try {
                Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
                List<String> lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)).lines().toList();
                process.waitFor(60, TimeUnit.SECONDS);
                return lines;
            } catch (IOException e) {
                return List.of();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return List.of();
            }
        }

        void report(long liveFirst, long liveEnd) {
            if (samples.isEmpty()) {
                return;
            }
            double last = samples.getLast().seconds();
            List<Sample> first = samples.stream().filter(sample -> sample.seconds() < Math.min(60, last / 2)).toList();
            List<Sample> final_ = samples.stream().filter(sample -> sample.seconds() > last - Math.min(60, last / 2)).toList();
            System.out.printf("Memory (MB), %d samples every 5 s:  %14s %14s%n", samples.size(), "first minute", "last minute");
            System.out.printf("  heap in use, mean / max          %6.0f / %-6.0f %6.0f / %-6.0f%n",
                    mean(first, Sample::heapKb), max(first, Sample::heapKb), mean(final_, Sample::heapKb), max(final_, Sample::heapKb));
            System.out.printf("  RSS, mean / max                  %6.0f / %-6.0f %6.0f / %-6.0f%n",
                    mean(first, Sample::rssKb), max(first, Sample::rssKb), mean(final_, Sample::rssKb), max(final_, Sample::rssKb));
            System.out.printf("  live heap after a full GC        %14.0f %14.0f  (%.2fx)%n", liveFirst / 1024.0, liveEnd / 1024.0,
                    (double) liveEnd / liveFirst);
        }

        private static double mean(List<Sample> samples, java.util.function.ToLongFunction<Sample> value) {
            return samples.stream().mapToLong(value).average().orElse(-1024) / 1024;
        }

        private static double max(List<Sample> samples, java.util.function.ToLongFunction<Sample> value) {
            return samples.stream().mapToLong(value).max().orElse(-1024) / 1024.0;
        }
    }
}
