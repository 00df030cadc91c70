package org.invokej.inference;

import org.invokej.inference.onnx.NumericTensor;
import org.invokej.inference.onnx.OrtDevice;
import org.invokej.inference.onnx.SessionOpener;
import org.invokej.inference.schedulers.SchedulerName;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtEnvironment;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.invokej.inference.testmodels.TinyModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Text-to-image end to end on tiny generated models: real ONNX Runtime, real pipeline. */
class TextToImageTest {
    @TempDir
    static Path folder;

    private static ModelCache cache;
    private static DiffusionPipeline pipeline;
    private static ImageGenerator generator;
    private static Path fp32;
    private static Path fp16;

    @BeforeAll
    static void models() {
        fp32 = TinyModels.sd15().writeTo(folder.resolve("tiny-fp32"));
        fp16 = TinyModels.sd15().fp16().int32Ids().floatTimestep().writeTo(folder.resolve("tiny-fp16"));
        EngineSettings settings = new EngineSettings(OrtDevice.CPU, 1L << 30, 1, 2);
        cache = new ModelCache(new SessionOpener(OrtEnvironment.getEnvironment(), settings), settings.modelCacheBytes());
        pipeline = new DiffusionPipeline(settings.previewInterval());
        generator = new ImageGenerator(pipeline);
    }

    @AfterAll
    static void close() {
        cache.close();
    }

    static GeneratedImage generate(GenerationRequest request) {
        return generate(request, ProgressListener.NONE);
    }

    static GeneratedImage generate(GenerationRequest request, ProgressListener listener) {
        try (ModelCache.Lease lease = cache.acquire(request.model())) {
            return generator.generate(lease.model(), request, lease.loadNanos(), listener, new CancelToken());
        }
    }

    static GenerationRequest small(Path model, long seed) {
        return GenerationRequest.textToImage(model, "a red fox in the snow", seed).withSize(64, 48).withSteps(8);
    }

    static int[] pixels(BufferedImage image) {
        return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    }

    /** Mean absolute difference per channel, 0..255. */
    static double difference(BufferedImage a, BufferedImage b) {
        int[] pa = pixels(a);
        int[] pb = pixels(b);
        double sum = 0;
        for (int i = 0; i < pa.length; i++) {
            for (int shift = 0; shift <= 16; shift += 8) {
                sum += Math.abs(((pa[i] >> shift) & 0xff) - ((pb[i] >> shift) & 0xff));
            }
        }
        return sum / (pa.length * 3.0);
    }

    static long distinctColours(BufferedImage image) {
        return java.util.Arrays.stream(pixels(image)).distinct().count();
    }

    @Test
    void makesAnImageOfTheRequestedSize() {
        GeneratedImage result = generate(small(fp32, 42));
        assertEquals(64, result.image().getWidth());
        assertEquals(48, result.image().getHeight());
        assertTrue(distinctColours(result.image()) > 50, "a varied picture, not a flat one");
        GenerationTimings timings = result.timings();
        assertEquals(8, timings.denoisingSteps());
        assertTrue(timings.ortRun() > 0 && timings.ortRun() < timings.total());
    }

    static java.util.List<SchedulerName> implementedSchedulers() {
        return SchedulerName.available();
    }

    @ParameterizedTest
    @MethodSource("implementedSchedulers")
    void everySchedulerMakesAnImage(SchedulerName scheduler) {
        GeneratedImage result = generate(small(fp32, 7).withScheduler(scheduler));
        assertTrue(distinctColours(result.image()) > 50, scheduler + " made a flat image");
        assertEquals(scheduler.invokeName(), result.metadata().scheduler());
    }

    @Test
    void theSameSeedGivesTheSamePixelsAndAnotherSeedOthers() {
        BufferedImage first = generate(small(fp32, 1234)).image();
        BufferedImage again = generate(small(fp32, 1234)).image();
        BufferedImage other = generate(small(fp32, 1235)).image();
        assertArrayEquals(pixels(first), pixels(again));
        assertTrue(difference(first, other) > 2, "another seed should give another picture");
    }

