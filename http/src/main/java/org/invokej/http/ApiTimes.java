package org.invokej.http;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The time formats InvokeAI's JSON uses. */
public final class ApiTimes {

    private static final DateTimeFormatter ISO_MICROS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS");
    private static final DateTimeFormatter SQLITE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    private ApiTimes() {
    }

    /** {@code 2026-03-09T16:10:47.095000}: ISO, UTC, no zone (UserDTO's created_at/updated_at). */
    public static String isoLocal(Instant instant) {
        return instant == null ? null : ISO_MICROS.format(instant.atOffset(ZoneOffset.UTC));
    }

    /** {@code 2026-03-09T16:10:47.095000Z}: ISO, UTC, with the zone (last_login_at, audit times). */
    public static String isoUtc(Instant instant) {
        return instant == null ? null : isoLocal(instant) + "Z";
    }

    /** {@code 2026-03-09 16:10:47.095}: SQLite's text, as boards, images and queue items carry it. */
    public static String sqlite(Instant instant) {
        return instant == null ? null : SQLITE.format(instant.atOffset(ZoneOffset.UTC));
    }
}
