package org.invokej.socketio;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP/1.1 request written by hand, for opening requests the JDK client will not send (it sets
 * {@code Upgrade} and {@code Connection} itself and refuses them as headers).
 */
record RawHttp(int status, String head, String body) {

    /** Sends {@code method target} with {@code headers} (CRLF-separated lines, may be empty) and reads the answer. */
    static RawHttp send(int port, String method, String target, String headers) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            String request = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n"
                    + (method.equals("POST") ? "Content-Length: 0\r\n" : "") + headers + "\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            String answer = new String(readAll(socket.getInputStream()), StandardCharsets.UTF_8);
            int split = answer.indexOf("\r\n\r\n");
            String head = split < 0 ? answer : answer.substring(0, split);
            String body = split < 0 ? "" : answer.substring(split + 4);
            return new RawHttp(Integer.parseInt(head.split(" ")[1]), head, body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An upgrade request as a WebSocket client sends it. */
    static RawHttp upgrade(int port, String method, String target) {
        return send(port, method, target, "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n");
    }

    private static byte[] readAll(InputStream in) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            int n;
            while ((n = in.read(buffer)) > 0) {
                out.write(buffer, 0, n);
                if (out.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n") && complete(out.toString(StandardCharsets.ISO_8859_1))) {
                    break;
                }
            }
        } catch (java.net.SocketTimeoutException e) {
            // An upgraded connection stays open; what arrived so far is the answer.
        }
        return out.toByteArray();
    }

    /** Whether a response with a Content-Length has all its body (101s have none). */
    private static boolean complete(String text) {
        int split = text.indexOf("\r\n\r\n");
        String head = text.substring(0, split).toLowerCase(java.util.Locale.ROOT);
        if (head.startsWith("http/1.1 101")) {
            return true;
        }
        int at = head.indexOf("content-length:");
        if (at < 0) {
            return false;
        }
        int end = head.indexOf("\r\n", at);
        int length = Integer.parseInt(head.substring(at + 15, end < 0 ? head.length() : end).strip());
        return text.length() - split - 4 >= length;
    }
}
