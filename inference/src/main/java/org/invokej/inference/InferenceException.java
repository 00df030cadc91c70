package org.invokej.inference;

/** ONNX Runtime failed while running a graph that loaded fine (e.g. out of memory). */
public final class InferenceException extends RuntimeException {
    public InferenceException(String message, Throwable cause) {
        super(message, cause);
    }
}
