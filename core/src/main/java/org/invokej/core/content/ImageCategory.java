package org.invokej.core.content;

import org.invokej.core.DomainException;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** InvokeAI's {@code ImageCategory}: {@code general} images, and the four kinds of assets. */
public enum ImageCategory {
    GENERAL, MASK, CONTROL, USER, OTHER;

    /** What a board's {@code asset_count} counts. */
    public static final Set<ImageCategory> ASSETS = EnumSet.of(MASK, CONTROL, USER, OTHER);

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ImageCategory of(String wire) {
        for (ImageCategory value : values()) {
            if (value.wire().equals(wire)) {
                return value;
            }
        }
        throw DomainException.unprocessable("image_category must be one of general, mask, control, user, other");
    }
}
