package org.invokej.core.queue;

import org.invokej.core.Actor;

/** Whether a user may generate with a model; the model manager decides (its allow-list). */
@FunctionalInterface
public interface ModelUsage {

    /** Refuses (403 naming the model, 404/422 for an unknown or missing one) what {@code actor} may not use. */
    void requireUsable(Actor actor, String modelKey);
}
