package org.invokej.core.models;

import org.invokej.core.DomainException;

import java.util.List;

/**
 * A main model's default generation settings, as InvokeAI's {@code MainModelDefaultSettings}: every
 * field may be null (no default), and the bounds are InvokeAI's.
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

    /** InvokeAI's {@code SchedulerName} values; the queue decides which of them it can run. */
    public static final List<String> SCHEDULERS = List.of("ddim", "ddpm", "deis", "deis_k", "lms", "lms_k", "pndm",
            "heun", "heun_k", "euler", "euler_k", "euler_a", "kdpm_2", "kdpm_2_k", "kdpm_2_a", "kdpm_2_a_k", "dpmpp_2s",
            "dpmpp_2s_k", "dpmpp_2m", "dpmpp_2m_k", "dpmpp_2m_sde", "dpmpp_2m_sde_k", "dpmpp_3m", "dpmpp_3m_k",
            "dpmpp_sde", "dpmpp_sde_k", "er_sde", "unipc", "unipc_k", "lcm", "tcd");

    public DefaultSettings {
        if (vaePrecision != null && !vaePrecision.equals("fp16") && !vaePrecision.equals("fp32")) {
            throw invalid("vae_precision", "must be fp16 or fp32");
        }
        if (scheduler != null && !SCHEDULERS.contains(scheduler)) {
            throw invalid("scheduler", "must be one of " + String.join(", ", SCHEDULERS));
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

    private static DomainException invalid(String field, String rule) {
        return DomainException.unprocessable("default_settings." + field + " " + rule);
    }
}
