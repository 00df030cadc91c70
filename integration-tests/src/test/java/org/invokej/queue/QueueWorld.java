package org.invokej.queue;

import com.fasterxml.jackson.databind.JsonNode;
import org.invokej.testing.ModelInstalls;
import org.invokej.testing.StandardGraphs;
import org.invokej.testing.TestAccounts;
import org.invokej.testing.TestClient;
import org.invokej.testing.TestResponse;
import org.invokej.testing.TestServer;
import org.invokej.inference.testmodels.TinyModels;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** A multi-user server with the tiny model installed, an administrator and two users, for queue tests. */
final class QueueWorld implements AutoCloseable {

    final TestServer server;
    final TestAccounts accounts;
    final TestAccounts.Account admin;
    final TestAccounts.Account alice;
    final TestAccounts.Account bob;
    final String modelKey;

    QueueWorld(Path root, Path sources, Map<String, String> settings) {
        Map<String, String> all = new LinkedHashMap<>(Map.of("multiuser", "true", "bcrypt_cost", "4"));
        all.putAll(settings);
        server = TestServer.start(root, all);
        accounts = new TestAccounts(server);
        admin = accounts.setupAdmin("admin@test.com");
        alice = accounts.create(admin, "alice@test.com", "Alice", false);
        bob = accounts.create(admin, "bob@test.com", "Bob", false);
        modelKey = ModelInstalls.installKey(admin.client(), TinyModels.sd15().writeTo(sources.resolve("tiny")));
    }

    /** The web UI's text-to-image batch: one session per seed. */
    Map<String, Object> webUiBatch(List<Long> seeds, int steps) {
        Map<String, Object> batch = new LinkedHashMap<>();
        batch.put("graph", StandardGraphs.webUiTextToImage(modelKey, 64, 64, steps, "euler"));
        batch.put("data", StandardGraphs.webUiBatchData(seeds, "a lighthouse at dusk", "blurry"));
        batch.put("runs", 1);
        batch.put("origin", "generate");
        batch.put("destination", "generate");
        return batch;
    }

    TestResponse enqueue(TestClient client, Map<String, Object> batch) {
        return client.post("/api/v1/queue/default/enqueue_batch", Map.of("batch", batch, "prepend", false));
    }

    /** Waits until the item satisfies {@code done}, returning it as the admin sees it. */
    JsonNode awaitItem(long itemId, Predicate<JsonNode> done) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (Instant.now().isBefore(deadline)) {
            JsonNode item = admin.client().get("/api/v1/queue/default/i/" + itemId).json();
            if (done.test(item)) {
                return item;
            }
            sleep(50);
        }
        throw new IllegalStateException("queue item " + itemId + " did not get there in time: "
                + admin.client().get("/api/v1/queue/default/i/" + itemId));
    }

    JsonNode awaitFinished(long itemId) {
        return awaitItem(itemId, item -> List.of("completed", "failed", "canceled").contains(item.path("status").asText()));
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
