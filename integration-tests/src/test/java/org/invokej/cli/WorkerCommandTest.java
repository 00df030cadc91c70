package org.invokej.cli;

import org.invokej.testing.Scripts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code invokej worker} refuses what it cannot work with in one line and exit status 1, writing nothing. */
class WorkerCommandTest {

    @TempDir
    Path dir;

    private static Scripts.Result worker(String... args) {
        return Scripts.run("invokej", List.of(args), Map.of(), null, Duration.ofMinutes(2));
    }

    private static void assertOneLineFailure(Scripts.Result result, String expected) {
        assertEquals(1, result.exitCode(), result.toString());
        assertEquals(1, result.stderr().strip().lines().count(), result.toString());
        assertTrue(result.stderr().contains(expected), result.toString());
    }

    @Test
    void aRootThatDoesNotExistIsRefused() {
        Path missing = dir.resolve("nowhere");
        assertOneLineFailure(worker("worker", "--root", missing.toString()), "does not exist");
        assertTrue(Files.notExists(missing));
    }

    @Test
    void aNegativeGraceIsRefused() {
        assertOneLineFailure(worker("worker", "--root", dir.toString(), "--grace", "-1"), "--grace must not be negative");
    }

    @Test
    void aBadDeviceIsRefusedNamingTheSetting() {
        assertOneLineFailure(worker("worker", "--root", dir.toString(), "--device", "tpu"), "device");
        assertTrue(Files.notExists(dir.resolve("databases")));
    }
}
