package org.invokej.launcher;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.LogManager;

/** One-line log records on standard error, at the level named the way InvokeAI names them. */
final class ConsoleLogging {

    private ConsoleLogging() {
    }

    /** Sends every log record at {@code level} or above to standard error. */
    static void configure(String level) {
        Level threshold = julLevel(level);
        // Libraries that announce every routine step are held to warnings unless debugging.
        String quiet = threshold.intValue() < Level.INFO.intValue() ? threshold.getName() : Level.WARNING.getName();
        String properties = String.join("\n",
                "handlers=java.util.logging.ConsoleHandler",
                ".level=" + threshold.getName(),
                "java.util.logging.ConsoleHandler.level=" + threshold.getName(),
                "java.util.logging.ConsoleHandler.formatter=" + OneLineLogFormat.class.getName(),
                "com.zaxxer.hikari.level=" + quiet,
                "org.flywaydb.level=" + quiet,
                "io.helidon.common.features.level=" + quiet,
                "io.helidon.logging.level=" + quiet,
                // One line per request only when debugging (the access log writes at INFO).
                "io.helidon.webserver.AccessLog.level=" + quiet,
                "");
        try {
            LogManager.getLogManager().readConfiguration(new ByteArrayInputStream(properties.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** InvokeAI's level names (debug, info, warning, error, critical) as java.util.logging levels. */
    static Level julLevel(String level) {
        return switch (level.toLowerCase(Locale.ROOT)) {
            case "debug" -> Level.FINE;
            case "warning" -> Level.WARNING;
            case "error", "critical" -> Level.SEVERE;
            default -> Level.INFO;
        };
    }
}
