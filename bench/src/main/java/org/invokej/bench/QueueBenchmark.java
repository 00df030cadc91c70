package org.invokej.bench;

import com.fasterxml.jackson.databind.JsonNode;
import org.invokej.testing.ModelInstalls;
import org.invokej.testing.StandardGraphs;
import org.invokej.testing.TestAccounts;
import org.invokej.testing.TestClient;
import org.invokej.testing.TestServer;
import org.invokej.inference.testmodels.TinyModels;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The queue's own cost per item against the generation it runs, from the items' timestamps: time from
 * enqueue to start, and from one item's end to the next one's start, compared with the generation
 * itself (start to end), with 1 and with 20 items queued at once.
 */
public final class QueueBenchmark {

    private static final DateTimeFormatter SQLITE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    public static void main(String[] args) throws Exception {
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 256;
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        Path root = Files.createTempDirectory("invokej-bench-queue");
        try (TestServer server = TestServer.start(root, Map.of("multiuser", "true", "bcrypt_cost", "4", "log_level", "warning"))) {
            TestAccounts.Account admin = new TestAccounts(server).setupAdmin("admin@test.com");
            String key = ModelInstalls.installKey(admin.client(), TinyModels.sd15().writeTo(root.resolve("tiny")));
            run(admin.client(), key, size, steps, 3); // warm-up
            System.out.printf("SD1.5 web UI graph on the tiny model, %dx%d, %d steps%n", size, steps == 0 ? size : size, steps);
            for (int queued : List.of(1, 20)) {
                List<JsonNode> items = run(admin.client(), key, size, steps, queued);
                report(queued, items);
            }
        }
    }

    private static List<JsonNode> run(TestClient client, String key, int size, int steps, int count) throws InterruptedException {
        List<Long> seeds = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            seeds.add(i);
        }
        Map<String, Object> batch = Map.of("graph", StandardGraphs.webUiTextToImage(key, size, size, steps, "euler"),
                "data", StandardGraphs.webUiBatchData(seeds, "a benchmark", ""), "runs", 1);
        JsonNode result = client.post("/api/v1/queue/default/enqueue_batch", Map.of("batch", batch)).json();
        List<JsonNode> items = new ArrayList<>();
        for (JsonNode id : result.path("item_ids")) {
            JsonNode item;
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            do {
                Thread.sleep(5);
                item = client.get("/api/v1/queue/default/i/" + id.asLong()).json();
            } while (!item.path("status").asText().equals("completed") && System.nanoTime() < deadline);
            items.add(item);
        }
        items.sort((a, b) -> a.path("started_at").asText().compareTo(b.path("started_at").asText()));
        return items;
    }

    private static void report(int queued, List<JsonNode> items) {
        List<Double> generation = new ArrayList<>();
        List<Double> gaps = new ArrayList<>();
        double firstWait = millis(items.get(0).path("created_at").asText(), items.get(0).path("started_at").asText());
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            generation.add(millis(item.path("started_at").asText(), item.path("completed_at").asText()));
            if (i > 0) {
                gaps.add(millis(items.get(i - 1).path("completed_at").asText(), item.path("started_at").asText()));
            }
        }
        double gen = StartupBenchmark.median(generation);
        System.out.printf("%2d queued: generation median %7.1f ms; enqueue -> first start %6.1f ms (%.3f of a generation)",
                queued, gen, firstWait, firstWait / gen);
        if (!gaps.isEmpty()) {
            double gap = StartupBenchmark.median(gaps);
            System.out.printf("; finish -> next start median %5.1f ms (%.3f of a generation)", gap, gap / gen);
        }
        System.out.println();
    }

    private static double millis(String from, String to) {
        return Duration.between(LocalDateTime.parse(from, SQLITE), LocalDateTime.parse(to, SQLITE)).toNanos() / 1e6;
    }
}
