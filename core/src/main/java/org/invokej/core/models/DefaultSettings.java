package org.invokej.core.models;

import org.invokej.core.DomainException;

/**
 * A main model's default generation settings, as InvokeAI's {@code MainModelDefaultSettings}: every
 * field may be null (no default), and the bounds are InvokeAI's. Whether {@code scheduler} is one of
 * InvokeAI's scheduler names is checked by {@link ModelService#update}, with the engine's list.
 */
public record DefaultSettings(
        String vae,
        String vaePrecision,
        String scheduler,
        Integer steps,
        Double cfgScale,
        Double cfgRescaleMultiplier,
        Integer width,
        Integer height,
        Double guidance,
        Boolean cpuOnly,
        Boolean fp8Storage) {

    public DefaultSettings {
        if (vaePrecision != null && !vaePrecision.equals("fp16") && !vaePrecision.equals("fp32")) {
            throw invalid("vae_precision", "must be fp16 or fp32");
        }
        if (steps != null && steps <= 0) {
            throw invalid("steps", "must be greater than 0");
        }
        if (cfgScale != null && !(cfgScale >= 1)) {
            throw invalid("cfg_scale", "must be at least 1");
        }
        if (cfgRescaleMultiplier != null && !(cfgRescaleMultiplier >= 0 && cfgRescaleMultiplier < 1)) {
            throw invalid("cfg_rescale_multiplier", "must be at least 0 and less than 1");
        }
        checkSize("width", width);
        checkSize("height", height);
        if (guidance != null && !(guidance >= 1)) {
            throw invalid("guidance", "must be at least 1");
        }
    }

    private static void checkSize(String field, Integer value) {
        if (value != null && (value < 64 || value % 8 != 0)) {
            throw invalid(field, "must be a multiple of 8 and at least 64");
        }
    }

    static DomainException invalid(String field, String rule) {
        return DomainException.unprocessable("default_settings." + field + " " + rule);
    }
}
