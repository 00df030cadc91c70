package org.invokej.bench;

import org.invokej.core.events.Audience;
import org.invokej.core.events.EventSink;
import org.invokej.core.events.ServerEvent;
import org.invokej.testing.TestPayload;
import org.invokej.testing.TestServer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Event latency over Engine.IO long-polling against the WebSocket, on one server in one run: the time
 * from {@code EventSink.publish} to the event arriving at a client in the same JVM (p50/p99), one event
 * at a time, for a WebSocket client (the baseline) and a long-polling client that keeps one GET waiting
 * as socket.io-client does. Each client follows a queue room of its own, so each event reaches one.
 *
 * <p>{@code bench/run PollingLatencyBenchmark [events]} (default 1000).
 */
public final class PollingLatencyBenchmark {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String SEPARATOR = "\u001e";

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        try (TestServer server = TestServer.start(Files.createTempDirectory("invokej-bench-polling"), Map.of("log_level", "warning"))) {
            EventSink sink = server.server().events();
            BlockingQueue<Long> webSocketArrivals = new LinkedBlockingQueue<>();
            BlockingQueue<Long> pollingArrivals = new LinkedBlockingQueue<>();
            WebSocket webSocket = webSocketClient(server.server().uri(), webSocketArrivals);
            Thread polling = pollingClient(server.server().uri(), pollingArrivals);
            System.out.printf("%d events per measurement, one at a time; clients in the same JVM%n", events);

            measure(sink, "ws", webSocketArrivals, events); // warm-up
            measure(sink, "polling", pollingArrivals, events);
            List<Double> ws = measure(sink, "ws", webSocketArrivals, events);
            List<Double> poll = measure(sink, "polling", pollingArrivals, events);
            double wsP50 = percentile(ws, 0.5);
            double pollP50 = percentile(poll, 0.5);
            System.out.printf("baseline: WebSocket, publish -> receipt:    p50 %6.3f ms  p99 %6.3f ms%n", wsP50, percentile(ws, 0.99));
            System.out.printf("long-polling, publish -> receipt:          p50 %6.3f ms  p99 %6.3f ms  (p50 %.2fx the WebSocket)%n",
                    pollP50, percentile(poll, 0.99), pollP50 / wsP50);
            polling.interrupt();
            webSocket.abort();
        }
    }

    private static List<Double> measure(EventSink sink, String queue, BlockingQueue<Long> arrivals, int events) throws InterruptedException {
        List<Double> latencies = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            long sent = System.nanoTime();
            sink.publish(new ServerEvent("tick", TestPayload.of(Map.of("queue_id", queue)), new Audience.QueueRoom(queue)));
            Long arrived = arrivals.poll(10, TimeUnit.SECONDS);
            if (arrived == null) {
                throw new IllegalStateException("event " + i + " to " + queue + " never arrived");
            }
            latencies.add((arrived - sent) / 1e6);
        }
        return latencies;
    }

    /** A WebSocket client following queue {@code ws}; each event's arrival time goes to {@code arrivals}. */
    private static WebSocket webSocketClient(URI server, BlockingQueue<Long> arrivals) throws Exception {
        BlockingQueue<String> subscribed = new LinkedBlockingQueue<>();
        WebSocket.Listener listener = new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    long now = System.nanoTime();
                    String frame = partial.toString();
                    partial.setLength(0);
                    if (frame.startsWith("0{")) {
                        socket.sendText("40", true);
                    } else if (frame.startsWith("40{")) {
                        socket.sendText("421[\"subscribe_queue\",{\"queue_id\":\"ws\"}]", true);
                    } else if (frame.equals("431[]")) {
                        subscribed.add(frame);
                    } else if (frame.equals("2")) {
                        socket.sendText("3", true);
                    } else if (frame.startsWith("42[\"tick\"")) {
                        arrivals.add(now);
                    }
                }
                socket.request(1);
                return null;
            }
        };
        WebSocket socket = HTTP.newWebSocketBuilder()
                .buildAsync(URI.create("ws://" + server.getAuthority() + "/ws/socket.io/?EIO=4&transport=websocket"), listener)
                .get(10, TimeUnit.SECONDS);
        if (subscribed.poll(10, TimeUnit.SECONDS) == null) {
            throw new IllegalStateException("the WebSocket client did not subscribe");
        }
        return socket;
    }

    /** A long-polling client following queue {@code polling}, with one GET always waiting. */
    private static Thread pollingClient(URI server, BlockingQueue<Long> arrivals) throws Exception {
        String open = HTTP.send(get(server.resolve("/ws/socket.io/?EIO=4&transport=polling")), HttpResponse.BodyHandlers.ofString()).body();
        int at = open.indexOf("\"sid\":\"") + 7;
        URI session = server.resolve("/ws/socket.io/?EIO=4&transport=polling&sid=" + open.substring(at, open.indexOf('"', at)));
        Consumer<String> post = body -> {
            try {
                HTTP.send(HttpRequest.newBuilder(session).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.discarding());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        post.accept("40" + SEPARATOR + "421[\"subscribe_queue\",{\"queue_id\":\"polling\"}]");
        BlockingQueue<String> subscribed = new LinkedBlockingQueue<>();
        Thread loop = Thread.ofVirtual().start(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    String payload = HTTP.send(get(session), HttpResponse.BodyHandlers.ofString()).body();
                    long now = System.nanoTime();
                    for (String packet : payload.split(SEPARATOR)) {
                        if (packet.equals("2")) {
                            Thread.ofVirtual().start(() -> post.accept("3"));
                        } else if (packet.equals("431[]")) {
                            subscribed.add(packet);
                        } else if (packet.startsWith("42[\"tick\"")) {
                            arrivals.add(now);
                        } else if (packet.equals("1")) {
                            return;
                        }
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                if (!Thread.currentThread().isInterrupted()) {
                    e.printStackTrace();
                }
            }
        });
        if (subscribed.poll(10, TimeUnit.SECONDS) == null) {
            throw new IllegalStateException("the polling client did not subscribe");
        }
        return loop;
    }

    private static HttpRequest get(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).GET().build();
    }

    private static double percentile(List<Double> values, double p) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.floor(p * sorted.size())));
    }
}
