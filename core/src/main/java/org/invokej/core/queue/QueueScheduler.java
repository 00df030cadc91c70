package org.invokej.core.queue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

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

    /**
     * Pending items (several per user) in the order a claimer tries them when the ones before are
     * being claimed by other workers at the same moment. FIFO: the queue's order. Round-robin: every
     * user's best item in turn order, then every user's second best in the same order, and so on, as
     * the turns would go if the items ahead started one after the other. The first is {@link #pick}'s.
     */
    public static List<Long> order(Mode mode, List<Candidate> candidates) {
        if (mode == Mode.FIFO) {
            return candidates.stream().sorted(FIFO).map(Candidate::itemId).toList();
        }
        Map<String, List<Candidate>> byUser = candidates.stream().collect(Collectors.groupingBy(Candidate::userId));
        List<Ranked> ranked = new ArrayList<>();
        for (List<Candidate> own : byUser.values()) {
            List<Candidate> sorted = own.stream().sorted(FIFO).toList();
            // A user's turn is decided by when they were last served and, on a tie, by their best item.
            Candidate best = sorted.getFirst();
            for (int rank = 0; rank < sorted.size(); rank++) {
                ranked.add(new Ranked(rank, best.lastStartedAt(), best.itemId(), sorted.get(rank).itemId()));
            }
        }
        return ranked.stream().sorted(Comparator.comparingInt(Ranked::rank)
                        .thenComparing(Ranked::lastStartedAt, Comparator.nullsFirst(Comparator.naturalOrder()))
                        .thenComparingLong(Ranked::bestId))
                .map(Ranked::itemId).toList();
    }

    /** An item's place in its user's own queue (0: their best), and its user's turn: last served, best item's id. */
    private record Ranked(int rank, Instant lastStartedAt, long bestId, long itemId) {
    }
}
