package org.invokej.core.queue;

import org.invokej.core.store.Tx;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@code session_queue} table. */
public interface QueueRepository {

    /** Inserts items in order; returns their new ids in the same order. */
    List<Long> insert(Tx tx, List<NewQueueItem> items);

    Optional<QueueItem> find(Tx tx, long itemId);

    /** Items of a queue with these ids, in the order asked, skipping unknown ones and other queues'. */
    List<QueueItem> findAll(Tx tx, String queueId, List<Long> itemIds);

    /** Every item of a queue (optionally of one destination), {@code priority DESC, item_id ASC}. */
    List<QueueItem> list(Tx tx, String queueId, String destination);

    /** Item ids of a queue by creation. */
    List<Long> itemIds(Tx tx, String queueId, boolean descending);

    /** Ids of a batch's items, descending. */
    List<Long> batchItemIds(Tx tx, String queueId, String batchId);

    int count(Tx tx, String queueId);

    /** The highest priority in a queue (0 when empty). */
    int maxPriority(Tx tx, String queueId);

    /** Counts per status of the items the filter selects. */
    StatusCounts counts(Tx tx, QueueFilter filter);

    /** The item in progress, if any. */
    Optional<QueueItem> current(Tx tx, String queueId);

    /** For each user with pending items (of a queue, or of all queues for null): their best pending item and when they were last served. */
    List<QueueScheduler.Candidate> pendingHeads(Tx tx, String queueId);

    /**
     * Moves an item to {@code status} (raising its status sequence), with error details for
     * {@code failed}. Returns false when the item is gone or already terminal, and, for
     * {@code in_progress}, when it is not pending (someone canceled it first).
     */
    boolean transition(Tx tx, long itemId, QueueStatus status, String errorType, String errorMessage, String errorTraceback);

    /** Stores the session state of a running or finished item. */
    void updateSession(Tx tx, long itemId, Map<String, Object> session);

    /** Items (ids and owners) the filter selects, for bulk operations. */
    List<QueueItem> select(Tx tx, QueueFilter filter);

    /** Deletes these items; returns how many went. */
    int delete(Tx tx, Collection<Long> itemIds);

    /** Ids of items that were in progress (or waiting) when the server last stopped. */
    List<Long> unfinished(Tx tx);
}
