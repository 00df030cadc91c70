package org.invokej.core.content;

import org.invokej.core.DomainException;

import java.util.Locale;

/**
 * Who sees a board besides its owner and the administrators: nobody ({@code private}), every user
 * reading ({@code shared}), or every user reading and adding their own images ({@code public}).
 */
public enum BoardVisibility {
    PRIVATE, SHARED, PUBLIC;

    /** The name in JSON and in {@code boards.board_visibility}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static BoardVisibility of(String wire) {
        for (BoardVisibility value : values()) {
            if (value.wire().equals(wire)) {
                return value;
            }
        }
        throw DomainException.unprocessable("board_visibility must be one of private, shared, public");
    }
}
