package org.invokej.core.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

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
 * ones are still being checked. An attempt that would exceed what is left does not fail for that: it
 * waits for the outcome of those in flight, since until they end nobody knows whether anyone failed
 * (many people behind one address all log in; a flood of guesses is refused once its first ones fail).
 * A success clears that client's counters and the account's. Failures are forgotten after a quiet period.
 * Memory is bounded: the least recently touched counters are dropped first, and so are the waiters:
 * {@value #WAITING_PER_CLIENT} per client and {@value #WAITING} in all.
 */
public final class LoginThrottle {

    /** The limits, from configuration. */
    public record Limits(int failures, Duration maxWait, Duration accountMaxWait) {
    }

    /** What {@link #reserve} decided. */
    public sealed interface Reservation {
    }

    /** The attempt may be checked; end it with {@link #failed}, {@link #succeeded} or {@link #released}. */
    public record Reserved() implements Reservation {
    }

    /** Too many recent failures: no attempt before {@code retryAfter} has passed. */
    public record TooManyFailures(Duration retryAfter) implements Reservation {
    }

    /**
     * As many attempts as may be in flight are being checked, and none ended while this one could wait:
     * nothing failed, the client should simply come back after {@code retryAfter}.
     */
    public record TooManyAtOnce(Duration retryAfter) implements Reservation {
    }

    static final int WAITING_PER_CLIENT = 64;
    static final int WAITING = 256;
    private static final Duration FIRST_WAIT = Duration.ofSeconds(1);
    private static final Duration RETRY_AT_ONCE = Duration.ofSeconds(5);
    private static final Duration FORGET_AFTER = Duration.ofMinutes(15);
    private static final int MAX_ENTRIES = 10_000;

    private final Clock clock;
    private final Limits limits;
    private final Counters clientAccount = new Counters();
    private final Counters client = new Counters();
    private final Counters account = new Counters();
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled whenever an attempt in flight ends, so that those waiting for room look again. */
    private final Condition ended = lock.newCondition();
    private final Map<String, Integer> waitingByClient = new HashMap<>();
    private int waiting;

    public LoginThrottle(Clock clock, Limits limits) {
        this.clock = clock;
        this.limits = limits;
    }

    /** How long {@code clientAddress} must still wait before trying {@code accountKey}; empty if it may try now. */
    public Optional<Duration> waitBefore(String clientAddress, String accountKey) {
        lock.lock();
        try {
            Duration wait = blocked(clientAddress, accountKey, clock.instant());
            return wait.isZero() ? Optional.empty() : Optional.of(wait);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Reserves an attempt of {@code clientAddress} on {@code accountKey}. Besides the waits above, no more
     * attempts may be in flight than failures are left before each limit (one, once past it); an attempt
     * beyond that waits up to {@code patience} for one in flight to end, then decides again.
     */
    public Reservation reserve(String clientAddress, String accountKey, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        boolean counted = false;
        lock.lock();
        try {
            while (true) {
                Instant now = clock.instant();
                Duration blocked = blocked(clientAddress, accountKey, now);
                if (!blocked.isZero()) {
                    return new TooManyFailures(blocked);
                }
                if (clientAccount.hasRoom(pair(clientAddress, accountKey), now, limits.failures())
                        && client.hasRoom(clientAddress, now, 4 * limits.failures())
                        && account.hasRoom(accountKey, now, 4 * limits.failures())) {
                    clientAccount.reserve(pair(clientAddress, accountKey));
                    client.reserve(clientAddress);
                    account.reserve(accountKey);
                    return new Reserved();
                }
                if (!counted) {
                    if (waiting >= WAITING || waitingByClient.getOrDefault(clientAddress, 0) >= WAITING_PER_CLIENT) {
                        return new TooManyAtOnce(RETRY_AT_ONCE);
                    }
                    counted = true;
                    waiting++;
                    waitingByClient.merge(clientAddress, 1, Integer::sum);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return new TooManyAtOnce(RETRY_AT_ONCE);
                }
                ended.await(left, TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new TooManyAtOnce(RETRY_AT_ONCE);
        } finally {
            if (counted) {
                waiting--;
                waitingByClient.computeIfPresent(clientAddress, (key, count) -> count == 1 ? null : count - 1);
            }
            lock.unlock();
        }
    }

    /** Ends a reserved attempt that was neither a success nor a failure (the check could not be made). */
    public void released(String clientAddress, String accountKey) {
        lock.lock();
        try {
            clientAccount.release(pair(clientAddress, accountKey));
            client.release(clientAddress);
            account.release(accountKey);
            ended.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Whether {@code clientAddress} failed to log in recently (to any account). */
    public boolean hasFailedRecently(String clientAddress) {
        lock.lock();
        try {
            Counter counter = client.get(clientAddress);
            return counter != null && counter.lastFailure != null && !counter.lastFailure.plus(FORGET_AFTER).isBefore(clock.instant());
        } finally {
            lock.unlock();
        }
    }

    /** Records a failure (ending its reservation, if it had one). */
    public void failed(String clientAddress, String accountKey) {
        lock.lock();
        try {
            released(clientAddress, accountKey);
            Instant now = clock.instant();
            clientAccount.fail(pair(clientAddress, accountKey), now, limits.failures(), limits.maxWait());
            client.fail(clientAddress, now, 4 * limits.failures(), limits.maxWait());
            account.fail(accountKey, now, 4 * limits.failures(), limits.accountMaxWait());
        } finally {
            lock.unlock();
        }
    }

    /** Records a success (ending its reservation): the client's and the account's failures are forgiven. */
    public void succeeded(String clientAddress, String accountKey) {
        lock.lock();
        try {
            released(clientAddress, accountKey);
            clientAccount.clear(pair(clientAddress, accountKey));
            client.clear(clientAddress);
            account.clear(accountKey);
        } finally {
            lock.unlock();
        }
    }

    private Duration blocked(String clientAddress, String accountKey, Instant now) {
        return max(max(clientAccount.remaining(pair(clientAddress, accountKey), now),
                client.remaining(clientAddress, now)), account.remaining(accountKey, now));
    }

    private static String pair(String clientAddress, String accountKey) {
        return clientAddress + "\n" + accountKey;
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

        /** Whether another attempt may be in flight besides those that are (its block, if any, having passed). */
        boolean hasRoom(String key, Instant now, int limit) {
            Counter counter = get(key);
            if (counter == null) {
                return true;
            }
            boolean forgotten = counter.lastFailure == null || counter.lastFailure.plus(FORGET_AFTER).isBefore(now);
            int failures = forgotten ? 0 : counter.failures;
            return counter.pending < Math.max(1, limit - failures);
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

        /** Forgets the failures; attempts still in flight keep counting until they end. */
        void clear(String key) {
            Counter counter = get(key);
            if (counter != null && counter.pending > 0) {
                counter.failures = 0;
                counter.lastFailure = null;
                counter.blockedUntil = Instant.EPOCH;
            } else {
                remove(key);
            }
        }
    }
}
