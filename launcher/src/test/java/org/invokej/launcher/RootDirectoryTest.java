package org.invokej.launcher;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RootDirectoryTest {

    private static final Path HOME = Path.of("/home/ada");
    private static final Map<String, String> ALL = Map.of("INVOKEAI_ROOT", "/srv/invoke", "VIRTUAL_ENV", "/opt/venvs/invoke/.venv");

    @Test
    void theFlagComesFirst() {
        assertEquals(Path.of("/data/root"), RootDirectory.resolve(Optional.of("/data/root"), ALL, HOME));
    }

    @Test
    void thenTheInvokeAiRootVariable() {
        assertEquals(Path.of("/srv/invoke"), RootDirectory.resolve(Optional.empty(), ALL, HOME));
    }

    @Test
    void thenTheParentOfTheVirtualEnvironment() {
        assertEquals(Path.of("/opt/venvs/invoke"),
                RootDirectory.resolve(Optional.empty(), Map.of("VIRTUAL_ENV", "/opt/venvs/invoke/.venv"), HOME));
    }

    @Test
    void thenInvokeAiInTheHomeDirectory() {
        assertEquals(Path.of("/home/ada/invokeai"), RootDirectory.resolve(Optional.empty(), Map.of(), HOME));
    }

    @Test
    void emptyValuesCountAsUnset() {
        assertEquals(Path.of("/home/ada/invokeai"),
                RootDirectory.resolve(Optional.of(""), Map.of("INVOKEAI_ROOT", "", "VIRTUAL_ENV", " "), HOME));
    }

    @Test
    void aTildeMeansTheHomeDirectoryAndRelativePathsBecomeAbsolute() {
        assertEquals(Path.of("/home/ada/pictures/invoke"), RootDirectory.resolve(Optional.of("~/pictures/invoke"), Map.of(), HOME));
        assertEquals(Path.of("").toAbsolutePath().resolve("rel"), RootDirectory.resolve(Optional.of("rel/."), Map.of(), HOME));
    }
}
