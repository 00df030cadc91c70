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
    private int features;
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

    /** For a tiny model made with {@code TinyModels.unetFeatures(count)} (16 by default). */
    public TinyLoras unetFeatures(int count) {
        features = count;
        return this;
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

    /**
     * A copy of the tiny model at {@code model} with this LoRA's delta at {@code weight} baked into its weights, worked
     * out here on its own (not with the engine's code): {@code W + weight · alpha/rank · up·down}, summed in double and
     * rounded once, into {@code conv_in.weight} ({@code [out, in·3·3]}) and the transposed MatMul weights
     * ({@code [in, out]}) of the cross-attention key projection and, for SDXL, the text encoders' first MLP layers.
     * What the engine makes with the LoRA must equal, pixel for pixel, what it makes with this copy.
     */
    public Path bakedCopy(Path model, Path copy, double weight) {
        copyTree(model, copy);
        Map<String, SafeTensors.Tensor> tensors = tensors();
        bake(copy.resolve("unet/model.onnx"), Map.of(
                "conv_in.weight", delta(tensors, layerKey("unet", "conv_in"), weight, false),
                TinyModels.CROSS_ATTENTION_WEIGHT, delta(tensors, layerKey("unet", "down_blocks.0.attentions.0.transformer_blocks.0.attn2.to_k"),
                        weight, true)));
        if (sdxl) {
            bake(copy.resolve("text_encoder/model.onnx"), Map.of("onnx::MatMul_901",
                    delta(tensors, layerKey("te1", "text_model.encoder.layers.0.mlp.fc1"), weight, true)));
            bake(copy.resolve("text_encoder_2/model.onnx"), Map.of("onnx::MatMul_902",
                    delta(tensors, layerKey("te2", "text_model.encoder.layers.1.mlp.fc1"), weight, true)));
        }
        return copy;
    }

    private String layerKey(String part, String module) {
        if (peft) {
            return switch (part) {
                case "unet" -> "unet.";
                case "te1" -> "text_encoder.";
                default -> "text_encoder_2.";
            } + module;
        }
        return switch (part) {
            case "unet" -> "lora_unet_";
            case "te1" -> sdxl ? "lora_te1_" : "lora_te_";
            default -> "lora_te2_";
        } + module.replace('.', '_');
    }

    /** The scaled delta of one layer, laid out as the weight it changes ({@code transposed}: {@code [in, out]}). */
    private double[] delta(Map<String, SafeTensors.Tensor> tensors, String layer, double weight, boolean transposed) {
        SafeTensors.Tensor down = tensors.get(layer + (peft ? ".lora_A.weight" : ".lora_down.weight"));
        SafeTensors.Tensor up = tensors.get(layer + (peft ? ".lora_B.weight" : ".lora_up.weight"));
        int rankCount = (int) down.shape()[0];
        SafeTensors.Tensor alphaTensor = tensors.get(layer + ".alpha");
        double scale = weight * (alphaTensor == null ? 1.0 : alphaTensor.values()[0] / (double) rankCount);
        int out = (int) up.shape()[0];
        int in = down.values().length / rankCount;
        double[] delta = new double[out * in];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                double sum = 0;
                for (int r = 0; r < rankCount; r++) {
                    sum += (double) up.values()[o * rankCount + r] * down.values()[r * in + i];
                }
                delta[transposed ? i * out + o : o * in + i] = scale * sum;
            }
        }
        return delta;
    }

    private static void bake(Path modelFile, Map<String, double[]> deltas) {
        try {
            ai.onnx.proto.OnnxMl.ModelProto model = ai.onnx.proto.OnnxMl.ModelProto.parseFrom(java.nio.file.Files.readAllBytes(modelFile));
            ai.onnx.proto.OnnxMl.ModelProto.Builder edited = model.toBuilder();
            var graph = edited.getGraphBuilder();
            for (int i = 0; i < graph.getInitializerCount(); i++) {
                double[] delta = deltas.get(graph.getInitializer(i).getName());
                if (delta != null) {
                    ai.onnx.proto.OnnxMl.TensorProto base = graph.getInitializer(i);
                    ai.onnx.proto.OnnxMl.TensorProto.Builder tensor = base.toBuilder().clearFloatData();
                    for (int v = 0; v < delta.length; v++) {
                        tensor.addFloatData((float) (base.getFloatData(v) + delta[v]));
                    }
                    graph.setInitializer(i, tensor);
                }
            }
            java.nio.file.Files.write(modelFile, edited.build().toByteArray());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void copyTree(Path from, Path to) {
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (java.nio.file.Files.isDirectory(file)) {
                    java.nio.file.Files.createDirectories(target);
                } else {
                    java.nio.file.Files.copy(file, target);
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
