package org.invokej.inference.lora;

import org.invokej.inference.InvalidModelException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A LoRA {@code .safetensors} file read into its layers. Two key layouts are understood:
 * <ul>
 * <li>kohya's: {@code lora_unet_<module>}, {@code lora_te_<module>} (SD 1.x/2.x) or {@code lora_te1_}/{@code lora_te2_}
 *     (SDXL's two encoders), each with {@code .lora_down.weight}, {@code .lora_up.weight} and {@code .alpha};</li>
 * <li>diffusers' and PEFT's: {@code unet.}, {@code text_encoder.}, {@code text_encoder_2.} then the module path and
 *     {@code .lora_A.weight}/{@code .lora_B.weight}, {@code .lora.down.weight}/{@code .lora.up.weight} or
 *     {@code .lora_linear_layer.down.weight}/{@code .up.weight} (and the old attention-processor names,
 *     {@code processor.to_q_lora}).</li>
 * </ul>
 * Keys of neither layout, and layers missing their up or down half, are listed in {@link #ignoredKeys()}; LyCORIS'
 * other methods (LoHa, LoKr, DoRA) are among them.
 */
public final class LoraFile {

    private final Path file;
    private final List<LoraLayer> layers;
    private final List<String> ignoredKeys;
    private final boolean sdxlNames;

    private LoraFile(Path file, List<LoraLayer> layers, List<String> ignoredKeys, boolean sdxlNames) {
        this.file = file;
        this.layers = List.copyOf(layers);
        this.ignoredKeys = List.copyOf(ignoredKeys);
        this.sdxlNames = sdxlNames;
    }

    private record Piece(LoraPart part, String module, String role) {
    }

    private static final class Parts {
        SafeTensors.Tensor down;
        SafeTensors.Tensor up;
        Float alpha;
        final List<String> keys = new ArrayList<>();
    }

    /** Reads and parses a LoRA file; one that is malformed or has no layer at all is an {@link InvalidModelException}. */
    public static LoraFile read(Path file) {
        Map<String, SafeTensors.Tensor> tensors = SafeTensors.read(file);
        Map<String, Parts> byModule = new LinkedHashMap<>();
        Map<String, LoraPart> partOf = new LinkedHashMap<>();
        List<String> ignored = new ArrayList<>();
        boolean sdxlNames = false;
        for (Map.Entry<String, SafeTensors.Tensor> entry : tensors.entrySet()) {
            String key = entry.getKey();
            Optional<Piece> piece = kohya(key).or(() -> diffusers(key));
            if (piece.isEmpty()) {
                ignored.add(key);
                continue;
            }
            sdxlNames |= key.startsWith("lora_te1_") || key.startsWith("lora_te2_") || piece.get().part() == LoraPart.TEXT_ENCODER_2;
            String id = piece.get().part() + ":" + piece.get().module();
            partOf.put(id, piece.get().part());
            Parts parts = byModule.computeIfAbsent(id, k -> new Parts());
            parts.keys.add(key);
            SafeTensors.Tensor tensor = entry.getValue();
            switch (piece.get().role()) {
                case "down" -> parts.down = tensor;
                case "up" -> parts.up = tensor;
                default -> {
                    if (tensor.values().length != 1) {
                        throw new InvalidModelException(file + ": " + key + " should be one number (the layer's alpha)");
                    }
                    parts.alpha = tensor.values()[0];
                }
            }
        }
        List<LoraLayer> layers = new ArrayList<>();
        for (Map.Entry<String, Parts> entry : byModule.entrySet()) {
            Parts parts = entry.getValue();
            if (parts.down == null || parts.up == null) {
                ignored.addAll(parts.keys);
                continue;
            }
            String module = entry.getKey().substring(entry.getKey().indexOf(':') + 1);
            LoraLayer layer = new LoraLayer(partOf.get(entry.getKey()), module, parts.down, parts.up, parts.alpha);
            try {
                layer.checkShapes(file.toString());
            } catch (IllegalArgumentException e) {
                throw new InvalidModelException(e.getMessage(), e);
            }
            layers.add(layer);
        }
        if (layers.isEmpty()) {
            throw new InvalidModelException(file + ": no LoRA layers found (expected kohya keys such as lora_unet_…"
                    + ".lora_down.weight or diffusers/PEFT keys such as unet.….lora_A.weight)"
                    + (ignored.isEmpty() ? "" : "; its keys start with " + ignored.getFirst()));
        }
        return new LoraFile(file, layers, ignored, sdxlNames);
    }

    private static final String[][] KOHYA_PREFIXES = {
            {"lora_unet_", "UNET"}, {"lora_te1_", "TEXT_ENCODER"}, {"lora_te2_", "TEXT_ENCODER_2"}, {"lora_te_", "TEXT_ENCODER"}};
    private static final String[][] KOHYA_SUFFIXES = {{".lora_down.weight", "down"}, {".lora_up.weight", "up"}, {".alpha", "alpha"}};
    private static final String[][] DIFFUSERS_PREFIXES = {
            {"unet.", "UNET"}, {"text_encoder_2.", "TEXT_ENCODER_2"}, {"text_encoder.", "TEXT_ENCODER"}};
    private static final String[][] DIFFUSERS_SUFFIXES = {
            {".lora_A.weight", "down"}, {".lora_B.weight", "up"}, {".lora.down.weight", "down"}, {".lora.up.weight", "up"},
            {".lora_linear_layer.down.weight", "down"}, {".lora_linear_layer.up.weight", "up"}, {".down.weight", "down"},
            {".up.weight", "up"}, {".alpha", "alpha"}};

    private static Optional<Piece> kohya(String key) {
        return split(key, KOHYA_PREFIXES, KOHYA_SUFFIXES).map(p -> new Piece(p.part(), p.module(), p.role()));
    }

    private static Optional<Piece> diffusers(String key) {
        return split(key, DIFFUSERS_PREFIXES, DIFFUSERS_SUFFIXES).map(p -> {
            String module = p.module().replace(".processor.", ".");
            // the attention processors' names: to_q_lora is to_q, to_out_lora is to_out.0
            if (module.endsWith("_lora")) {
                module = module.substring(0, module.length() - "_lora".length());
                if (module.endsWith("to_out")) {
                    module += ".0";
                }
            }
            return new Piece(p.part(), kohyaName(module), p.role());
        });
    }

    private static Optional<Piece> split(String key, String[][] prefixes, String[][] suffixes) {
        for (String[] prefix : prefixes) {
            if (!key.startsWith(prefix[0])) {
                continue;
            }
            for (String[] suffix : suffixes) {
                if (key.endsWith(suffix[0]) && key.length() > prefix[0].length() + suffix[0].length()) {
                    String module = key.substring(prefix[0].length(), key.length() - suffix[0].length());
                    return Optional.of(new Piece(LoraPart.valueOf(prefix[1]), module, suffix[1]));
                }
            }
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** A module path ({@code down_blocks.0.attentions.0.proj_in}, or an ONNX node path) in kohya's spelling. */
    public static String kohyaName(String modulePath) {
        return modulePath.replace('.', '_').replace('/', '_');
    }

    public Path file() {
        return file;
    }

    public List<LoraLayer> layers() {
        return layers;
    }

    /** Keys that are not part of a complete LoRA layer, which applying the file skips. */
    public List<String> ignoredKeys() {
        return ignoredKeys;
    }

    /**
     * The base model the LoRA was trained for, from its names and shapes: {@code sdxl} when it names SDXL's two
     * encoders ({@code lora_te1_}/{@code lora_te2_}, {@code text_encoder_2.}) or its cross-attention reads 2048-wide
     * text; {@code sd-2} for 1024-wide text (OpenCLIP ViT-H), {@code sd-1} for 768 (CLIP ViT-L). Empty when it
     * cannot tell (no text encoder layer and no cross-attention key/value layer).
     */
    public Optional<String> base() {
        if (sdxlNames) {
            return Optional.of("sdxl");
        }
        for (LoraLayer layer : layers) {
            boolean crossAttention = layer.part() == LoraPart.UNET
                    && (layer.module().endsWith("attn2_to_k") || layer.module().endsWith("attn2_to_v"));
            if (crossAttention) {
                return baseOfTextWidth(layer.inFeatures(), true);
            }
        }
        for (LoraLayer layer : layers) {
            if (layer.part() == LoraPart.TEXT_ENCODER && layer.module().contains("self_attn")) {
                return baseOfTextWidth(layer.inFeatures(), false);
            }
        }
        return Optional.empty();
    }

    private static Optional<String> baseOfTextWidth(long width, boolean unet) {
        if (width == 768) {
            return Optional.of("sd-1");
        }
        if (width == 1024) {
            return Optional.of("sd-2");
        }
        if (width == 2048 && unet) {
            return Optional.of("sdxl");
        }
        return Optional.empty();
    }
}
