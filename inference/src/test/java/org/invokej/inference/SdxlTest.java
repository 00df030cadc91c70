package org.invokej.inference;

import org.invokej.core.models.ModelFacts;
import org.invokej.inference.onnx.OnnxModelInspector;
import org.invokej.inference.onnx.OrtDevice;
import org.invokej.inference.onnx.SessionOpener;
import org.invokej.inference.schedulers.SchedulerName;
import org.invokej.inference.testmodels.TinyModels;
import org.invokej.inference.text.ClipTokenizer;

import static org.invokej.inference.TextToImageTest.difference;
import static org.invokej.inference.TextToImageTest.distinctColours;
import static org.invokej.inference.TextToImageTest.pixels;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.invokej.core.DomainException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SDXL end to end on tiny generated models in optimum's layout: two text encoders, their penultimate
 * hidden states side by side, the pooled embedding and the size conditioning fed to the UNet, and
 * few-step generation with the LCM scheduler. Reference values come from running the exported graphs
 * directly with ONNX Runtime.
 */
class SdxlTest {
    @TempDir
    static Path folder;

    private static ModelCache cache;
    private static DiffusionPipeline pipeline;
    private static ImageGenerator generator;
    private static Path sdxl;
    private static Path sd15;

    @BeforeAll
    static void models() {
        sdxl = TinyModels.sdxl().writeTo(folder.resolve("tiny-sdxl"));
        sd15 = TinyModels.sd15().writeTo(folder.resolve("tiny-sd15"));
        EngineSettings settings = new EngineSettings(OrtDevice.CPU, 1L << 30, 1, 2);
        cache = new ModelCache(new SessionOpener(OrtEnvironment.getEnvironment(), settings), settings.modelCacheBytes());
        pipeline = new DiffusionPipeline(settings.previewInterval());
        generator = new ImageGenerator(pipeline);
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

    private static GenerationRequest small(long seed) {
        return GenerationRequest.textToImage(sdxl, "a lighthouse at dusk", seed).withSize(64, 48).withSteps(6);
    }

    private static Conditioning encode(String prompt, String style, SdxlSizes sizes) {
        try (ModelCache.Lease lease = cache.acquire(sdxl)) {
            return pipeline.encodeSdxlPrompt(lease.model(), prompt, style, sizes, 0, 0, new CancelToken());
        }
    }

    /** Runs an exported text encoder directly: the named output for the tokenizer's ids of {@code text}. */
    private static float[] reference(String encoder, String tokenizer, String text, String output) throws Exception {
        ClipTokenizer clip = ClipTokenizer.load(sdxl.resolve(tokenizer));
        int[] ids = clip.encode(text);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(sdxl.resolve(encoder + "/model.onnx").toString());
             OnnxTensor input = OnnxTensor.createTensor(env, IntBuffer.wrap(ids), new long[] {1, ids.length});
             OrtSession.Result result = session.run(Map.of("input_ids", input))) {
            FloatBuffer values = ((OnnxTensor) result.get(output).orElseThrow()).getFloatBuffer();
            float[] copy = new float[values.remaining()];
            values.get(copy);
            return copy;
        }
    }

    private static float[] columns(Conditioning c, int from, int to) {
        float[] out = new float[c.tokens() * (to - from)];
        for (int t = 0; t < c.tokens(); t++) {
            System.arraycopy(c.embeddings(), t * c.width() + from, out, t * (to - from), to - from);
        }
        return out;
    }

    @Test
    void theFolderIsReadAsAnSdxlModel() {
        try (ModelCache.Lease lease = cache.acquire(sdxl)) {
            DiffusionModel model = lease.model();
            assertTrue(model.isSdxl());
            assertEquals(32 + 48, model.contextWidth());
            assertEquals(0.13025, model.folder().vaeScalingFactor());
            assertEquals(model.tokenizer().padId() != model.tokenizer2().padId(), true,
                    "SDXL's second tokenizer pads with '!', the first with <|endoftext|>");
        }
        try (ModelCache.Lease lease = cache.acquire(sd15)) {
            assertFalse(lease.model().isSdxl());
        }
    }

