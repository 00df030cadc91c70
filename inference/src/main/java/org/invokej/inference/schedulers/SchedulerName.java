package org.invokej.inference.schedulers;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The schedulers this engine implements, under InvokeAI's {@code SchedulerName} strings, each
 * with the math of the diffusers class InvokeAI maps it to.
 */
public enum SchedulerName {
    EULER("euler"),
    EULER_K("euler_k"),
    EULER_A("euler_a"),
    DDIM("ddim"),
    DPMPP_2M("dpmpp_2m"),
    DPMPP_2M_K("dpmpp_2m_k"),
    LMS("lms"),
    LMS_K("lms_k"),
    PNDM("pndm"),
    HEUN("heun"),
    HEUN_K("heun_k");

    /** InvokeAI's other names: valid there, not implemented here. */
    private static final List<String> NOT_IMPLEMENTED = List.of("ddpm", "deis", "deis_k", "kdpm_2", "kdpm_2_k",
            "kdpm_2_a", "kdpm_2_a_k", "dpmpp_2s", "dpmpp_2s_k", "dpmpp_2m_sde", "dpmpp_2m_sde_k", "dpmpp_3m",
            "dpmpp_3m_k", "dpmpp_sde", "dpmpp_sde_k", "er_sde", "unipc", "unipc_k", "lcm", "tcd");

    private final String invokeName;

    SchedulerName(String invokeName) {
        this.invokeName = invokeName;
    }

    /** The InvokeAI name, e.g. {@code dpmpp_2m_k}. */
    public String invokeName() {
        return invokeName;
    }

    /** Looks a scheduler up by its InvokeAI name; unknown or unimplemented names are refused with a list. */
    public static SchedulerName parse(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        for (SchedulerName value : values()) {
            if (value.invokeName.equals(wanted)) {
                return value;
            }
        }
        String supported = Arrays.stream(values()).map(SchedulerName::invokeName).collect(Collectors.joining(", "));
        if (NOT_IMPLEMENTED.contains(wanted)) {
            throw new IllegalArgumentException("scheduler '" + name + "' is not implemented by this engine; use one of "
                    + supported);
        }
        throw new IllegalArgumentException("unknown scheduler '" + name + "'; use one of " + supported);
    }

    /**
     * A fresh scheduler for one run of {@code steps} steps. {@code seed} feeds the ancestral
     * scheduler's noise ({@code seed ^ 0xFFFFFFFF}, as InvokeAI).
     */
    public Scheduler create(SchedulerConfig config, int steps, long seed) {
        return create(new NoiseSchedule(config), steps, seed);
    }

    /** As {@link #create(SchedulerConfig, int, long)}, from a config's precomputed noise levels. */
    public Scheduler create(NoiseSchedule schedule, int steps, long seed) {
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be at least 1, not " + steps);
        }
        if (steps > schedule.trainSteps()) {
            throw new IllegalArgumentException("steps must be at most " + schedule.trainSteps() + ", not " + steps);
        }
        return switch (this) {
            case EULER -> EulerScheduler.create(schedule, steps, false);
            case EULER_K -> EulerScheduler.create(schedule, steps, true);
            case EULER_A -> EulerAncestralScheduler.create(schedule, steps, seed);
            case DDIM -> DdimScheduler.create(schedule, steps);
            case DPMPP_2M -> DpmSolverScheduler.create(schedule, steps, false);
            case DPMPP_2M_K -> DpmSolverScheduler.create(schedule, steps, true);
            case LMS -> LmsScheduler.create(schedule, steps, false);
            case LMS_K -> LmsScheduler.create(schedule, steps, true);
            case PNDM -> PndmScheduler.create(schedule, steps);
            case HEUN -> HeunScheduler.create(schedule, steps, false);
            case HEUN_K -> HeunScheduler.create(schedule, steps, true);
        };
    }
}
