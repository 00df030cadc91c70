package org.invokej.ui;

import org.invokej.launcher.ConfigException;
import org.invokej.launcher.InvokeServer;
import org.invokej.testing.Scripts;
import org.invokej.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code web_ui_dir}: a built web UI served at {@code /} instead of the built-in one, from a small
 * dist folder this test writes, and once from the real InvokeAI 6.14 web UI in {@code ../shared}.
 */
class WebUiFolderTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String INDEX = "<!doctype html><title>fake InvokeAI</title><script src=\"/assets/App-abc123.js\"></script>";

    @TempDir
    static Path root;
    @TempDir
    static Path dist;

    private static TestServer server;

    @BeforeAll
    static void start() throws IOException {
        Files.writeString(dist.resolve("index.html"), INDEX);
        Files.createDirectories(dist.resolve("assets"));
        Files.writeString(dist.resolve("assets/App-abc123.js"), "console.log('app');");
        Files.createDirectories(dist.resolve("locales"));
        Files.writeString(dist.resolve("locales/en.json"), "{\"hello\":\"Hello\"}");
        Files.writeString(root.resolve("secret.txt"), "outside the UI folder");
        server = TestServer.start(root, Map.of("web_ui_dir", dist.toString()));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> get(TestServer on, String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(on.server().uri().resolve(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse("(none)");
    }

    @Test
    void pagePathsGetIndexHtmlNeverCached() {
        for (String path : new String[] {"/", "/login", "/setup", "/app", "/app/workflows/x", "/index.html"}) {
            HttpResponse<String> page = get(server, path);
            assertEquals(200, page.statusCode(), path);
            assertEquals(INDEX, page.body(), path);
            assertTrue(header(page, "Content-Type").startsWith("text/html"), path + ": " + header(page, "Content-Type"));
            assertTrue(header(page, "Cache-Control").matches("no-store|no-cache"), path + ": " + header(page, "Cache-Control"));
        }
        assertEquals("no-store", header(get(server, "/login"), "Cache-Control"), "the page the router answers is never stored");
    }

    @Test
    void filesAreServedAndHashedAssetsCachedForAYear() {
        HttpResponse<String> asset = get(server, "/assets/App-abc123.js");
        assertEquals(200, asset.statusCode());
        assertEquals("console.log('app');", asset.body());
        assertTrue(header(asset, "Content-Type").contains("javascript"), header(asset, "Content-Type"));
        assertEquals("public, max-age=31536000, immutable", header(asset, "Cache-Control"));
        HttpResponse<String> locale = get(server, "/locales/en.json");
        assertEquals(200, locale.statusCode());
        assertEquals("{\"hello\":\"Hello\"}", locale.body());
        assertEquals("no-cache", header(locale, "Cache-Control"), "unhashed files are revalidated");
        assertEquals(404, get(server, "/assets/App-missing.js").statusCode(), "a missing asset is not the page");
    }

    @Test
    void apiRoutesStillWin() {
        HttpResponse<String> version = get(server, "/api/v1/app/version");
        assertEquals(200, version.statusCode());
        assertTrue(version.body().contains("\"version\""), version.body());
        HttpResponse<String> missing = get(server, "/api/v1/no_such_route");
        assertEquals(404, missing.statusCode());
        assertEquals("{\"detail\":\"Not Found\"}", missing.body(), "an unknown API route is a JSON 404, not the page");
        assertFalse(get(server, "/ws/socket.io/?EIO=4&transport=polling").body().contains("fake InvokeAI"), "the socket endpoint is the server's");
    }

    @Test
    void pathTraversalIsRefused() throws IOException {
        for (String target : new String[] {"/../secret.txt", "/assets/../../secret.txt", "/%2e%2e/secret.txt", "/assets/%2e%2e/%2e%2e/secret.txt",
                "/..%2fsecret.txt"}) {
            String answer = raw(target);
            assertFalse(answer.contains("outside the UI folder"), target + ": " + answer);
        }
    }

    @Test
    void aBadFolderStopsStartUpWithOneLineNamingTheSetting(@TempDir Path otherRoot) throws IOException {
        Path empty = Files.createDirectories(otherRoot.resolve("empty-dist"));
        for (Path bad : new Path[] {otherRoot.resolve("missing"), empty}) {
            ConfigException refused = assertThrows(ConfigException.class, () ->
                    InvokeServer.builder().root(otherRoot).environment(Map.of()).set("port", "0").set("web_ui_dir", bad.toString()).start());
            assertTrue(refused.getMessage().startsWith("web_ui_dir: "), refused.getMessage());
            assertTrue(refused.getMessage().contains(bad.toString()), refused.getMessage());
            assertEquals(1, refused.getMessage().lines().count(), refused.getMessage());
        }
    }

    @Test
    void theRealInvokeAiWebUiIsServed(@TempDir Path otherRoot) throws IOException {
        String configured = System.getProperty("invokej.webUiDist", System.getenv("INVOKEJ_WEB_UI_DIST"));
        Path real = configured != null ? Path.of(configured)
                : Scripts.projectRoot().resolve("../shared/clients/invokeai-web-6.14.0/dist").normalize();
        assertTrue(Files.isRegularFile(real.resolve("index.html")), "InvokeAI's built web UI is not at " + real
                + ": pass its dist folder with -Dinvokej.webUiDist=DIR or INVOKEJ_WEB_UI_DIST=DIR");
        String asset;
        try (Stream<Path> assets = Files.list(real.resolve("assets"))) {
            asset = assets.map(path -> path.getFileName().toString()).filter(name -> name.matches("App-.+\\.js")).findFirst()
                    .orElseThrow(() -> new AssertionError("no hashed App-*.js in " + real.resolve("assets")));
        }
        try (TestServer ui = TestServer.start(otherRoot, Map.of("web_ui_dir", real.toString()))) {
            HttpResponse<String> index = get(ui, "/login");
            assertEquals(200, index.statusCode());
            assertEquals(Files.readString(real.resolve("index.html")), index.body());
            assertEquals("no-store", header(index, "Cache-Control"));
            HttpResponse<String> app = get(ui, "/assets/" + asset);
            assertEquals(200, app.statusCode());
            assertEquals(Files.readString(real.resolve("assets").resolve(asset)), app.body());
            assertEquals("public, max-age=31536000, immutable", header(app, "Cache-Control"));
        }
    }

    /** One request written by hand, so that the path reaches the server exactly as written. */
    private static String raw(String target) throws IOException {
        URI uri = server.server().uri();
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(2000);
            socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: " + uri.getAuthority() + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            java.io.ByteArrayOutputStream answer = new java.io.ByteArrayOutputStream();
            try (InputStream in = socket.getInputStream()) {
                in.transferTo(answer);
            } catch (java.net.SocketTimeoutException e) {
                // The server keeps the connection open; what arrived is the answer.
            }
            String text = answer.toString(StandardCharsets.UTF_8);
            assertTrue(text.startsWith("HTTP/1.1 "), target + ": no answer");
            return text;
        }
    }
}
