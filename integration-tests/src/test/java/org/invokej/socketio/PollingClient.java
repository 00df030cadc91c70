package org.invokej.socketio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * An Engine.IO long-polling client written with the JDK's HTTP client, packet by packet, for tests
 * that look at the wire: the opening GET, GETs and POSTs with the session's {@code sid}.
 */
final class PollingClient {

    static final String SEPARATOR = "\u001e";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final URI server;
    private final String sid;

    private PollingClient(URI server, String sid) {
        this.server = server;
        this.sid = sid;
    }

    /** Opens a session with the polling handshake; fails unless it is answered with an open packet. */
    static PollingClient open(URI server) {
        HttpResponse<String> answer = send(get(server, "/ws/socket.io/?EIO=4&transport=polling&t=N1"));
        if (answer.statusCode() != 200 || !answer.body().startsWith("0{")) {
            throw new IllegalStateException("handshake refused: " + answer.statusCode() + " " + answer.body());
        }
        String body = answer.body();
        int at = body.indexOf("\"sid\":\"") + 7;
        return new PollingClient(server, body.substring(at, body.indexOf('"', at)));
    }

    String sid() {
        return sid;
    }

    String target() {
        return "/ws/socket.io/?EIO=4&transport=polling&sid=" + sid;
    }

    /** One GET: the status and the payload. */
    HttpResponse<String> poll() {
        return send(get(server, target()));
    }

    /** A GET answered later. */
    CompletableFuture<HttpResponse<String>> pollAsync() {
        return HTTP.sendAsync(get(server, target()), HttpResponse.BodyHandlers.ofString());
    }

    /** The packets of one GET, which must succeed. */
    List<String> packets() {
        HttpResponse<String> answer = poll();
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("GET failed: " + answer.statusCode() + " " + answer.body());
        }
        return List.of(answer.body().split(SEPARATOR, -1));
    }

    /** One POST of {@code packets} joined as a payload. */
    HttpResponse<String> post(String... packets) {
        return send(HttpRequest.newBuilder(server.resolve(target())).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "text/plain;charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(String.join(SEPARATOR, packets))).build());
    }

    /** Reads the open packet's follower: sends a CONNECT with {@code auth} (or none) and returns the reply packet. */
    String connect(String auth) {
        HttpResponse<String> posted = post("40" + (auth == null ? "" : auth));
        if (posted.statusCode() != 200) {
            throw new IllegalStateException("POST failed: " + posted.statusCode() + " " + posted.body());
        }
        return packets().getFirst();
    }

    private static HttpRequest get(URI server, String target) {
        return HttpRequest.newBuilder(server.resolve(target)).timeout(Duration.ofSeconds(20)).GET().build();
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
