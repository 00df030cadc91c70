package org.invokej.launcher;

import org.invokej.persistence.PrivateFiles;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.logging.FileHandler;
import java.util.logging.Filter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/**
 * One-line log records on standard error, at the level named the way InvokeAI names them, and, for the
 * server, in a log file rotated by size ({@code log_handlers: [console, file=PATH]}).
 */
final class ConsoleLogging {

    /** Helidon's access log, which writes every request at INFO. */
    private static final String ACCESS_LOG = "io.helidon.webserver.AccessLog";

    /**
     * Helidon writes access lines at INFO (one logger per listener, under {@value #ACCESS_LOG}); here they are
     * debugging output, which their loggers let through only when debugging.
     */
    private static final Filter ACCESS_LINES_ARE_DEBUG = record -> {
        if (record.getLoggerName() != null && record.getLoggerName().startsWith(ACCESS_LOG)) {
            record.setLevel(Level.FINE);
        }
        return true;
    };

    private ConsoleLogging() {
    }

    /** Sends every log record at {@code level} or above to standard error. */
    static void configure(String level) {
        configure(level, LogHandlers.CONSOLE);
    }

    /**
     * Sends every log record at {@code level} or above where {@code handlers} say.
     *
     * @throws ConfigException when the log file cannot be written
     */
    static void configure(String level, LogHandlers handlers) {
        Level threshold = julLevel(level);
        // Libraries that announce every routine step are held to warnings unless debugging.
        String quiet = threshold.intValue() < Level.INFO.intValue() ? threshold.getName() : Level.WARNING.getName();
        String properties = String.join("\n",
                "handlers=" + (handlers.console() ? "java.util.logging.ConsoleHandler" : ""),
                ".level=" + threshold.getName(),
                "java.util.logging.ConsoleHandler.level=" + threshold.getName(),
                "java.util.logging.ConsoleHandler.formatter=" + OneLineLogFormat.class.getName(),
                "com.zaxxer.hikari.level=" + quiet,
                "org.flywaydb.level=" + quiet,
                "io.helidon.common.features.level=" + quiet,
                "io.helidon.logging.level=" + quiet,
                // One line per request only when debugging (ACCESS_LINES_ARE_DEBUG).
                ACCESS_LOG + ".level=" + quiet,
                "");
        try {
            LogManager.getLogManager().readConfiguration(new ByteArrayInputStream(properties.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Logger top = Logger.getLogger("");
        handlers.file().ifPresent(file -> top.addHandler(fileHandler(file, threshold)));
        for (Handler handler : top.getHandlers()) {
            handler.setFilter(ACCESS_LINES_ARE_DEBUG);
        }
    }

    private static FileHandler fileHandler(LogHandlers.LogFile file, Level threshold) {
        Path path = file.path();
        try {
            Path folder = path.toAbsolutePath().getParent();
            if (Files.notExists(folder)) {
                Files.createDirectories(folder);
                // The log names users and what they did: like the database, it is the owner's to read.
                PrivateFiles.folder(folder);
            }
            // '%' is the pattern's escape character; a generation number (.0, .1, …) is appended when count > 1
            FileHandler handler = new FileHandler(path.toString().replace("%", "%%"), file.maxBytes(), file.count(), true);
            handler.setEncoding(StandardCharsets.UTF_8.name());
            handler.setFormatter(new OneLineLogFormat());
            handler.setLevel(threshold);
            return handler;
        } catch (IOException | SecurityException e) {
            throw new ConfigException("Cannot write the log file " + path + " (log_handlers): " + e.getMessage());
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
