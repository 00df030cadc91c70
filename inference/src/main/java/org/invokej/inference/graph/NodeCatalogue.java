package org.invokej.inference.graph;

import org.invokej.inference.schedulers.SchedulerName;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.invokej.inference.graph.FieldKind.BOARD;
import static org.invokej.inference.graph.FieldKind.BOOLEAN;
import static org.invokej.inference.graph.FieldKind.CLIP;
import static org.invokej.inference.graph.FieldKind.COLLECTION;
import static org.invokej.inference.graph.FieldKind.CONDITIONING;
import static org.invokej.inference.graph.FieldKind.CONDITIONING_OR_LIST;
import static org.invokej.inference.graph.FieldKind.FLOAT;
import static org.invokej.inference.graph.FieldKind.FLOAT_OR_LIST;
import static org.invokej.inference.graph.FieldKind.IMAGE;
import static org.invokej.inference.graph.FieldKind.INTEGER;
import static org.invokej.inference.graph.FieldKind.LATENTS;
import static org.invokej.inference.graph.FieldKind.METADATA;
import static org.invokej.inference.graph.FieldKind.MODEL;
import static org.invokej.inference.graph.FieldKind.STRING;
import static org.invokej.inference.graph.FieldKind.UNET;
import static org.invokej.inference.graph.FieldKind.VAE;
import static org.invokej.inference.graph.InputSpec.choice;
import static org.invokej.inference.graph.InputSpec.optional;
import static org.invokej.inference.graph.InputSpec.required;

/**
 * The InvokeAI node types this server runs (api-shapes §5.2, the SD 1.x/2.x set) with their inputs,
 * defaults and value rules. Inputs this engine cannot honour (ControlNet, IP-Adapter, HiDiffusion …)
 * are accepted at their defaults and refused when set, with a message naming them.
 */
public final class NodeCatalogue {

    /** InvokeAI's 31 scheduler names (all accepted by the schema; the engine runs a subset). */
    static final List<String> SCHEDULER_NAMES = List.of("ddim", "ddpm", "deis", "deis_k", "lms", "lms_k", "pndm", "heun",
            "heun_k", "euler", "euler_k", "euler_a", "kdpm_2", "kdpm_2_k", "kdpm_2_a", "kdpm_2_a_k", "dpmpp_2s", "dpmpp_2s_k",
            "dpmpp_2m", "dpmpp_2m_k", "dpmpp_2m_sde", "dpmpp_2m_sde_k", "dpmpp_3m", "dpmpp_3m_k", "dpmpp_sde", "dpmpp_sde_k",
            "er_sde", "unipc", "unipc_k", "lcm", "tcd");

