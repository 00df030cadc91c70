package org.invokej.http.fakes;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Real time that moves on by at least a millisecond at every reading, so rows stamped one after the other
 * sort in the order they were made (SQLite's timestamps do the same job for the real store).
 */
public final class TickingClock extends Clock {

    private final AtomicLong millis = new AtomicLong(System.currentTimeMillis());

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        long now = System.currentTimeMillis();
        return Instant.ofEpochMilli(millis.updateAndGet(last -> Math.max(last + 1, now)));
    }
}
