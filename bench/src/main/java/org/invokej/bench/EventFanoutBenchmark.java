package org.invokej.bench;

import org.invokej.core.events.Audience;
import org.invokej.core.events.EventSink;
import org.invokej.core.events.ServerEvent;
import org.invokej.testing.TestPayload;
import org.invokej.testing.TestServer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Live event delivery, on one server in one run: the time from {@code EventSink.publish} to the frame
 * arriving at a client in the same JVM (p50/p99) for 1 and for 50 connected sockets, and messages
 * delivered per second (events × sockets) when publishing as fast as the clients keep up. The baseline
 * is a raw WebSocket echo on the same endpoint: the client's Engine.IO ping {@code 2x} answered by the
 * server's {@code 3x}, a full round trip through the same reader and writer.
 *
 * <p>{@code bench/run EventFanoutBenchmark [events] [sockets]} (defaults 2000 and 50).
 */
public final class EventFanoutBenchmark {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** Frames one socket may have outstanding while measuring throughput (the server's outbox holds 10,000). */
    private static final int WINDOW = 500;

    /** One connected socket that records when each event arrives. */
    private static final class Client implements WebSocket.Listener {
        final CompletableFuture<Void> connected = new CompletableFuture<>();
        final AtomicLong received = new AtomicLong();
        final List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        volatile CompletableFuture<Long> echo = new CompletableFuture<>();
        volatile CountDownLatch arrivals;
        volatile boolean recording;
        private final StringBuilder partial = new StringBuilder();
        WebSocket socket;

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                long now = System.nanoTime();
                String frame = partial.toString();
                partial.setLength(0);
                if (frame.startsWith("0{")) {
                    webSocket.sendText("40", true);
                } else if (frame.startsWith("40{")) {
                    connected.complete(null);
                } else if (frame.equals("2")) {
                    webSocket.sendText("3", true);
                } else if (frame.startsWith("3x")) {
                    echo.complete(now);
                } else if (frame.startsWith("42[")) {
                    if (recording) {
                        int at = frame.indexOf("\"t\":") + 4;
                        int end = at;
                        while (Character.isDigit(frame.charAt(end))) {
                            end++;
                        }
                        latencies.add((now - Long.parseLong(frame.substring(at, end))) / 1e6);
                    }
                    received.incrementAndGet();
                    CountDownLatch waiting = arrivals;
                    if (waiting != null) {
                        waiting.countDown();
                    }
                }
            }
            webSocket.request(1);
            return null;
        }
    }

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int many = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        try (TestServer server = TestServer.start(Files.createTempDirectory("invokej-bench-events"), Map.of("log_level", "warning"))) {
            EventSink sink = server.server().events();
            URI uri = URI.create("ws://" + server.server().uri().getAuthority() + "/ws/socket.io/?EIO=4&transport=websocket");
            List<Client> clients = new ArrayList<>();
            for (int i = 0; i < many; i++) {
                Client client = new Client();
                client.socket = HTTP.newWebSocketBuilder().buildAsync(uri, client).get(10, TimeUnit.SECONDS);
                client.connected.get(10, TimeUnit.SECONDS);
                clients.add(client);
            }
            Client first = clients.getFirst();
            System.out.printf("%d events per measurement; clients in the same JVM%n", events);

            echo(first, events); // warm-up
            List<Double> echoes = echo(first, events);
            double echoP50 = percentile(echoes, 0.5);
            System.out.printf("baseline: WebSocket echo round trip, 1 socket:  p50 %6.3f ms  p99 %6.3f ms%n", echoP50, percentile(echoes, 0.99));

            // One socket listens: the others are disconnected from the event's audience by a queue room.
            for (Client client : clients) {
                client.socket.sendText("42[\"subscribe_queue\",{\"queue_id\":\"" + (client == first ? "solo" : "all") + "\"}]", true);
            }
            first.socket.sendText("42[\"subscribe_queue\",{\"queue_id\":\"all\"}]", true);
            Thread.sleep(500);

            latency(sink, List.of(first), "solo", events); // warm-up
            List<Double> one = latency(sink, List.of(first), "solo", events);
            List<Double> all = latency(sink, clients, "all", events);
            double oneP50 = percentile(one, 0.5);
            double allP50 = percentile(all, 0.5);
            System.out.printf("publish -> receipt, 1 socket:    p50 %6.3f ms  p99 %6.3f ms  (p50 %.2fx the echo)%n",
                    oneP50, percentile(one, 0.99), oneP50 / echoP50);
            System.out.printf("publish -> receipt, %d sockets:  p50 %6.3f ms  p99 %6.3f ms  (p50 %.2fx one socket, %.2fx the echo)%n",
                    many, allP50, percentile(all, 0.99), allP50 / oneP50, allP50 / echoP50);

            double rateOne = throughput(sink, List.of(first), "solo", events * 5);
            double rateAll = throughput(sink, clients, "all", events);
            System.out.printf("delivered, 1 socket:    %9.0f messages/s%n", rateOne);
            System.out.printf("delivered, %d sockets:  %9.0f messages/s  (%.2fx one socket)%n", many, rateAll, rateAll / rateOne);
            clients.forEach(client -> client.socket.abort());
        }
    }

    /** Round trips of the client's ping {@code 2x} and the server's {@code 3x}, one at a time. */
    private static List<Double> echo(Client client, int count) throws Exception {
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            client.echo = new CompletableFuture<>();
            long start = System.nanoTime();
            client.socket.sendText("2x", true);
            times.add((client.echo.get(5, TimeUnit.SECONDS) - start) / 1e6);
        }
        return times;
    }

    /** Publish-to-receipt times of events published one at a time, each after every socket had the last. */
    private static List<Double> latency(EventSink sink, List<Client> clients, String queue, int count) throws InterruptedException {
        clients.forEach(client -> {
            client.latencies.clear();
            client.recording = true;
        });
        for (int i = 0; i < count; i++) {
            CountDownLatch arrivals = new CountDownLatch(clients.size());
            clients.forEach(client -> client.arrivals = arrivals);
            sink.publish(event(queue, i));
            if (!arrivals.await(5, TimeUnit.SECONDS)) {
                throw new IllegalStateException("event " + i + " did not reach every socket");
            }
        }
        List<Double> all = new ArrayList<>();
        clients.forEach(client -> {
            client.recording = false;
            client.arrivals = null;
            all.addAll(client.latencies);
        });
        return all;
    }

    /** Messages delivered per second (events × sockets), publishing as fast as the slowest socket keeps up. */
    private static double throughput(EventSink sink, List<Client> clients, String queue, int count) throws InterruptedException {
        long[] start = clients.stream().mapToLong(client -> client.received.get()).toArray();
        long begin = System.nanoTime();
        for (int i = 0; i < count; i++) {
            sink.publish(event(queue, i));
            while (slowest(clients, start) < i - WINDOW) {
                LockSupport.parkNanos(20_000);
            }
        }
        while (slowest(clients, start) < count) {
            Thread.sleep(1);
        }
        return (double) count * clients.size() / ((System.nanoTime() - begin) / 1e9);
    }

    private static long slowest(List<Client> clients, long[] start) {
        long min = Long.MAX_VALUE;
        for (int c = 0; c < clients.size(); c++) {
            min = Math.min(min, clients.get(c).received.get() - start[c]);
        }
        return min;
    }

    private static ServerEvent event(String queue, int seq) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("queue_id", queue);
        payload.put("seq", seq);
        payload.put("t", System.nanoTime());
        return new ServerEvent("queue_item_status_changed", TestPayload.of(payload), new Audience.QueueRoom(queue));
    }

    static double percentile(List<Double> values, double p) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }
}
