package org.invokej.inference.onnx;

import org.invokej.inference.DiffusionModel;
import org.invokej.inference.InvalidModelException;
import org.invokej.inference.ModelFolder;
import org.invokej.inference.lora.LoraFile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.invokej.core.DomainException;
import org.invokej.core.models.ModelFacts;
import org.invokej.core.models.ModelInspector;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The model manager's check of a model folder, made of the engine's own checks: {@link ModelFolder#open}
 * for the layout, and {@link DiffusionModel#load} (every part loaded on the CPU, each graph's inputs and
 * outputs checked) for the rest. Nothing is checked here that generation would not check.
 *
 * <p>What kind of model it is: the base is {@code sdxl} when the folder has SDXL's second text encoder
 * ({@code text_encoder_2}, with projection) and its UNet takes SDXL's added conditioning, which loading
 * checks; otherwise {@code sd-2} when the text encoder's hidden states are 1024
 * wide (SD 2.x's OpenCLIP ViT-H) and {@code sd-1} otherwise (768, SD 1.x's CLIP ViT-L, and the tiny test
 * models). The width is read from the graph's {@code last_hidden_state} shape, which is what runs; when
 * the graph leaves it open, from {@code text_encoder/config.json}'s {@code hidden_size}. The prediction
 * type is the scheduler config's ({@code epsilon} when it says none; SD 2.x 768-v models say
 * {@code v_prediction}). The variant is {@code inpaint} when the UNet's sample takes 9 channels (latents,
 * mask, masked-image latents), {@code normal} otherwise.
 */
public final class OnnxModelInspector implements ModelInspector {

    public static final long SD2_TEXT_WIDTH = 1024;

    private SessionOpener opener;

    @Override
    public void checkLayout(Path folder) {
        try {
            ModelFolder.open(folder);
        } catch (InvalidModelException e) {
            throw refused(e);
        }
    }

    @Override
    public ModelFacts inspect(Path folder) {
        try {
            ModelFolder parts = ModelFolder.open(folder);
            try (DiffusionModel model = DiffusionModel.load(parts, opener())) {
                long width = model.textHiddenSize() > 0 ? model.textHiddenSize() : configuredWidth(parts);
                String prediction = switch (model.schedulerConfig().predictionType()) {
                    case EPSILON -> "epsilon";
                    case V_PREDICTION -> "v_prediction";
                    case SAMPLE -> "sample";
                };
                String base = model.isSdxl() ? "sdxl" : width == SD2_TEXT_WIDTH ? "sd-2" : "sd-1";
                return new ModelFacts(base, prediction, model.isInpaint() ? "inpaint" : "normal");
            }
        } catch (InvalidModelException | UncheckedIOException e) {
            throw refused(e);
        }
    }

    /**
     * A LoRA file read whole (every layer's up and down weights must multiply): its base from its names and shapes
     * ({@link LoraFile#base()}), null when they do not tell.
     */
    @Override
    public ModelFacts inspectLora(Path file) {
        try {
            LoraFile lora = LoraFile.read(file);
            return new ModelFacts(lora.base().orElse(null), null, null);
        } catch (InvalidModelException | UncheckedIOException e) {
            throw refused(e);
        }
    }

    /** The session opener, made on first use: loading ONNX Runtime takes a moment a server start need not wait for. */
    private synchronized SessionOpener opener() {
        if (opener == null) {
            opener = SessionOpener.forChecking();
        }
        return opener;
    }

    private static long configuredWidth(ModelFolder parts) {
        Path config = parts.textEncoder().resolveSibling("config.json");
        if (!Files.isRegularFile(config)) {
            return -1;
        }
        try {
            JsonNode json = new ObjectMapper().readTree(config.toFile());
            return json == null ? -1 : json.path("hidden_size").asLong(-1);
        } catch (IOException e) {
            throw new InvalidModelException(config + ": cannot be read as JSON (" + e.getMessage() + ")", e);
        }
    }

    private static DomainException refused(RuntimeException e) {
        return DomainException.of(DomainException.Kind.UNSUPPORTED_MEDIA, e.getMessage());
    }
}
