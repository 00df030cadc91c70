package org.invokej.core.events;

/** Where services publish events; the HTTP layer delivers them to connected clients. */
@FunctionalInterface
public interface EventSink {

    void publish(ServerEvent event);

    /** Drops every event (a server without live connections, the command line). */
    EventSink NONE = event -> {
    };
}
