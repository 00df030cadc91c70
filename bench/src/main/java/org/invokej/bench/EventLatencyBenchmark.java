package org.invokej.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.invokej.inference.testmodels.TinyModels;
import org.invokej.testing.ModelInstalls;
import org.invokej.testing.StandardGraphs;
import org.invokej.testing.TestAccounts;
import org.invokej.testing.TestServer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Event latency as a real client sees it, long-polling against the WebSocket: python-socketio (the
 * client InvokeAI's scripts use), on one transport at a time, enqueues a one-image batch over HTTP and
 * times the arrival of its first {@code queue_item_status_changed} and of its {@code batch_enqueued},
 * from just before the POST. The two transports take turns in rounds on one server, so that both meet
 * the same machine; the WebSocket is the baseline. Each item is left to finish before the next enqueue.
 *
 * <p>{@code bench/run EventLatencyBenchmark [runs per transport]} (default 60, in 3 rounds).
 */
public final class EventLatencyBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ROUNDS = 3;
    /** Runs whose events did not arrive within 10 s, by transport (warm-up included). */
    private static final Map<String, Integer> MISSED = new java.util.TreeMap<>();
    /** Debian's Python, which has python3-socketio and python3-requests (as the live-event tests use). */
    private static final String PYTHON = "/usr/bin/python3";

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        Path root = Files.createTempDirectory("invokej-bench-events");
        Path script = root.resolve("enqueue_latency.py");
        try (InputStream source = EventLatencyBenchmark.class.getResourceAsStream("enqueue_latency.py")) {
            Files.copy(source, script);
        }
        try (TestServer server = TestServer.start(root, Map.of("multiuser", "true", "bcrypt_cost", "4", "log_level", "warning"))) {
            TestAccounts.Account admin = new TestAccounts(server).setupAdmin("admin@test.com");
            String key = ModelInstalls.installKey(admin.client(), TinyModels.sd15().writeTo(root.resolve("tiny")));
            Path batch = root.resolve("batch.json");
            Files.writeString(batch, JSON.writeValueAsString(Map.of("graph", StandardGraphs.webUiTextToImage(key, 64, 64, 1, "euler"),
                    "data", StandardGraphs.webUiBatchData(List.of(1L), "a benchmark", ""), "runs", 1)));
            String url = server.server().uri().toString().replaceAll("/$", "");
            run(script, url, admin.token(), "websocket", 5, batch); // warm-up: classes, the model, the HTTP paths
            run(script, url, admin.token(), "polling", 5, batch);
            List<double[]> ws = new ArrayList<>();
            List<double[]> polling = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                ws.addAll(run(script, url, admin.token(), "websocket", runs / ROUNDS, batch));
                polling.addAll(run(script, url, admin.token(), "polling", runs / ROUNDS, batch));
            }
            System.out.printf("python-socketio, one-image batches on the tiny model, %d WebSocket and %d long-polling runs with their"
                    + " events in %d rounds; runs whose events did not come within 10 s: %s%n", ws.size(), polling.size(), ROUNDS, MISSED);
            for (int field = 0; field < 2; field++) {
                String event = field == 0 ? "queue_item_status_changed" : "batch_enqueued";
                double wsMedian = percentile(ws, field, 0.5);
                double pollMedian = percentile(polling, field, 0.5);
                System.out.printf("enqueue -> first %-26s baseline WebSocket: median %7.2f ms  p90 %7.2f ms%n", event, wsMedian,
                        percentile(ws, field, 0.9));
                System.out.printf("enqueue -> first %-26s long-polling:       median %7.2f ms  p90 %7.2f ms  (median %.2fx the WebSocket)%n",
                        event, pollMedian, percentile(polling, field, 0.9), pollMedian / wsMedian);
            }
        }
    }

    /** Runs the client for {@code runs} enqueues; each result is {status_ms, enqueued_ms}. */
    private static List<double[]> run(Path script, String url, String token, String transport, int runs, Path batch)
            throws IOException, InterruptedException {
        Process process = new ProcessBuilder(PYTHON, script.toString(), url, token, transport, String.valueOf(runs), batch.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<double[]> results = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null && !line.equals("done")) {
                JsonNode result = JSON.readTree(line);
                if (!result.path("transport").asText().equals(transport)) {
                    throw new IllegalStateException("the client left " + transport + " for " + result.path("transport").asText());
                }
                if (result.path("missed").asBoolean()) {
                    MISSED.merge(transport, 1, Integer::sum);
                    continue;
                }
                results.add(new double[]{result.path("status_ms").asDouble(), result.path("enqueued_ms").asDouble()});
            }
        }
        if (process.waitFor() != 0 || results.size() + MISSED.getOrDefault(transport, 0) < runs) {
            throw new IllegalStateException("the " + transport + " client ended with " + process.exitValue() + " after "
                    + results.size() + " of " + runs + " runs");
        }
        return results;
    }

    private static double percentile(List<double[]> results, int field, double p) {
        List<Double> values = new ArrayList<>();
        results.forEach(result -> values.add(result[field]));
        Collections.sort(values);
        return values.get(Math.min(values.size() - 1, (int) Math.floor(p * values.size())));
    }
}
