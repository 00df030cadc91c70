package org.invokej.socketio;

import org.invokej.http.socketio.LiveSockets;
import org.invokej.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What idle long-polling sessions cost: 200 connected sessions, each with its GET waiting on a
 * connection of its own, grow the heap by less than {@link #BOUND_PER_SESSION} each. The server runs
 * in this JVM; the waiting GETs are written on plain sockets (whose buffers are off the heap), so
 * the growth measured is the server's: its session, its outbox, the connection's buffers and the
 * virtual thread that waits (and what the test holds of the 200 sessions it opened). Measured on the
 * 2-core machine: about 31 KiB per session (6.2 MiB for 200), so the bound leaves twice that.
 */
class PollingMemoryTest {

    private static final int SESSIONS = 200;
    private static final long BOUND_PER_SESSION = 64 * 1024;

    @TempDir
    Path root;

    @Test
    void twoHundredIdlePollingSessionsStayUnderTheBound() throws Exception {
        // Pings far apart: the GETs stay waiting while the heap is measured.
        TestServer server = TestServer.start(root, Map.of("socket_ping_interval_ms", "600000", "socket_ping_timeout_ms", "600000",
                "socket_max_polling_sessions_per_user", String.valueOf(SESSIONS)));
        try {
            LiveSockets hub = server.server().sockets();
            // Warm up the code paths (classes, the HTTP client) so that their one-time cost is not counted.
            PollingClient warm = PollingClient.open(server.server().uri());
            warm.connect(null);
            warm.post("1");
            long before = settledHeap();

            List<PollingClient> clients = new ArrayList<>();
            for (int i = 0; i < SESSIONS; i++) {
                PollingClient client = PollingClient.open(server.server().uri());
                assertTrue(client.connect(null).startsWith("40{\"sid\""));
                clients.add(client);
            }
            // Opened before the measurement starts, like the clients: only the GETs' effect is counted.
            List<Socket> waiting = new ArrayList<>();
            for (int i = 0; i < SESSIONS; i++) {
                waiting.add(new Socket("127.0.0.1", server.server().port()));
            }
            long connected = settledHeap();
            for (int i = 0; i < SESSIONS; i++) {
                waiting.get(i).getOutputStream().write(("GET " + clients.get(i).target() + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
            }
            awaitPolling(hub, SESSIONS);
            Thread.sleep(500);
            long after = settledHeap();
            long perSession = (after - before) / SESSIONS;
            System.out.printf("%d idle polling sessions: heap %+d KiB (%+d KiB of it once connected, before the GETs), %d bytes per session%n",
                    SESSIONS, (after - before) / 1024, (connected - before) / 1024, perSession);
            assertTrue(perSession < BOUND_PER_SESSION, "each idle polling session costs " + perSession + " bytes");
            for (Socket socket : waiting) {
                assertEquals(0, socket.getInputStream().available(), "the GETs were waiting while measured");
                socket.close();
            }

            for (PollingClient client : clients) {
                assertEquals(200, client.post("1").statusCode());
            }
            awaitPolling(hub, 0);
        } finally {
            server.close();
        }
    }

    private static void awaitPolling(LiveSockets hub, int count) throws InterruptedException {
        for (int i = 0; i < 200 && hub.pollingSessions() != count; i++) {
            Thread.sleep(50);
        }
        assertEquals(count, hub.pollingSessions());
    }

    /** Heap in use after collections have settled (the lowest of a few readings). */
    private static long settledHeap() throws InterruptedException {
        long lowest = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(200);
            lowest = Math.min(lowest, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return lowest;
    }
}
