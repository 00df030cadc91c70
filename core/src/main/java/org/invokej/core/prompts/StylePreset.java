package org.invokej.core.prompts;

import org.invokej.core.DomainException;

import java.util.Objects;

/**
 * A style preset (InvokeAI's prompt template): prompts to combine with the user's own, of type
 * {@code user} (a user's) or {@code default} (the catalogue administrators keep), private to its owner
 * unless made public.
 */
public record StylePreset(String id, String name, String positivePrompt, String negativePrompt, String type,
                          boolean isPublic, String ownerId) {

    public static final String USER = "user";
    public static final String DEFAULT = "default";

    public StylePreset {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(ownerId, "ownerId");
    }

    /** What a client gives to create or change a preset. */
    public record Draft(String name, String positivePrompt, String negativePrompt, String type, boolean isPublic) {
        public Draft {
            if (name == null || positivePrompt == null || negativePrompt == null || type == null) {
                throw DomainException.invalid("Invalid preset data");
            }
            if (!type.equals(USER) && !type.equals(DEFAULT)) {
                throw DomainException.invalid("Invalid preset data");
            }
        }
    }

    /** One preset of an import file: a user preset, private to the importer. */
    public record Imported(String name, String positivePrompt, String negativePrompt) {
    }
}
