package org.invokej.core.events;

import java.util.Map;

/** Something that happened, for clients following along: InvokeAI's event name, its payload, and who may see it. */
public record ServerEvent(String name, Map<String, Object> payload, Audience audience) {
}
