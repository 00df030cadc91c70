package org.invokej.core.store;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * Who wrote a temporary file or folder (an image staged before its row commits, a model being
 * installed), as written into its name: {@code <pid>-h<host>}, the host as 8 hex digits. The images and
 * models folders may be shared by processes on several hosts (NFS), so what a dead process left can be
 * told apart from what a live one on another host is writing: on this host the process must be gone;
 * from another host (whose processes this one cannot see) the file must be older than {@link #FOREIGN_AGE}.
 * Names written before the host was part of them count as this host's.
 *
 * @param host null for names without a host
 */
public record StagedBy(long pid, String host) {

    /** How old another host's temporary file must be to count as abandoned: a write takes seconds, not this. */
    public static final Duration FOREIGN_AGE = Duration.ofHours(1);

    /** This process. */
    public static StagedBy thisProcess() {
        return new StagedBy(ProcessHandle.current().pid(), THIS_HOST);
    }

    /** {@code <pid>-h<host>}: digits, a dash, an {@code h} and hex digits, so it never reads as a UUID's part. */
    public String tag() {
        return host == null ? Long.toString(pid) : pid + "-h" + host;
    }

    /** A tag as {@link #tag} writes it (or a bare pid); empty when it is neither. */
    public static Optional<StagedBy> parse(String tag) {
        if (tag == null) {
            return Optional.empty();
        }
        String[] parts = tag.split("-h", 2);
        if (!parts[0].matches("\\d{1,18}") || parts.length == 2 && !parts[1].matches("\\p{XDigit}{8}")) {
            return Optional.empty();
        }
        return Optional.of(new StagedBy(Long.parseLong(parts[0]), parts.length == 2 ? parts[1].toLowerCase(Locale.ROOT) : null));
    }

    /** Whether the writer is gone: a dead process of this host, or another host's file older than {@link #FOREIGN_AGE}. */
    public boolean abandoned(Instant modified, Instant now) {
        if (host == null || host.equals(THIS_HOST)) {
            return !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }
        return modified.isBefore(now.minus(FOREIGN_AGE));
    }

    /** This host's name as 8 hex digits (a hash: names may hold any character); looked up once. */
    private static final String THIS_HOST = thisHost();

    private static String thisHost() {
        String name;
        try {
            name = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            name = "localhost";
        }
        return String.format(Locale.ROOT, "%08x", name.hashCode());
    }
}
