package org.invokej.core.auth;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What presented tokens resolved to, each kept with the store version it was read at and used only while
 * the store is still at that version: any commit, by this process or another, makes every entry stale.
 * Bounded: when full it starts over (tokens in use come back at the next request of each).
 */
final class ResolutionCache {

    private record Entry(long version, Sessions.Resolution resolution, Instant validUntil) {
    }

    static final int MAX_ENTRIES = 10_000;

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    /** What {@code token} resolved to at {@code version}, if that is known and the token had not expired by {@code now}. */
    Optional<Sessions.Resolution> get(String token, long version, Instant now) {
        Entry entry = entries.get(token);
        if (entry == null || entry.version() != version || !now.isBefore(entry.validUntil())) {
            return Optional.empty();
        }
        return Optional.of(entry.resolution());
    }

    /** Keeps what {@code token} resolved to at {@code version}, until {@code validUntil} at the latest. */
    void put(String token, long version, Sessions.Resolution resolution, Instant validUntil) {
        if (entries.size() >= MAX_ENTRIES) {
            entries.clear();
        }
        entries.put(token, new Entry(version, resolution, validUntil));
    }
}
