package org.invokej.core.events;

import java.util.Map;
import java.util.Objects;

/**
 * Who receives a {@link ServerEvent} over the live connection (Socket.IO), following InvokeAI's routing
 * table ({@code invokeai-multiuser.md} §8.4). The delivery sends exactly what the event says: the
 * event's own payload to the audience's main receivers and, where an audience carries other payloads
 * (redacted copies for other users), those to the rest. It writes each payload as JSON once and
 * never edits it, except that it adds an integer {@code timestamp} (Unix seconds) when the payload has
 * none. Deciding which fields a copy
 * leaves out is the publisher's job, with core's redaction rule.
 *
 * <p>Every connected socket is, from the moment it connects: in its user's room ({@code user:<id>});
 * in the {@code admin} room when the database says the user is an administrator (a demotion or
 * promotion takes effect on open sockets at once); and in the room of every queue it subscribed to
 * with {@code subscribe_queue {"queue_id": …}}. Each socket receives at most one copy of an event.
 *
 * <p>Which audience for which InvokeAI event:
 * <table>
 * <tr><th>event</th><th>audience</th></tr>
 * <tr><td>{@code invocation_progress}, {@code model_load_started/complete}</td><td>{@link User}</td></tr>
 * <tr><td>{@code invocation_started/complete/error}, {@code recall_parameters_updated},
 *     {@code bulk_download_*}, {@code llm_task_*}</td><td>{@link UserAndAdmins}</td></tr>
 * <tr><td>{@code download_*}, {@code model_install_*}</td><td>{@link Admins}</td></tr>
 * <tr><td>{@code queue_item_status_changed}, {@code batch_enqueued}, scoped {@code queue_cleared}</td>
 *     <td>{@link QueueItem} with the sanitised copy</td></tr>
 * <tr><td>{@code queue_items_canceled}, {@code queue_items_retried}</td><td>{@link QueueByOwner}</td></tr>
 * <tr><td>unscoped {@code queue_cleared} (no user id)</td><td>{@link QueueRoom}</td></tr>
 * <tr><td>public {@code workflow_*} changes</td><td>{@link Everyone}</td></tr>
 * </table>
 */
public sealed interface Audience {

    /** Every administrator's sockets. */
    record Admins() implements Audience {
    }

    /** One user's sockets only (administrators are not copied). */
    record User(String userId) implements Audience {
        public User {
            Objects.requireNonNull(userId, "userId");
        }
    }

    /** One user's sockets and every administrator's, each receiving the event once. */
    record UserAndAdmins(String userId) implements Audience {
        public UserAndAdmins {
            Objects.requireNonNull(userId, "userId");
        }
    }

    /**
     * An event about one user's queue item (or batch, or scoped clear): the event's payload goes to the
     * owner's sockets and every administrator's, each once; {@code othersPayload} goes to the other
     * sockets subscribed to queue {@code queueId}. Owner and administrator sockets never receive
     * {@code othersPayload}, even when subscribed.
     *
     * @param othersPayload the sanitised copy for other users, built by the publisher with core's
     *                      redaction rule; null when other users get nothing
     */
    record QueueItem(String queueId, String ownerId, EventPayload othersPayload) implements Audience {
        public QueueItem {
            Objects.requireNonNull(queueId, "queueId");
            Objects.requireNonNull(ownerId, "ownerId");
        }
    }

    /**
     * A bulk change to items of several owners in queue {@code queueId}: administrators receive the
     * event's payload (all owners' ids); each owner's sockets receive that owner's copy from
     * {@code ownerPayloads} (restricted to their own ids); the other sockets subscribed to the queue
     * receive {@code othersPayload} (empty id lists). An administrator who is also an owner receives
     * the full payload only.
     *
     * @param ownerPayloads per owner id, the copy for that owner
     * @param othersPayload the copy for everyone else in the queue room; null when they get nothing
     */
    record QueueByOwner(String queueId, Map<String, EventPayload> ownerPayloads, EventPayload othersPayload) implements Audience {
        public QueueByOwner {
            Objects.requireNonNull(queueId, "queueId");
            ownerPayloads = Map.copyOf(ownerPayloads);
        }
    }

    /** Every socket subscribed to queue {@code queueId}, all with the same payload. */
    record QueueRoom(String queueId) implements Audience {
        public QueueRoom {
            Objects.requireNonNull(queueId, "queueId");
        }
    }

    /**
     * Every connected socket (InvokeAI's {@code workflows:shared} room, which every socket joins). It
     * includes the owner and the administrators, so "owner, administrators and the shared room" is
     * this audience alone.
     */
    record Everyone() implements Audience {
    }
}
