package org.invokej.http.auth;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/**
 * Who is on the other end of a request. The connection's peer, unless that peer is one of the
 * configured trusted proxies: then the nearest address in {@code X-Forwarded-For} that is not a
 * trusted proxy, and the scheme from {@code X-Forwarded-Proto}. Headers from anyone else are ignored,
 * so a client cannot dodge login throttling by inventing addresses.
 */
public final class ClientAddresses {

    private record Network(byte[] address, int prefix) {
        boolean contains(byte[] candidate) {
            if (candidate.length != address.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (candidate[i] != address[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            return rest == 0 || ((candidate[full] ^ address[full]) & (0xFF << (8 - rest)) & 0xFF) == 0;
        }
    }

    private final List<Network> trusted;

    /**
     * @param trustedProxies addresses or CIDR networks, e.g. {@code 127.0.0.1}, {@code 10.0.0.0/8}
     * @throws IllegalArgumentException naming an entry that is not an address or network
     */
    public ClientAddresses(List<String> trustedProxies) {
        this.trusted = trustedProxies.stream().map(ClientAddresses::network).toList();
    }

    /** The client's address as text (no port). */
    public String of(ServerRequest request) {
        String peer = host(request.remotePeer().address());
        if (!isTrusted(peer)) {
            return peer;
        }
        List<String> hops = request.headers().values(HeaderNames.X_FORWARDED_FOR).stream()
                .flatMap(value -> java.util.Arrays.stream(value.split(",")))
                .map(String::strip)
                .filter(hop -> !hop.isEmpty())
                .toList();
        for (int i = hops.size() - 1; i >= 0; i--) {
            if (!isTrusted(hops.get(i))) {
                return hops.get(i);
            }
        }
        return hops.isEmpty() ? peer : hops.get(0);
    }

    /** Whether the client reached us over HTTPS (directly, or as a trusted proxy says). */
    public boolean isHttps(ServerRequest request) {
        if (request.isSecure()) {
            return true;
        }
        return isTrusted(host(request.remotePeer().address()))
                && request.headers().first(HeaderNames.X_FORWARDED_PROTO)
                .map(proto -> proto.strip().toLowerCase(Locale.ROOT).startsWith("https")).orElse(false);
    }

    private boolean isTrusted(String address) {
        byte[] bytes = literal(address);
        return bytes != null && trusted.stream().anyMatch(network -> network.contains(bytes));
    }

    private static String host(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            return inet.getAddress() != null ? inet.getAddress().getHostAddress() : inet.getHostString();
        }
        return String.valueOf(address);
    }

    private static Network network(String entry) {
        String text = entry.strip();
        int slash = text.indexOf('/');
        byte[] address = literal(slash < 0 ? text : text.substring(0, slash));
        if (address == null) {
            throw new IllegalArgumentException("not an IP address or network: " + entry);
        }
        int prefix = address.length * 8;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not an IP address or network: " + entry);
            }
            if (prefix < 0 || prefix > address.length * 8) {
                throw new IllegalArgumentException("not an IP address or network: " + entry);
            }
        }
        return new Network(address, prefix);
    }

    /** The bytes of an IP literal, or null for anything else (never a DNS lookup). */
    private static byte[] literal(String text) {
        String host = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        if (host.isEmpty() || !(host.matches("[0-9.]+") || host.contains(":"))) {
            return null;
        }
        try {
            return InetAddress.getByName(host).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
