package org.invokej.http.fakes;

import org.invokej.core.events.EventSink;
import org.invokej.core.events.ServerEvent;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Where the core's events go in route tests (live sockets are not part of them): kept, in order, for assertions. */
public final class RecordingEvents implements EventSink {

    private final List<ServerEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void publish(ServerEvent event) {
        events.add(event);
    }

    /** The names of the events published so far. */
    public List<String> names() {
        return events.stream().map(ServerEvent::name).toList();
    }
}
