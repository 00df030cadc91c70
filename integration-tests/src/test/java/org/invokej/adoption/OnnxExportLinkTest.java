package org.invokej.adoption;

import com.fasterxml.jackson.databind.JsonNode;
import org.invokej.inference.testmodels.TinyModels;
import org.invokej.testing.Scripts;
import org.invokej.testing.StandardGraphs;
import org.invokej.testing.TestClient;
import org.invokej.testing.TestResponse;
import org.invokej.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A main model an InvokeAI root brought along that this engine cannot run (the fixture's "DreamShaper 8"
 * checkpoint) is linked to an ONNX export of it (the tiny model standing in for the export): found beside
 * it at start, unlinked and linked again through the API and the command line. Linked, it generates under
 * its own key and name; InvokeAI's record of it stays byte for byte as InvokeAI wrote it.
 */
class OnnxExportLinkTest {

    @TempDir
    Path work;

    @Test
    void aCheckpointLinkedToItsOnnxExportGeneratesUnderItsOwnKeyAndInvokeAisRecordStays() throws Exception {
        InvokeAiRootBuilder.Built built = InvokeAiRootBuilder.build(InvokeAiRootBuilder.Release.V6_14, work.resolve("root"));
        AdoptedRoot adopted = AdoptedRoot.at(work);
        String key = modelKey(adopted.database, "DreamShaper 8");
        // the README's recipe writes the export beside the checkpoint: <name>-onnx
        Path beside = TinyModels.sd15().writeTo(adopted.root.resolve("models").resolve(key).resolve("DreamShaper 8-onnx"));
        Path elsewhere = TinyModels.sd15().writeTo(work.resolve("exports").resolve("dreamshaper-onnx"));
        Map<String, String> configsBefore = configs(adopted.database);

        try (TestServer server = adopted.start(Map.of())) {
            TestClient admin = login(server, built, "admin");
            TestClient alice = login(server, built, "alice");
            JsonNode model = admin.get("/api/v2/models/i/" + key).json();
            assertTrue(model.path("runnable").asBoolean(), "found beside the checkpoint at start: " + model);
            assertTrue(model.path("unsupported_reason").isNull(), model.toString());
            assertEquals(beside.toString(), server.server().root().resolve("models").resolve(model.path("onnx_export").asText())
                    .normalize().toString(), model.toString());
            assertEquals("DreamShaper 8", model.path("name").asText());
            assertEquals("checkpoint", model.path("format").asText(), "InvokeAI's config is shown as it is");
            assertTrue(listed(alice, key).path("runnable").asBoolean(), "every user sees it runnable");

            int imagesBefore = images(alice);
            JsonNode done = generate(alice, key);
            assertEquals("completed", done.path("status").asText(), done.toString());
            assertEquals(imagesBefore + 1, images(alice), "alice has the new image");

            // the refusals: who, which models, which folders
            assertEquals(403, alice.put("/api/v2/models/i/" + key + "/onnx_export", Map.of("path", elsewhere.toString())).status());
            assertEquals(403, alice.delete("/api/v2/models/i/" + key + "/onnx_export").status());
            assertRefused(admin.put("/api/v2/models/i/" + built.diffusersModelKey() + "/onnx_export", Map.of("path", elsewhere.toString())),
                    422, "not sdxl");
            assertRefused(admin.put("/api/v2/models/i/" + built.onnxModelKey() + "/onnx_export", Map.of("path", elsewhere.toString())),
                    409, "already an ONNX model");
            assertRefused(admin.put("/api/v2/models/i/" + key + "/onnx_export", Map.of("path", "relative/folder")), 422, "absolute");
            assertRefused(admin.put("/api/v2/models/i/" + key + "/onnx_export", Map.of("path", work.resolve("none").toString())),
                    422, "No such folder");
            assertRefused(admin.put("/api/v2/models/i/" + key + "/onnx_export",
                    Map.of("path", adopted.root.resolve("outputs").toString())), 415, "model_index.json"); // as an install refuses it
            assertRefused(admin.put("/api/v2/models/i/no-such-model/onnx_export", Map.of("path", elsewhere.toString())), 404, "not found");
            assertEquals(beside.toString(), server.server().root().resolve("models")
                    .resolve(admin.get("/api/v2/models/i/" + key).json().path("onnx_export").asText()).normalize().toString(),
                    "a refused link changes nothing");
            assertRefused(admin.delete("/api/v2/models/i/" + key), 409, "InvokeAI");

            // unlinked, it is InvokeAI's unrunnable checkpoint again; linked elsewhere, it runs again
            TestResponse unlinked = admin.delete("/api/v2/models/i/" + key + "/onnx_export");
            assertEquals(200, unlinked.status(), unlinked.toString());
            assertFalse(unlinked.json().path("runnable").asBoolean());
            assertTrue(unlinked.json().path("unsupported_reason").asText().startsWith("Not runnable by this engine"));
            assertRefused(alice.post("/api/v1/queue/default/enqueue_batch", Map.of("batch", Map.of("graph",
                    StandardGraphs.headlessTextToImage(key, "refused", 1, 64, 2, "euler")))), 422, "cannot be used");
            assertRefused(admin.delete("/api/v2/models/i/" + key + "/onnx_export"), 409, "not linked");
            TestResponse relinked = admin.put("/api/v2/models/i/" + key + "/onnx_export", Map.of("path", elsewhere.toString()));
            assertEquals(200, relinked.status(), relinked.toString());
            assertEquals(elsewhere.toString(), relinked.json().path("onnx_export").asText());
            assertEquals("completed", generate(alice, key).path("status").asText());
        }
        assertEquals(configsBefore, configs(adopted.database), "InvokeAI's model records are unchanged");

        // the command line, on the stopped server's root
        Scripts.Result unlink = Scripts.run("invokej", "models", "unlink", key, "--root", adopted.root.toString());
        assertEquals(0, unlink.exitCode(), unlink.toString());
        Scripts.Result again = Scripts.run("invokej", "models", "unlink", key, "--root", adopted.root.toString());
        assertEquals(1, again.exitCode(), again.toString());
        assertEquals(1, again.stderr().strip().lines().count(), again.toString());
        assertTrue(again.stderr().contains("not linked"), again.toString());
        Scripts.Result sdxl = Scripts.run("invokej", "models", "link", built.diffusersModelKey(), "--onnx", elsewhere.toString(),
                "--root", adopted.root.toString());
        assertEquals(1, sdxl.exitCode(), sdxl.toString());
        assertEquals(1, sdxl.stderr().strip().lines().count(), sdxl.toString());
        Scripts.Result link = Scripts.run("invokej", "models", "link", "DreamShaper 8", "--root", adopted.root.toString());
        assertEquals(0, link.exitCode(), link.toString());
        assertTrue(link.stderr().contains(beside.toString()), "without --onnx the export beside it: " + link);
        Scripts.Result list = Scripts.run("invokej", "models", "list", "--root", adopted.root.toString());
        assertTrue(list.stdout().lines().anyMatch(line -> line.startsWith(key) && line.contains("linked")), list.toString());

        try (TestServer server = adopted.start(Map.of())) {
            TestClient alice = login(server, built, "alice");
            assertEquals("completed", generate(alice, key).path("status").asText(), "the link survives a restart");
        }
        assertEquals(configsBefore, configs(adopted.database), "InvokeAI's model records are unchanged");
        assertEquals(Map.of(key, "1"), links(adopted.database), "one link, kept beside InvokeAI's row");
        adopted.assertBackupIdenticalToOriginal(adopted.ourBackup(java.util.Set.of()));
    }

