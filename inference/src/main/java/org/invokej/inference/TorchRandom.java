package org.invokej.inference;

import java.util.stream.IntStream;

/**
 * Gaussian noise as PyTorch's CPU generator produces it, so that a seed gives the same starting
 * noise here as {@code torch.manual_seed(seed); torch.randn(...)} gives in InvokeAI (whose noise
 * node generates on the CPU by default).
 *
 * <p>The generator is a 32-bit Mersenne Twister (mt19937) seeded with the seed modulo 2^32.
 * {@link #randn(int)} follows ATen's CPU {@code normal_kernel}: for 16 or more values it draws one
 * 24-bit uniform float per value, then turns blocks of 16 into normals with Box-Muller
 * ({@code normal_fill_16}: the first 8 uniforms give the radius, the next 8 the angle), and when the
 * count is not a multiple of 16 it redraws the last 16 values; for fewer than 16 values it draws
 * each normal in double precision from two 53-bit uniforms, keeping the second Box-Muller value
 * for the next call. Float arithmetic differs from torch's vectorised (AVX2) path by at most an
 * ulp or two, so values agree with torch to about 1e-6, not always bit for bit.
 */
public final class TorchRandom {
    private static final int N = 624;
    private static final int M = 397;
    /** From this many blocks of 16 on, Box-Muller runs in parallel (a 512x512 image's noise has 1024). */
    private static final int PARALLEL_BLOCKS = 256;

    private final int[] state = new int[N];
    private int position;
    private double nextDoubleNormal;
    private boolean hasNextDoubleNormal;

    /** A generator as after {@code torch.manual_seed(seed)}; the seed is wrapped modulo 2^32. */
    public TorchRandom(long seed) {
        state[0] = (int) seed;
        for (int j = 1; j < N; j++) {
            int previous = state[j - 1];
            state[j] = 1812433253 * (previous ^ (previous >>> 30)) + j;
        }
        position = N;
    }

    /** The next raw 32-bit output of mt19937, as an unsigned value. */
    public long nextUnsignedInt() {
        if (position >= N) {
            twist();
        }
        int y = state[position++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y & 0xffffffffL;
    }

    private void twist() {
        for (int i = 0; i < N; i++) {
            int y = (state[i] & 0x80000000) | (state[(i + 1) % N] & 0x7fffffff);
            int next = state[(i + M) % N] ^ (y >>> 1);
            if ((y & 1) != 0) {
                next ^= 0x9908b0df;
            }
            state[i] = next;
        }
        position = 0;
    }

    private float uniformFloat() {
        return (nextUnsignedInt() & 0xffffff) * (1.0f / (1 << 24));
    }

    private double uniformDouble() {
        long random64 = (nextUnsignedInt() << 32) | nextUnsignedInt();
        return (random64 & ((1L << 53) - 1)) * (1.0 / (1L << 53));
    }

    /** {@code count} standard normal values, as {@code torch.randn(count)} in float32 would give. */
    public float[] randn(int count) {
        float[] data = new float[count];
        randn(data);
        return data;
    }

    /** Fills {@code data} with standard normal values, exactly as {@link #randn(int)} of its length would. */
    public void randn(float[] data) {
        int count = data.length;
        if (count >= 16) {
            for (int i = 0; i < count; i++) {
                data[i] = uniformFloat();
            }
            int blocks = count / 16;
            if (blocks >= PARALLEL_BLOCKS) {
                // blocks are independent once the uniforms are drawn: same values, on every core
                IntStream.range(0, blocks).parallel().forEach(block -> normalFill16(data, block * 16));
            } else {
                for (int block = 0; block < blocks; block++) {
                    normalFill16(data, block * 16);
                }
            }
            if (count % 16 != 0) {
                int start = count - 16;
                for (int i = 0; i < 16; i++) {
                    data[start + i] = uniformFloat();
                }
                normalFill16(data, start);
            }
        } else {
            for (int i = 0; i < count; i++) {
                data[i] = (float) nextDoubleNormal();
            }
        }
    }

    private static void normalFill16(float[] data, int offset) {
        for (int j = 0; j < 8; j++) {
            float u1 = 1 - data[offset + j];
            float u2 = data[offset + j + 8];
            float radius = (float) Math.sqrt(-2 * (float) Math.log(u1));
            float theta = (float) (2.0f * Math.PI * u2);
            data[offset + j] = radius * (float) Math.cos(theta);
            data[offset + j + 8] = radius * (float) Math.sin(theta);
        }
    }

    private double nextDoubleNormal() {
        if (hasNextDoubleNormal) {
            hasNextDoubleNormal = false;
            return nextDoubleNormal;
        }
        double u1 = uniformDouble();
        double u2 = uniformDouble();
        double radius = Math.sqrt(-2.0 * Math.log1p(-u2));
        double theta = 2.0 * Math.PI * u1;
        nextDoubleNormal = radius * Math.sin(theta);
        hasNextDoubleNormal = true;
        return radius * Math.cos(theta);
    }
}
