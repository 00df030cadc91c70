package org.invokej.testing;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A raw Engine.IO/Socket.IO client over the JDK's WebSocket, for tests that look at every frame: what
 * the server sends arrives in order through {@link #next}, what the test sends goes out as it is. By
 * default it answers the server's pings itself and hides them; {@link #manualPings} shows them instead.
 */
public final class TestSocket implements AutoCloseable {

    /** The Engine.IO query both reference clients send. */
    public static final String QUERY = "?EIO=4&transport=websocket";
    public static final Duration WAIT = Duration.ofSeconds(5);

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final boolean answerPings;
    private WebSocket webSocket;

    private TestSocket(boolean answerPings) {
        this.answerPings = answerPings;
    }

    /** Opens {@code /ws/socket.io/?EIO=4&transport=websocket} on {@code server}. */
    public static TestSocket open(URI server) {
        return open(server, "/ws/socket.io/" + QUERY, Map.of(), true);
    }

    /** Opens {@code pathAndQuery} with extra request headers; throws if the server refuses the upgrade. */
    public static TestSocket open(URI server, String pathAndQuery, Map<String, String> headers, boolean answerPings) {
        TestSocket socket = new TestSocket(answerPings);
        URI uri = URI.create("ws://" + server.getAuthority() + pathAndQuery);
        WebSocket.Builder builder = HTTP.newWebSocketBuilder();
        headers.forEach(builder::header);
        try {
            socket.webSocket = builder.buildAsync(uri, socket.new Listener()).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("WebSocket to " + uri + " failed: " + e.getMessage(), e);
        }
        return socket;
    }

    /** Opens a socket that shows the server's pings instead of answering them. */
    public static TestSocket manualPings(URI server) {
        return open(server, "/ws/socket.io/" + QUERY, Map.of(), false);
    }

    /** The open packet (the server's first frame), parsed. */
    public JsonNode openPacket() {
        String open = next();
        if (!open.startsWith("0")) {
            throw new IllegalStateException("expected the open packet, got " + open);
        }
        return TestClient.parse(open.substring(1).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Reads the open packet and sends a CONNECT with {@code auth} (JSON text, or null for none); returns the reply. */
    public String connect(String auth) {
        openPacket();
        send("40" + (auth == null ? "" : auth));
        return next();
    }

    /** Reads the open packet and connects with {@code token} in the auth payload; throws unless accepted. */
    public TestSocket connectWithToken(String token) {
        String reply = connect(token == null ? "{}" : "{\"token\":\"" + token + "\"}");
        if (!reply.startsWith("40{\"sid\"")) {
            throw new IllegalStateException("CONNECT refused: " + reply);
        }
        return this;
    }

    /** Subscribes to a queue and waits for the acknowledgement, so later events of that queue reach it. */
    public TestSocket subscribe(String queueId) {
        send("4290[\"subscribe_queue\",{\"queue_id\":\"" + queueId + "\"}]");
        String ack = next();
        if (!ack.equals("4390[]")) {
            throw new IllegalStateException("expected the subscription's ack, got " + ack);
        }
        return this;
    }

    /** Sends one text message; if the server closes the connection meanwhile, that shows in what follows. */
    public void send(String text) {
        try {
            webSocket.sendText(text, true).join();
        } catch (java.util.concurrent.CompletionException e) {
            if (!webSocket.isOutputClosed()) {
                throw e;
            }
        }
    }

    public void sendBinary(byte[] bytes) {
        webSocket.sendBinary(ByteBuffer.wrap(bytes), true).join();
    }

    /**
     * Sends {@code text} as several WebSocket frames of at most {@code frameChars} characters, stopping
     * early if the server closes the connection meanwhile.
     */
    public void sendFragmented(String text, int frameChars) {
        for (int at = 0; at < text.length() && !webSocket.isOutputClosed(); at += frameChars) {
            int end = Math.min(text.length(), at + frameChars);
            try {
                webSocket.sendText(text.substring(at, end), end == text.length()).join();
            } catch (java.util.concurrent.CompletionException closedMeanwhile) {
                return;
            }
        }
    }

    /** The next text message, waiting up to {@link #WAIT}. */
    public String next() {
        return poll(WAIT).orElseThrow(() -> new IllegalStateException("nothing received within " + WAIT
                + (closed.isDone() ? "; closed with " + closed.join() : "")));
    }

    /** The next text message, if one comes within {@code wait}. */
    public Optional<String> poll(Duration wait) {
        try {
            return Optional.ofNullable(received.poll(wait.toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The next Socket.IO EVENT's array {@code [name, payload]}; throws if the next message is something else. */
    public JsonNode nextEvent() {
        String message = next();
        if (!message.startsWith("42[")) {
            throw new IllegalStateException("expected an event, got " + message);
        }
        return TestClient.parse(message.substring(2).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The close status the server sent (-1 if the connection broke without one), once it closed within {@code wait}. */
    public OptionalInt awaitClose(Duration wait) {
        try {
            return OptionalInt.of(closed.get(wait.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            return OptionalInt.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            return OptionalInt.of(-1);
        }
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    @Override
    public void close() {
        if (!webSocket.isOutputClosed()) {
            webSocket.sendClose(WebSocket.NORMAL_CLOSURE, "").exceptionally(e -> null);
        }
        webSocket.abort();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String message = partial.toString();
                partial.setLength(0);
                if (answerPings && message.equals("2")) {
                    socket.sendText("3", true);
                } else {
                    received.add(message);
                }
            }
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket socket, ByteBuffer data, boolean last) {
            received.add("<binary>");
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            closed.completeExceptionally(error);
        }
    }
}
