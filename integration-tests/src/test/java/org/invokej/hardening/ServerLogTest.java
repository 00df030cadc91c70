package org.invokej.hardening;

import org.invokej.testing.Scripts;
import org.invokej.testing.TestClient;
import org.invokej.testing.TestResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the server's log shows a person: no line per request unless debugging, and no false errors. */
class ServerLogTest {

    @TempDir
    Path root;

    /** Runs a server at {@code level}, sends a request and a conditional request of a page, stops it; returns its log. */
    private String logOfAFewRequests(String level) throws Exception {
        Process process = Scripts.start("invokeai-web", List.of("--root", root.toString(), "--port", "0", "--log-level", level), Map.of());
        CompletableFuture<String> stderr = Scripts.drain(process.getErrorStream());
        try {
            URI uri = StartupFailuresTest.awaitRunning(process);
            TestClient client = new TestClient(uri);
            assertEquals(200, client.get("/api/v1/app/version").status());
            TestResponse css = client.get("/app.css");
            assertEquals(200, css.status());
            String etag = css.header("ETag").orElseThrow();
            TestResponse again = client.withHeader("If-None-Match", etag).get("/app.css");
            assertEquals(304, again.status(), again.toString());
            assertEquals(0, again.body().length, "a 304 has no body");
            // as a browser revalidates a cached asset: both validators, here on the API docs' static files too
            for (String asset : List.of("/app.css", "/js/app.js", "/docs/assets/swagger-ui.css")) {
                TestResponse cached = client.get(asset);
                assertEquals(200, cached.status(), asset);
                TestResponse revalidated = client.withHeader("If-None-Match", cached.header("ETag").orElseThrow())
                        .withHeader("If-Modified-Since", cached.header("Last-Modified").orElseThrow()).get(asset);
                assertEquals(304, revalidated.status(), asset + ": " + revalidated);
                assertEquals(0, revalidated.body().length, asset);
                assertTrue(revalidated.header("Content-Length").map("0"::equals).orElse(true), asset + ": " + revalidated);
            }
        } finally {
            process.toHandle().destroy();
            process.waitFor(30, TimeUnit.SECONDS);
            process.destroyForcibly();
        }
        return stderr.get(10, TimeUnit.SECONDS);
    }

    @Test
    void requestsAreLoggedOnlyWhenDebugging() throws Exception {
        String info = logOfAFewRequests("info");
        assertFalse(info.contains("GET /api/v1/app/version"), info);
        assertFalse(info.contains("ERROR") || info.contains("SEVERE"), "no false error for a 304:\n" + info);
        String debug = logOfAFewRequests("debug");
        assertTrue(debug.lines().anyMatch(line -> line.contains(" DEBUG ") && line.contains("GET /api/v1/app/version")),
                "access lines are debug records:\n" + debug);
        assertFalse(debug.contains("ERROR") || debug.contains("SEVERE"), "no false error for a 304:\n" + debug);
    }
}
