package org.invokej.inference;

import org.invokej.inference.lora.LoraFile;
import org.invokej.inference.lora.LoraPart;
import org.invokej.inference.lora.LoraPatches;
import org.invokej.inference.lora.LoraStack;
import org.invokej.inference.lora.SafeTensors;
import org.invokej.inference.onnx.OrtDevice;
import org.invokej.inference.onnx.SessionOpener;
import org.invokej.inference.testmodels.TinyLoras;
import org.invokej.inference.testmodels.TinyModels;

import static org.invokej.inference.TextToImageTest.difference;
import static org.invokej.inference.TextToImageTest.pixels;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnxruntime.OrtEnvironment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LoRAs blended into the ONNX weights when the sessions are built: the changed initializers are the base weights
 * plus weight · alpha/rank · up·down exactly, and a model generated with a LoRA makes the same image, pixel for
 * pixel, as the same model exported with that delta baked into its weights.
 */
class LoraTest {
    private static final String CONV_IN = "conv_in.weight";
    private static final String TO_K = TinyModels.CROSS_ATTENTION_WEIGHT;

    @TempDir
    static Path folder;

    private static ModelCache cache;
    private static ImageGenerator generator;
    private static Path sd15;
    private static Path sdxl;
    private static Path kohya;
    private static Path sdxlLora;

    @BeforeAll
    static void models() {
        sd15 = TinyModels.sd15().writeTo(folder.resolve("tiny-sd15"));
        sdxl = TinyModels.sdxl().writeTo(folder.resolve("tiny-sdxl"));
        kohya = TinyLoras.sd15(32).writeTo(folder.resolve("kohya.safetensors"));
        sdxlLora = TinyLoras.sdxl().writeTo(folder.resolve("sdxl.safetensors"));
        EngineSettings settings = new EngineSettings(OrtDevice.CPU, 1L << 30, 1, 2);
        cache = new ModelCache(new SessionOpener(OrtEnvironment.getEnvironment(), settings), settings.modelCacheBytes());
        generator = new ImageGenerator(new DiffusionPipeline(settings.previewInterval()));
    }

    @AfterAll
    static void close() {
        cache.close();
    }

    @Test
    void changedWeightsAreTheBasePlusTheScaledDeltaExactly() {
        double weight = 0.8;
        LoraPatches.Result result = LoraPatches.compute(sd15.resolve("unet/model.onnx"), LoraPart.UNET,
                List.of(new LoraPatches.Weighted(LoraFile.read(kohya), weight)));
        Map<String, SafeTensors.Tensor> lora = TinyLoras.sd15(32).tensors();
        // rank 2, alpha 1: every delta is scaled by 0.5
        float[] expectedConv = bakedConv(initializer(sd15.resolve("unet/model.onnx"), CONV_IN), lora, "lora_unet_conv_in", weight);
        float[] expectedToK = bakedMatMul(initializer(sd15.resolve("unet/model.onnx"), TO_K), lora,
                "lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn2_to_k", weight);
        assertEquals(2, result.patches().size());
        assertArrayEquals(expectedConv, patch(result, CONV_IN).values());
        assertArrayEquals(expectedToK, patch(result, TO_K).values());
        assertArrayEquals(new long[] {16, 4, 3, 3}, patch(result, CONV_IN).dims());
        assertTrue(result.unmatched().isEmpty());
    }

    @Test
    void peftKeysWithoutAlphaAreTheKohyaLayersAtAlphaEqualToRank() {
        Path peft = TinyLoras.sd15(32).peftKeys().alpha(null).writeTo(folder.resolve("peft.safetensors"));
        Path kohyaRankAlpha = TinyLoras.sd15(32).alpha(2.0f).writeTo(folder.resolve("kohya-alpha2.safetensors"));
        LoraPatches.Result fromPeft = LoraPatches.compute(sd15.resolve("unet/model.onnx"), LoraPart.UNET,
                List.of(new LoraPatches.Weighted(LoraFile.read(peft), 0.6)));
        LoraPatches.Result fromKohya = LoraPatches.compute(sd15.resolve("unet/model.onnx"), LoraPart.UNET,
                List.of(new LoraPatches.Weighted(LoraFile.read(kohyaRankAlpha), 0.6)));
        for (String name : List.of(CONV_IN, TO_K)) {
            assertArrayEquals(patch(fromKohya, name).values(), patch(fromPeft, name).values(), name);
        }
    }

