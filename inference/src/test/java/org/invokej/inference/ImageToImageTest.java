package org.invokej.inference;

import org.invokej.inference.onnx.OrtDevice;
import org.invokej.inference.onnx.SessionOpener;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.invokej.inference.TextToImageTest.difference;
import static org.invokej.inference.TextToImageTest.pixels;

import ai.onnxruntime.OrtEnvironment;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.invokej.inference.testmodels.TinyModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Image-to-image end to end on tiny generated models: VAE encoding, strength, the timestep window. */
class ImageToImageTest {
    @TempDir
    static Path folder;

    private static ModelCache cache;
    private static DiffusionPipeline pipeline;
    private static ImageGenerator generator;
    private static Path model;
    private static Path fp16Parameters;
    private static Path noEncoder;
    private static BufferedImage init;

    @BeforeAll
    static void models() {
        model = TinyModels.sd15().writeTo(folder.resolve("tiny"));
        fp16Parameters = TinyModels.sd15().fp16().latentParameters().writeTo(folder.resolve("tiny-fp16-params"));
        noEncoder = TinyModels.sd15().withoutVaeEncoder().writeTo(folder.resolve("tiny-no-encoder"));
        EngineSettings settings = new EngineSettings(OrtDevice.CPU, 1L << 30, 1, 1);
        cache = new ModelCache(new SessionOpener(OrtEnvironment.getEnvironment(), settings), settings.modelCacheBytes());
        pipeline = new DiffusionPipeline(settings.previewInterval());
        generator = new ImageGenerator(pipeline);
        init = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = init.createGraphics();
        g.setColor(Color.ORANGE);
        g.fillRect(0, 0, 64, 64);
        g.setColor(Color.BLUE);
        g.fillOval(8, 8, 40, 40);
        g.dispose();
    }

    @AfterAll
    static void close() {
        cache.close();
    }

    private static GeneratedImage generate(GenerationRequest request, ProgressListener listener) {
        try (ModelCache.Lease lease = cache.acquire(request.model())) {
            return generator.generate(lease.model(), request, lease.loadNanos(), listener, new CancelToken());
        }
    }

    private static GenerationRequest request(Path modelFolder, BufferedImage image, double strength) {
        return GenerationRequest.textToImage(modelFolder, "a blue ball", 21).withSize(64, 64).withSteps(10)
                .withInitImage(image, strength);
    }

    @Test
    void strengthSetsHowManyStepsRunAndHowFarTheImageMoves() {
        List<Progress> weak = new ArrayList<>();
        BufferedImage light = generate(request(model, init, 0.3), weak::add).image();
        List<Progress> strong = new ArrayList<>();
        BufferedImage heavy = generate(request(model, init, 0.9), strong::add).image();
        // euler, 10 leading steps: 901..1; strength 0.3 starts below 700 -> 7 steps skipped, 3 run
        assertEquals(3, weak.size());
        assertEquals(9, strong.size());
        BufferedImage untouched = generate(request(model, init, 0.0), p -> { }).image();
        assertTrue(difference(untouched, light) < difference(untouched, heavy),
                "more strength should move further from the VAE round trip of the init image");
    }

    @Test
    void strengthZeroIsTheVaeRoundTripOfTheInitImage() {
        List<Progress> none = new ArrayList<>();
        GeneratedImage result = generate(request(model, init, 0.0), none::add);
        assertEquals(0, none.size());
        try (ModelCache.Lease lease = cache.acquire(model)) {
            CancelToken cancel = new CancelToken();
            BufferedImage roundTrip = pipeline.decode(lease.model(), pipeline.encodeImage(lease.model(), init, cancel),
                    cancel);
            assertArrayEquals(pixels(roundTrip), pixels(result.image()));
        }
    }

    @Test
    void theInitImageMatters() {
        BufferedImage other = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        BufferedImage a = generate(request(model, init, 0.5), p -> { }).image();
        BufferedImage b = generate(request(model, other, 0.5), p -> { }).image();
        assertTrue(difference(a, b) > 1);
    }

    @Test
    void anInitImageOfAnotherSizeIsResizedToTheRequest() {
        BufferedImage big = generate(TextToImageTest.small(model, 1).withSize(128, 96), p -> { }).image();
        GeneratedImage result = generate(request(model, big, 0.5), p -> { });
        assertEquals(64, result.image().getWidth());
        assertEquals(64, result.image().getHeight());
    }

    @Test
    void metadataSaysImg2imgWithStrength() {
        GenerationMetadata metadata = generate(request(model, init, 0.6), p -> { }).metadata();
        assertEquals("img2img", metadata.generationMode());
        assertEquals(0.6, metadata.toMap().get("strength"));
    }

    @Test
    void fp16EncodersThatOutputPosteriorParametersUseTheMean() {
        GeneratedImage result = generate(request(fp16Parameters, init, 0.5), p -> { });
        assertEquals(64, result.image().getWidth());
        try (ModelCache.Lease lease = cache.acquire(fp16Parameters)) {
            Latents latents = pipeline.encodeImage(lease.model(), init, new CancelToken());
            assertEquals(4, latents.channels());
            assertEquals(8, latents.height());
        }
    }

    @Test
    void aModelWithoutVaeEncoderRefusesImageToImage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> generate(request(noEncoder, init, 0.5), p -> { }));
        assertTrue(e.getMessage().contains("vae_encoder/model.onnx"), e.getMessage());
        // text-to-image still works with it
        assertEquals(64, generate(request(noEncoder, null, 0), p -> { }).image().getWidth());
    }

    @Test
    void strengthOutsideZeroToOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> request(model, init, 1.5));
    }
}
