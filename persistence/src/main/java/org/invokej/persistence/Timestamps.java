package org.invokej.persistence;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;

/**
 * Times as InvokeAI's database holds them: SQLite's {@code YYYY-MM-DD HH:MM:SS.SSS} (UTC, no zone) from
 * column defaults, and Python ISO strings such as {@code 2026-03-09T16:10:47.095000+00:00} written by
 * the application. Both are read; the first is written. PostgreSQL keeps times as the same text; its
 * column defaults ({@code invokej_now()}) write microseconds, which read and sort the same way.
 */
public final class Timestamps {

    private static final DateTimeFormatter SQLITE = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd")
            .optionalStart().appendLiteral(' ').optionalEnd()
            .optionalStart().appendLiteral('T').optionalEnd()
            .appendPattern("HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
            .toFormatter();
    private static final DateTimeFormatter WRITE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    private Timestamps() {
    }

    /** The instant a stored time stands for; null for null. */
    public static Instant parse(String text) {
        if (text == null) {
            return null;
        }
        try {
            var parsed = SQLITE.parseBest(text.strip(), OffsetDateTime::from, LocalDateTime::from);
            return parsed instanceof OffsetDateTime offset ? offset.toInstant()
                    : ((LocalDateTime) parsed).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new IllegalStateException("Unreadable time in the database: " + text, e);
        }
    }

    /** How a time is written: SQLite's default form, UTC, milliseconds. */
    public static String format(Instant instant) {
        return instant == null ? null : WRITE.format(instant.atOffset(ZoneOffset.UTC));
    }
}