    private static int images(TestClient client) {
        TestResponse listing = client.get("/api/v1/images/?limit=1000");
        assertEquals(200, listing.status(), listing.toString());
        return listing.json().path("items").size();
    }

    private static TestClient login(TestServer server, InvokeAiRootBuilder.Built built, String who) {
        InvokeAiRootBuilder.Account account = built.account(who);
        return AdoptedRoot.login(server, account.email(), account.password()).client();
    }

    private static JsonNode listed(TestClient client, String key) {
        for (JsonNode model : client.get("/api/v2/models/").json().path("models")) {
            if (model.path("key").asText().equals(key)) {
                return model;
            }
        }
        throw new AssertionError("model " + key + " is not listed");
    }

    private static JsonNode generate(TestClient client, String key) {
        TestResponse queued = client.post("/api/v1/queue/default/enqueue_batch", Map.of("batch", Map.of("graph",
                StandardGraphs.headlessTextToImage(key, "a linked model", 7, 64, 2, "euler"))));
        assertEquals(200, queued.status(), queued.toString());
        long id = queued.json().path("item_ids").get(0).asLong();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        while (Instant.now().isBefore(deadline)) {
            JsonNode item = client.get("/api/v1/queue/default/i/" + id).json();
            String status = item.path("status").asText();
            if (status.equals("completed") || status.equals("failed") || status.equals("canceled")) {
                return item;
            }
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("item " + id + " did not finish");
    }

    private static void assertRefused(TestResponse response, int status, String detailPart) {
        assertEquals(status, response.status(), response.toString());
        assertTrue(response.detail().contains(detailPart), response.toString());
    }

    private static String modelKey(Path database, String name) throws SQLException {
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + database);
             var statement = db.prepareStatement("SELECT id FROM models WHERE name = ?")) {
            statement.setString(1, name);
            try (ResultSet rows = statement.executeQuery()) {
                assertTrue(rows.next(), name);
                return rows.getString(1);
            }
        }
    }

    private static Map<String, String> configs(Path database) throws SQLException {
        return query(database, "SELECT id, config FROM models");
    }

    private static Map<String, String> links(Path database) throws SQLException {
        return query(database, "SELECT model_key, COUNT(*) FROM model_onnx_exports GROUP BY model_key");
    }

    private static Map<String, String> query(Path database, String sql) throws SQLException {
        Map<String, String> values = new TreeMap<>();
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + database);
             ResultSet rows = db.createStatement().executeQuery(sql)) {
            while (rows.next()) {
                values.put(rows.getString(1), rows.getString(2));
            }
        }
        return values;
    }
}
