package org.invokej.hardening;

import org.invokej.testing.TestAccounts;
import org.invokej.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Malformed requests are the client's fault: a 4xx with a detail, never a 5xx. */
class ClientInputErrorsTest {

    @TempDir
    Path root;

    private TestServer server;
    private String token;

    @BeforeEach
    void start() {
        server = TestServer.start(root, Map.of("multiuser", "true", "bcrypt_cost", "4"));
        token = new TestAccounts(server).setupAdmin("admin@test.com").token();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** Writes {@code request} as it is and returns the status line of the answer. */
    private String raw(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.server().port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[4096];
            try {
                for (int n = in.read(buffer); n > 0 && !answer.toString(StandardCharsets.ISO_8859_1).contains("\r\n"); n = in.read(buffer)) {
                    answer.write(buffer, 0, n);
                }
            } catch (SocketTimeoutException | java.net.SocketException e) {
                // What arrived is the answer.
            }
            String text = answer.toString(StandardCharsets.ISO_8859_1);
            return text.lines().findFirst().orElse("(no answer)");
        }
    }

    private static void assertClientError(String statusLine) {
        assertTrue(statusLine.matches("HTTP/1\\.[01] 4\\d\\d .*"), statusLine);
    }

    @Test
    void aNulInAPathParameterIsNotFound() {
        assertEquals(404, server.client().get("/api/v2/models/i/x%00/image").status());
        assertEquals(404, server.client().withToken(token).get("/api/v2/models/i/x%00").status());
        assertEquals(404, server.client().withToken(token).get("/api/v1/images/i/x%00.png/full").status());
    }

    @Test
    void aBadChunkSizeIsABadRequest() throws IOException {
        String head = "POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
        assertClientError(raw(head + "zz\r\n{}\r\n0\r\n\r\n"));
        assertClientError(raw(head + "-5\r\n{}\r\n0\r\n\r\n"));
        assertClientError(raw(head + "ffffffffffffffffff\r\n{}\r\n0\r\n\r\n"));
    }

    @Test
    void http10IsAnsweredWithAClientError() throws IOException {
        assertClientError(raw("GET /api/v1/app/version HTTP/1.0\r\n\r\n"));
        assertClientError(raw("GET /api/v1/app/version HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n"));
    }
}
