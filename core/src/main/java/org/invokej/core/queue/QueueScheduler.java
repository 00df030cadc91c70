package org.invokej.core.queue;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which pending item runs next. FIFO: highest priority, then oldest. Round-robin (InvokeAI's multi-user
 * default): each user's best item (priority, then oldest) competes, and the user served longest ago
 * (never served first) wins, ties by item id; so priority only orders a user's own items and one user's
 * long queue never holds up another's turn.
 */
public final class QueueScheduler {

    /** How turns are given. */
    public enum Mode {
        FIFO, ROUND_ROBIN
    }

    /** A user's best pending item, and when that user last had an item start (null: never). */
    public record Candidate(long itemId, String userId, int priority, Instant lastStartedAt) {
    }

    private static final Comparator<Candidate> FIFO = Comparator.comparingInt(Candidate::priority).reversed()
            .thenComparingLong(Candidate::itemId);
    private static final Comparator<Candidate> ROUND_ROBIN = Comparator
            .comparing(Candidate::lastStartedAt, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparingLong(Candidate::itemId);

    private QueueScheduler() {
    }

    /** The item to run next among each user's best pending item. */
    public static Optional<Long> pick(Mode mode, List<Candidate> heads) {
        return heads.stream().min(mode == Mode.FIFO ? FIFO : ROUND_ROBIN).map(Candidate::itemId);
    }
}
