package org.invokej.hardening;

import org.invokej.testing.TestClient;
import org.invokej.testing.TestResponse;
import org.invokej.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Security headers on pages and API answers; CORS closed by default and opened by InvokeAI's settings. */
class SecurityHeadersTest {

    @TempDir
    Path root;

    private static void assertCommonHeaders(TestResponse response) {
        assertEquals("nosniff", response.header("X-Content-Type-Options").orElse(null), response.toString());
        assertEquals("same-origin", response.header("Referrer-Policy").orElse(null), response.toString());
        assertTrue(response.header("Content-Security-Policy").orElse("").contains("frame-ancestors 'none'"), response.toString());
    }

    @Test
    void pagesAndApiAnswersCarryThem() throws Exception {
        try (TestServer server = TestServer.start(root, Map.of("multiuser", "true"))) {
            TestClient client = server.client();
            TestResponse page = client.get("/");
            assertEquals(200, page.status());
            assertCommonHeaders(page);
            String csp = page.header("Content-Security-Policy").orElseThrow();
            assertTrue(csp.contains("script-src 'self'") && csp.contains("style-src 'self'") && !csp.contains("unsafe-inline"), csp);
            // Every inline script of the page is allowed by its hash, and nothing else inline.
            Matcher inline = Pattern.compile("<script>(.*?)</script>", Pattern.DOTALL).matcher(page.text());
            int count = 0;
            while (inline.find()) {
                String hash = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                        .digest(inline.group(1).getBytes(StandardCharsets.UTF_8)));
                assertTrue(csp.contains("'sha256-" + hash + "'"), csp);
                count++;
            }
            assertEquals(count, csp.split("'sha256-", -1).length - 1, csp);
            assertFalse(Pattern.compile("\\son[a-z]+=|style=").matcher(page.text()).find(), "no inline handlers or styles");

            for (TestResponse api : List.of(client.get("/api/v1/app/version"), client.get("/api/v1/auth/me"),
                    client.get("/api/v1/nothing-here"), client.get("/js/app.js"))) {
                assertCommonHeaders(api);
            }
            assertEquals("default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
                    client.get("/api/v1/auth/me").header("Content-Security-Policy").orElseThrow(), "401s too");
        }
    }

    @Test
    void corsIsClosedByDefault() {
        try (TestServer server = TestServer.start(root)) {
            TestClient other = server.client().withHeader("Origin", "https://elsewhere.example");
            TestResponse get = other.get("/api/v1/app/version");
            assertEquals(200, get.status());
            assertFalse(get.header("Access-Control-Allow-Origin").isPresent(), get.toString());
            TestResponse preflight = other.withHeader("Access-Control-Request-Method", "POST").send("OPTIONS", "/api/v1/boards/", null, new byte[0]);
            assertEquals(400, preflight.status(), preflight.toString());
            assertFalse(preflight.header("Access-Control-Allow-Origin").isPresent(), preflight.toString());
        }
    }

    @Test
    void allowedOriginsGetPreflightsAndCredentials() {
        try (TestServer server = TestServer.start(root, Map.of("allow_origins", "https://app.example",
                "allow_methods", "GET,POST", "allow_headers", "Authorization,Content-Type"))) {
            TestClient app = server.client().withHeader("Origin", "https://app.example");
            TestResponse preflight = app.withHeader("Access-Control-Request-Method", "POST")
                    .withHeader("Access-Control-Request-Headers", "authorization, content-type")
                    .send("OPTIONS", "/api/v1/boards/", null, new byte[0]);
            assertEquals(200, preflight.status(), preflight.toString());
            assertEquals("https://app.example", preflight.header("Access-Control-Allow-Origin").orElse(null));
            assertEquals("true", preflight.header("Access-Control-Allow-Credentials").orElse(null));
            assertTrue(preflight.header("Access-Control-Allow-Methods").orElse("").contains("POST"), preflight.toString());

            TestResponse get = app.get("/api/v1/app/version");
            assertEquals("https://app.example", get.header("Access-Control-Allow-Origin").orElse(null), get.toString());

            assertEquals(400, app.withHeader("Access-Control-Request-Method", "DELETE")
                    .send("OPTIONS", "/api/v1/boards/", null, new byte[0]).status(), "a method not allowed");
            TestClient stranger = server.client().withHeader("Origin", "https://elsewhere.example");
            assertEquals(400, stranger.withHeader("Access-Control-Request-Method", "POST")
                    .send("OPTIONS", "/api/v1/boards/", null, new byte[0]).status());
            assertFalse(stranger.get("/api/v1/app/version").header("Access-Control-Allow-Origin").isPresent());
        }
    }
}
