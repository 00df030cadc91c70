package org.invokej.core.queue;

import java.util.List;

/**
 * The queue's events, as InvokeAI names them (api-shapes §8); an implementation shapes the payloads and
 * routes them to the right users (invokeai-multiuser §8.4).
 */
public interface QueueEvents {

    /** {@code queue_item_status_changed}, after the item's new status is committed. */
    void statusChanged(QueueItem item);

    /** {@code batch_enqueued}. */
    void batchEnqueued(QueueItem first, int enqueued, long requested, int priority);

    /** {@code queue_items_canceled}, once per bulk cancel that changed something. */
    void itemsCanceled(String queueId, List<QueueItem> canceled);

    /** {@code queue_items_retried}. */
    void itemsRetried(String queueId, List<QueueItem> retried);

    /** {@code queue_cleared}; {@code userId} null when an administrator cleared everyone's items. */
    void cleared(String queueId, String userId);

    void invocationStarted(QueueItem item, SessionRunner.Node invocation);

    void invocationProgress(QueueItem item, SessionRunner.Node invocation, String message, Double percentage,
                            SessionRunner.ProgressImage image);

    void invocationComplete(QueueItem item, SessionRunner.Node invocation, SessionRunner.Result result);

    void invocationError(QueueItem item, SessionRunner.Node invocation, String errorType, String errorMessage, String errorTraceback);

    /** {@code model_load_started} / {@code model_load_complete}, for the user whose item loads the model. */
    void modelLoad(QueueItem item, SessionRunner.LoadedModel model, boolean complete);
}
