package org.invokej.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A Stable Diffusion 1.x/2.x or SDXL ONNX export in diffusers/optimum layout, checked for its parts:
 * {@code model_index.json}, {@code tokenizer/}, {@code text_encoder/model.onnx}, {@code unet/model.onnx},
 * {@code vae_decoder/model.onnx}, optionally {@code vae_encoder/model.onnx}, and
 * {@code scheduler/scheduler_config.json}; SDXL adds {@code tokenizer_2/} and
 * {@code text_encoder_2/model.onnx}. What the graphs contain is checked when they are loaded.
 *
 * @param second SDXL's second tokenizer and text encoder (with projection), when the folder has them
 */
public record ModelFolder(Path root, Path tokenizer, Path textEncoder, Path unet, Path vaeDecoder,
        Optional<Path> vaeEncoder, Path schedulerConfig, double vaeScalingFactor, Optional<SecondEncoder> second) {

    /** SDXL's second text encoder (OpenCLIP ViT-bigG with projection) and its tokenizer. */
    public record SecondEncoder(Path tokenizer, Path textEncoder) {
    }

    /** The VAE latent scale of SD 1.x/2.x, used when the VAE's config.json does not give one. */
    public static final double DEFAULT_VAE_SCALING_FACTOR = 0.18215;

    /** Checks the layout of a model folder; refuses it with a message naming what is missing. */
    public static ModelFolder open(Path root) {
        Path folder = root.toAbsolutePath().normalize();
        if (!Files.isDirectory(folder)) {
            throw new InvalidModelException(folder + ": is not a model folder (no such directory)");
        }
        Path index = folder.resolve("model_index.json");
        requireFile(index, "the diffusers model index");
        JsonNode indexJson = readJson(index);
        if (!indexJson.isObject()) {
            throw new InvalidModelException(index + ": expected a JSON object");
        }
        Path tokenizer = folder.resolve("tokenizer");
        requireFile(tokenizer.resolve("vocab.json"), "the CLIP tokenizer vocabulary");
        requireFile(tokenizer.resolve("merges.txt"), "the CLIP tokenizer merges");
        Path textEncoder = requireFile(folder.resolve("text_encoder/model.onnx"), "the text encoder graph");
        Path unet = requireFile(folder.resolve("unet/model.onnx"), "the UNet graph");
        Path vaeDecoder = requireFile(folder.resolve("vae_decoder/model.onnx"), "the VAE decoder graph");
        Path vaeEncoderFile = folder.resolve("vae_encoder/model.onnx");
        Optional<Path> vaeEncoder = Files.isRegularFile(vaeEncoderFile) ? Optional.of(vaeEncoderFile) : Optional.empty();
        Optional<SecondEncoder> second = Optional.empty();
        Path textEncoder2 = folder.resolve("text_encoder_2/model.onnx");
        if (Files.isRegularFile(textEncoder2) || Files.isDirectory(folder.resolve("tokenizer_2"))) {
            Path tokenizer2 = folder.resolve("tokenizer_2");
            requireFile(tokenizer2.resolve("vocab.json"), "the second CLIP tokenizer's vocabulary (SDXL)");
            requireFile(tokenizer2.resolve("merges.txt"), "the second CLIP tokenizer's merges (SDXL)");
            second = Optional.of(new SecondEncoder(tokenizer2, requireFile(textEncoder2, "the second text encoder graph (SDXL)")));
        }
        Path scheduler = requireFile(folder.resolve("scheduler/scheduler_config.json"), "the scheduler config");
        double scaling = DEFAULT_VAE_SCALING_FACTOR;
        for (Path config : new Path[] {folder.resolve("vae_decoder/config.json"), folder.resolve("vae/config.json")}) {
            if (Files.isRegularFile(config)) {
                JsonNode factor = readJson(config).path("scaling_factor");
                if (factor.isNumber()) {
                    scaling = factor.asDouble();
                    if (!(scaling > 0)) {
                        throw new InvalidModelException(config + ": scaling_factor must be positive, not " + scaling);
                    }
                }
                break;
            }
        }
        return new ModelFolder(folder, tokenizer, textEncoder, unet, vaeDecoder, vaeEncoder, scheduler, scaling, second);
    }

    /** The folder's name, used as the model's name in image metadata. */
    public String name() {
        return root.getFileName() == null ? root.toString() : root.getFileName().toString();
    }

    /** Bytes of all files under the folder (graphs and their external weights): the cache's measure. */
    public long sizeBytes() {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).mapToLong(file -> {
                try {
                    return Files.size(file);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        } catch (IOException | UncheckedIOException e) {
            throw new InvalidModelException(root + ": cannot be read (" + e.getMessage() + ")", e);
        }
    }

    private static Path requireFile(Path file, String what) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidModelException(file + ": missing (" + what + "); is this a Stable Diffusion ONNX export"
                    + " in diffusers layout?");
        }
        return file;
    }

    private static JsonNode readJson(Path file) {
        try {
            JsonNode json = new ObjectMapper().readTree(file.toFile());
            if (json == null) {
                throw new InvalidModelException(file + ": is empty; expected JSON");
            }
            return json;
        } catch (IOException e) {
            throw new InvalidModelException(file + ": cannot be read as JSON (" + e.getMessage() + ")", e);
        }
    }
}