    @Test
    void seedsWrapModulo2To32() {
        assertArrayEquals(pixels(generate(small(fp32, 5)).image()),
                pixels(generate(small(fp32, 5 + (1L << 32))).image()));
        assertEquals(5, small(fp32, 5 + (1L << 32)).seed());
    }

    @Test
    void thePromptChangesThePicture() {
        BufferedImage fox = generate(small(fp32, 3)).image();
        BufferedImage ship = generate(new GenerationRequest(fp32, "a ship at sea", "", SchedulerName.EULER, 8, 7.5, 3,
                64, 48, null, 0)).image();
        assertTrue(difference(fox, ship) > 1, "the prompt should matter");
    }

    @Test
    void float16ModelsWithInt32IdsAndFloatTimestepsGiveNearlyTheSameImage() {
        // the fp16 variant has the same weights, computed in float32 between float16 inputs and outputs
        BufferedImage full = generate(small(fp32, 11)).image();
        BufferedImage half = generate(small(fp16, 11)).image();
        double difference = difference(full, half);
        assertTrue(difference < 3, "fp16 drifted by " + difference);
        try (ModelCache.Lease lease = cache.acquire(fp16)) {
            assertTrue(lease.model().isHalfPrecision());
        }
    }

    @Test
    void progressCountsEveryStepWithAPreviewEveryFewSteps() throws Exception {
        List<Progress> seen = new ArrayList<>();
        generate(small(fp32, 9), seen::add);
        assertEquals(8, seen.size());
        for (int i = 0; i < 8; i++) {
            assertEquals(i + 1, seen.get(i).step());
            assertEquals(8, seen.get(i).totalSteps());
        }
        assertNull(seen.get(0).preview());
        LatentPreview preview = seen.get(1).preview();
        assertEquals(8, preview.width());
        assertEquals(6, preview.height());
        BufferedImage jpeg = ImageIO.read(new ByteArrayInputStream(preview.toJpeg()));
        assertEquals(8, jpeg.getWidth());
        assertEquals(6, jpeg.getHeight());
        assertEquals(1.0, seen.get(7).fraction());
    }

    @Test
    void heunReportsTwoEvaluationsPerStepButTheFirst() {
        List<Progress> seen = new ArrayList<>();
        generate(small(fp32, 9).withScheduler(SchedulerName.HEUN), seen::add);
        assertEquals(15, seen.size());
    }

    @Test
    void cancellingStopsWithinOneStep() {
        CancelToken cancel = new CancelToken();
        List<Progress> seen = new ArrayList<>();
        try (ModelCache.Lease lease = cache.acquire(fp32)) {
            assertThrows(GenerationCancelledException.class, () -> generator.generate(lease.model(),
                    small(fp32, 1).withSteps(20), 0, progress -> {
                        seen.add(progress);
                        if (progress.step() == 3) {
                            cancel.cancel();
                        }
                    }, cancel));
        }
        assertEquals(3, seen.size());
    }

    @Test
    void aCancelledTokenTerminatesARunningOrtRun() throws Exception {
        // cancel() sets ONNX Runtime's terminate flag on runs in progress; a run under such options fails
        try (ModelCache.Lease lease = cache.acquire(fp32)) {
            DiffusionModel model = lease.model();
            CancelToken cancel = new CancelToken();
            ai.onnxruntime.OrtSession.RunOptions options = cancel.begin();
            cancel.cancel();
            try (NumericTensor latents = NumericTensor.allocate(OrtEnvironment.getEnvironment(), model.decoderType,
                    1, 4, 8, 8);
                    NumericTensor image = NumericTensor.allocate(OrtEnvironment.getEnvironment(), model.decoderType,
                            1, 3, 64, 64)) {
                assertThrows(ai.onnxruntime.OrtException.class, () -> model.vaeDecoder.run(
                        java.util.Map.of("latent_sample", latents.tensor()),
                        java.util.Map.of("sample", image.tensor()), options));
            } finally {
                cancel.end(options);
            }
            // and the pipeline reports such a failure as a cancellation
            assertThrows(GenerationCancelledException.class,
                    () -> pipeline.decode(model, DiffusionPipeline.noise(1, 64, 64), cancel));
        }
    }