    @Test
    void weightZeroMakesTheSameImageAsNoLora() {
        GenerationRequest request = TextToImageTest.small(sd15, 11);
        assertArrayEquals(pixels(generate(request, LoraStack.NONE)), pixels(generate(request, stack(kohya, 0))));
    }

    @Test
    void aLoraMakesTheImageOfTheModelWithItsDeltaBakedIn() {
        double weight = 0.7;
        Path baked = TinyLoras.sd15(32).bakedCopy(sd15, folder.resolve("baked-sd15"), weight);
        GenerationRequest request = TextToImageTest.small(sd15, 5);
        java.awt.image.BufferedImage withLora = generate(request, stack(kohya, weight));
        assertTrue(difference(withLora, generate(request, LoraStack.NONE)) > 1, "the LoRA changes the image");
        assertArrayEquals(pixels(generate(withModel(request, baked), LoraStack.NONE)), pixels(withLora));
    }

    @Test
    void sdxlLorasChangeTheUnetAndBothTextEncodersAsBakedWeightsDo() {
        double weight = 1.3;
        Path baked = TinyLoras.sdxl().bakedCopy(sdxl, folder.resolve("baked-sdxl"), weight);
        GenerationRequest request = GenerationRequest.textToImage(sdxl, "a lighthouse at dusk", 3).withSize(64, 48).withSteps(4);
        java.awt.image.BufferedImage withLora = generate(request, stack(sdxlLora, weight));
        assertTrue(difference(withLora, generate(request, LoraStack.NONE)) > 1, "the LoRA changes the image");
        assertArrayEquals(pixels(generate(withModel(request, baked), LoraStack.NONE)), pixels(withLora));
        try (ModelCache.Lease lease = cache.acquire(sdxl, stack(sdxlLora, weight))) {
            assertTrue(lease.model().unmatchedLoraLayers().isEmpty(), lease.model().unmatchedLoraLayers().toString());
        }
    }

    @Test
    void peftKeysMakeTheImageOfTheirBakedModelToo() {
        Path peft = TinyLoras.sdxl().peftKeys().alpha(null).writeTo(folder.resolve("sdxl-peft.safetensors"));
        Path baked = TinyLoras.sdxl().peftKeys().alpha(null).bakedCopy(sdxl, folder.resolve("baked-sdxl-peft"), 0.5);
        GenerationRequest request = GenerationRequest.textToImage(sdxl, "a lighthouse at dusk", 4).withSize(64, 48).withSteps(4);
        assertArrayEquals(pixels(generate(withModel(request, baked), LoraStack.NONE)), pixels(generate(request, stack(peft, 0.5))));
    }

    @Test
    void weightsKeptInAnExternalDataFileAreChangedToo() throws IOException {
        Path external = copy(sd15, folder.resolve("external-sd15"));
        Path unet = external.resolve("unet/model.onnx");
        // as exports of UNets over 2 GB are: every weight in weights.pb beside model.onnx
        ModelProto.Builder model = read(unet).toBuilder();
        var graph = model.getGraphBuilder();
        java.io.ByteArrayOutputStream data = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < graph.getInitializerCount(); i++) {
            TensorProto tensor = graph.getInitializer(i);
            if (tensor.getDataType() != TensorProto.DataType.FLOAT.getNumber() || tensor.getFloatDataCount() < 16) {
                continue;
            }
            java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(tensor.getFloatDataCount() * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            tensor.getFloatDataList().forEach(bytes::putFloat);
            int offset = data.size();
            data.write(bytes.array());
            graph.setInitializer(i, tensor.toBuilder().clearFloatData().setDataLocation(TensorProto.DataLocation.EXTERNAL)
                    .addExternalData(entry("location", "weights.pb")).addExternalData(entry("offset", Integer.toString(offset)))
                    .addExternalData(entry("length", Integer.toString(bytes.capacity()))));
        }
        Files.write(unet.resolveSibling("weights.pb"), data.toByteArray());
        Files.write(unet, model.build().toByteArray());
        GenerationRequest request = TextToImageTest.small(sd15, 8);
        java.awt.image.BufferedImage inline = generate(request, stack(kohya, 0.9));
        assertArrayEquals(pixels(generate(request, LoraStack.NONE)), pixels(generate(withModel(request, external), LoraStack.NONE)));
        assertArrayEquals(pixels(inline), pixels(generate(withModel(request, external), stack(kohya, 0.9))));
    }

