package org.invokej.inference.lora;

import org.invokej.inference.InvalidModelException;

import ai.onnx.proto.OnnxMl.TensorProto;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The weights of one model part with LoRAs blended in, the way ONNX-only generators apply them: for every layer
 * of the part, {@code W' = W + Σ weight · (alpha / rank) · up · down}, summed in double and rounded once to the
 * weight's own type. ONNX Runtime then overrides the initializers with these when it builds the session.
 */
public final class LoraPatches {

    private LoraPatches() {
    }

    /** One LoRA file read, with its weight. */
    public record Weighted(LoraFile lora, double weight) {
    }

    /** A changed initializer: its name, shape, whether it is float16, and its new values. */
    public record Patch(String initializer, long[] dims, boolean half, float[] values) {
    }

    /**
     * What applying gave: the changed initializers, and the layers that named no weight of this graph
     * ({@code file: module}), which were skipped.
     */
    public record Result(List<Patch> patches, List<String> unmatched) {
        public Result {
            patches = List.copyOf(patches);
            unmatched = List.copyOf(unmatched);
        }
    }

    /**
     * Blends the layers of {@code loras} that belong to {@code part} into the weights of {@code modelFile}. A layer
     * whose shape differs from the weight it names (a LoRA for another base model) is an {@link InvalidModelException}.
     */
    public static Result compute(Path modelFile, LoraPart part, List<Weighted> loras) {
        OnnxWeights weights = null;
        Map<String, double[]> deltas = new LinkedHashMap<>();
        Map<String, OnnxWeights.Target> targets = new LinkedHashMap<>();
        List<String> unmatched = new ArrayList<>();
        for (Weighted weighted : loras) {
            for (LoraLayer layer : weighted.lora().layers()) {
                if (layer.part() != part) {
                    continue;
                }
                if (weights == null) {
                    weights = OnnxWeights.read(modelFile);
                }
                OnnxWeights.Target target = weights.find(layer.module()).orElse(null);
                if (target == null) {
                    unmatched.add(weighted.lora().file().getFileName() + ": " + layer.module());
                    continue;
                }
                if (target.outFeatures() != layer.outFeatures() || target.inFeatures() != layer.inFeatures()) {
                    throw new InvalidModelException(weighted.lora().file().getFileName() + ": LoRA layer " + layer.module()
                            + " changes a " + layer.outFeatures() + "x" + layer.inFeatures() + " weight, but " + part.folder()
                            + "'s " + target.initializer() + " is " + Arrays.toString(target.dims())
                            + " (is the LoRA for another base model?)");
                }
                if (weighted.weight() == 0) {
                    continue;
                }
                targets.put(target.initializer(), target);
                double[] delta = deltas.computeIfAbsent(target.initializer(),
                        name -> new double[Math.toIntExact(target.outFeatures() * target.inFeatures())]);
                layer.addTo(delta, weighted.weight() * layer.scale(), target.transposed());
            }
        }
        List<Patch> patches = new ArrayList<>();
        for (Map.Entry<String, double[]> entry : deltas.entrySet()) {
            OnnxWeights.Target target = targets.get(entry.getKey());
            float[] values = weights.values(target);
            double[] delta = entry.getValue();
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) (values[i] + delta[i]);
            }
            patches.add(new Patch(target.initializer(), target.dims(), target.dataType() == TensorProto.DataType.FLOAT16.getNumber(),
                    values));
        }
        return new Result(patches, unmatched);
    }
}
