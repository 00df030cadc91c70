package org.invokej.launcher;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One documented key of {@code invokeai.yaml}: its name, default, how a raw value (from YAML, an
 * environment variable or a flag) becomes a typed one, and the comment written into a new file.
 *
 * @param <T> the typed value
 */
public record Setting<T>(String key, T defaultValue, Parser<T> parser, String description) {

    /** Turns a raw value into a typed one, or explains what was expected. */
    @FunctionalInterface
    public interface Parser<T> {
        /**
         * @throws IllegalArgumentException with a message of the form "expected …"
         */
        T parse(Object raw);
    }

    /** The default as it would be written in YAML. */
    public String defaultText() {
        if (defaultValue instanceof String s) {
            return s.isEmpty() ? "''" : s;
        }
        if (defaultValue instanceof Long bytes) {
            // Only sizes are Long settings: shown with the largest binary unit that divides them.
            for (String unit : List.of("GiB", "MiB", "KiB")) {
                long factor = switch (unit) {
                    case "GiB" -> 1L << 30;
                    case "MiB" -> 1L << 20;
                    default -> 1L << 10;
                };
                if (bytes != 0 && bytes % factor == 0) {
                    return bytes / factor + unit;
                }
            }
            return bytes.toString();
        }
        if (defaultValue instanceof List<?> list) {
            return "[" + String.join(", ", list.stream().map(String::valueOf).toList()) + "]";
        }
        return String.valueOf(defaultValue);
    }

    public static Setting<Boolean> bool(String key, boolean defaultValue, String description) {
        return new Setting<>(key, defaultValue, Setting::parseBoolean, description);
    }

    public static Setting<Integer> integer(String key, int defaultValue, int min, int max, String description) {
        return new Setting<>(key, defaultValue, raw -> parseInteger(raw, min, max), description);
    }

    public static Setting<String> text(String key, String defaultValue, String description) {
        return new Setting<>(key, defaultValue, raw -> {
            if (!(raw instanceof String || raw instanceof Number) || raw.toString().isBlank()) {
                throw new IllegalArgumentException("expected a non-empty text");
            }
            return raw.toString().strip();
        }, description);
    }

    /** One of a fixed set of words, compared without regard to case; the canonical spelling is returned. */
    public static Setting<String> choice(String key, String defaultValue, List<String> choices, String description) {
        return new Setting<>(key, defaultValue, raw -> {
            String value = raw == null ? "" : raw.toString().strip();
            return choices.stream().filter(choice -> choice.equalsIgnoreCase(value)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("expected one of " + String.join(", ", choices)));
        }, description);
    }

    /** A list of texts: a YAML list, or one text with comma-separated items (as environment variables give it). */
    public static Setting<List<String>> list(String key, List<String> defaultValue, String description,
                                            java.util.function.Consumer<List<String>> check) {
        return new Setting<>(key, defaultValue, raw -> {
            List<String> items;
            if (raw instanceof List<?> list) {
                items = list.stream().map(item -> {
                    if (!(item instanceof String || item instanceof Number)) {
                        throw new IllegalArgumentException("expected a list of texts");
                    }
                    return item.toString().strip();
                }).toList();
            } else if (raw instanceof String text) {
                items = java.util.Arrays.stream(text.split(",")).map(String::strip).filter(item -> !item.isEmpty()).toList();
            } else {
                throw new IllegalArgumentException("expected a list of texts");
            }
            try {
                check.accept(items);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("expected a list whose items are valid (" + e.getMessage() + ")");
            }
            return items;
        }, description);
    }

    /** A text that may be empty (its default), checked further by {@code check}. */
    public static Setting<String> optionalText(String key, java.util.function.UnaryOperator<String> check, String description) {
        return new Setting<>(key, "", raw -> {
            if (raw == null) {
                return "";
            }
            if (!(raw instanceof String text)) {
                throw new IllegalArgumentException("expected a text");
            }
            return check.apply(text.strip());
        }, description);
    }

    /** A size in bytes: a whole number of bytes, or a number with a unit (KB, MB, GB, KiB, MiB, GiB). */
    public static Setting<Long> bytes(String key, long defaultValue, long min, String description) {
        return new Setting<>(key, defaultValue, raw -> parseBytes(raw, min), description);
    }

    private static final Set<String> TRUE = Set.of("true", "yes", "on", "1", "t", "y");
    private static final Set<String> FALSE = Set.of("false", "no", "off", "0", "f", "n");

    static boolean parseBoolean(Object raw) {
        if (raw instanceof Boolean b) {
            return b;
        }
        String text = raw == null ? "" : raw.toString().strip().toLowerCase(Locale.ROOT);
        if (TRUE.contains(text)) {
            return true;
        }
        if (FALSE.contains(text)) {
            return false;
        }
        throw new IllegalArgumentException("expected true or false");
    }

    static int parseInteger(Object raw, int min, int max) {
        String expected = "expected a whole number from " + min + " to " + max;
        long value;
        if (raw instanceof Integer || raw instanceof Long) {
            value = ((Number) raw).longValue();
        } else if (raw instanceof String s && s.strip().matches("[+-]?\\d{1,18}")) {
            value = Long.parseLong(s.strip());
        } else {
            throw new IllegalArgumentException(expected);
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException(expected);
        }
        return (int) value;
    }

    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([KMGT]i?B?|B)?", Pattern.CASE_INSENSITIVE);

    static long parseBytes(Object raw, long min) {
        String expected = "expected a size such as 1048576, 64MB or 2GiB, at least " + min + " bytes";
        if (raw instanceof Integer || raw instanceof Long) {
            long value = ((Number) raw).longValue();
            if (value < min) {
                throw new IllegalArgumentException(expected);
            }
            return value;
        }
        if (!(raw instanceof String text)) {
            throw new IllegalArgumentException(expected);
        }
        Matcher matcher = SIZE.matcher(text.strip());
        if (!matcher.matches()) {
            throw new IllegalArgumentException(expected);
        }
        String unit = matcher.group(2) == null ? "B" : matcher.group(2).toUpperCase(Locale.ROOT);
        long multiplier = switch (unit.charAt(0)) {
            case 'K' -> unit.contains("I") ? 1L << 10 : 1_000L;
            case 'M' -> unit.contains("I") ? 1L << 20 : 1_000_000L;
            case 'G' -> unit.contains("I") ? 1L << 30 : 1_000_000_000L;
            case 'T' -> unit.contains("I") ? 1L << 40 : 1_000_000_000_000L;
            default -> 1L;
        };
        BigDecimal bytes = new BigDecimal(matcher.group(1)).multiply(BigDecimal.valueOf(multiplier));
        if (bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0 || bytes.longValue() < min) {
            throw new IllegalArgumentException(expected);
        }
        return bytes.longValue();
    }
}