    private static final InputSpec.ValueRule POSITIVE = value -> ((Number) value).doubleValue() > 0 ? null : "must be greater than 0";
    private static final InputSpec.ValueRule NOT_NEGATIVE = value -> ((Number) value).doubleValue() >= 0 ? null : "must be 0 or more";
    private static final InputSpec.ValueRule FRACTION = value -> {
        double x = ((Number) value).doubleValue();
        return x >= 0 && x <= 1 ? null : "must be between 0 and 1";
    };
    private static final InputSpec.ValueRule MULTIPLE_OF_8 = value -> {
        long x = ((Number) value).longValue();
        return x > 0 && x % 8 == 0 ? null : "must be a positive multiple of 8";
    };
    private static final InputSpec.ValueRule CFG = value -> {
        List<?> values = value instanceof List<?> list ? list : List.of(value);
        return values.stream().allMatch(v -> ((Number) v).doubleValue() >= 1) ? null : "must be at least 1 (each value)";
    };
    private static final InputSpec.ValueRule SCHEDULER = value -> {
        try {
            SchedulerName.parse((String) value);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    };
    private static final InputSpec.ValueRule UNSUPPORTED = value -> value == null || Boolean.FALSE.equals(value)
            || value instanceof Number number && number.doubleValue() == 0 || value instanceof List<?> list && list.isEmpty()
            ? null : "is not supported by this server (ONNX Stable Diffusion); leave it unset";
    private static final InputSpec.ValueRule NOT_TILED = value -> Boolean.TRUE.equals(value)
            ? "is not supported by this server (tiled VAE); leave it false" : null;

    private static final Map<String, FieldKind> IMAGE_OUTPUT = Map.of("image", IMAGE, "width", INTEGER, "height", INTEGER);
    private static final Map<String, FieldKind> LATENTS_OUTPUT = Map.of("latents", LATENTS, "width", INTEGER, "height", INTEGER);

    private static final Map<String, NodeSpec> SPECS = Map.ofEntries(
            spec(NodeSpec.of("main_model_loader", List.of(required("model", MODEL)),
                    "model_loader_output", Map.of("unet", UNET, "clip", CLIP, "vae", VAE))),
            spec(NodeSpec.of("vae_loader", List.of(required("vae_model", MODEL)), "vae_output", Map.of("vae", VAE))),
            spec(NodeSpec.of("clip_skip", List.of(required("clip", CLIP), optional("skipped_layers", INTEGER, 0).withRule(NOT_NEGATIVE)),
                    "clip_skip_output", Map.of("clip", CLIP))),
            spec(NodeSpec.of("compel", List.of(optional("prompt", STRING, ""), required("clip", CLIP), optional("mask", METADATA, null)
                            .withRule(UNSUPPORTED)),
                    "conditioning_output", Map.of("conditioning", CONDITIONING))),
            spec(NodeSpec.of("collect", List.of(optional("item", FieldKind.ANY, null), optional("collection", COLLECTION, List.of())),
                    "collect_output", Map.of("collection", COLLECTION)).withoutCache()),
            spec(NodeSpec.of("string", List.of(optional("value", STRING, "")), "string_output", Map.of("value", STRING))),
            spec(NodeSpec.of("integer", List.of(optional("value", INTEGER, 0)), "integer_output", Map.of("value", INTEGER))),
            spec(NodeSpec.of("rand_int", List.of(optional("low", INTEGER, 0), optional("high", INTEGER, 2147483647L)),
                    "integer_output", Map.of("value", INTEGER)).withoutCache()),
            spec(NodeSpec.of("noise", List.of(choice("noise_type", "SD", List.of("SD", "FLUX", "FLUX.2", "SD3", "CogView4", "Z-Image", "Anima"))
                                    .withRule(value -> "SD".equals(value) ? null : "only SD noise is supported by this server"),
                            optional("seed", INTEGER, 0), optional("width", INTEGER, 512).withRule(MULTIPLE_OF_8),
                            optional("height", INTEGER, 512).withRule(MULTIPLE_OF_8), optional("use_cpu", BOOLEAN, true)),
                    "noise_output", Map.of("noise", LATENTS, "width", INTEGER, "height", INTEGER))),
            spec(NodeSpec.of("denoise_latents", List.of(
                            required("positive_conditioning", CONDITIONING_OR_LIST), required("negative_conditioning", CONDITIONING_OR_LIST),
                            optional("noise", LATENTS, null), optional("steps", INTEGER, 10).withRule(POSITIVE),
                            optional("cfg_scale", FLOAT_OR_LIST, 7.5).withRule(CFG),
                            optional("denoising_start", FLOAT, 0.0).withRule(FRACTION), optional("denoising_end", FLOAT, 1.0).withRule(FRACTION),
                            optional("scheduler", FieldKind.CHOICE, "euler").withRule(SCHEDULER), required("unet", UNET),
                            optional("control", FieldKind.ANY, null).withRule(UNSUPPORTED),
                            optional("ip_adapter", FieldKind.ANY, null).withRule(UNSUPPORTED),
                            optional("t2i_adapter", FieldKind.ANY, null).withRule(UNSUPPORTED),
                            optional("cfg_rescale_multiplier", FLOAT, 0.0).withRule(UNSUPPORTED),
                            optional("hidiffusion", BOOLEAN, false).withRule(UNSUPPORTED),
                            optional("hidiffusion_raunet", BOOLEAN, true), optional("hidiffusion_window_attn", BOOLEAN, true),
                            optional("hidiffusion_t1_ratio", FLOAT, 0.4), optional("hidiffusion_t2_ratio", FLOAT, 0.0),
                            optional("latents", LATENTS, null), optional("denoise_mask", METADATA, null).withRule(UNSUPPORTED)),
                    "latents_output", LATENTS_OUTPUT)),
            spec(NodeSpec.of("l2i", List.of(required("latents", LATENTS), required("vae", VAE), optional("tiled", BOOLEAN, false).withRule(NOT_TILED),
                            optional("tile_size", INTEGER, 0), optional("fp32", BOOLEAN, false), optional("board", BOARD, null),
                            optional("metadata", METADATA, null)),
                    "image_output", IMAGE_OUTPUT)),
            spec(NodeSpec.of("i2l", List.of(required("image", IMAGE), required("vae", VAE), optional("tiled", BOOLEAN, false).withRule(NOT_TILED),
                            optional("tile_size", INTEGER, 0), optional("fp32", BOOLEAN, false),
                            choice("color_compensation", "None", List.of("None", "SDXL"))),
                    "latents_output", LATENTS_OUTPUT)),
            spec(NodeSpec.of("img_resize", List.of(required("image", IMAGE), optional("width", INTEGER, 512).withRule(POSITIVE),
                            optional("height", INTEGER, 512).withRule(POSITIVE),
                            choice("resample_mode", "bicubic", List.of("nearest", "box", "bilinear", "hamming", "bicubic", "lanczos")),
                            optional("board", BOARD, null), optional("metadata", METADATA, null)),
                    "image_output", IMAGE_OUTPUT)),
            spec(NodeSpec.of("save_image", List.of(required("image", IMAGE), optional("board", BOARD, null), optional("metadata", METADATA, null)),
                    "image_output", IMAGE_OUTPUT).withoutCache()),
            spec(NodeSpec.of("core_metadata", List.of(), "metadata_output", Map.of("metadata", METADATA))));

    private NodeCatalogue() {
    }

    private static Map.Entry<String, NodeSpec> spec(NodeSpec spec) {
        return Map.entry(spec.type(), spec);
    }

    static Optional<NodeSpec> find(String type) {
        return Optional.ofNullable(SPECS.get(type));
    }

    /** The node types this server runs, for error messages and documentation. */
    public static List<String> types() {
        return SPECS.keySet().stream().sorted().toList();
    }
}