    @Test
    void thePromptIsBothEncodersPenultimateHiddenStatesSideBySideWithThePooledEmbeddingAndSizes() throws Exception {
        Conditioning c = encode("a lighthouse at dusk", "", new SdxlSizes(1024, 768, 16, 32, 896, 640));
        assertEquals(77, c.tokens());
        assertEquals(80, c.width());
        assertArrayEquals(reference("text_encoder", "tokenizer", "a lighthouse at dusk", "hidden_states.1"), columns(c, 0, 32));
        assertArrayEquals(reference("text_encoder_2", "tokenizer_2", "a lighthouse at dusk", "hidden_states.1"), columns(c, 32, 80));
        assertArrayEquals(reference("text_encoder_2", "tokenizer_2", "a lighthouse at dusk", "text_embeds"), c.pooled());
        // InvokeAI's add_time_ids: original (h, w), crop (top, left), target (h, w)
        assertArrayEquals(new float[] {768, 1024, 16, 32, 640, 896}, c.timeIds());
    }

    @Test
    void aStylePromptGoesToTheSecondEncoderOnly() throws Exception {
        Conditioning styled = encode("a lighthouse at dusk", "oil painting", SdxlSizes.of(64, 64));
        assertArrayEquals(reference("text_encoder", "tokenizer", "a lighthouse at dusk", "hidden_states.1"), columns(styled, 0, 32));
        assertArrayEquals(reference("text_encoder_2", "tokenizer_2", "oil painting", "hidden_states.1"), columns(styled, 32, 80));
        assertArrayEquals(reference("text_encoder_2", "tokenizer_2", "oil painting", "text_embeds"), styled.pooled());
        // a blank style means "use the prompt", as InvokeAI's style.strip() == "" does
        assertArrayEquals(encode("a lighthouse at dusk", "  ", SdxlSizes.of(64, 64)).embeddings(),
                encode("a lighthouse at dusk", "", SdxlSizes.of(64, 64)).embeddings());
    }

    @Test
    void anEmptyPromptIsZerosAsInvokeAiMakesIt() {
        Conditioning empty = encode("", "", SdxlSizes.of(512, 512));
        assertEquals(77 * 80, empty.embeddings().length);
        for (float v : empty.embeddings()) {
            assertEquals(0f, v);
        }
        assertEquals(48, empty.pooled().length);
        for (float v : empty.pooled()) {
            assertEquals(0f, v);
        }
        // an empty prompt with a style: the first encoder's half is zeros, the second's is not
        Conditioning styleOnly = encode("", "oil painting", SdxlSizes.of(512, 512));
        float[] first = columns(styleOnly, 0, 32);
        for (float v : first) {
            assertEquals(0f, v);
        }
        assertTrue(java.util.stream.IntStream.range(0, 77 * 48).anyMatch(i -> columns(styleOnly, 32, 80)[i] != 0));
    }

    @Test
    void textToImageMakesAVariedRepeatablePicture() {
        GeneratedImage first = generate(small(42), ProgressListener.NONE);
        assertEquals(64, first.image().getWidth());
        assertEquals(48, first.image().getHeight());
        assertTrue(distinctColours(first.image()) > 50, "a varied picture, not a flat one");
        assertEquals("sdxl_txt2img", first.metadata().generationMode());
        assertArrayEquals(pixels(first.image()), pixels(generate(small(42), ProgressListener.NONE).image()));
        assertTrue(difference(first.image(), generate(small(43), ProgressListener.NONE).image()) > 2);
        assertTrue(difference(first.image(), generate(new GenerationRequest(sdxl, "a red barn", "", SchedulerName.EULER, 6, 7.5,
                42, 64, 48, null, 0), ProgressListener.NONE).image()) > 0.5, "the prompt should matter");
    }

