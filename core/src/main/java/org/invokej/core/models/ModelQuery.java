package org.invokej.core.models;

import org.invokej.core.DomainException;

import java.util.List;

/**
 * The filters and order of {@code GET /api/v2/models/}. Values are checked against InvokeAI's
 * enumerations, so a filter InvokeAI accepts (e.g. {@code base_models=sdxl}) finds nothing here rather
 * than failing.
 *
 * @param baseModels any of these bases (empty: all); several are listed base by base, in this order
 * @param orderBy    {@code name} (InvokeAI's default), {@code default} (type, base, format, name), {@code type},
 *                   {@code base}, {@code format}, {@code size}, {@code created_at}, {@code updated_at}, {@code path}
 */
public record ModelQuery(List<String> baseModels, String modelType, String modelName, String modelFormat,
                         String orderBy, boolean descending) {

    public static final List<String> BASES = List.of("any", "sd-1", "sd-2", "sd-3", "sdxl", "sdxl-refiner", "flux", "flux2",
            "cogview4", "z-image", "ernie-image", "ideogram-4", "external", "qwen-image", "anima", "krea-2", "wan", "unknown");
    public static final List<String> TYPES = List.of("onnx", "main", "vae", "lora", "control_lora", "controlnet", "embedding",
            "ip_adapter", "clip_vision", "clip_embed", "t2i_adapter", "t5_encoder", "qwen3_encoder", "qwen_vl_encoder",
            "qwen3_vl_encoder", "mistral_encoder", "wan_t5_encoder", "gemma2_encoder", "spandrel_image_to_image", "siglip",
            "flux_redux", "llava_onevision", "prompt_enhancer", "text_llm", "external_image_generator", "pid_decoder", "unknown");
    public static final List<String> FORMATS = List.of("omi", "diffusers", "checkpoint", "lycoris", "onnx", "olive",
            "embedding_file", "embedding_folder", "invokeai", "t5_encoder", "qwen3_encoder", "qwen_vl_encoder",
            "qwen3_vl_encoder", "mistral_encoder", "wan_t5_encoder", "gemma2_encoder", "bnb_quantized_int8b",
            "bnb_quantized_nf4b", "gguf_quantized", "external_api", "sdnq_quantized", "unknown");
    public static final List<String> ORDERS = List.of("name", "default", "type", "base", "format", "size", "created_at",
            "updated_at", "path");

    /** Every model, by name. */
    public static final ModelQuery ALL = new ModelQuery(List.of(), null, null, null, "name", false);

    public ModelQuery {
        baseModels = List.copyOf(baseModels);
        baseModels.forEach(base -> check("base_models", base, BASES));
        check("model_type", modelType, TYPES);
        check("model_format", modelFormat, FORMATS);
        orderBy = orderBy == null ? "name" : orderBy;
        check("order_by", orderBy, ORDERS);
    }

    private static void check(String parameter, String value, List<String> allowed) {
        if (value != null && !allowed.contains(value)) {
            throw DomainException.unprocessable("Query parameter '" + parameter + "' must be one of " + String.join(", ", allowed)
                    + ", not '" + value + "'");
        }
    }
}
