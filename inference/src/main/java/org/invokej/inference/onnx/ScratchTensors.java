package org.invokej.inference.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A model's input and output tensors, kept between runs and generations: the same image size reuses
 * the same direct buffers, so steady-state generation allocates no native memory. Only one stage
 * uses a model at a time (the engine's single dispatch thread), which makes sharing them safe.
 */
public final class ScratchTensors implements AutoCloseable {
    private final OrtEnvironment environment;
    private final Map<String, NumericTensor> tensors = new HashMap<>();

    public ScratchTensors(OrtEnvironment environment) {
        this.environment = environment;
    }

    /** The tensor for a role (e.g. "unet.sample"), reallocated only when type or shape change. */
    public synchronized NumericTensor get(String role, OnnxJavaType type, long... shape) throws OrtException {
        NumericTensor tensor = tensors.get(role);
        if (tensor != null && tensor.type() == type && Arrays.equals(tensor.shape(), shape)) {
            return tensor;
        }
        if (tensor != null) {
            tensor.close();
        }
        tensor = NumericTensor.allocate(environment, type, shape);
        tensors.put(role, tensor);
        return tensor;
    }

    @Override
    public synchronized void close() {
        tensors.values().forEach(NumericTensor::close);
        tensors.clear();
    }
}
