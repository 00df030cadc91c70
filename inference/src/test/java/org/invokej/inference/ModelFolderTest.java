package org.invokej.inference;

import org.invokej.inference.onnx.OrtDevice;
import org.invokej.inference.onnx.SessionOpener;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnxruntime.OrtEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.invokej.inference.testmodels.TinyModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every way a model folder is refused, each with a message naming the file and what is wrong. */
class ModelFolderTest {
    @TempDir
    Path folder;

    private static final SessionOpener OPENER = new SessionOpener(OrtEnvironment.getEnvironment(),
            new EngineSettings(OrtDevice.CPU, 0, 1, 1));

    private Path tiny() {
        return TinyModels.sd15().writeTo(folder.resolve("model"));
    }

    /** Loads the folder after breaking it; returns the refusal's message. */
    private String refusal(Consumer<Path> breakIt) {
        Path model = tiny();
        breakIt.accept(model);
        InvalidModelException e = assertThrows(InvalidModelException.class,
                () -> DiffusionModel.load(ModelFolder.open(model), OPENER).close());
        return e.getMessage();
    }

    private static void delete(Path file) {
        try {
            Files.delete(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aGoodFolderLoadsWithItsTypesReadFromTheSessions() {
        try (DiffusionModel model = DiffusionModel.load(ModelFolder.open(tiny()), OPENER)) {
            assertEquals(0.18215, model.folder().vaeScalingFactor());
            assertTrue(model.canEncodeImages());
            assertEquals(ai.onnxruntime.OnnxJavaType.INT64, model.idsType);
            assertEquals(ai.onnxruntime.OnnxJavaType.INT64, model.timestepInfo.type);
            assertTrue(model.sizeBytes() > 0);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"model_index.json", "tokenizer/vocab.json", "tokenizer/merges.txt",
        "text_encoder/model.onnx", "unet/model.onnx", "vae_decoder/model.onnx", "scheduler/scheduler_config.json"})
    void aMissingPartIsNamed(String part) {
        String message = refusal(model -> delete(model.resolve(part)));
        assertTrue(message.contains(part) && message.contains("missing"), message);
    }

    @Test
    void aFolderThatDoesNotExistIsRefused() {
        InvalidModelException e = assertThrows(InvalidModelException.class,
                () -> ModelFolder.open(folder.resolve("nowhere")));
        assertTrue(e.getMessage().contains("nowhere") && e.getMessage().contains("no such directory"));
    }

    @Test
    void aUnetWithoutTimestepIsRefused() {
        String message = refusal(model -> TinyModels.renameInput(model.resolve("unet/model.onnx"), "timestep", "t"));
        assertTrue(message.contains("unet/model.onnx") && message.contains("no input 'timestep'"), message);
    }

    @Test
    void aUnetWithExtraInputsIsRefused() {
        String message = refusal(model -> TinyModels.renameInput(model.resolve("unet/model.onnx"), "timestep",
                "text_embeds"));
        assertTrue(message.contains("unet/model.onnx"), message);
    }

    @Test
    void aTextEncoderWithFloatIdsIsRefused() {
        String message = refusal(model -> TinyModels.retypeInput(model.resolve("text_encoder/model.onnx"),
                "input_ids", TensorProto.DataType.FLOAT));
        assertTrue(message.contains("text_encoder/model.onnx") && message.contains("input_ids")
                && message.contains("float32") && message.contains("int32 or int64"), message);
    }

    @Test
    void aVaeDecoderWithoutSampleOutputIsRefused() {
        String message = refusal(model -> TinyModels.renameOutput(model.resolve("vae_decoder/model.onnx"), "sample",
                "image"));
        assertTrue(message.contains("vae_decoder/model.onnx") && message.contains("no output 'sample'"), message);
    }

    @Test
    void aVaeEncoderWithoutLatentsIsRefused() {
        String message = refusal(model -> TinyModels.renameOutput(model.resolve("vae_encoder/model.onnx"),
                "latent_sample", "moments"));
        assertTrue(message.contains("vae_encoder/model.onnx") && message.contains("latent_sample"), message);
    }

    @Test
    void aFileThatIsNotOnnxIsRefused() {
        String message = refusal(model -> write(model.resolve("unet/model.onnx"), "not a model"));
        assertTrue(message.contains("unet/model.onnx") && message.contains("cannot load"), message);
    }

    @Test
    void aBrokenSchedulerConfigIsRefused() {
        String message = refusal(model -> write(model.resolve("scheduler/scheduler_config.json"), "{\"beta_"));
        assertTrue(message.contains("scheduler_config.json") && message.contains("JSON"), message);
        String spacing = refusal(model -> write(model.resolve("scheduler/scheduler_config.json"),
                "{\"timestep_spacing\": \"sideways\"}"));
        assertTrue(spacing.contains("timestep_spacing 'sideways'"), spacing);
    }

    @Test
    void aBrokenModelIndexIsRefused() {
        String message = refusal(model -> write(model.resolve("model_index.json"), "[1, 2"));
        assertTrue(message.contains("model_index.json"), message);
    }
}
