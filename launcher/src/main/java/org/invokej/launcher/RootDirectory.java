package org.invokej.launcher;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where an InvokeJ installation keeps its files, found the way InvokeAI finds it: {@code --root}, else
 * {@code $INVOKEAI_ROOT}, else the parent of {@code $VIRTUAL_ENV}, else {@code ~/invokeai}. The server
 * and every command resolve it the same way.
 */
public final class RootDirectory {

    private RootDirectory() {
    }

    /**
     * Resolves the root.
     *
     * @param flag        the {@code --root} value, if given
     * @param environment the process environment
     * @param home        the user's home directory
     */
    public static Path resolve(Optional<String> flag, Map<String, String> environment, Path home) {
        String chosen = flag.filter(value -> !value.isBlank())
                .or(() -> nonEmpty(environment.get("INVOKEAI_ROOT")))
                .or(() -> nonEmpty(environment.get("VIRTUAL_ENV"))
                        .map(venv -> expand(venv, home).getParent())
                        .map(Path::toString))
                .orElse(home.resolve("invokeai").toString());
        return expand(chosen, home).toAbsolutePath().normalize();
    }

    /** Resolves the root for this process. */
    public static Path resolve(Optional<String> flag) {
        return resolve(flag, System.getenv(), home(System.getenv()));
    }

    /**
     * The home folder {@code ~} stands for: {@code $HOME} as the shell has it (Java's {@code user.home}
     * comes from the password database and ignores it), else {@code user.home}.
     */
    public static Path home(Map<String, String> environment) {
        return nonEmpty(environment.get("HOME")).map(Path::of).orElseGet(() -> Path.of(System.getProperty("user.home")));
    }

    /** A path as typed, with a leading {@code ~} meaning {@link #home}. */
    public static Path expandHome(String path) {
        return expand(path, home(System.getenv()));
    }

    private static Optional<String> nonEmpty(String value) {
        return Optional.ofNullable(value).filter(v -> !v.isBlank());
    }

    private static Path expand(String path, Path home) {
        if (path.equals("~")) {
            return home;
        }
        if (path.startsWith("~/")) {
            return home.resolve(path.substring(2));
        }
        return Path.of(path);
    }
}
