package org.invokej.core.queue;

import java.util.Collection;
import java.util.Set;

/**
 * Which items of a queue a bulk operation touches.
 *
 * @param userId       only this user's items, or null for everyone's (administrators)
 * @param statuses     only items in these statuses (empty: any)
 * @param batchIds     only these batches (null: any)
 * @param destination  only this destination (null: any)
 * @param exceptItemId leave this item alone (the one running), or null
 */
public record QueueFilter(String queueId, String userId, Set<QueueStatus> statuses, Collection<String> batchIds,
                          String destination, Long exceptItemId) {

    public static QueueFilter of(String queueId, String userId) {
        return new QueueFilter(queueId, userId, Set.of(), null, null, null);
    }

    public QueueFilter withStatuses(Set<QueueStatus> only) {
        return new QueueFilter(queueId, userId, only, batchIds, destination, exceptItemId);
    }

    public QueueFilter withBatches(Collection<String> only) {
        return new QueueFilter(queueId, userId, statuses, only, destination, exceptItemId);
    }

    public QueueFilter withDestination(String only) {
        return new QueueFilter(queueId, userId, statuses, batchIds, only, exceptItemId);
    }

    public QueueFilter except(Long itemId) {
        return new QueueFilter(queueId, userId, statuses, batchIds, destination, itemId);
    }
}
