package org.invokej.inference;

import org.invokej.inference.onnx.OrtDevice;
import org.invokej.inference.onnx.SessionOpener;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtEnvironment;
import java.nio.file.Path;
import java.util.List;
import org.invokej.inference.testmodels.TinyModels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loaded models stay within the byte budget; the least recently used unheld ones go first. */
class ModelCacheTest {
    @TempDir
    static Path folder;

    private static Path a;
    private static Path b;
    private static Path c;
    private static long size;
    private static final SessionOpener OPENER = new SessionOpener(OrtEnvironment.getEnvironment(),
            new EngineSettings(OrtDevice.CPU, 0, 1, 1));

    @BeforeAll
    static void models() {
        a = TinyModels.sd15().writeTo(folder.resolve("a"));
        b = TinyModels.sd15().writeTo(folder.resolve("b"));
        c = TinyModels.sd15().writeTo(folder.resolve("c"));
        size = ModelFolder.open(a).sizeBytes();
    }

    @Test
    void aLoadedModelIsReusedWithoutLoadingAgain() {
        try (ModelCache cache = new ModelCache(OPENER, 10 * size)) {
            DiffusionModel first;
            try (ModelCache.Lease lease = cache.acquire(a)) {
                assertTrue(lease.loadNanos() > 0);
                first = lease.model();
            }
            try (ModelCache.Lease lease = cache.acquire(a.resolve("../a"))) {
                assertEquals(0, lease.loadNanos());
                assertSame(first, lease.model());
            }
        }
    }

    @Test
    void theLeastRecentlyUsedModelIsUnloadedBeyondTheBudget() {
        try (ModelCache cache = new ModelCache(OPENER, 2 * size + size / 2)) {
            cache.acquire(a).close();
            cache.acquire(b).close();
            cache.acquire(a).close(); // a is now more recent than b
            cache.acquire(c).close();
            assertEquals(List.of(a, c), cache.loaded());
            assertTrue(cache.loadedBytes() <= 2 * size + size / 2);
        }
    }

    @Test
    void emptyingUnloadsWhatNobodyHoldsAndKeepsWhatIsInUse() {
        try (ModelCache cache = new ModelCache(OPENER, 10 * size)) {
            cache.acquire(a).close();
            cache.acquire(b).close();
            try (ModelCache.Lease held = cache.acquire(c)) {
                org.invokej.core.models.LoadedModels.Emptied emptied = cache.emptyUnused();
                assertEquals(2, emptied.modelsCleared());
                assertEquals(2 * size, emptied.bytesFreed());
                assertEquals(List.of(c), cache.loaded());
                assertTrue(held.model().sizeBytes() > 0, "the held model is still usable");
            }
            assertEquals(List.of(c), cache.loaded(), "released, it stays cached until the next emptying");
            assertEquals(1, cache.emptyUnused().modelsCleared());
            assertEquals(List.of(), cache.loaded());
            assertEquals(0, cache.emptyUnused().modelsCleared());
        }
    }

    @Test
    void aHeldModelIsKeptEvenOverBudgetAndUnloadedWhenReleased() {
        try (ModelCache cache = new ModelCache(OPENER, size + size / 2)) {
            ModelCache.Lease held = cache.acquire(a);
            cache.acquire(b).close();
            // b is the newest but a is held: over budget, b (unheld, least recently used now) goes
            assertEquals(List.of(a), cache.loaded());
            ModelCache.Lease second = cache.acquire(b);
            assertEquals(List.of(a, b), cache.loaded());
            held.close();
            assertEquals(List.of(b), cache.loaded());
            second.close();
        }
    }

    @Test
    void aClosedCacheRefusesNewWork() {
        ModelCache cache = new ModelCache(OPENER, size);
        cache.close();
        assertThrows(IllegalStateException.class, () -> cache.acquire(a));
    }
}