    private static ai.onnx.proto.OnnxMl.StringStringEntryProto entry(String key, String value) {
        return ai.onnx.proto.OnnxMl.StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
    }

    @Test
    void layersWithoutAWeightAndKeysOfNoLayoutAreReported() {
        Path odd = TinyLoras.sd15(32).withUnmatchedLayer().withIgnoredKey().writeTo(folder.resolve("odd.safetensors"));
        assertEquals(List.of("lora_unet_up_blocks_0_resnets_0_conv1.hada_w1_a"), LoraFile.read(odd).ignoredKeys());
        try (ModelCache.Lease lease = cache.acquire(sd15, stack(odd, 1))) {
            assertEquals(List.of("odd.safetensors: mid_block_attentions_0_proj_in"), lease.model().unmatchedLoraLayers());
            assertEquals(List.of("odd.safetensors: lora_unet_up_blocks_0_resnets_0_conv1.hada_w1_a"), lease.model().ignoredLoraKeys());
        }
    }

    @Test
    void aLoraForAnotherWidthIsRefusedNamingTheLayer() {
        Path wide = TinyLoras.sd15(768).writeTo(folder.resolve("sd1.safetensors"));
        InvalidModelException refused = assertThrows(InvalidModelException.class, () -> cache.acquire(sd15, stack(wide, 1)).close());
        assertTrue(refused.getMessage().contains("attn2_to_k") && refused.getMessage().contains("another base model"),
                refused.getMessage());
    }

    @Test
    void theBaseIsToldFromNamesAndShapes() {
        assertEquals(Optional.of("sd-1"), LoraFile.read(TinyLoras.sd15(768).writeTo(folder.resolve("b1.safetensors"))).base());
        assertEquals(Optional.of("sd-2"), LoraFile.read(TinyLoras.sd15(1024).peftKeys().writeTo(folder.resolve("b2.safetensors"))).base());
        assertEquals(Optional.of("sdxl"), LoraFile.read(sdxlLora).base());
        assertEquals(Optional.empty(), LoraFile.read(kohya).base());
    }

    @Test
    void aFileWithoutLayersIsRefused() throws IOException {
        Path none = folder.resolve("none.safetensors");
        SafeTensors.write(none, Map.of("model.diffusion_model.input_blocks.0.0.weight", new SafeTensors.Tensor(new long[] {2}, new float[2])));
        assertTrue(assertThrows(InvalidModelException.class, () -> LoraFile.read(none)).getMessage().contains("no LoRA layers"));
        Path garbage = Files.writeString(folder.resolve("garbage.safetensors"), "not a safetensors file at all");
        assertTrue(assertThrows(InvalidModelException.class, () -> LoraFile.read(garbage)).getMessage().contains("not a valid .safetensors"));
    }

