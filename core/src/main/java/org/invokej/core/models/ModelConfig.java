package org.invokej.core.models;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An installed model's configuration, in InvokeAI's shape (its {@code Config_Base} fields, then the main
 * model's): what the {@code models} table keeps as JSON and what the API returns. InvokeJ's models are
 * Stable Diffusion 1.x/2.x and SDXL ONNX exports, so {@code type} is always {@code main} and {@code format}
 * {@code onnx}.
 *
 * @param path           relative to the models folder when the files live inside it, absolute otherwise
 * @param sourceType     {@code path} (InvokeJ installs from local folders and archives only)
 * @param coverImage     {@code api/v2/models/i/<key>/image?<random>} when the model has a cover image;
 *                       filled in when read, never stored
 * @param predictionType {@code epsilon}, {@code v_prediction} or {@code sample}
 * @param variant        {@code normal}, or {@code inpaint} for inpainting UNets (9 input channels; {@code depth} UNets are not run)
 * @param unsupportedReason why this engine cannot run the model (an InvokeAI checkpoint, diffusers folder,
 *                       LoRA, …), or null for the ONNX main models it runs; worked out when read, never stored
 * @param onnxExport     the ONNX export this engine runs in place of an InvokeAI model it cannot run itself
 *                       (a diffusers folder, a checkpoint), as recorded (relative to the models folder when
 *                       inside it), or null; kept in {@code model_onnx_exports}, never in the config
 * @param invokeaiFields the fields of an InvokeAI config that this record has no component for
 *                       ({@code repo_variant}, {@code config_path}, …), listed as they are so the model
 *                       manager shows InvokeAI's config whole; a JSON map because their set is InvokeAI's
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
        String variant,
        String unsupportedReason,
        @JsonIgnore Map<String, JsonNode> invokeaiFields,
        String onnxExport) {

    public static final String TYPE_MAIN = "main";
    public static final String TYPE_LORA = "lora";
    /** InvokeAI's format of a LoRA in one {@code .safetensors} file, whatever its keys' layout. */
    public static final String FORMAT_LYCORIS = "lycoris";
    public static final String FORMAT_ONNX = "onnx";
    public static final String SOURCE_TYPE_PATH = "path";

    public ModelConfig {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(base, "base");
        triggerPhrases = triggerPhrases == null ? null : List.copyOf(triggerPhrases);
        invokeaiFields = invokeaiFields == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(invokeaiFields));
    }

    /** Whether this engine can generate with the model. */
    @JsonProperty("runnable")
    public boolean runnable() {
        return unsupportedReason == null;
    }

    @JsonAnyGetter
    Map<String, JsonNode> invokeaiFieldsAsProperties() {
        return invokeaiFields;
    }

    /**
     * Why this engine cannot run a model of this type, format and base, or null when it can: it runs
     * Stable Diffusion 1.x/2.x and SDXL main models exported to ONNX (optimum's layout).
     */
    public static String unsupportedReason(String type, String format, String base) {
        if (TYPE_LORA.equals(type)) {
            if (!FORMAT_LYCORIS.equals(format)) {
                return "Not usable by this engine: it applies LoRAs from single .safetensors files, not " + format + " LoRAs";
            }
            return runnableBase(base) ? null
                    : "Not usable by this engine: it applies LoRAs for Stable Diffusion 1.x, 2.x and SDXL models, not " + base;
        }
        if (!TYPE_MAIN.equals(type)) {
            return "Not runnable by this engine: it runs main models and LoRAs only, not " + type + " models";
        }
        if (!FORMAT_ONNX.equals(format)) {
            String what = switch (String.valueOf(format)) {
                case "checkpoint" -> "a single-file checkpoint";
                case "diffusers" -> "a diffusers folder";
                default -> "in " + format + " format";
            };
            return "Not runnable by this engine: the model is " + what + "; it runs ONNX exports only"
                    + (runnableBase(base)
                    ? " (export a diffusers folder with optimum-cli export onnx and install the result)" : "");
        }
        if (!runnableBase(base)) {
            return "Not runnable by this engine: it runs Stable Diffusion 1.x, 2.x and SDXL models, not " + base;
        }
        return null;
    }

    private static boolean runnableBase(String base) {
        return "sd-1".equals(base) || "sd-2".equals(base) || "sdxl".equals(base);
    }

    /** This config as read from an InvokeAI record: its support worked out, its other fields kept. */
    public ModelConfig withInvokeaiFields(Map<String, JsonNode> fields) {
        return new ModelConfig(key, hash, path, fileSize, name, description, source, sourceType, sourceApiResponse, sourceUrl,
                coverImage, type, triggerPhrases, defaultSettings, base, format, predictionType, variant,
                unsupportedReason(type, format, base), fields, null);
    }

    /**
     * Why a model cannot be linked to an ONNX export, or null when it can: a main Stable Diffusion 1.x/2.x
     * model that this engine does not already run as it is.
     */
    public String unlinkableReason() {
        if (onnxExport == null && unsupportedReason == null) {
            return "Model '" + name + "' is already an ONNX model this engine runs; it needs no export";
        }
        if (!TYPE_MAIN.equals(type)) {
            return "Only main models can be linked to an ONNX export, not " + type + " models";
        }
        if (!"sd-1".equals(base) && !"sd-2".equals(base)) {
            return "This engine runs Stable Diffusion 1.x and 2.x models, not " + base + ", so an export of it cannot be linked";
        }
        return null;
    }

    /** This config run through the ONNX export at {@code exportPath} (null: not linked, its support as read). */
    public ModelConfig withOnnxExport(String exportPath) {
        String reason = exportPath != null && unlinkableReason() == null ? null : unsupportedReason(type, format, base);
        return new ModelConfig(key, hash, path, fileSize, name, description, source, sourceType, sourceApiResponse, sourceUrl,
                coverImage, type, triggerPhrases, defaultSettings, base, format, predictionType, variant, reason,
                invokeaiFields, reason == null && !FORMAT_ONNX.equals(format) ? exportPath : null);
    }

    /** Whether this is InvokeAI's record of a model that runs here through a linked ONNX export. */
    public boolean linked() {
        return onnxExport != null;
    }

    /** A newly installed ONNX main model. */
    public static ModelConfig installed(String key, String hash, String path, long fileSize, String name, String description,
                                        String source, ModelFacts facts, List<String> triggerPhrases,
                                        DefaultSettings defaultSettings) {
        return new ModelConfig(key, hash, path, fileSize, name, description, source, SOURCE_TYPE_PATH, null, null, null,
                TYPE_MAIN, triggerPhrases, defaultSettings, facts.base(), FORMAT_ONNX, facts.predictionType(), facts.variant(),
                null, Map.of(), null);
    }

    /** A newly installed LoRA ({@code .safetensors}, InvokeAI's {@code lycoris} format) for {@code base}. */
    public static ModelConfig installedLora(String key, String hash, String path, long fileSize, String name, String description,
                                            String source, String base, List<String> triggerPhrases) {
        return new ModelConfig(key, hash, path, fileSize, name, description, source, SOURCE_TYPE_PATH, null, null, null,
                TYPE_LORA, triggerPhrases, null, base, FORMAT_LYCORIS, null, null, null, Map.of(), null);
    }

    public boolean isLora() {
        return TYPE_LORA.equals(type);
    }

    /** This config with what a look at its files found: base, prediction type and variant. */
    public ModelConfig withFacts(ModelFacts facts) {
        return new ModelConfig(key, hash, path, fileSize, name, description, source, sourceType, sourceApiResponse, sourceUrl,
                coverImage, type, triggerPhrases, defaultSettings, facts.base(), format, facts.predictionType(), facts.variant(),
                unsupportedReason, invokeaiFields, onnxExport);
    }

    public ModelConfig withCoverImage(String url) {
        return new ModelConfig(key, hash, path, fileSize, name, description, source, sourceType, sourceApiResponse, sourceUrl,
                url, type, triggerPhrases, defaultSettings, base, format, predictionType, variant, unsupportedReason,
                invokeaiFields, onnxExport);
    }

    /** This config with {@code changes} applied. */
    public ModelConfig with(ModelChanges changes) {
        return new ModelConfig(key, hash, path, fileSize,
                changes.name() != null ? changes.name() : name,
                changes.description() != null ? changes.description().orElse(null) : description,
                source, sourceType, sourceApiResponse, sourceUrl, coverImage, type,
                changes.triggerPhrases() != null ? changes.triggerPhrases().orElse(null) : triggerPhrases,
                changes.defaultSettings() != null ? changes.defaultSettings().orElse(null) : defaultSettings,
                base, format, predictionType, variant, unsupportedReason, invokeaiFields, onnxExport);
    }
}
