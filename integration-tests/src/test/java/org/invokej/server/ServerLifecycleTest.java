package org.invokej.server;

import org.invokej.launcher.ConfigException;
import org.invokej.launcher.InvokeServer;
import org.invokej.testing.TestClient;
import org.invokej.testing.TestResponse;
import org.invokej.testing.TestPostgres;
import org.invokej.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServerLifecycleTest {

    @TempDir
    Path root;

    @Test
    void startsOnAFreePortCreatesTheRootAndAnswersTheVersion() {
        Path fresh = root.resolve("new-root");
        try (TestServer server = TestServer.start(fresh)) {
            assertNotEquals(0, server.server().port());
            TestResponse version = server.client().get("/api/v1/app/version");
            assertEquals(200, version.status(), version.toString());
            assertEquals("application/json", version.header("Content-Type").orElseThrow());
            assertTrue(version.json().path("version").asText().matches("\\d+\\.\\d+\\.\\d+.*"), version.toString());

            assertTrue(Files.isRegularFile(fresh.resolve("invokeai.yaml")));
            // the database is where the settings put it: the root's SQLite file, or PostgreSQL and no file
            assertEquals(!TestPostgres.selected(), Files.isRegularFile(fresh.resolve("databases/invokeai.db")));
            assertTrue(Files.isDirectory(fresh.resolve("outputs/images/thumbnails")));
            assertTrue(Files.isDirectory(fresh.resolve("models")));
        }
    }

    @Test
    void stopsCleanlyAndTheNextStartFindsTheSameDatabase() throws IOException {
        TestServer first = TestServer.start(root);
        TestClient client = first.client();
        first.close();
        assertFalse(first.server().isRunning());
        assertThrows(UncheckedIOException.class, () -> client.get("/api/v1/app/version"));
        assertFalse(Files.exists(root.resolve("databases/invokeai.db-wal")) && Files.size(root.resolve("databases/invokeai.db-wal")) > 0,
                "closing checkpoints the WAL into the database file");

        try (TestServer second = TestServer.start(root)) {
            assertEquals(200, second.client().get("/api/v1/app/version").status());
        }
    }

    @Test
    void unknownRoutesAreJson404s() {
        try (TestServer server = TestServer.start(root)) {
            for (String path : new String[] {"/api/v1/nothing-here", "/api/v9/app/version", "/no/such/page.html"}) {
                TestResponse response = server.client().get(path);
                assertEquals(404, response.status(), path);
                assertEquals("Not Found", response.detail(), path);
            }
            assertEquals(404, server.client().post("/api/v1/nothing-here", Map.of("a", 1)).status());
        }
    }

    @Test
    void bodiesOverTheLimitAre413WithADetail() {
        try (TestServer server = TestServer.start(root, Map.of("max_request_size", "4KiB"))) {
            TestResponse response = server.client().send("POST", "/api/v1/app/version", "application/json", new byte[5000]);
            assertEquals(413, response.status(), response.toString());
            assertEquals("Request body is too large", response.detail());
            assertEquals(200, server.client().get("/api/v1/app/version").status(), "the server is still fine");
        }
    }

    @Test
    void malformedRequestLinesAndHeadersAreJson400s() throws IOException {
        try (TestServer server = TestServer.start(root);
             java.net.Socket socket = new java.net.Socket("127.0.0.1", server.server().port())) {
            socket.getOutputStream().write("GET /api/v1/app/version HTTP/1.1\r\nHost: x\r\nBad Header Without Colon\r\n\r\n"
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readNBytes(400), java.nio.charset.StandardCharsets.US_ASCII);
            assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
            assertTrue(answer.contains("application/json") && answer.contains("\"detail\""), answer);
        }
    }

    @Test
    void theBrowserUiIsServedAtTheRoot() {
        try (TestServer server = TestServer.start(root)) {
            TestResponse page = server.client().get("/");
            assertEquals(200, page.status());
            assertTrue(page.header("Content-Type").orElseThrow().startsWith("text/html"));
            assertTrue(page.text().contains("<title>InvokeJ</title>"));
        }
    }

    @Test
    void healthAndMetricsAreUnderObserve() {
        try (TestServer server = TestServer.start(root)) {
            int health = server.client().get("/observe/health/live").status();
            assertTrue(health == 200 || health == 204, "health answered " + health);
            TestResponse metrics = server.client().get("/observe/metrics");
            assertEquals(200, metrics.status());
            assertTrue(metrics.text().contains("# TYPE"), metrics.toString());
        }
    }

    @Test
    void aBadSettingStopsStartUpBeforeAnythingIsWritten() {
        Path fresh = root.resolve("never-created");
        ConfigException e = assertThrows(ConfigException.class,
                () -> InvokeServer.builder().root(fresh).environment(Map.of()).set("port", "abc").start());
        assertTrue(e.getMessage().contains("'port'"), e.getMessage());
        assertFalse(Files.exists(fresh), "nothing is created for a start that cannot happen");
    }

    @Test
    void anEnvironmentVariableOverridesTheFileForAnEmbeddedServer() throws IOException {
        Files.writeString(root.resolve("invokeai.yaml"), "port: 1\n");
        try (InvokeServer server = InvokeServer.builder().root(root).environment(Map.of("INVOKEAI_PORT", "0")).start()) {
            assertNotEquals(1, server.port());
            assertEquals(200, new TestClient(server.uri()).get("/api/v1/app/version").status());
        }
    }
}