    @Test
    void widthAndHeightMustBeMultiplesOfEight() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> small(fp32, 1).withSize(100, 64));
        assertEquals("width 100 is not a positive multiple of 8", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> small(fp32, 1).withSize(64, 0));
    }

    @Test
    void clipSkipIsRefusedClearly() {
        try (ModelCache.Lease lease = cache.acquire(fp32)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> pipeline.encodePrompt(lease.model(), "x", 1, new CancelToken()));
            assertTrue(e.getMessage().contains("clip_skip"));
        }
    }

    @Test
    void perStepGuidanceScalesAreAccepted() {
        try (ModelCache.Lease lease = cache.acquire(fp32)) {
            DiffusionModel model = lease.model();
            CancelToken cancel = new CancelToken();
            Conditioning positive = pipeline.encodePrompt(model, "fox", 0, cancel);
            Conditioning negative = pipeline.encodePrompt(model, "", 0, cancel);
            Latents noise = DiffusionPipeline.noise(5, 64, 64);
            Latents constant = pipeline.denoise(model, new DenoiseRequest(positive, negative, noise, null,
                    SchedulerName.EULER, 4, List.of(7.5), 0, 1, 5), ProgressListener.NONE, cancel);
            Latents listed = pipeline.denoise(model, new DenoiseRequest(positive, negative, noise, null,
                    SchedulerName.EULER, 4, List.of(7.5, 7.5, 7.5, 7.5), 0, 1, 5), ProgressListener.NONE, cancel);
            Latents varied = pipeline.denoise(model, new DenoiseRequest(positive, negative, noise, null,
                    SchedulerName.EULER, 4, List.of(7.5, 3.0, 2.0, 1.0), 0, 1, 5), ProgressListener.NONE, cancel);
            assertArrayEquals(constant.data(), listed.data());
            assertFalse(java.util.Arrays.equals(constant.data(), varied.data()));
            assertThrows(IllegalArgumentException.class, () -> new DenoiseRequest(positive, negative, noise, null,
                    SchedulerName.EULER, 4, List.of(7.5, 3.0), 0, 1, 5));
        }
    }

    @Test
    void denoisingEndStopsEarlyAndTheRestCanFollow() {
        try (ModelCache.Lease lease = cache.acquire(fp32)) {
            DiffusionModel model = lease.model();
            CancelToken cancel = new CancelToken();
            Conditioning positive = pipeline.encodePrompt(model, "fox", 0, cancel);
            Conditioning negative = pipeline.encodePrompt(model, "", 0, cancel);
            Latents noise = DiffusionPipeline.noise(5, 64, 64);
            List<Progress> firstHalf = new ArrayList<>();
            Latents half = pipeline.denoise(model, new DenoiseRequest(positive, negative, noise, null,
                    SchedulerName.EULER, 10, List.of(7.5), 0, 0.5, 5), firstHalf::add, cancel);
            List<Progress> secondHalf = new ArrayList<>();
            Latents rest = pipeline.denoise(model, new DenoiseRequest(positive, negative, null, half,
                    SchedulerName.EULER, 10, List.of(7.5), 0.5, 1, 5), secondHalf::add, cancel);
            Latents whole = pipeline.denoise(model, new DenoiseRequest(positive, negative, noise, null,
                    SchedulerName.EULER, 10, List.of(7.5), 0, 1, 5), ProgressListener.NONE, cancel);
            assertEquals(10, firstHalf.size() + secondHalf.size());
            float[] a = rest.data();
            float[] b = whole.data();
            for (int i = 0; i < a.length; i++) {
                assertEquals(b[i], a[i], 1e-4, "split run differs at " + i);
            }
        }
    }
}
