package org.invokej.core.models;

import java.util.List;
import java.util.Objects;

/**
 * An installed model's configuration, in InvokeAI's shape (its {@code Config_Base} fields, then the main
 * model's): what the {@code models} table keeps as JSON and what the API returns. InvokeJ's models are
 * Stable Diffusion 1.x/2.x ONNX exports, so {@code type} is always {@code main} and {@code format}
 * {@code onnx}.
 *
 * @param path           relative to the models folder when the files live inside it, absolute otherwise
 * @param sourceType     {@code path} (InvokeJ installs from local folders and archives only)
 * @param coverImage     {@code api/v2/models/i/<key>/image?<random>} when the model has a cover image;
 *                       filled in when read, never stored
 * @param predictionType {@code epsilon}, {@code v_prediction} or {@code sample}
 * @param variant        {@code normal} ({@code inpaint} and {@code depth} UNets take inputs InvokeJ does not feed)
 */
public record ModelConfig(
        String key,
        String hash,
        String path,
        long fileSize,
        String name,
        String description,
        String source,
        String sourceType,
        String sourceApiResponse,
        String sourceUrl,
        String coverImage,
        String type,
        List<String> triggerPhrases,
        DefaultSettings defaultSettings,
        String base,
        String format,
        String predictionType,
        String variant) {

    public static final String TYPE_MAIN = "main";
    public static final String FORMAT_ONNX = "onnx";
    public static final String SOURCE_TYPE_PATH = "path";

    public ModelConfig {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(base, "base");
        triggerPhrases = triggerPhrases == null ? null : List.copyOf(triggerPhrases);
    }

    /** A newly installed ONNX main model. */
    public static ModelConfig installed(String key, String hash, String path, long fileSize, String name, String description,
                                        String source, ModelFacts facts, List<String> triggerPhrases,
                                        DefaultSettings defaultSettings) {
        return new ModelConfig(key, hash, path, fileSize, name, description, source, SOURCE_TYPE_PATH, null, null, null,
                TYPE_MAIN, triggerPhrases, defaultSettings, facts.base(), FORMAT_ONNX, facts.predictionType(), facts.variant());
    }

    public ModelConfig withCoverImage(String url) {
        return new ModelConfig(key, hash, path, fileSize, name, description, source, sourceType, sourceApiResponse, sourceUrl,
                url, type, triggerPhrases, defaultSettings, base, format, predictionType, variant);
    }

    /** This config with {@code changes} applied. */
    public ModelConfig with(ModelChanges changes) {
        return new ModelConfig(key, hash, path, fileSize,
                changes.name() != null ? changes.name() : name,
                changes.description() != null ? changes.description().orElse(null) : description,
                source, sourceType, sourceApiResponse, sourceUrl, coverImage, type,
                changes.triggerPhrases() != null ? changes.triggerPhrases().orElse(null) : triggerPhrases,
                changes.defaultSettings() != null ? changes.defaultSettings().orElse(null) : defaultSettings,
                base, format, predictionType, variant);
    }
}
