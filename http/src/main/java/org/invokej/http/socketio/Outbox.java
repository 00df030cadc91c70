package org.invokej.http.socketio;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The Engine.IO packets waiting to go out on one session, whichever transport carries them: a
 * WebSocket's writer thread takes them one by one, a long-polling GET takes all that are waiting.
 * Whoever sends (an event publisher, the heartbeat timer, the session's reader) never waits for a slow
 * client: a client that lets {@code capacity} packets, or {@code maxChars} characters, pile up is too
 * slow to follow along and is cut off (it rejoins, with the events it missed reloadable over REST,
 * when it catches up). The queue grows only with what is waiting, so an idle session costs a few bytes.
 */
final class Outbox {

    /** What the transport does next. */
    sealed interface Item {
    }

    /** One Engine.IO packet, e.g. {@code 2} or {@code 42["event",{}]}. */
    record Packet(String text) implements Item {
    }

    /**
     * The end of the session: a WebSocket closes with {@code code} (RFC 6455); a long-polling GET
     * carries Engine.IO's close packet {@code 1}. Code 0: the transport is already gone, write nothing.
     */
    record Close(int code, String reason) implements Item {
    }

    /** Close codes of RFC 6455 used here. */
    static final int NORMAL = 1000;
    static final int GOING_AWAY = 1001;
    static final int PROTOCOL_ERROR = 1002;
    static final int UNSUPPORTED_DATA = 1003;
    static final int POLICY_VIOLATION = 1008;
    static final int TOO_BIG = 1009;
    static final int TRY_AGAIN_LATER = 1013;

    private final int capacity;
    private final long maxChars;
    private final LinkedBlockingQueue<Item> queue;
    private final Runnable onOverflow;
    private long queuedChars;
    private volatile boolean closing;

    /**
     * @param onOverflow run once when the client fell {@code capacity} packets (or {@code maxChars}
     *                   characters) behind; the outbox then closes
     */
    Outbox(int capacity, long maxChars, Runnable onOverflow) {
        this.capacity = capacity;
        this.maxChars = maxChars;
        // One slot more for the close.
        this.queue = new LinkedBlockingQueue<>(capacity + 1);
        this.onOverflow = onOverflow;
    }

    /** Queues a packet; false once the outbox is closing (or just overflowed). */
    boolean send(String text) {
        boolean overflow;
        synchronized (this) {
            if (closing) {
                return false;
            }
            overflow = queue.size() >= capacity || queuedChars + text.length() > maxChars;
            if (!overflow) {
                queue.add(new Packet(text));
                queuedChars += text.length();
                return true;
            }
            closing = true;
            queue.clear();
            queuedChars = 0;
            queue.add(new Close(TRY_AGAIN_LATER, "client too slow"));
        }
        onOverflow.run();
        return false;
    }

    /** Queues the end after the packets already queued; later packets are dropped. */
    synchronized void close(int code, String reason) {
        if (!closing) {
            closing = true;
            queue.add(new Close(code, reason));
        }
    }

    /** Ends without writing anything more (the transport is already gone). */
    synchronized void discard() {
        closing = true;
        queue.clear();
        queuedChars = 0;
        queue.add(new Close(0, null));
    }

    /** The next item, waiting as long as it takes (a WebSocket's writer). */
    Item take() throws InterruptedException {
        return taken(queue.take());
    }

    /**
     * What is waiting, at most {@code limit} items, waiting up to {@code wait} for the first (a
     * long-polling GET): packets in order, ending with the close if it came. Empty when nothing came in time.
     */
    List<Item> drain(Duration wait, int limit) throws InterruptedException {
        Item first = queue.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
        if (first == null) {
            return List.of();
        }
        List<Item> items = new ArrayList<>();
        items.add(taken(first));
        while (!(items.getLast() instanceof Close) && items.size() < limit) {
            Item next = queue.poll();
            if (next == null) {
                break;
            }
            items.add(taken(next));
        }
        // The close stays for whoever asks next, so every reader sees the end.
        if (items.getLast() instanceof Close close) {
            queue.offer(close);
        }
        return items;
    }

    private Item taken(Item item) {
        if (item instanceof Packet packet) {
            synchronized (this) {
                queuedChars -= packet.text().length();
            }
        }
        return item;
    }
}
