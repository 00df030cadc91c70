package org.invokej.server;

import org.invokej.launcher.ConfigException;
import org.invokej.launcher.InvokeServer;
import org.invokej.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ssl_certfile} / {@code ssl_keyfile}: HTTPS and WSS with a self-signed certificate made by
 * {@code openssl} for this test, reached by the JDK's clients trusting exactly that certificate; and one
 * clear line for every kind of bad file.
 */
class TlsTest {

    @TempDir
    static Path certs;

    @BeforeAll
    static void makeCertificates() throws Exception {
        openssl(certs.resolve("cert.pem"), certs.resolve("key.pem"));
        openssl(certs.resolve("other-cert.pem"), certs.resolve("other-key.pem"));
    }

    private static void openssl(Path cert, Path key) throws Exception {
        Process process = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                "-keyout", key.toString(), "-out", cert.toString()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertEquals(0, process.waitFor(), output);
    }

    /** A client that trusts the test's certificate and nothing else. */
    private static HttpClient trustingClient(Path cert) throws Exception {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        try (InputStream in = Files.newInputStream(cert)) {
            trusted.setCertificateEntry("invokej", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(10)).build();
    }

    private static Map<String, String> tls(String cert, String key) {
        return Map.of("ssl_certfile", certs.resolve(cert).toString(), "ssl_keyfile", certs.resolve(key).toString());
    }

    @Test
    void servesHttpsAndWssWithTheConfiguredCertificate(@TempDir Path root) throws Exception {
        try (TestServer server = TestServer.start(root, tls("cert.pem", "key.pem"))) {
            URI base = server.server().uri();
            assertEquals("https", base.getScheme(), "the start-up line names https");
            HttpClient client = trustingClient(certs.resolve("cert.pem"));
            HttpResponse<String> status = client.send(HttpRequest.newBuilder(base.resolve("/api/v1/auth/status")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, status.statusCode(), status.body());
            assertTrue(status.body().contains("multiuser_enabled"), status.body());

            CompletableFuture<String> opened = new CompletableFuture<>();
            URI wss = URI.create("wss://127.0.0.1:" + base.getPort() + "/ws/socket.io/?EIO=4&transport=websocket");
            WebSocket socket = client.newWebSocketBuilder().buildAsync(wss, new WebSocket.Listener() {
                @Override
                public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                    opened.complete(data.toString());
                    return null;
                }
            }).get(10, TimeUnit.SECONDS);
            String open = opened.get(10, TimeUnit.SECONDS);
            assertTrue(open.startsWith("0{\"sid\""), "Engine.IO's open packet over WSS: " + open);
            socket.abort();

            HttpClient untrusting = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            assertThrows(SSLHandshakeException.class, () -> untrusting.send(HttpRequest.newBuilder(base.resolve("/api/v1/auth/status")).build(),
                    HttpResponse.BodyHandlers.ofString()), "a client that does not trust the certificate is refused");
            HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            URI http = URI.create("http://127.0.0.1:" + base.getPort() + "/api/v1/auth/status");
            assertThrows(IOException.class, () -> plain.send(HttpRequest.newBuilder(http).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()), "no plain HTTP on a TLS listener");
        }
    }

    @Test
    void badFilesStopStartUpWithOneLineNamingTheFile(@TempDir Path root) throws Exception {
        Path garbage = certs.resolve("garbage.pem");
        Files.writeString(garbage, "not a certificate\n");
        record Case(Map<String, String> settings, String expected) {
        }
        List<Case> cases = List.of(
                new Case(tls("missing.pem", "key.pem"), "the certificate file " + certs.resolve("missing.pem") + " does not exist"),
                new Case(tls("cert.pem", "missing-key.pem"), "the private key file " + certs.resolve("missing-key.pem") + " does not exist"),
                new Case(tls("cert.pem", "other-key.pem"), "does not belong to the certificate"),
                new Case(tls("garbage.pem", "key.pem"), "holds no PEM certificate"),
                new Case(tls("cert.pem", "garbage.pem"), "holds no unencrypted PEM private key"),
                new Case(Map.of("ssl_certfile", certs.resolve("cert.pem").toString()), "ssl_certfile and ssl_keyfile go together"));
        for (Case bad : cases) {
            InvokeServer.Builder builder = InvokeServer.builder().root(root).environment(Map.of()).set("port", "0");
            bad.settings().forEach(builder::set);
            ConfigException refused = assertThrows(ConfigException.class, builder::start, bad.toString());
            assertTrue(refused.getMessage().contains(bad.expected()), refused.getMessage());
            assertEquals(1, refused.getMessage().lines().count(), refused.getMessage());
        }
        assertTrue(Files.notExists(root.resolve("databases").resolve("invokeai.db")), "refused before the database was made");
    }
}
