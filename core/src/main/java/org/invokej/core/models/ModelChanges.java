package org.invokej.core.models;

import org.invokej.core.DomainException;

import java.util.List;
import java.util.Optional;

/**
 * What an administrator changes of a model ({@code PATCH /api/v2/models/i/{key}}, a subset of InvokeAI's
 * {@code ModelRecordChanges}). A null field stays as it is; an empty Optional clears the field (JSON
 * {@code null}); the name can be changed but not cleared.
 */
public record ModelChanges(
        String name,
        Optional<String> description,
        Optional<DefaultSettings> defaultSettings,
        Optional<List<String>> triggerPhrases) {

    /** The longest name InvokeJ accepts. */
    public static final int MAX_NAME = 255;

    public static final ModelChanges NONE = new ModelChanges(null, null, null, null);

    public ModelChanges {
        if (name != null) {
            name = name.strip();
            if (name.isEmpty() || name.length() > MAX_NAME) {
                throw DomainException.unprocessable("name must be 1 to " + MAX_NAME + " characters");
            }
        }
        if (triggerPhrases != null && triggerPhrases.isPresent()) {
            if (triggerPhrases.get().stream().anyMatch(phrase -> phrase == null || phrase.isBlank())) {
                throw DomainException.unprocessable("trigger_phrases must be non-empty texts");
            }
            triggerPhrases = Optional.of(List.copyOf(triggerPhrases.get()));
        }
    }
}
