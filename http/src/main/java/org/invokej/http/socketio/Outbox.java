package org.invokej.http.socketio;

import io.helidon.websocket.WsSession;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The frames waiting to go out on one WebSocket, written in order by a virtual thread of its own, so
 * that whoever sends (an event publisher, the heartbeat timer, the connection's reader) never waits
 * for a slow client. A client that lets {@code capacity} frames pile up is too slow to follow along:
 * it is cut off, and rejoins (with the events it missed reloadable over REST) when it catches up.
 */
final class Outbox {

    private static final Logger LOG = Logger.getLogger(Outbox.class.getName());

    /** What the writer does next. */
    private sealed interface Item {
    }

    private record Frame(String text) implements Item {
    }

    private record Close(int code, String reason) implements Item {
    }

    /** Close codes of RFC 6455 used here. */
    static final int NORMAL = 1000;
    static final int GOING_AWAY = 1001;
    static final int PROTOCOL_ERROR = 1002;
    static final int UNSUPPORTED_DATA = 1003;
    static final int POLICY_VIOLATION = 1008;
    static final int TOO_BIG = 1009;
    static final int TRY_AGAIN_LATER = 1013;

    private final WsSession session;
    private final BlockingQueue<Item> queue;
    private final Runnable onOverflow;
    private final CountDownLatch written = new CountDownLatch(1);
    private volatile boolean closing;

    /**
     * @param onOverflow run once when the client fell {@code capacity} frames behind (the outbox then closes)
     */
    Outbox(WsSession session, int capacity, String name, Runnable onOverflow) {
        this.session = session;
        this.queue = new ArrayBlockingQueue<>(capacity + 1);
        this.onOverflow = onOverflow;
        Thread.ofVirtual().name("socket-out-" + name).start(this::write);
    }

    /** Queues a text frame; false once the outbox is closing. */
    boolean send(String text) {
        if (closing) {
            return false;
        }
        // One slot is kept for the close frame.
        if (queue.remainingCapacity() <= 1 || !queue.offer(new Frame(text))) {
            overflow();
            return false;
        }
        return true;
    }

    /** Queues the closing handshake after the frames already queued; later frames are dropped. */
    synchronized void close(int code, String reason) {
        if (!closing) {
            closing = true;
            if (!queue.offer(new Close(code, reason))) {
                queue.clear();
                queue.add(new Close(code, reason));
            }
        }
    }

    /** Stops the writer without a closing handshake (the connection is already gone). */
    synchronized void discard() {
        closing = true;
        queue.clear();
        queue.add(new Close(0, null));
    }

    private void overflow() {
        boolean first;
        synchronized (this) {
            first = !closing;
            if (first) {
                queue.clear();
            }
        }
        if (first) {
            close(TRY_AGAIN_LATER, "client too slow");
            onOverflow.run();
        }
    }

    /** Waits up to {@code wait} for the writer to finish (after a close: the close frame is out). */
    boolean awaitWritten(Duration wait) throws InterruptedException {
        return written.await(wait.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void write() {
        try {
            while (true) {
                Item item = queue.take();
                switch (item) {
                    case Frame frame -> session.send(frame.text(), true);
                    case Close close -> {
                        if (close.code() != 0) {
                            session.close(close.code(), close.reason());
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
