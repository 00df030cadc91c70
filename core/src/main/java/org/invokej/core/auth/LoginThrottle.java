package org.invokej.core.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Slows password guessing down without letting anyone lock an account for long.
 *
 * <p>Three counters of recent failures, each with its own limit; past the limit the next attempt must
 * wait, twice as long after each further failure, up to a cap:
 * <ul>
 *   <li>one client against one account: {@code failures} failures, then waits up to {@code maxWait};</li>
 *   <li>one client against any accounts: 4 × {@code failures}, then up to {@code maxWait};</li>
 *   <li>any clients against one account (a distributed attack): 4 × {@code failures}, then waits of at
 *       most {@code accountMaxWait} — short, so that the account's owner is never locked out for long.</li>
 * </ul>
 * A client that is throttled learns nothing about the password: it is answered before any check. An
 * attempt is {@linkplain #reserve reserved} before its password is checked and counts as a failure
 * until it is known to have succeeded, so concurrent guesses cannot slip past the limit while earlier
 * ones are still being checked. A success clears that client's counters and the account's. Failures
 * are forgotten after a quiet period.
 * Memory is bounded: the least recently touched counters are dropped first.
 */
public final class LoginThrottle {

    /** The limits, from configuration. */
    public record Limits(int failures, Duration maxWait, Duration accountMaxWait) {
    }

    private static final Duration FIRST_WAIT = Duration.ofSeconds(1);
    private static final Duration FORGET_AFTER = Duration.ofMinutes(15);
    private static final int MAX_ENTRIES = 10_000;

    private final Clock clock;
    private final Limits limits;
    private final Counters clientAccount = new Counters();
    private final Counters client = new Counters();
    private final Counters account = new Counters();

    public LoginThrottle(Clock clock, Limits limits) {
        this.clock = clock;
        this.limits = limits;
    }

    /** How long {@code clientAddress} must still wait before trying {@code accountKey}; empty if it may try now. */
    public synchronized Optional<Duration> waitBefore(String clientAddress, String accountKey) {
        Instant now = clock.instant();
        Duration wait = max(max(clientAccount.remaining(clientAddress + "\n" + accountKey, now),
                client.remaining(clientAddress, now)), account.remaining(accountKey, now));
        return wait.isZero() ? Optional.empty() : Optional.of(wait);
    }

    /**
     * Reserves an attempt of {@code clientAddress} on {@code accountKey}, to be ended by {@link #failed},
     * {@link #succeeded} or {@link #released}; empty if reserved, else how long to wait. Besides the
     * waits above, no more attempts may be in flight than failures are left before the limit (one, once
     * past it).
     */
    public synchronized Optional<Duration> reserve(String clientAddress, String accountKey) {
        Instant now = clock.instant();
        Duration wait = max(max(clientAccount.reservable(clientAddress + "\n" + accountKey, now, limits.failures()),
                client.reservable(clientAddress, now, 4 * limits.failures())), account.reservable(accountKey, now, 4 * limits.failures()));
        if (!wait.isZero()) {
            return Optional.of(wait);
        }
        clientAccount.reserve(clientAddress + "\n" + accountKey);
        client.reserve(clientAddress);
        account.reserve(accountKey);
        return Optional.empty();
    }

    /** Ends a reserved attempt that was neither a success nor a failure (the check could not be made). */
    public synchronized void released(String clientAddress, String accountKey) {
        clientAccount.release(clientAddress + "\n" + accountKey);
        client.release(clientAddress);
        account.release(accountKey);
    }

    /** Whether {@code clientAddress} failed to log in recently (to any account). */
    public synchronized boolean hasFailedRecently(String clientAddress) {
        Counter counter = client.get(clientAddress);
        return counter != null && counter.lastFailure != null && !counter.lastFailure.plus(FORGET_AFTER).isBefore(clock.instant());
    }

    /** Records a failure (ending its reservation, if it had one). */
    public synchronized void failed(String clientAddress, String accountKey) {
        released(clientAddress, accountKey);
        Instant now = clock.instant();
        clientAccount.fail(clientAddress + "\n" + accountKey, now, limits.failures(), limits.maxWait());
        client.fail(clientAddress, now, 4 * limits.failures(), limits.maxWait());
        account.fail(accountKey, now, 4 * limits.failures(), limits.accountMaxWait());
    }

    public synchronized void succeeded(String clientAddress, String accountKey) {
        clientAccount.clear(clientAddress + "\n" + accountKey);
        client.clear(clientAddress);
        account.clear(accountKey);
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static final class Counter {
        int failures;
        int pending;
        Instant lastFailure;
        Instant blockedUntil = Instant.EPOCH;
    }

    /** Failure counters by key, least recently used first. */
    private static final class Counters extends LinkedHashMap<String, Counter> {

        Counters() {
            super(64, 0.75f, true);
        }

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Counter> eldest) {
            return size() > MAX_ENTRIES;
        }

        Duration remaining(String key, Instant now) {
            Counter counter = get(key);
            return counter == null || !now.isBefore(counter.blockedUntil) ? Duration.ZERO
                    : Duration.between(now, counter.blockedUntil);
        }

        /** Zero if another attempt may start now, else how long to wait. */
        Duration reservable(String key, Instant now, int limit) {
            Duration blocked = remaining(key, now);
            if (!blocked.isZero()) {
                return blocked;
            }
            Counter counter = get(key);
            if (counter == null) {
                return Duration.ZERO;
            }
            boolean forgotten = counter.lastFailure == null || counter.lastFailure.plus(FORGET_AFTER).isBefore(now);
            int failures = forgotten ? 0 : counter.failures;
            return counter.pending < Math.max(1, limit - failures) ? Duration.ZERO : FIRST_WAIT;
        }

        void reserve(String key) {
            computeIfAbsent(key, k -> new Counter()).pending++;
        }

        void release(String key) {
            Counter counter = get(key);
            if (counter != null && counter.pending > 0) {
                counter.pending--;
            }
        }

        void fail(String key, Instant now, int limit, Duration cap) {
            Counter counter = computeIfAbsent(key, k -> new Counter());
            if (counter.lastFailure != null && counter.lastFailure.plus(FORGET_AFTER).isBefore(now)) {
                counter.failures = 0;
            }
            counter.failures++;
            counter.lastFailure = now;
            if (counter.failures >= limit) {
                int doublings = Math.min(30, counter.failures - limit);
                Duration wait = FIRST_WAIT.multipliedBy(1L << doublings);
                counter.blockedUntil = now.plus(wait.compareTo(cap) > 0 ? cap : wait);
            }
        }

        void clear(String key) {
            remove(key);
        }
    }
}