    @Test
    void eachCombinationIsCachedOnceAndTheBudgetEvictsTheLeastRecentlyUsed() {
        Path model = TinyModels.sd15().writeTo(folder.resolve("cached-sd15"));
        long size = ModelFolder.open(model).sizeBytes();
        EngineSettings settings = new EngineSettings(OrtDevice.CPU, size + size / 2, 1, 2);
        try (ModelCache small = new ModelCache(new SessionOpener(OrtEnvironment.getEnvironment(), settings), settings.modelCacheBytes())) {
            small.acquire(model, stack(kohya, 0.5)).close();
            try (ModelCache.Lease again = small.acquire(model, stack(kohya, 0.5))) {
                assertEquals(0, again.loadNanos(), "the same LoRAs and weights are the cached model");
            }
            small.acquire(model, stack(kohya, 0.25)).close();
            assertEquals(List.of(stack(kohya, 0.25)), small.loadedVariants(model), "only one copy fits the budget");
            try (ModelCache.Lease base = small.acquire(model)) {
                assertNotEquals(0, base.loadNanos());
                assertEquals(List.of(LoraStack.NONE), small.loadedVariants(model));
            }
        }
    }

    // ---- helpers ----

    private static LoraStack stack(Path lora, double weight) {
        return new LoraStack(List.of(new LoraStack.Applied(lora, weight)));
    }

    private static java.awt.image.BufferedImage generate(GenerationRequest request, LoraStack loras) {
        try (ModelCache.Lease lease = cache.acquire(request.model(), loras)) {
            return generator.generate(lease.model(), request, 0, progress -> { }, new CancelToken()).image();
        }
    }

    private static GenerationRequest withModel(GenerationRequest request, Path model) {
        return new GenerationRequest(model, request.prompt(), request.negativePrompt(), request.scheduler(), request.steps(),
                request.cfgScale(), request.seed(), request.width(), request.height(), null, 0);
    }

    private static LoraPatches.Patch patch(LoraPatches.Result result, String initializer) {
        return result.patches().stream().filter(p -> p.initializer().equals(initializer)).findFirst().orElseThrow();
    }

    /** conv [out, in, kh, kw] + w·(alpha/rank)·up[out, r]·down[r, in·kh·kw], summed in double, rounded once. */
    private static float[] bakedConv(TensorProto base, Map<String, SafeTensors.Tensor> lora, String layer, double weight) {
        SafeTensors.Tensor down = lora.get(layer + ".lora_down.weight");
        SafeTensors.Tensor up = lora.get(layer + ".lora_up.weight");
        double scale = weight * lora.get(layer + ".alpha").values()[0] / down.shape()[0];
        int rank = (int) down.shape()[0];
        int out = (int) up.shape()[0];
        int in = down.values().length / rank;
        float[] result = new float[out * in];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                double delta = 0;
                for (int r = 0; r < rank; r++) {
                    delta += (double) up.values()[o * rank + r] * down.values()[r * in + i];
                }
                result[o * in + i] = (float) (base.getFloatData(o * in + i) + scale * delta);
            }
        }
        return result;
    }

    /** MatMul weights are [in, out]: the delta goes in transposed. */
    private static float[] bakedMatMul(TensorProto base, Map<String, SafeTensors.Tensor> lora, String layer, double weight) {
        SafeTensors.Tensor down = lora.get(layer + ".lora_down.weight");
        SafeTensors.Tensor up = lora.get(layer + ".lora_up.weight");
        double scale = weight * lora.get(layer + ".alpha").values()[0] / down.shape()[0];
        int rank = (int) down.shape()[0];
        int out = (int) up.shape()[0];
        int in = (int) down.shape()[1];
        assertEquals(List.of((long) in, (long) out), base.getDimsList());
        float[] result = new float[in * out];
        for (int i = 0; i < in; i++) {
            for (int o = 0; o < out; o++) {
                double delta = 0;
                for (int r = 0; r < rank; r++) {
                    delta += (double) up.values()[o * rank + r] * down.values()[r * in + i];
                }
                result[i * out + o] = (float) (base.getFloatData(i * out + o) + scale * delta);
            }
        }
        return result;
    }

    private static TensorProto initializer(Path modelFile, String name) {
        return read(modelFile).getGraph().getInitializerList().stream().filter(t -> t.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(modelFile + " has no initializer " + name));
    }

    private static ModelProto read(Path modelFile) {
        try {
            return ModelProto.parseFrom(Files.readAllBytes(modelFile));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path copy(Path from, Path to) {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
            return to;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
