package org.invokej.inference.onnx;

/** The device asked for explicitly (e.g. {@code cuda}) cannot be used; the message says why and what to do. */
public final class DeviceUnavailableException extends RuntimeException {
    public DeviceUnavailableException(String message) {
        super(message);
    }
}
