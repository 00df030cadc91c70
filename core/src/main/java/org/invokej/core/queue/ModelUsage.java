package org.invokej.core.queue;

import org.invokej.core.Actor;
import org.invokej.core.DomainException;

import java.util.List;

/** Whether a user may generate with a model; the model manager decides (its allow-list). */
@FunctionalInterface
public interface ModelUsage {

    /** What the queue learns of a usable model: enough to check that a graph's LoRAs fit its main models. */
    record Used(String name, String type, String base) {
    }

    /** Refuses (403 naming the model, 404/422 for an unknown or missing one) what {@code actor} may not use. */
    Used requireUsable(Actor actor, String modelKey);

    /**
     * A LoRA changes the weights of the model it was trained for: every LoRA a graph names must be for the base of
     * its main models (a 422 naming both otherwise).
     */
    static void requireLorasFit(List<Used> used) {
        for (Used lora : used) {
            if (!"lora".equals(lora.type())) {
                continue;
            }
            for (Used main : used) {
                if ("main".equals(main.type()) && !main.base().equals(lora.base())) {
                    throw DomainException.unprocessable("LoRA '" + lora.name() + "' is for " + lora.base() + " models; the graph's"
                            + " main model '" + main.name() + "' is " + main.base());
                }
            }
        }
    }
}
