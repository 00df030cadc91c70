package org.invokej.core.content;

import org.invokej.core.DomainException;

import java.util.Locale;

/** Where an image came from: made by a node ({@code internal}) or uploaded ({@code external}). */
public enum ImageOrigin {
    INTERNAL, EXTERNAL;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ImageOrigin of(String wire) {
        for (ImageOrigin value : values()) {
            if (value.wire().equals(wire)) {
                return value;
            }
        }
        throw DomainException.unprocessable("image_origin must be internal or external");
    }
}
