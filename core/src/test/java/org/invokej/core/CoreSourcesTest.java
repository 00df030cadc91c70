package org.invokej.core;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code core} knows no Helidon, no SQL and no ONNX Runtime. The enforcer plugin bans those artifacts
 * from core's dependencies, but a package can also arrive through an allowed one (the JDK's own
 * {@code java.sql}, say), so this reads core's main sources for the packages themselves.
 */
class CoreSourcesTest {

    /** Packages core's main code may not name, in an import or written out in full. */
    static final Pattern FORBIDDEN = Pattern.compile("\\b(io\\.helidon|java\\.sql|javax\\.sql|ai\\.onnxruntime|org\\.sqlite"
            + "|org\\.flywaydb|com\\.zaxxer|org\\.invokej\\.(?:http|persistence|inference|launcher))\\.");

    @Test
    void coreMainCodeNamesNoForbiddenPackage() throws IOException {
        Path sources = Path.of("src", "main", "java");
        assertTrue(Files.isDirectory(sources.resolve("org/invokej/core")), "run from the core module: " + sources.toAbsolutePath());
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(path -> path.toString().endsWith(".java")).toList()) {
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    Matcher matcher = FORBIDDEN.matcher(lines.get(i));
                    if (matcher.find()) {
                        found.add(sources.relativize(file) + ":" + (i + 1) + " names " + matcher.group(1));
                    }
                }
            }
        }
        assertEquals(List.of(), found);
    }

    @Test
    void thePatternCatchesImportsAndFullNames() {
        for (String line : List.of("import io.helidon.webserver.WebServer;", "import java.sql.Connection;",
                "    ai.onnxruntime.OrtSession session;", "import static org.invokej.persistence.Database.open;")) {
            assertTrue(FORBIDDEN.matcher(line).find(), line);
        }
        for (String line : List.of("import java.time.Instant;", "import org.invokej.core.store.Tx;", "// sqlite is a store")) {
            assertFalse(FORBIDDEN.matcher(line).find(), line);
        }
    }
}
