package org.invokej.core.events;

import java.util.Objects;

/**
 * A payload already written as JSON: how an event crosses processes through the {@link EventOutbox}.
 * The publishing process writes its payload records once, with the same mapper the live connection
 * uses; the relaying web node sends the text as it is.
 */
public record WrittenPayload(String json) implements EventPayload {
    public WrittenPayload {
        Objects.requireNonNull(json, "json");
    }
}
