package org.invokej.core.events;

/**
 * The payload of a {@link ServerEvent}: a record in InvokeAI's field order, written as JSON once, where
 * it leaves the server (the live connection), with snake_case names and nulls kept. Nothing between the
 * publisher and that edge reads it as JSON.
 */
public interface EventPayload {
}
