package org.invokej.core.auth;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoginThrottleTest {

    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-11-26T12:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

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
            return now;
        }
    }

    private final ManualClock clock = new ManualClock();
    private final LoginThrottle throttle = new LoginThrottle(clock,
            new LoginThrottle.Limits(5, Duration.ofMinutes(15), Duration.ofSeconds(60)));

    private void fail(String client, String account, int times) {
        for (int i = 0; i < times; i++) {
            throttle.failed(client, account);
        }
    }

    @Test
    void aClientMayFailFourTimesAndThenWaitsDoublingUpToTheCap() {
        fail("10.0.0.1", "ada@x.com", 4);
        assertEquals(Optional.empty(), throttle.waitBefore("10.0.0.1", "ada@x.com"));
        fail("10.0.0.1", "ada@x.com", 1);
        assertEquals(Optional.of(Duration.ofSeconds(1)), throttle.waitBefore("10.0.0.1", "ada@x.com"));
        fail("10.0.0.1", "ada@x.com", 1);
        assertEquals(Optional.of(Duration.ofSeconds(2)), throttle.waitBefore("10.0.0.1", "ada@x.com"));
        fail("10.0.0.1", "ada@x.com", 20);
        assertEquals(Optional.of(Duration.ofMinutes(15)), throttle.waitBefore("10.0.0.1", "ada@x.com"));
    }

    @Test
    void otherAccountsAndOtherClientsAreUnaffected() {
        fail("10.0.0.1", "ada@x.com", 6);
        assertTrue(throttle.waitBefore("10.0.0.1", "ada@x.com").isPresent());
        assertEquals(Optional.empty(), throttle.waitBefore("10.0.0.1", "bob@x.com"), "other account, same client");
        assertEquals(Optional.empty(), throttle.waitBefore("10.0.0.2", "ada@x.com"), "same account, other client");
    }

    @Test
    void oneClientTryingManyAccountsIsThrottledAsAClient() {
        for (int i = 0; i < 20; i++) {
            throttle.failed("10.0.0.9", "user" + i + "@x.com");
        }
        assertTrue(throttle.waitBefore("10.0.0.9", "new@x.com").isPresent());
        assertEquals(Optional.empty(), throttle.waitBefore("10.0.0.10", "new@x.com"));
    }

    @Test
    void aDistributedAttackOnOneAccountCostsItsOwnerAtMostAMinute() {
        for (int i = 0; i < 500; i++) {
            throttle.failed("10.1." + (i / 250) + "." + (i % 250), "admin@x.com");
        }
        Duration wait = throttle.waitBefore("192.168.1.2", "admin@x.com").orElseThrow();
        assertTrue(wait.compareTo(Duration.ofSeconds(60)) <= 0, wait.toString());
        clock.advance(wait);
        assertEquals(Optional.empty(), throttle.waitBefore("192.168.1.2", "admin@x.com"), "the owner gets through after the cap");
    }

    @Test
    void waitsRunOutAndQuietPeriodsForgetFailures() {
        fail("10.0.0.1", "ada@x.com", 5);
        clock.advance(Duration.ofSeconds(1));
        assertEquals(Optional.empty(), throttle.waitBefore("10.0.0.1", "ada@x.com"));
        clock.advance(Duration.ofMinutes(16));
        fail("10.0.0.1", "ada@x.com", 4);
        assertEquals(Optional.empty(), throttle.waitBefore("10.0.0.1", "ada@x.com"), "old failures were forgotten");
    }

    @Test
    void aSuccessClearsTheClientsAndTheAccountsCounters() {
        fail("10.0.0.1", "ada@x.com", 4);
        throttle.succeeded("10.0.0.1", "ada@x.com");
        fail("10.0.0.1", "ada@x.com", 4);
        assertEquals(Optional.empty(), throttle.waitBefore("10.0.0.1", "ada@x.com"));
    }

    private static final Duration NOW = Duration.ZERO;
    private static final Duration LONG = Duration.ofMinutes(10);
    private static final LoginThrottle.Reservation RESERVED = new LoginThrottle.Reserved();

    @Test
    void attemptsInFlightCountAgainstTheLimitUntilTheyEnd() {
        for (int i = 0; i < 5; i++) {
            assertEquals(RESERVED, throttle.reserve("10.0.0.1", "ada@x.com", NOW), "attempt " + i);
        }
        assertEquals(new LoginThrottle.TooManyAtOnce(Duration.ofSeconds(5)), throttle.reserve("10.0.0.1", "ada@x.com", NOW),
                "a sixth while five are checked, none failed yet");
        assertEquals(RESERVED, throttle.reserve("10.0.0.2", "ada@x.com", NOW), "another client");
        throttle.released("10.0.0.2", "ada@x.com");
        for (int i = 0; i < 5; i++) {
            throttle.failed("10.0.0.1", "ada@x.com");
        }
        assertEquals(new LoginThrottle.TooManyFailures(Duration.ofSeconds(1)), throttle.reserve("10.0.0.1", "ada@x.com", NOW));
        clock.advance(Duration.ofSeconds(1));
        assertEquals(RESERVED, throttle.reserve("10.0.0.1", "ada@x.com", NOW), "past the limit: one at a time after the wait");
        assertInstanceOf(LoginThrottle.TooManyAtOnce.class, throttle.reserve("10.0.0.1", "ada@x.com", NOW));
        throttle.succeeded("10.0.0.1", "ada@x.com");
        assertEquals(RESERVED, throttle.reserve("10.0.0.1", "ada@x.com", NOW));
    }

    @Test
    void oneAddressMayHaveFourTimesItsFailuresInFlightAndMoreWaitForThemToEnd() throws Exception {
        for (int i = 0; i < 20; i++) {
            assertEquals(RESERVED, throttle.reserve("192.0.2.10", "person" + i + "@x.com", NOW), "person " + i);
        }
        assertEquals(new LoginThrottle.TooManyAtOnce(Duration.ofSeconds(5)), throttle.reserve("192.0.2.10", "late@x.com", NOW),
                "nobody failed: not refused as a failure");
        Waiter late = Waiter.start(() -> throttle.reserve("192.0.2.10", "late@x.com", LONG));
        late.awaitWaiting();
        throttle.succeeded("192.0.2.10", "person0@x.com");
        assertEquals(RESERVED, late.outcome(), "one ended: room for the next");

        Waiter later = Waiter.start(() -> throttle.reserve("192.0.2.10", "later@x.com", LONG));
        later.awaitWaiting();
        throttle.succeeded("192.0.2.10", "person1@x.com");
        assertEquals(RESERVED, later.outcome());
        assertInstanceOf(LoginThrottle.TooManyAtOnce.class, throttle.reserve("192.0.2.10", "latest@x.com", NOW),
                "a success forgives failures, never the attempts still in flight");
    }

    @Test
    void thoseWaitingAreRefusedOnceTheAttemptsAheadOfThemFail() throws Exception {
        for (int i = 0; i < 5; i++) {
            throttle.reserve("203.0.113.7", "ada@x.com", NOW);
        }
        List<Waiter> guesses = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            guesses.add(Waiter.start(() -> throttle.reserve("203.0.113.7", "ada@x.com", LONG)));
        }
        for (Waiter guess : guesses) {
            guess.awaitWaiting();
        }
        fail("203.0.113.7", "ada@x.com", 5);
        for (Waiter guess : guesses) {
            assertEquals(new LoginThrottle.TooManyFailures(Duration.ofSeconds(1)), guess.outcome());
        }
    }

    @Test
    void oneAddressSprayingAccountsGetsFourTimesItsFailuresChecked() throws Exception {
        List<Waiter> guesses = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String account = "user" + i + "@x.com";
            guesses.add(Waiter.start(() -> throttle.reserve("203.0.113.8", account, LONG)));
        }
        int checked = 0;
        int refused = 0;
        for (Waiter guess : guesses) {
            // Whoever is reserved fails at once; the others wait until the failures block the address.
            guess.awaitDecidedOrWaiting();
        }
        for (int i = 0; i < 30; i++) {
            Waiter guess = guesses.get(i);
            if (guess.decided() && guess.outcome().equals(RESERVED)) {
                checked++;
                throttle.failed("203.0.113.8", "user" + i + "@x.com");
            }
        }
        for (int i = 0; i < 30; i++) {
            LoginThrottle.Reservation outcome = guesses.get(i).outcome();
            if (outcome instanceof LoginThrottle.TooManyFailures) {
                refused++;
            } else {
                assertEquals(RESERVED, outcome);
            }
        }
        assertEquals(20, checked);
        assertEquals(10, refused);
    }

    @Test
    void waitingIsBoundedPerAddressAndInAll() throws Exception {
        List<Waiter> waiters = new ArrayList<>();
        for (int client = 0; client < LoginThrottle.WAITING / LoginThrottle.WAITING_PER_CLIENT; client++) {
            String address = "198.51.100." + client;
            for (int i = 0; i < 20; i++) {
                assertEquals(RESERVED, throttle.reserve(address, "person" + i + "@x.com", NOW));
            }
            for (int i = 0; i < LoginThrottle.WAITING_PER_CLIENT; i++) {
                String account = "waiting" + i + "@x.com";
                waiters.add(Waiter.start(() -> throttle.reserve(address, account, LONG)));
            }
            for (Waiter waiter : waiters) {
                waiter.awaitWaiting();
            }
            if (client == 0) {
                assertInstanceOf(LoginThrottle.TooManyAtOnce.class, throttle.reserve(address, "one-more@x.com", LONG),
                        "at once, not after the patience: the others still wait");
                assertTrue(waiters.stream().allMatch(waiter -> !waiter.decided()));
            }
        }
        for (int i = 0; i < 20; i++) {
            assertEquals(RESERVED, throttle.reserve("192.0.2.99", "person" + i + "@x.com", NOW), "no one waits for room");
        }
        assertInstanceOf(LoginThrottle.TooManyAtOnce.class, throttle.reserve("192.0.2.99", "one-more@x.com", LONG),
                "all the room for waiting is taken");
        assertTrue(waiters.stream().allMatch(waiter -> !waiter.decided()));
        for (Waiter waiter : waiters) {
            waiter.thread.interrupt();
        }
        for (Waiter waiter : waiters) {
            assertInstanceOf(LoginThrottle.TooManyAtOnce.class, waiter.outcome());
        }
    }

    /** A reservation made on a thread of its own, so that the test can end the attempts it waits for. */
    private record Waiter(Thread thread, CompletableFuture<LoginThrottle.Reservation> result) {

        static Waiter start(Supplier<LoginThrottle.Reservation> reserve) {
            CompletableFuture<LoginThrottle.Reservation> result = new CompletableFuture<>();
            Thread thread = Thread.ofVirtual().start(() -> result.complete(reserve.get()));
            return new Waiter(thread, result);
        }

        /** Until the reservation waits for room (a timed wait: blocking on the lock is untimed). */
        void awaitWaiting() throws InterruptedException {
            while (thread.getState() != Thread.State.TIMED_WAITING) {
                assertFalse(result.isDone(), () -> "decided without waiting: " + result.join());
                Thread.sleep(1);
            }
        }

        void awaitDecidedOrWaiting() throws InterruptedException {
            while (!result.isDone() && thread.getState() != Thread.State.TIMED_WAITING) {
                Thread.sleep(1);
            }
        }

        boolean decided() {
            return result.isDone();
        }

        LoginThrottle.Reservation outcome() throws Exception {
            return result.get();
        }
    }
}
