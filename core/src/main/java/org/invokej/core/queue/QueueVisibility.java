package org.invokej.core.queue;

import org.invokej.core.Actor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who sees what of a queue item (invokeai-multiuser §7.2): administrators and the owner see everything;
 * everyone else sees only its id, queue, status, sequence and times, with the rest redacted. The same
 * rule shapes the REST answers and the events other users receive.
 */
public final class QueueVisibility {

    public static final String REDACTED = "redacted";

    private QueueVisibility() {
    }

    public static boolean seesInFull(Actor viewer, QueueItem item) {
        return viewer.admin() || viewer.owns(item.userId());
    }

    /** The item as {@code viewer} may see it. */
    public static QueueItem forViewer(Actor viewer, QueueItem item) {
        return seesInFull(viewer, item) ? item : redacted(item);
    }

    /** The item with everything but its id, queue, status, sequence and times taken out. */
    public static QueueItem redacted(QueueItem item) {
        return new QueueItem(item.itemId(), item.queueId(), REDACTED, REDACTED, item.status(), item.statusSequence(), 0,
                REDACTED, null, null, null, null, null, emptySession(), null, null, null, null, null,
                item.createdAt(), item.updatedAt(), item.startedAt(), item.completedAt());
    }

    /** An empty graph execution state with the id {@code redacted}. */
    public static Map<String, Object> emptySession() {
        Map<String, Object> session = new LinkedHashMap<>();
        session.put("id", REDACTED);
        session.put("graph", Map.of("id", REDACTED, "nodes", Map.of(), "edges", List.of()));
        session.put("execution_graph", Map.of("id", REDACTED, "nodes", Map.of(), "edges", List.of()));
        session.put("executed", List.of());
        session.put("executed_history", List.of());
        session.put("results", Map.of());
        session.put("errors", Map.of());
        session.put("prepared_source_mapping", Map.of());
        session.put("source_prepared_mapping", Map.of());
        return session;
    }
}
