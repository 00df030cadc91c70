package org.invokej.launcher;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * InvokeAI's {@code log_handlers}, read: whether the log goes to the console, to which file, and the
 * handlers InvokeAI has that InvokeJ does not ({@code syslog=…}, {@code http=…}), which are ignored with
 * a warning so that an InvokeAI root still opens.
 *
 * @param file    the log file, rotated by size, if any
 * @param ignored the items InvokeJ does not honour, as written
 */
record LogHandlers(boolean console, Optional<LogFile> file, List<String> ignored) {

    /**
     * A log file: {@code path} gets a generation number ({@code .0} is the one being written, {@code .1}
     * the one before, …); at {@code maxBytes} the files move one generation up and the oldest beyond
     * {@code count} is dropped.
     */
    record LogFile(Path path, long maxBytes, int count) {
    }

    /** Console only: what commands other than the server log to. */
    static final LogHandlers CONSOLE = new LogHandlers(true, Optional.empty(), List.of());

    /** Refuses items InvokeAI would not accept either (a {@code file=} without a name included). */
    static void check(List<String> items) {
        for (String item : items) {
            boolean known = item.equals("console") || item.equals("syslog") || item.startsWith("syslog=") || item.startsWith("http=")
                    || (item.startsWith("file=") && !item.substring("file=".length()).isBlank());
            if (!known) {
                throw new IllegalArgumentException("'" + item + "' is not a log handler: use console or file=PATH");
            }
        }
    }

    /** The handlers of {@code items}; a relative file name is in {@code root}; the last {@code file=} wins. */
    static LogHandlers of(List<String> items, Path root, long maxBytes, int count) {
        Optional<LogFile> file = items.stream().filter(item -> item.startsWith("file=")).reduce((first, second) -> second)
                .map(item -> root.resolve(RootDirectory.expandHome(item.substring("file=".length()).strip())).normalize())
                .map(path -> new LogFile(path, maxBytes, count));
        List<String> ignored = items.stream().filter(item -> item.startsWith("syslog") || item.startsWith("http=")).toList();
        return new LogHandlers(items.contains("console"), file, ignored);
    }
}
