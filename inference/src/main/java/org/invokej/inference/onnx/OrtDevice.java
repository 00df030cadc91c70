package org.invokej.inference.onnx;

import java.util.Locale;

/**
 * Where the model parts run: {@code auto} (CUDA when it works, else CPU), {@code cpu}, or
 * {@code cuda} / {@code cuda:N}.
 */
public record OrtDevice(Kind kind, int index) {

    public enum Kind { AUTO, CPU, CUDA }

    public static final OrtDevice AUTO = new OrtDevice(Kind.AUTO, 0);
    public static final OrtDevice CPU = new OrtDevice(Kind.CPU, 0);

    public OrtDevice {
        if (index < 0) {
            throw new IllegalArgumentException("device index must not be negative: " + index);
        }
    }

    /** Parses {@code auto}, {@code cpu}, {@code cuda} or {@code cuda:N}; anything else is refused. */
    public static OrtDevice parse(String text) {
        String value = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (value.equals("auto")) {
            return AUTO;
        }
        if (value.equals("cpu")) {
            return CPU;
        }
        if (value.equals("cuda")) {
            return new OrtDevice(Kind.CUDA, 0);
        }
        if (value.startsWith("cuda:")) {
            try {
                int index = Integer.parseInt(value.substring(5));
                if (index >= 0) {
                    return new OrtDevice(Kind.CUDA, index);
                }
            } catch (NumberFormatException e) {
                // fall through to the message below
            }
        }
        throw new IllegalArgumentException("device '" + text + "' is not one of auto, cpu, cuda, cuda:N");
    }

    @Override
    public String toString() {
        return switch (kind) {
            case AUTO -> "auto";
            case CPU -> "cpu";
            case CUDA -> "cuda:" + index;
        };
    }
}
