package org.invokej.inference;

import org.invokej.core.models.ModelFacts;
import org.invokej.inference.onnx.OnnxModelInspector;
import org.invokej.inference.onnx.OrtDevice;
import org.invokej.inference.schedulers.SchedulerName;
import org.invokej.inference.testmodels.TinyModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Inpainting UNets (9 input channels: latents, mask, masked-image latents): recognised as variant
 * {@code inpaint}, fed the mask and the masked image's latents every step, the kept part restored.
 */
class InpaintUnetTest {

    @TempDir
    static Path folder;

    private static Path inpaint;
    private static Path sdxlInpaint;
    private static Path ordinary;
    private static GenerationEngine engine;

    @BeforeAll
    static void start() {
        inpaint = TinyModels.sd15().inpaint().writeTo(folder.resolve("tiny-inpaint"));
        sdxlInpaint = TinyModels.sdxl().inpaint().writeTo(folder.resolve("tiny-sdxl-inpaint"));
        ordinary = TinyModels.sd15().writeTo(folder.resolve("tiny"));
        engine = new GenerationEngine(new EngineSettings(OrtDevice.CPU, 1L << 30, 1, 2));
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    @Test
    void theModelManagerCallsNineChannelUnetsInpaint() {
        OnnxModelInspector inspector = new OnnxModelInspector();
        ModelFacts facts = inspector.inspect(inpaint);
        assertEquals("inpaint", facts.variant());
        assertEquals("sd-1", facts.base());
        ModelFacts xl = inspector.inspect(sdxlInpaint);
        assertEquals("inpaint", xl.variant());
        assertEquals("sdxl", xl.base());
        assertEquals("normal", inspector.inspect(ordinary).variant());
    }

    private static java.awt.image.BufferedImage picture() {
        java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(64, 64, java.awt.image.BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                image.setRGB(x, y, (x * 4) << 16 | (y * 4) << 8 | (x ^ y) * 4 & 0xff);
            }
        }
        return image;
    }

    /** Denoises the left-kept half-mask case with the given masked latents; answers the original latents too. */
    private Latents[] inpaintWith(float maskedValue, boolean gradient) throws Exception {
        Latents[] out = new Latents[2];
        engine.submit(context -> {
            DiffusionModel model = context.model(inpaint);
            assertTrue(model.isInpaint());
            DiffusionPipeline pipeline = context.pipeline();
            Latents original = pipeline.encodeImage(model, picture(), context.cancel());
            Conditioning positive = pipeline.encodePrompt(model, "a red ball", 0, context.cancel());
            Conditioning negative = pipeline.encodePrompt(model, "", 0, context.cancel());
            float[] keepLeft = new float[64];
            for (int i = 0; i < 64; i++) {
                keepLeft[i] = i % 8 < 4 ? 1 : 0;
            }
            float[] masked = new float[original.data().length];
            java.util.Arrays.fill(masked, maskedValue);
            out[0] = original;
            out[1] = pipeline.denoise(model, new DenoiseRequest(positive, negative, DiffusionPipeline.noise(3, 64, 64), original,
                    SchedulerName.EULER, 4, List.of(7.5), 0, 1, 3, new Mask(keepLeft, 8, 8), gradient,
                    new Latents(masked, 4, 8, 8)), ProgressListener.NONE, context.cancel());
            return null;
        }, ProgressListener.NONE).await(Duration.ofSeconds(60));
        return out;
    }

    @Test
    void theMaskedImageLatentsReachTheUnetAndTheKeptHalfIsRestoredExactly() throws Exception {
        for (boolean gradient : new boolean[] {false, true}) {
            Latents[] zeros = inpaintWith(0, gradient);
            Latents[] ones = inpaintWith(1, gradient);
            boolean differs = false;
            for (int c = 0; c < 4; c++) {
                for (int y = 0; y < 8; y++) {
                    for (int x = 0; x < 8; x++) {
                        int i = (c * 8 + y) * 8 + x;
                        if (x < 4) {
                            assertEquals(zeros[0].data()[i], zeros[1].data()[i], "kept at " + c + "," + y + "," + x);
                            assertEquals(ones[0].data()[i], ones[1].data()[i]);
                        } else {
                            differs |= zeros[1].data()[i] != ones[1].data()[i];
                        }
                    }
                }
            }
            assertTrue(differs, "the painted half depends on the masked image's latents (gradient " + gradient + ")");
        }
    }

    @Test
    void anInpaintingUnetRunsTextToImageWithoutAMask() throws Exception {
        Latents result = engine.submit(context -> {
            DiffusionModel model = context.model(inpaint);
            DiffusionPipeline pipeline = context.pipeline();
            Conditioning positive = pipeline.encodePrompt(model, "a red ball", 0, context.cancel());
            Conditioning negative = pipeline.encodePrompt(model, "", 0, context.cancel());
            return pipeline.denoise(model, new DenoiseRequest(positive, negative, DiffusionPipeline.noise(5, 64, 64), null,
                    SchedulerName.EULER, 3, List.of(7.5), 0, 1, 5), ProgressListener.NONE, context.cancel());
        }, ProgressListener.NONE).await(Duration.ofSeconds(60));
        assertEquals(4, result.channels());
        boolean finite = true;
        for (float v : result.data()) {
            finite &= Float.isFinite(v);
        }
        assertTrue(finite);
        assertFalse(result.data()[0] == 0 && result.data()[1] == 0);
    }
}
