package org.invokej.queue;

import com.fasterxml.jackson.databind.JsonNode;
import org.invokej.testing.Scripts;
import org.invokej.testing.StandardGraphs;
import org.invokej.testing.TestClient;
import org.invokej.testing.TestServer;
import org.invokej.inference.testmodels.TinyModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A server killed (SIGKILL) while an item runs: at the next start the item is failed, or queued again if so configured. */
class QueueRestartTest {

    private static final Pattern RUNNING = Pattern.compile("InvokeJ is running at (http://\\S+)");

    @TempDir
    Path root;
    @TempDir
    Path sources;

    private record Server(Process process, TestClient client) {
    }

    private Server start(Map<String, String> environment) throws IOException {
        Process process = Scripts.start("invokeai-web", List.of("--root", root.toString(), "--port", "0"), environment);
        Scripts.drain(process.getErrorStream());
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            Matcher matcher = RUNNING.matcher(line);
            if (matcher.find()) {
                return new Server(process, new TestClient(URI.create(matcher.group(1))));
            }
        }
        throw new IllegalStateException("the server did not start");
    }

    private long enqueueLong(TestClient client, String modelKey) {
        Map<String, Object> graph = StandardGraphs.headlessTextToImage(modelKey, "a long one", 1, 512, 500, "euler");
        return client.post("/api/v1/queue/default/enqueue_batch", Map.of("batch", Map.of("graph", graph)))
                .json().path("item_ids").get(0).asLong();
    }

    private static JsonNode await(TestClient client, long id, String status) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (Instant.now().isBefore(deadline)) {
            JsonNode item = client.get("/api/v1/queue/default/i/" + id).json();
            if (item.path("status").asText().equals(status)) {
                return item;
            }
            QueueWorld.sleep(20);
        }
        throw new IllegalStateException("item " + id + " never became " + status + ": " + client.get("/api/v1/queue/default/i/" + id));
    }

    private static void kill(Server server) throws InterruptedException {
        server.process().destroyForcibly();
        assertTrue(server.process().waitFor(30, TimeUnit.SECONDS));
    }

    @Test
    void anItemRunningWhenTheServerDiesIsFailedOrRequeuedAtTheNextStart() throws Exception {
        Files.writeString(root.resolve("invokeai.yaml"), "bcrypt_cost: 4\n");
        TestServer.prepareRoot(root);
        Path model = TinyModels.sd15().writeTo(sources.resolve("tiny"));
        Scripts.Result installed = Scripts.run("invokej", List.of("models", "install", "--root", root.toString(), model.toString()),
                Map.of(), null, Duration.ofMinutes(2));
        assertEquals(0, installed.exitCode(), installed.toString());

        Server first = start(Map.of());
        String key = first.client().get("/api/v2/models/").json().path("models").get(0).path("key").asText();
        long interrupted = enqueueLong(first.client(), key);
        await(first.client(), interrupted, "in_progress");
        kill(first);

        Server second = start(Map.of());
        try {
            JsonNode failed = second.client().get("/api/v1/queue/default/i/" + interrupted).json();
            assertEquals("failed", failed.path("status").asText(), failed.toString());
            assertTrue(failed.path("error_message").asText().contains("server stopped"), failed.toString());
            long again = enqueueLong(second.client(), key);
            await(second.client(), again, "in_progress");
            kill(second);
        } catch (RuntimeException | AssertionError e) {
            second.process().destroyForcibly();
            throw e;
        }

        Server third = start(Map.of("INVOKEAI_REQUEUE_INTERRUPTED_ITEMS", "true"));
        try {
            JsonNode items = third.client().get("/api/v1/queue/default/list_all").json();
            long requeued = items.get(items.size() - 1).path("item_id").asLong();
            JsonNode completed = await(third.client(), requeued, "completed");
            assertTrue(completed.path("status_sequence").asInt() >= 3, completed.toString());
        } finally {
            third.process().toHandle().destroy();
            third.process().waitFor(30, TimeUnit.SECONDS);
        }
    }
}
