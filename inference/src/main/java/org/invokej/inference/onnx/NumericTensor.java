package org.invokej.inference.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.util.Arrays;

/**
 * An ONNX Runtime tensor over a direct buffer we own, so that a run's inputs and (pinned) outputs are
 * written and read in place, step after step, without new native allocations. Values go in and out
 * as Java floats and are converted to the graph's element type (float32, float16, double, int32,
 * int64; integers are rounded).
 */
public final class NumericTensor implements AutoCloseable {
    private final OnnxJavaType type;
    private final long[] shape;
    private final int size;
    private final FloatBuffer floats;
    private final ShortBuffer halves;
    private final DoubleBuffer doubles;
    private final IntBuffer ints;
    private final LongBuffer longs;
    private final OnnxTensor tensor;
    /** Staging for float16 conversion, so the direct buffer is touched only by bulk copies. */
    private short[] staging = new short[0];

    private NumericTensor(OrtEnvironment env, OnnxJavaType type, long[] shape) throws OrtException {
        this.type = type;
        this.shape = shape.clone();
        long count = 1;
        for (long d : shape) {
            count *= d;
        }
        this.size = Math.toIntExact(count);
        ByteBuffer bytes = ByteBuffer.allocateDirect(Math.max(1, size) * type.size).order(ByteOrder.nativeOrder());
        FloatBuffer f = null;
        ShortBuffer h = null;
        DoubleBuffer d = null;
        IntBuffer i = null;
        LongBuffer l = null;
        OnnxTensor t;
        switch (type) {
            case FLOAT -> t = OnnxTensor.createTensor(env, f = bytes.asFloatBuffer(), shape);
            case FLOAT16 -> t = OnnxTensor.createTensor(env, h = bytes.asShortBuffer(), shape, OnnxJavaType.FLOAT16);
            case DOUBLE -> t = OnnxTensor.createTensor(env, d = bytes.asDoubleBuffer(), shape);
            case INT32 -> t = OnnxTensor.createTensor(env, i = bytes.asIntBuffer(), shape);
            case INT64 -> t = OnnxTensor.createTensor(env, l = bytes.asLongBuffer(), shape);
            default -> throw new IllegalArgumentException("unsupported tensor element type " + type);
        }
        this.floats = f;
        this.halves = h;
        this.doubles = d;
        this.ints = i;
        this.longs = l;
        this.tensor = t;
    }

    public static NumericTensor allocate(OrtEnvironment env, OnnxJavaType type, long... shape) throws OrtException {
        return new NumericTensor(env, type, shape);
    }

    public OnnxJavaType type() {
        return type;
    }

    public OnnxTensor tensor() {
        return tensor;
    }

    public long[] shape() {
        return shape.clone();
    }

    public int size() {
        return size;
    }

    /** Writes {@code values} starting at element {@code offset}. */
    public void write(float[] values, int offset) {
        write(values, 0, offset, values.length);
    }

    public void write(float[] values, int from, int offset, int length) {
        switch (type) {
            case FLOAT -> floats.put(offset, values, from, length);
            case FLOAT16 -> {
                short[] buffer = staging(length);
                for (int k = 0; k < length; k++) {
                    buffer[k] = Float.floatToFloat16(values[from + k]);
                }
                halves.put(offset, buffer, 0, length);
            }
            case DOUBLE -> {
                for (int k = 0; k < length; k++) {
                    doubles.put(offset + k, values[from + k]);
                }
            }
            case INT32 -> {
                for (int k = 0; k < length; k++) {
                    ints.put(offset + k, Math.round(values[from + k]));
                }
            }
            default -> {
                for (int k = 0; k < length; k++) {
                    longs.put(offset + k, Math.round((double) values[from + k]));
                }
            }
        }
    }

    /** Writes integer values (token ids). */
    public void writeInts(int[] values, int offset) {
        switch (type) {
            case INT32 -> ints.put(offset, values);
            case INT64 -> {
                for (int k = 0; k < values.length; k++) {
                    longs.put(offset + k, values[k]);
                }
            }
            default -> throw new IllegalStateException("not an integer tensor: " + type);
        }
    }

    /** Sets every element to one value (e.g. the timestep). */
    public void fill(double value) {
        float[] all = new float[size];
        Arrays.fill(all, (float) value);
        if (type == OnnxJavaType.DOUBLE) {
            for (int k = 0; k < size; k++) {
                doubles.put(k, value);
            }
        } else if (type == OnnxJavaType.INT64) {
            for (int k = 0; k < size; k++) {
                longs.put(k, Math.round(value));
            }
        } else {
            write(all, 0);
        }
    }

    /** Reads {@code length} elements from element {@code offset} into {@code target}. */
    public void read(int offset, float[] target, int targetFrom, int length) {
        switch (type) {
            case FLOAT -> floats.get(offset, target, targetFrom, length);
            case FLOAT16 -> {
                short[] buffer = staging(length);
                halves.get(offset, buffer, 0, length);
                for (int k = 0; k < length; k++) {
                    target[targetFrom + k] = Float.float16ToFloat(buffer[k]);
                }
            }
            case DOUBLE -> {
                for (int k = 0; k < length; k++) {
                    target[targetFrom + k] = (float) doubles.get(offset + k);
                }
            }
            default -> throw new IllegalStateException("not a floating point tensor: " + type);
        }
    }

    private short[] staging(int length) {
        if (staging.length < length) {
            staging = new short[length];
        }
        return staging;
    }

    public float[] readAll() {
        float[] all = new float[size];
        read(0, all, 0, size);
        return all;
    }

    @Override
    public void close() {
        tensor.close();
    }
}
