package org.invokej.http.socketio;

import io.helidon.websocket.WsSession;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes a session's {@link Outbox} to its WebSocket, one Engine.IO packet per message, on a virtual
 * thread of its own, so that whoever sends never waits for a slow client; ends with the closing
 * handshake when the outbox closes.
 */
final class WebSocketWriter {

    private static final Logger LOG = Logger.getLogger(WebSocketWriter.class.getName());

    private final WsSession webSocket;
    private final Outbox outbox;
    private final CountDownLatch written = new CountDownLatch(1);

    WebSocketWriter(WsSession webSocket, Outbox outbox, String name) {
        this.webSocket = webSocket;
        this.outbox = outbox;
        Thread.ofVirtual().name("socket-out-" + name).start(this::write);
    }

    /** Waits up to {@code wait} for the writer to finish (after a close: the close frame is out). */
    boolean awaitWritten(Duration wait) throws InterruptedException {
        return written.await(wait.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void write() {
        try {
            while (true) {
                switch (outbox.take()) {
                    case Outbox.Packet packet -> webSocket.send(packet.text(), true);
                    case Outbox.Close close -> {
                        if (close.code() != 0) {
                            webSocket.close(close.code(), close.reason());
                        }
                        return;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // The connection broke under us; its reader sees that too and cleans up.
            LOG.log(Level.FINE, "Socket write failed", e);
        } finally {
            written.countDown();
        }
    }
}