    @Test
    void aFloat16SdxlExportGivesNearlyTheSameImage() {
        // the same weights computed in float32 between float16 inputs and outputs (text_embeds and time_ids too)
        Path half = TinyModels.sdxl().fp16().writeTo(folder.resolve("tiny-sdxl-fp16"));
        GenerationRequest request = small(21);
        GenerationRequest halfRequest = new GenerationRequest(half, request.prompt(), "", request.scheduler(), request.steps(),
                request.cfgScale(), request.seed(), request.width(), request.height(), null, 0);
        double drift = difference(generate(request, ProgressListener.NONE).image(), generate(halfRequest, ProgressListener.NONE).image());
        assertTrue(drift < 3, "fp16 drifted by " + drift);
        try (ModelCache.Lease lease = cache.acquire(half)) {
            assertTrue(lease.model().isHalfPrecision() && lease.model().isSdxl());
        }
    }

    @Test
    void theSizeConditioningReachesTheUnet() {
        try (ModelCache.Lease lease = cache.acquire(sdxl)) {
            DiffusionModel model = lease.model();
            Latents noise = DiffusionPipeline.noise(5, 64, 64);
            Conditioning negative = encode("", "", SdxlSizes.of(64, 64));
            Latents small = denoise(model, encode("a cat", "", SdxlSizes.of(64, 64)), negative, noise, 7.5);
            Latents large = denoise(model, encode("a cat", "", SdxlSizes.of(1024, 1024)),
                    encode("", "", SdxlSizes.of(1024, 1024)), noise, 7.5);
            assertFalse(java.util.Arrays.equals(small.data(), large.data()), "time_ids should change the prediction");
        }
    }

    private static Latents denoise(DiffusionModel model, Conditioning positive, Conditioning negative, Latents noise, double cfg) {
        return pipeline.denoise(model, new DenoiseRequest(positive, negative, noise, null, SchedulerName.EULER, 4,
                List.of(cfg), 0, 1, 5), ProgressListener.NONE, new CancelToken());
    }

    @Test
    void atGuidanceOneTheNegativePromptPlaysNoPartAndTheUnetRunsOncePerStep() {
        try (ModelCache.Lease lease = cache.acquire(sdxl)) {
            DiffusionModel model = lease.model();
            Latents noise = DiffusionPipeline.noise(8, 64, 64);
            Conditioning positive = encode("a cat", "", SdxlSizes.of(64, 64));
            long before = model.unet.runs();
            Latents withoutNegative = denoise(model, positive, encode("", "", SdxlSizes.of(64, 64)), noise, 1);
            assertEquals(4, model.unet.runs() - before);
            Latents withNegative = denoise(model, positive, encode("blurry, dark", "", SdxlSizes.of(64, 64)), noise, 1);
            assertArrayEquals(withoutNegative.data(), withNegative.data());
            assertFalse(java.util.Arrays.equals(withoutNegative.data(),
                    denoise(model, positive, encode("blurry, dark", "", SdxlSizes.of(64, 64)), noise, 2).data()));
        }
    }

    @Test
    void fewStepLcmGenerationAsSdxlTurboAndLcmModelsAreRun() {
        List<Progress> seen = new ArrayList<>();
        GenerationRequest lcm = new GenerationRequest(sdxl, "a lighthouse at dusk", "", SchedulerName.parse("lcm"), 4, 1.0, 42,
                64, 64, null, 0);
        GeneratedImage image = generate(lcm, seen::add);
        assertEquals(4, seen.size());
        assertEquals("lcm", image.metadata().scheduler());
        assertTrue(distinctColours(image.image()) > 50);
        assertTrue(difference(image.image(), generate(lcm.withScheduler(SchedulerName.EULER), ProgressListener.NONE).image()) > 0.5,
                "the LCM scheduler should step differently from Euler");
    }

    @Test
    void imageToImageStartsFromTheEncodedImage() {
        BufferedImage init = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = init.createGraphics();
        g.setColor(Color.ORANGE);
        g.fillRect(0, 0, 64, 64);
        g.setColor(Color.BLUE);
        g.fillOval(8, 8, 40, 40);
        g.dispose();
        GenerationRequest request = small(3).withSize(64, 64);
        GeneratedImage light = generate(request.withInitImage(init, 0.2), ProgressListener.NONE);
        GeneratedImage heavy = generate(request.withInitImage(init, 0.9), ProgressListener.NONE);
        assertEquals("sdxl_img2img", light.metadata().generationMode());
        assertTrue(difference(light.image(), heavy.image()) > 0.5, "strength should matter");
    }

