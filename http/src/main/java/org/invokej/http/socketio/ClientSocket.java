package org.invokej.http.socketio;

import org.invokej.core.auth.SocketUser;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * A connected Socket.IO socket (the default namespace of one Engine.IO connection): who it is, and the
 * rooms it is in. Its user room is its user's id; the admin room follows the role the database gave
 * at the last check (but is left while the user's row cannot be read); queue rooms are the queues it
 * subscribed to.
 */
final class ClientSocket {

    /** The most queues one socket may follow; further subscriptions are ignored. */
    static final int MAX_QUEUES = 64;

    /** A socket's rooms at one moment; replaced as a whole, never changed in place. */
    record Rooms(SocketUser user, boolean admin, Set<String> queues) {
        Rooms {
            queues = Set.copyOf(queues);
        }

        boolean isIn(String queueId) {
            return queues.contains(queueId);
        }
    }

    private final String id;
    private final EngineIoSession connection;
    private final AtomicReference<Rooms> rooms;

    ClientSocket(String id, EngineIoSession connection, SocketUser user) {
        this.id = id;
        this.connection = connection;
        this.rooms = new AtomicReference<>(new Rooms(user, user.admin(), Set.of()));
    }

    String id() {
        return id;
    }

    Rooms rooms() {
        return rooms.get();
    }

    SocketUser user() {
        return rooms.get().user();
    }

    /**
     * Joins a queue's room, and rejoins the admin room if the last known role is administrator (as
     * InvokeAI does; a demoted socket's last known role is no longer administrator, so it stays out).
     */
    void subscribe(String queueId) {
        update(now -> {
            Set<String> queues = now.queues();
            if (!queues.contains(queueId) && queues.size() < MAX_QUEUES) {
                queues = new HashSet<>(queues);
                queues.add(queueId);
            }
            return new Rooms(now.user(), now.user().admin(), queues);
        });
    }

    void unsubscribe(String queueId) {
        update(now -> {
            Set<String> queues = new HashSet<>(now.queues());
            queues.remove(queueId);
            return new Rooms(now.user(), now.admin(), queues);
        });
    }

    /** Takes the user's re-checked identity: the admin room follows its role. */
    void recheckedAs(SocketUser user) {
        update(now -> new Rooms(user, user.admin(), now.queues()));
    }

    /** Rejoins the admin room if the last known role is administrator (the user's row could be read again). */
    void restoreAdminRoom() {
        update(now -> new Rooms(now.user(), now.user().admin(), now.queues()));
    }

    /** Leaves the admin room, keeping the last known role (the user's row could not be read). */
    void leaveAdminRoom() {
        update(now -> new Rooms(now.user(), false, now.queues()));
    }

    /** Whether long-polling carries this socket now (not yet, or never, upgraded to a WebSocket). */
    boolean carriedByPolling() {
        return connection.transport() == EngineIoSession.Transport.POLLING;
    }

    /** Queues an encoded Socket.IO packet for this socket. */
    void send(String packet) {
        connection.sendPacket(this, packet);
    }

    /** Ends this socket from the server's side ({@code 41}); the client does not reconnect by itself. */
    void disconnect() {
        connection.disconnect(this);
    }

    private void update(UnaryOperator<Rooms> change) {
        rooms.updateAndGet(change);
    }

    @Override
    public String toString() {
        return "socket " + id + " of " + user().userId();
    }
}
