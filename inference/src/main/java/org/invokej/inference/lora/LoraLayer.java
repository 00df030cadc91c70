package org.invokej.inference.lora;

import java.util.Arrays;

/**
 * One low-rank update: {@code delta = (alpha / rank) * up · down}, where {@code down} is {@code [rank, in, (kh, kw)]}
 * and {@code up} is {@code [out, rank, (1, 1)]}. {@code module} is the layer's name with every separator as
 * {@code _} (kohya's spelling), which is how it is matched against a model's weights.
 *
 * @param alpha null when the file has none (the scale is then 1, as PEFT's default alpha = rank gives)
 */
public record LoraLayer(LoraPart part, String module, SafeTensors.Tensor down, SafeTensors.Tensor up, Float alpha) {

    public int rank() {
        return (int) down.shape()[0];
    }

    public long outFeatures() {
        return up.shape()[0];
    }

    /** Input features times the kernel size, what one row of the delta holds. */
    public long inFeatures() {
        long[] shape = down.shape();
        long in = 1;
        for (int i = 1; i < shape.length; i++) {
            in *= shape[i];
        }
        return in;
    }

    /** {@code alpha / rank}. */
    public double scale() {
        return alpha == null ? 1.0 : alpha / (double) rank();
    }

    /** Checks that up and down multiply: up's second dimension is down's rank, and up has a 1x1 kernel if any. */
    void checkShapes(String file) {
        long[] up = this.up.shape();
        long[] down = this.down.shape();
        boolean upKernelOne = up.length == 2 || (up.length == 4 && up[2] == 1 && up[3] == 1);
        if (down.length < 2 || up.length < 2 || up[1] != down[0] || !upKernelOne) {
            throw new IllegalArgumentException(file + ": LoRA layer " + module + " has up " + Arrays.toString(up) + " and down "
                    + Arrays.toString(down) + ", which do not multiply");
        }
    }

    /**
     * Adds {@code factor * up · down} to {@code into}, a row-major {@code [out, in]} buffer, or to its transpose
     * {@code [in, out]} when {@code transposed} (MatMul weights). Sums in double for every element.
     */
    void addTo(double[] into, double factor, boolean transposed) {
        int rank = rank();
        int out = (int) outFeatures();
        int in = (int) inFeatures();
        float[] upValues = up.values();
        float[] downValues = down.values();
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                double sum = 0;
                for (int r = 0; r < rank; r++) {
                    sum += (double) upValues[o * rank + r] * downValues[r * in + i];
                }
                into[transposed ? i * out + o : o * in + i] += factor * sum;
            }
        }
    }
}
