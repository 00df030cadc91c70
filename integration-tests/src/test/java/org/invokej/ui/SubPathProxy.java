package org.invokej.ui;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A reverse proxy that publishes a server under a sub-path, as nginx's
 * {@code location /invoke/ { proxy_pass http://127.0.0.1:9090/; }} does: it strips the prefix, keeps the
 * Host header, passes WebSocket upgrades through, and answers 404 for anything outside the prefix, so
 * a page that used an absolute URL anywhere would break. Each connection carries one request (the
 * proxy asks the server for {@code Connection: close}), which is all a browser needs. It records the
 * request lines it saw.
 */
final class SubPathProxy implements AutoCloseable {

    private static final byte[] END_OF_HEAD = {'\r', '\n', '\r', '\n'};

    private final String prefix;
    private final int targetPort;
    private final ServerSocket listener;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final List<String> requests = new CopyOnWriteArrayList<>();

    SubPathProxy(String prefix, int targetPort) throws IOException {
        this.prefix = prefix;
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.submit(this::accept);
    }

    /** The page address through the proxy, e.g. {@code http://127.0.0.1:PORT/invoke/}. */
    URI uri() {
        return URI.create("http://127.0.0.1:" + listener.getLocalPort() + prefix + "/");
    }

    /** "METHOD target" of every request received, in order. */
    List<String> requests() {
        return List.copyOf(requests);
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                threads.submit(() -> serve(client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            String head = readHead(in);
            if (head == null) {
                return;
            }
            String[] lines = head.split("\r\n");
            String[] request = lines[0].split(" ", 3);
            String target = request[1];
            requests.add(request[0] + " " + target);
            if (target.equals(prefix)) {
                answer(client, "301 Moved Permanently", "Location: " + prefix + "/\r\n");
                return;
            }
            if (!target.startsWith(prefix + "/")) {
                answer(client, "404 Not Found", "");
                return;
            }
            boolean upgrade = false;
            StringBuilder forwarded = new StringBuilder(request[0] + " " + target.substring(prefix.length()) + " " + request[2] + "\r\n");
            for (int i = 1; i < lines.length; i++) {
                String name = lines[i].substring(0, Math.max(0, lines[i].indexOf(':'))).trim().toLowerCase(Locale.ROOT);
                upgrade |= name.equals("upgrade");
                if (!name.equals("connection") && !name.equals("keep-alive")) {
                    forwarded.append(lines[i]).append("\r\n");
                }
            }
            forwarded.append(upgrade ? "Connection: Upgrade\r\n" : "Connection: close\r\n").append("\r\n");
            try (Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort)) {
                upstream.getOutputStream().write(forwarded.toString().getBytes(StandardCharsets.ISO_8859_1));
                threads.submit(() -> pump(in, upstream.getOutputStream()));
                pump(upstream.getInputStream(), client.getOutputStream());
            }
        } catch (IOException e) {
            // The browser or the server went away; nothing to tell anyone.
        }
    }

    /** The request head up to its blank line, read a byte at a time so no body byte is taken; null at EOF. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < END_OF_HEAD.length) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
            matched = b == END_OF_HEAD[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1).trim();
    }

    private static void answer(Socket client, String status, String headers) throws IOException {
        client.getOutputStream().write(("HTTP/1.1 " + status + "\r\n" + headers + "Content-Length: 0\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
    }

    private static Void pump(InputStream from, OutputStream to) {
        try {
            from.transferTo(to);
        } catch (IOException e) {
            // one side closed
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        listener.close();
        threads.shutdownNow();
    }
}
