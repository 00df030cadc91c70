package org.invokej.inference.testmodels;

import org.invokej.inference.lora.SafeTensors;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Tiny LoRA files for the {@link TinyModels}: layers for the tiny UNet's first convolution ({@code conv_in}, a
 * 3x3 LoCon-style layer) and its cross-attention key projection, and for SDXL also both text encoders' first MLP
 * layers, with seeded values; in kohya's key layout or in diffusers'/PEFT's.
 */
public final class TinyLoras {
    private final boolean sdxl;
    private final int textWidth;
    private final int textWidth2;
    private final int features;
    private int rank = 2;
    private Float alpha = 1.0f;
    private long seed = 7;
    private boolean peft;
    private boolean unmatched;
    private boolean ignored;

    private TinyLoras(boolean sdxl, int textWidth, int textWidth2, int features) {
        this.sdxl = sdxl;
        this.textWidth = textWidth;
        this.textWidth2 = textWidth2;
        this.features = features;
    }

    /** For {@code TinyModels.sd15()} with the given text width (32 by default, 768 for an install as sd-1). */
    public static TinyLoras sd15(int textWidth) {
        return new TinyLoras(false, textWidth, 0, 16);
    }

    /** For {@code TinyModels.sdxl()}. */
    public static TinyLoras sdxl() {
        return new TinyLoras(true, 32, 48, 16);
    }

    public TinyLoras rank(int value) {
        rank = value;
        return this;
    }

    /** The layers' alpha (null: none, as PEFT files often have). */
    public TinyLoras alpha(Float value) {
        alpha = value;
        return this;
    }

    public TinyLoras seed(long value) {
        seed = value;
        return this;
    }

    /** diffusers'/PEFT's keys ({@code unet.….lora_A.weight}) instead of kohya's. */
    public TinyLoras peftKeys() {
        peft = true;
        return this;
    }

    /** Adds a complete layer for a module the tiny UNet does not have. */
    public TinyLoras withUnmatchedLayer() {
        unmatched = true;
        return this;
    }

    /** Adds a key of no LoRA layout (a LoHa weight). */
    public TinyLoras withIgnoredKey() {
        ignored = true;
        return this;
    }

    /** The tensors of the file, by key. */
    public Map<String, SafeTensors.Tensor> tensors() {
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, SafeTensors.Tensor> tensors = new LinkedHashMap<>();
        int context = sdxl ? textWidth + textWidth2 : textWidth;
        layer(tensors, random, "unet", "down_blocks.0.attentions.0.transformer_blocks.0.attn2.to_k", new long[] {rank, context},
                new long[] {features, rank});
        layer(tensors, random, "unet", "conv_in", new long[] {rank, 4, 3, 3}, new long[] {features, rank, 1, 1});
        if (sdxl) {
            layer(tensors, random, "te1", "text_model.encoder.layers.0.mlp.fc1", new long[] {rank, textWidth},
                    new long[] {textWidth, rank});
            layer(tensors, random, "te2", "text_model.encoder.layers.1.mlp.fc1", new long[] {rank, textWidth2},
                    new long[] {textWidth2, rank});
        }
        if (unmatched) {
            layer(tensors, random, "unet", "mid_block.attentions.0.proj_in", new long[] {rank, features}, new long[] {features, rank});
        }
        if (ignored) {
            tensors.put("lora_unet_up_blocks_0_resnets_0_conv1.hada_w1_a", values(random, new long[] {4, 2}, 0.1f));
        }
        return tensors;
    }

    /** Writes the LoRA file and returns it. */
    public Path writeTo(Path file) {
        SafeTensors.write(file, tensors());
        return file;
    }

    private void layer(Map<String, SafeTensors.Tensor> tensors, SplittableRandom random, String part, String module, long[] down,
                       long[] up) {
        String prefix;
        String downKey;
        String upKey;
        if (peft) {
            prefix = switch (part) {
                case "unet" -> "unet.";
                case "te1" -> "text_encoder.";
                default -> "text_encoder_2.";
            } + module;
            downKey = prefix + ".lora_A.weight";
            upKey = prefix + ".lora_B.weight";
        } else {
            prefix = switch (part) {
                case "unet" -> "lora_unet_";
                case "te1" -> sdxl ? "lora_te1_" : "lora_te_";
                default -> "lora_te2_";
            } + module.replace('.', '_');
            downKey = prefix + ".lora_down.weight";
            upKey = prefix + ".lora_up.weight";
        }
        tensors.put(downKey, values(random, down, 0.5f));
        tensors.put(upKey, values(random, up, 0.5f));
        if (alpha != null) {
            tensors.put(prefix + ".alpha", new SafeTensors.Tensor(new long[0], new float[] {alpha}));
        }
    }

    private static SafeTensors.Tensor values(SplittableRandom random, long[] shape, float scale) {
        long count = 1;
        for (long d : shape) {
            count *= d;
        }
        float[] values = new float[(int) count];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) ((random.nextDouble() * 2 - 1) * scale);
        }
        return new SafeTensors.Tensor(shape, values);
    }
}
