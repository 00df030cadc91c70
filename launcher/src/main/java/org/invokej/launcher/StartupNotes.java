package org.invokej.launcher;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code invokej web} tells the person who started it, after the line with the address: where
 * others on the LAN connect, that the first visit creates the administrator, and a warning when the
 * server is reachable from other machines without logins.
 */
final class StartupNotes {

    private StartupNotes() {
    }

    /**
     * @param local        where a client on this machine reaches the server
     * @param setupPending multi-user and no administrator yet
     * @param lan          this machine's non-loopback addresses
     */
    static List<String> of(InvokeConfig config, URI local, boolean setupPending, List<InetAddress> lan) {
        List<String> notes = new ArrayList<>();
        List<URI> others = lanUris(config.host(), local, lan);
        if (!others.isEmpty()) {
            notes.add("On the LAN, open " + String.join(" or ", others.stream().map(URI::toString).toList()));
        }
        if (setupPending) {
            URI setup = others.isEmpty() ? local : others.getFirst();
            notes.add("Open " + setup + " to create the administrator (or run bin/invoke-useradd --admin)");
        }
        if (!config.multiuser() && !isLoopback(config.host())) {
            notes.add("Warning: listening on " + config.host() + " without logins: anyone who reaches this port is the administrator"
                    + " (start with --multiuser, or set multiuser: true)");
        }
        return notes;
    }

    /** The addresses other machines use: this machine's when listening on every address, else the one listened on. */
    private static List<URI> lanUris(String host, URI local, List<InetAddress> lan) {
        if (isLoopback(host)) {
            return List.of();
        }
        boolean everyAddress = host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
        if (!everyAddress) {
            return List.of(local);
        }
        boolean ipv4Only = host.equals("0.0.0.0");
        return lan.stream()
                .filter(address -> !(ipv4Only && address instanceof Inet6Address))
                .map(address -> URI.create(local.getScheme() + "://" + literal(address) + ":" + local.getPort() + "/"))
                .toList();
    }

    private static String literal(InetAddress address) {
        String text = address.getHostAddress();
        if (address instanceof Inet6Address) {
            int scope = text.indexOf('%');
            return "[" + (scope >= 0 ? text.substring(0, scope) : text) + "]";
        }
        return text;
    }

    private static boolean isLoopback(String host) {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (bare.equalsIgnoreCase("localhost")) {
            return true;
        }
        try {
            // Only literal addresses are asked about: a name is never looked up here.
            return bare.matches("[0-9.]+|[0-9a-fA-F:]+") && InetAddress.getByName(bare).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }
}
