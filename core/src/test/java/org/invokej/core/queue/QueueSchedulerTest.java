package org.invokej.core.queue;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The order concurrent claimers try items in: the queue's own order, extended past the items others are taking. */
class QueueSchedulerTest {

    private static final Instant EARLIER = Instant.parse("2026-12-05T10:00:00Z");
    private static final Instant LATER = Instant.parse("2026-12-05T11:00:00Z");

    private static QueueScheduler.Candidate item(long id, String user, int priority, Instant lastStarted) {
        return new QueueScheduler.Candidate(id, user, priority, lastStarted);
    }

    /** a was served last, b earlier, c never: c, b, a take turns, then their second items in the same turns. */
    @Test
    void roundRobinGivesEveryUserATurnBeforeAnyoneHasASecond() {
        List<QueueScheduler.Candidate> candidates = List.of(
                item(1, "a", 0, LATER), item(2, "a", 0, LATER), item(9, "a", 5, LATER),
                item(3, "b", 0, EARLIER), item(4, "b", 0, EARLIER),
                item(5, "c", 0, null));
        assertEquals(List.of(5L, 3L, 9L, 4L, 1L, 2L), QueueScheduler.order(QueueScheduler.Mode.ROUND_ROBIN, candidates));
    }

    /** Users never served tie on their turn: the one whose best item is older goes first. */
    @Test
    void roundRobinTiesGoToTheOlderBestItem() {
        List<QueueScheduler.Candidate> candidates = List.of(item(7, "x", 0, null), item(8, "x", 0, null), item(6, "y", 0, null));
        assertEquals(List.of(6L, 7L, 8L), QueueScheduler.order(QueueScheduler.Mode.ROUND_ROBIN, candidates));
    }

    @Test
    void fifoIsPriorityThenArrivalAcrossUsers() {
        List<QueueScheduler.Candidate> candidates = List.of(item(1, "a", 0, LATER), item(2, "a", 0, LATER), item(3, "b", 1, null),
                item(4, "b", 0, null));
        assertEquals(List.of(3L, 1L, 2L, 4L), QueueScheduler.order(QueueScheduler.Mode.FIFO, candidates));
    }

    /** With one candidate per user the first in the order is what {@link QueueScheduler#pick} picks. */
    @Test
    void theFirstInOrderIsThePick() {
        List<QueueScheduler.Candidate> heads = List.of(item(1, "a", 0, LATER), item(3, "b", 2, EARLIER), item(5, "c", 0, EARLIER));
        for (QueueScheduler.Mode mode : QueueScheduler.Mode.values()) {
            assertEquals(QueueScheduler.pick(mode, heads).orElseThrow(), QueueScheduler.order(mode, heads).getFirst(), mode.name());
        }
        assertEquals(List.of(), QueueScheduler.order(QueueScheduler.Mode.ROUND_ROBIN, List.of()));
    }
}
