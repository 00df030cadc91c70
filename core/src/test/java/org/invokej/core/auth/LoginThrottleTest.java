package org.invokej.core.auth;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

    @Test
    void attemptsInFlightCountAgainstTheLimitUntilTheyEnd() {
        for (int i = 0; i < 5; i++) {
            assertEquals(Optional.empty(), throttle.reserve("10.0.0.1", "ada@x.com"), "attempt " + i);
        }
        assertEquals(Optional.of(Duration.ofSeconds(1)), throttle.reserve("10.0.0.1", "ada@x.com"), "a sixth while five are checked");
        assertEquals(Optional.empty(), throttle.reserve("10.0.0.2", "ada@x.com"), "another client");
        throttle.released("10.0.0.2", "ada@x.com");
        for (int i = 0; i < 5; i++) {
            throttle.failed("10.0.0.1", "ada@x.com");
        }
        assertEquals(Optional.of(Duration.ofSeconds(1)), throttle.reserve("10.0.0.1", "ada@x.com"));
        clock.advance(Duration.ofSeconds(1));
        assertEquals(Optional.empty(), throttle.reserve("10.0.0.1", "ada@x.com"), "past the limit: one at a time after the wait");
        assertTrue(throttle.reserve("10.0.0.1", "ada@x.com").isPresent());
        throttle.succeeded("10.0.0.1", "ada@x.com");
        assertEquals(Optional.empty(), throttle.reserve("10.0.0.1", "ada@x.com"));
    }
}
