package org.invokej.core.events;

/** Who receives an event over the live connection (Socket.IO). */
public sealed interface Audience {

    /** Every administrator's connections. */
    record Admins() implements Audience {
    }

    /** One user's connections. */
    record User(String userId) implements Audience {
    }

    /** One user's connections and every administrator's, each receiving it once. */
    record UserAndAdmins(String userId) implements Audience {
    }
}
