package org.invokej.http;

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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code http} never touches SQL or ONNX Runtime, and reaches storage and the engine only through core's
 * ports. The enforcer bans the artifacts; this reads http's main sources for the packages (the JDK's
 * {@code java.sql} needs no artifact).
 */
class HttpSourcesTest {

    private static final Pattern FORBIDDEN = Pattern.compile("\\b(java\\.sql|javax\\.sql|ai\\.onnxruntime|org\\.sqlite|org\\.flywaydb"
            + "|com\\.zaxxer|io\\.helidon\\.dbclient|org\\.invokej\\.(?:persistence|inference|launcher))\\.");

    @Test
    void httpMainCodeNamesNoStorageOrEnginePackage() throws IOException {
        Path sources = Path.of("src", "main", "java");
        assertTrue(Files.isDirectory(sources.resolve("org/invokej/http")), "run from the http module: " + sources.toAbsolutePath());
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
}
