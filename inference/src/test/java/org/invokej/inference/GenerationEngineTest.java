package org.invokej.inference;

import org.invokej.inference.onnx.DeviceUnavailableException;
import org.invokej.inference.onnx.OrtDevice;
import org.invokej.inference.onnx.SessionOpener;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.invokej.inference.testmodels.TinyModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine's dispatch thread, handles, cancellation, and the device choice on this CPU-only build. */
class GenerationEngineTest {
    @TempDir
    static Path folder;

    private static Path model;
    private static GenerationEngine engine;

    @BeforeAll
    static void start() {
        model = TinyModels.sd15().writeTo(folder.resolve("tiny"));
        engine = new GenerationEngine(new EngineSettings(OrtDevice.CPU, 1L << 30, 1, 2));
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    private static GenerationRequest request(long seed) {
        return GenerationRequest.textToImage(model, "a lighthouse", seed).withSize(64, 64).withSteps(6);
    }

    @Test
    void jobsRunOneAfterAnotherOnTheDispatchThread() throws Exception {
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        GenerationHandle<String> first = engine.submit(context -> {
            events.add("first start");
            Thread.sleep(50);
            events.add("first end");
            return Thread.currentThread().getName();
        }, ProgressListener.NONE);
        GenerationHandle<String> second = engine.submit(context -> {
            events.add("second start");
            return Thread.currentThread().getName();
        }, ProgressListener.NONE);
        assertEquals("invokej-generation", first.await());
        assertEquals("invokej-generation", second.await());
        assertEquals(List.of("first start", "first end", "second start"), events);
    }

    @Test
    void aGenerationReportsProgressAndReturnsItsImage() throws Exception {
        List<Progress> seen = Collections.synchronizedList(new ArrayList<>());
        GeneratedImage image = engine.submit(request(3), seen::add).await(Duration.ofSeconds(30));
        assertEquals(64, image.image().getWidth());
        assertEquals(6, seen.size());
        assertEquals(3, image.metadata().seed());
    }

    @Test
    void cancelStopsARunningGenerationWithinOneStep() {
        AtomicReference<GenerationHandle<GeneratedImage>> handle = new AtomicReference<>();
        List<Progress> seen = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch submitted = new CountDownLatch(1);
        handle.set(engine.submit(request(4).withSteps(30), progress -> {
            try {
                submitted.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            seen.add(progress);
            if (progress.step() == 2) {
                handle.get().cancel();
            }
        }));
        submitted.countDown();
        assertThrows(GenerationCancelledException.class, () -> handle.get().await());
        assertEquals(2, seen.size());
    }

    @Test
    void aCancelledQueuedJobNeverStarts() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        GenerationHandle<Integer> blocker = engine.submit(context -> {
            release.await(10, TimeUnit.SECONDS);
            return 1;
        }, ProgressListener.NONE);
        List<Progress> seen = Collections.synchronizedList(new ArrayList<>());
        GenerationHandle<GeneratedImage> queued = engine.submit(request(5), seen::add);
        queued.cancel();
        release.countDown();
        assertEquals(1, blocker.await());
        assertThrows(GenerationCancelledException.class, queued::await);
        assertTrue(seen.isEmpty());
    }

    @Test
    void failuresReachTheCallerAsTheyWereThrown() {
        GenerationHandle<GeneratedImage> handle = engine.submit(
                GenerationRequest.textToImage(folder.resolve("missing"), "x", 1).withSize(64, 64), ProgressListener.NONE);
        InvalidModelException e = assertThrows(InvalidModelException.class, handle::await);
        assertTrue(e.getMessage().contains("missing"));
    }

    @Test
    void autoFallsBackToTheCpuWithOneLogLineNamingTheReason() {
        Logger logger = Logger.getLogger(SessionOpener.class.getName());
        List<LogRecord> records = Collections.synchronizedList(new ArrayList<>());
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Level previous = logger.getLevel();
        logger.setLevel(Level.INFO);
        logger.addHandler(handler);
        try (GenerationEngine auto = new GenerationEngine(EngineSettings.defaults())) {
            assertEquals(OrtDevice.CPU, auto.device());
            assertEquals(1, records.size());
            String message = records.get(0).getMessage();
            assertTrue(message.contains("CPU") && message.contains("no CUDA provider"), message);
            // and it generates
            GeneratedImage image = auto.submit(request(6), ProgressListener.NONE).await();
            assertEquals(64, image.image().getWidth());
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        } finally {
            logger.removeHandler(handler);
            logger.setLevel(previous);
        }
    }

    @Test
    void anExplicitCudaDeviceThatCannotWorkIsAClearError() {
        DeviceUnavailableException e = assertThrows(DeviceUnavailableException.class,
                () -> new GenerationEngine(EngineSettings.defaults().withDevice(OrtDevice.parse("cuda:1"))));
        assertTrue(e.getMessage().startsWith("CUDA device 1 cannot be used"), e.getMessage());
        assertTrue(e.getMessage().contains("--device cpu"), e.getMessage());
    }

    @Test
    void devicesParseAsDocumented() {
        assertEquals(OrtDevice.AUTO, OrtDevice.parse("auto"));
        assertEquals(OrtDevice.CPU, OrtDevice.parse(" CPU "));
        assertEquals(new OrtDevice(OrtDevice.Kind.CUDA, 0), OrtDevice.parse("cuda"));
        assertEquals(new OrtDevice(OrtDevice.Kind.CUDA, 2), OrtDevice.parse("cuda:2"));
        for (String bad : new String[] {"gpu", "cuda:", "cuda:-1", "cuda:x", ""}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OrtDevice.parse(bad));
            assertTrue(e.getMessage().contains("auto, cpu, cuda, cuda:N"), e.getMessage());
        }
    }
}
