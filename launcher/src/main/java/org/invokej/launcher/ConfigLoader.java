package org.invokej.launcher;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads the settings of a root: {@code invokeai.yaml}, then {@code INVOKEAI_<KEY>} environment
 * variables, then flags, each overriding the one before. It only reads; a bad value anywhere is a
 * {@link ConfigException} naming the key and its source, before anything is created or written.
 */
public final class ConfigLoader {

    /** The config file's name inside the root. */
    public static final String FILE_NAME = "invokeai.yaml";

    /**
     * Values an InvokeAI root's file may hold that InvokeJ cannot honour: in the file they are ignored
     * with a warning (the root must still open); given as a flag or variable they are refused as usual.
     */
    private static final Map<String, Set<String>> INVOKEAI_ONLY_VALUES = Map.of(
            "device", Set.of("mps"),
            "hashing_algorithm", Set.of("blake2b", "blake2s", "shake_128", "shake_256"));

    private final Map<String, String> environment;
    private final Consumer<String> warnings;

    /**
     * @param environment the process environment (or a test's)
     * @param warnings    where one-line warnings go, e.g. about keys InvokeJ does not use
     */
    public ConfigLoader(Map<String, String> environment, Consumer<String> warnings) {
        this.environment = environment;
        this.warnings = warnings;
    }

    /**
     * Loads the settings of {@code root}.
     *
     * @param flags setting keys to raw values given on the command line (or by an embedding program)
     */
    public InvokeConfig load(Path root, Map<String, String> flags) {
        Map<Setting<?>, Object> values = new HashMap<>();
        Path file = root.resolve(FILE_NAME);
        readFile(file).forEach((key, raw) -> {
            Setting<?> setting = find(key);
            if (setting != null && INVOKEAI_ONLY_VALUES.getOrDefault(key, Set.of()).contains(String.valueOf(raw))) {
                warnings.accept("Ignoring setting '" + key + ": " + raw + "' in " + file + ": InvokeAI accepts it, InvokeJ "
                        + "cannot use it and uses " + setting.defaultText() + " (it stays in the file)");
            } else if (setting != null) {
                values.put(setting, parse(setting, raw, "in " + file));
            } else if (!key.equals("schema_version")) {
                warnings.accept("Ignoring setting '" + key + "' in " + file + ": InvokeJ does not use it (it stays in the file)");
            }
        });
        environment.forEach((name, raw) -> {
            if (name.regionMatches(true, 0, "INVOKEAI_", 0, 9) && raw != null && !raw.isEmpty()) {
                Setting<?> setting = find(name.substring(9).toLowerCase(java.util.Locale.ROOT));
                if (setting != null) {
                    values.put(setting, parse(setting, raw, "in environment variable " + name));
                }
            }
        });
        flags.forEach((key, raw) -> {
            Setting<?> setting = find(key);
            if (setting == null) {
                throw new ConfigException("Unknown setting '" + key + "'");
            }
            values.put(setting, parse(setting, raw, "given as --" + key.replace('_', '-')));
        });
        return InvokeConfig.from(values);
    }

    private static Setting<?> find(String key) {
        return InvokeConfig.SETTINGS.stream().filter(s -> s.key().equals(key)).findFirst().orElse(null);
    }

    private static Object parse(Setting<?> setting, Object raw, String source) {
        try {
            return setting.parser().parse(raw);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("Invalid value for '" + setting.key() + "' " + source + ": "
                    + e.getMessage() + ", got " + shown(raw));
        }
    }

    private static String shown(Object raw) {
        String text = raw == null ? "nothing" : raw instanceof String s ? '"' + s + '"' : raw.toString();
        return text.length() > 60 ? text.substring(0, 57) + "…\"" : text;
    }

    private static Map<String, Object> readFile(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Map.of();
        } catch (IOException e) {
            throw new ConfigException("Cannot read " + file + ": " + e.getMessage());
        }
        Object document;
        try {
            document = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark();
            String where = mark == null ? "" : " at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
            throw new ConfigException("Cannot parse " + file + where + ": " + e.getProblem());
        } catch (YAMLException e) {
            throw new ConfigException("Cannot parse " + file + ": " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (document == null) {
            return Map.of();
        }
        if (!(document instanceof Map<?, ?> map)) {
            throw new ConfigException("Cannot use " + file + ": it must be a mapping of settings (key: value lines)");
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        map.forEach((key, value) -> settings.put(String.valueOf(key), value));
        return settings;
    }

    /** The commented file written into a new root. */
    public static String defaultFile() {
        StringBuilder text = new StringBuilder("""
                # InvokeJ settings (InvokeAI's invokeai.yaml format).
                # Uncomment a line to change a setting. INVOKEAI_<KEY> environment variables override this
                # file, and command-line flags override both. Settings InvokeJ does not use are kept and ignored.
                schema_version: %s
                """.formatted(InvokeConfig.SCHEMA_VERSION));
        for (Setting<?> setting : InvokeConfig.SETTINGS) {
            text.append("\n# ").append(setting.description()).append('\n')
                    .append("# ").append(setting.key()).append(": ").append(setting.defaultText()).append('\n');
        }
        return text.toString();
    }
}
