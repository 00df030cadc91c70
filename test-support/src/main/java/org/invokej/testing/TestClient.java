package org.invokej.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A plain HTTP client for tests, speaking to one server: JSON bodies in, {@link TestResponse} out. It is
 * immutable; {@link #withToken} and {@link #withHeader} return a client that also sends that header.
 */
public final class TestClient {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final URI base;
    private final Map<String, String> headers;

    public TestClient(URI base) {
        this(base, Map.of());
    }

    private TestClient(URI base, Map<String, String> headers) {
        this.base = base;
        this.headers = Map.copyOf(headers);
    }

    public URI base() {
        return base;
    }

    /** This client, also sending {@code Authorization: Bearer token}. */
    public TestClient withToken(String token) {
        return withHeader("Authorization", "Bearer " + token);
    }

    /** This client, also sending {@code name: value} on every request. */
    public TestClient withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new TestClient(base, more);
    }

    public TestResponse get(String path) {
        return send(request(path).GET());
    }

    public TestResponse delete(String path) {
        return send(request(path).DELETE());
    }

    /** POSTs {@code body} as JSON (a String is sent as it is; anything else is serialised). */
    public TestResponse post(String path, Object body) {
        return sendJson("POST", path, body);
    }

    public TestResponse patch(String path, Object body) {
        return sendJson("PATCH", path, body);
    }

    public TestResponse put(String path, Object body) {
        return sendJson("PUT", path, body);
    }

    /**
     * Sends a body the server is expected to refuse for its size, with {@code Expect: 100-continue}: the
     * client waits for the server's answer before sending the body, as well-behaved clients of large
     * uploads do, so the refusal is read instead of racing the connection being closed under the upload.
     */
    public TestResponse sendOversized(String method, String path, String contentType, byte[] body) {
        HttpRequest.Builder request = request(path).expectContinue(true)
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body)).header("Content-Type", contentType);
        return send(request);
    }

    /** Sends raw bytes with the given content type (null for none). */
    public TestResponse send(String method, String path, String contentType, byte[] body) {
        HttpRequest.Builder request = request(path).method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        Optional.ofNullable(contentType).ifPresent(type -> request.header("Content-Type", type));
        return send(request);
    }

    /** Sends {@code method path} with {@code body} as JSON (none if null). */
    public TestResponse json(String method, String path, Object body) {
        return sendJson(method, path, body);
    }

    private TestResponse sendJson(String method, String path, Object body) {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : toJson(body));
        HttpRequest.Builder request = request(path).method(method, publisher);
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return send(request);
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path.startsWith("/") ? path.substring(1) : path))
                .timeout(Duration.ofSeconds(60));
        headers.forEach(request::header);
        return request;
    }

    private static TestResponse send(HttpRequest.Builder request) {
        try {
            HttpResponse<byte[]> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new TestResponse(response.statusCode(), response.headers().map(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String toJson(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses JSON text (a socket message, say). */
    public static JsonNode parseJson(String text) {
        return parse(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    static JsonNode parse(byte[] body) {
        try {
            return MAPPER.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("Response is not JSON: " + new String(body, java.nio.charset.StandardCharsets.UTF_8), e);
        }
    }
}