    @Test
    void conditioningOfTheOtherKindIsRefusedWithAMessage() {
        try (ModelCache.Lease xl = cache.acquire(sdxl); ModelCache.Lease one = cache.acquire(sd15)) {
            Conditioning sd15Prompt = pipeline.encodePrompt(one.model(), "a cat", 0, new CancelToken());
            Latents noise = DiffusionPipeline.noise(1, 64, 64);
            IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
                    () -> denoise(xl.model(), sd15Prompt, sd15Prompt, noise, 7.5));
            assertTrue(wrong.getMessage().contains("needs SDXL conditioning"), wrong.getMessage());
            Conditioning xlPrompt = encode("a cat", "", SdxlSizes.of(64, 64));
            wrong = assertThrows(IllegalArgumentException.class, () -> denoise(one.model(), xlPrompt, xlPrompt, noise, 7.5));
            assertTrue(wrong.getMessage().contains("is not an SDXL model"), wrong.getMessage());
            wrong = assertThrows(IllegalArgumentException.class, () -> pipeline.encodeSdxlPrompt(one.model(), "a cat", "",
                    SdxlSizes.of(64, 64), 0, 0, new CancelToken()));
            assertTrue(wrong.getMessage().contains("not an SDXL model"), wrong.getMessage());
            assertThrows(IllegalArgumentException.class, () -> new DenoiseRequest(xlPrompt, sd15Prompt, noise, null,
                    SchedulerName.EULER, 4, List.of(7.5), 0, 1, 1));
        }
    }

    @Test
    void brokenSdxlFoldersAreRefusedNamingWhatIsWrong() throws Exception {
        Path noTokenizer = TinyModels.sdxl().writeTo(folder.resolve("no-tokenizer-2"));
        Files.delete(noTokenizer.resolve("tokenizer_2/vocab.json"));
        InvalidModelException missing = assertThrows(InvalidModelException.class, () -> ModelFolder.open(noTokenizer));
        assertTrue(missing.getMessage().contains("tokenizer_2/vocab.json"), missing.getMessage());

        Path noHidden = TinyModels.sdxl().writeTo(folder.resolve("no-hidden-states"));
        for (int layer = 0; layer <= 2; layer++) {
            TinyModels.renameOutput(noHidden.resolve("text_encoder_2/model.onnx"), "hidden_states." + layer, "layer_" + layer);
        }
        InvalidModelException hidden = assertThrows(InvalidModelException.class, () -> cache.acquire(noHidden));
        assertTrue(hidden.getMessage().contains("must output its hidden states"), hidden.getMessage());

        Path sd15Unet = TinyModels.sdxl().writeTo(folder.resolve("sd15-unet"));
        Files.copy(sd15.resolve("unet/model.onnx"), sd15Unet.resolve("unet/model.onnx"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        InvalidModelException unet = assertThrows(InvalidModelException.class, () -> cache.acquire(sd15Unet));
        assertTrue(unet.getMessage().contains("takes text_embeds and time_ids"), unet.getMessage());
    }

    @Test
    void theModelManagerCallsItSdxl() {
        OnnxModelInspector inspector = new OnnxModelInspector();
        ModelFacts facts = inspector.inspect(sdxl);
        assertEquals("sdxl", facts.base());
        assertEquals("epsilon", facts.predictionType());
        assertEquals("sd-1", inspector.inspect(sd15).base());
        Path broken = TinyModels.sdxl().writeTo(folder.resolve("broken-for-inspector"));
        TinyModels.renameInput(broken.resolve("unet/model.onnx"), "time_ids", "added_cond");
        assertThrows(DomainException.class, () -> inspector.inspect(broken));
    }
}
