package org.invokej.core.events;

import java.util.Objects;

/** Something that happened, for clients following along: InvokeAI's event name, its payload, and who may see it. */
public record ServerEvent(String name, EventPayload payload, Audience audience) {

    public ServerEvent {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(audience, "audience");
    }
}
