package org.invokej.inference.graph.nodes;

import org.invokej.inference.schedulers.SchedulerName;
import org.invokej.inference.graph.Input;

import java.util.List;

/** The value rules node inputs share (InvokeAI's {@code gt}, {@code ge}, {@code multiple_of}, …). */
final class Rules {

    private Rules() {
    }

    static final Input.ValueRule POSITIVE = value -> ((Number) value).doubleValue() > 0 ? null : "must be greater than 0";
    static final Input.ValueRule NOT_NEGATIVE = value -> ((Number) value).doubleValue() >= 0 ? null : "must be 0 or more";
    /** A size that only conditions (SDXL's time_ids): no pixels are made, but it must fit an image side. */
    static final Input.ValueRule SIDE = value -> {
        long x = ((Number) value).longValue();
        return x >= 0 && x <= 65_536 ? null : "must be between 0 and 65536";
    };
    static final Input.ValueRule BYTE = value -> {
        long x = ((Number) value).longValue();
        return x >= 0 && x <= 255 ? null : "must be between 0 and 255";
    };
    static final Input.ValueRule SEED = value -> {
        long x = ((Number) value).longValue();
        return x >= 0 && x <= 4_294_967_295L ? null : "must be between 0 and 4294967295";
    };
    static final Input.ValueRule FRACTION = value -> {
        double x = ((Number) value).doubleValue();
        return x >= 0 && x <= 1 ? null : "must be between 0 and 1";
    };
    static final Input.ValueRule MULTIPLE_OF_8 = value -> {
        long x = ((Number) value).longValue();
        return x > 0 && x % 8 == 0 ? null : "must be a positive multiple of 8";
    };
    static final Input.ValueRule CFG = value -> {
        List<?> values = value instanceof List<?> list ? list : List.of(value);
        return values.stream().allMatch(v -> ((Number) v).doubleValue() >= 1) ? null : "must be at least 1 (each value)";
    };
    static final Input.ValueRule SCHEDULER = value -> {
        try {
            SchedulerName.parse((String) value);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    };
    /** For inputs this engine cannot honour: accepted at their defaults, refused when set. */
    static final Input.ValueRule UNSUPPORTED = value -> value == null || Boolean.FALSE.equals(value)
            || value instanceof Number number && number.doubleValue() == 0 || value instanceof List<?> list && list.isEmpty()
            ? null : "is not supported by this server (ONNX Stable Diffusion); leave it unset";
    static final Input.ValueRule NOT_TILED = value -> Boolean.TRUE.equals(value)
            ? "is not supported by this server (tiled VAE); leave it false" : null;
}
