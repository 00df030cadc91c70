package org.invokej.core.queue;

import java.util.List;
import java.util.Map;

/** A session to insert into the queue. */
public record NewQueueItem(String queueId, String batchId, String sessionId, int priority, String userId, String origin,
                           String destination, List<Map<String, Object>> fieldValues, Map<String, Object> session,
                           Map<String, Object> workflow, Long retriedFromItemId) {
}
