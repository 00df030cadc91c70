package org.invokej.inference.schedulers;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * InvokeAI's schedulers ({@code SchedulerName}), under its names and with the labels its web UI shows,
 * in the web UI's order; each implemented one has the math of the diffusers class InvokeAI maps it to.
 * This is the one list the API's validation, {@code invokej generate --help} and the built-in UI use.
 */
public enum SchedulerName {
    DDIM("ddim", "DDIM"),
    DDPM("ddpm", "DDPM"),
    DEIS("deis", "DEIS"),
    DEIS_K("deis_k", "DEIS Karras"),
    DPMPP_2S("dpmpp_2s", "DPM++ 2S"),
    DPMPP_2S_K("dpmpp_2s_k", "DPM++ 2S Karras"),
    DPMPP_2M("dpmpp_2m", "DPM++ 2M"),
    DPMPP_2M_K("dpmpp_2m_k", "DPM++ 2M Karras"),
    DPMPP_2M_SDE("dpmpp_2m_sde", "DPM++ 2M SDE"),
    DPMPP_2M_SDE_K("dpmpp_2m_sde_k", "DPM++ 2M SDE Karras"),
    DPMPP_3M("dpmpp_3m", "DPM++ 3M"),
    DPMPP_3M_K("dpmpp_3m_k", "DPM++ 3M Karras"),
    DPMPP_SDE("dpmpp_sde", "DPM++ SDE"),
    DPMPP_SDE_K("dpmpp_sde_k", "DPM++ SDE Karras"),
    ER_SDE("er_sde", "ER-SDE", false),
    EULER("euler", "Euler"),
    EULER_K("euler_k", "Euler Karras"),
    EULER_A("euler_a", "Euler Ancestral"),
    HEUN("heun", "Heun"),
    HEUN_K("heun_k", "Heun Karras"),
    KDPM_2("kdpm_2", "KDPM 2"),
    KDPM_2_K("kdpm_2_k", "KDPM 2 Karras"),
    KDPM_2_A("kdpm_2_a", "KDPM 2 Ancestral"),
    KDPM_2_A_K("kdpm_2_a_k", "KDPM 2 Ancestral Karras"),
    LCM("lcm", "LCM"),
    LMS("lms", "LMS"),
    LMS_K("lms_k", "LMS Karras"),
    PNDM("pndm", "PNDM"),
    TCD("tcd", "TCD"),
    UNIPC("unipc", "UniPC"),
    UNIPC_K("unipc_k", "UniPC Karras");

    private final String invokeName;
    private final String label;
    private final boolean implemented;

    SchedulerName(String invokeName, String label) {
        this(invokeName, label, true);
    }

    SchedulerName(String invokeName, String label, boolean implemented) {
        this.invokeName = invokeName;
        this.label = label;
        this.implemented = implemented;
    }

    /** The InvokeAI name, e.g. {@code dpmpp_3m_k}. */
    public String invokeName() {
        return invokeName;
    }

    /** The label InvokeAI's web UI shows, e.g. {@code DPM++ 3M Karras}. */
    public String label() {
        return label;
    }

    /** Whether this engine can run it; the others are refused by name, never replaced by another. */
    public boolean implemented() {
        return implemented;
    }

    /** The schedulers this engine runs, in list order. */
    public static List<SchedulerName> available() {
        return Arrays.stream(values()).filter(SchedulerName::implemented).toList();
    }

    /** Every InvokeAI name, implemented or not, in list order (what a model's default scheduler may be). */
    public static List<String> invokeNames() {
        return Arrays.stream(values()).map(SchedulerName::invokeName).toList();
    }

    /** The names of {@link #available()}, comma-separated (for help and error messages). */
    public static String availableNames() {
        return available().stream().map(SchedulerName::invokeName).collect(Collectors.joining(", "));
    }

    /** Looks a scheduler up by its InvokeAI name; unknown and unimplemented names are refused with the list. */
    public static SchedulerName parse(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        for (SchedulerName value : values()) {
            if (value.invokeName.equals(wanted)) {
                if (!value.implemented) {
                    throw new IllegalArgumentException("scheduler '" + name
                            + "' is not implemented by this engine; use one of " + availableNames());
                }
                return value;
            }
        }
        throw new IllegalArgumentException("unknown scheduler '" + name + "'; use one of " + availableNames());
    }

    /**
     * A fresh scheduler for one run of {@code steps} steps. {@code seed} feeds the stochastic
     * schedulers' noise ({@code seed ^ 0xFFFFFFFF}, as InvokeAI).
     */
    public Scheduler create(SchedulerConfig config, int steps, long seed) {
        return create(new NoiseSchedule(config), steps, StepNoise.seeded(seed));
    }

    /** As {@link #create(SchedulerConfig, int, long)}, from a config's precomputed noise levels. */
    public Scheduler create(NoiseSchedule schedule, int steps, long seed) {
        return create(schedule, steps, StepNoise.seeded(seed));
    }

    /** As {@link #create(NoiseSchedule, int, long)}, with the stochastic schedulers' noise given. */
    public Scheduler create(NoiseSchedule schedule, int steps, StepNoise noise) {
        if (!implemented) {
            throw new IllegalArgumentException("scheduler '" + invokeName + "' is not implemented by this engine;"
                    + " use one of " + availableNames());
        }
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be at least 1, not " + steps);
        }
        if (steps > schedule.trainSteps()) {
            throw new IllegalArgumentException("steps must be at most " + schedule.trainSteps() + ", not " + steps);
        }
        return switch (this) {
            case DDIM -> DdimScheduler.create(schedule, steps);
            case DDPM -> DdpmScheduler.create(schedule, steps, noise);
            case DEIS -> DeisScheduler.create(schedule, steps, false);
            case DEIS_K -> DeisScheduler.create(schedule, steps, true);
            case DPMPP_2S -> DpmSolverSinglestepScheduler.create(schedule, steps, false);
            case DPMPP_2S_K -> DpmSolverSinglestepScheduler.create(schedule, steps, true);
            case DPMPP_2M -> DpmSolverScheduler.create(schedule, steps, false, 2);
            case DPMPP_2M_K -> DpmSolverScheduler.create(schedule, steps, true, 2);
            case DPMPP_2M_SDE -> DpmSolverScheduler.createSde(schedule, steps, false, noise);
            case DPMPP_2M_SDE_K -> DpmSolverScheduler.createSde(schedule, steps, true, noise);
            case DPMPP_3M -> DpmSolverScheduler.create(schedule, steps, false, 3);
            case DPMPP_3M_K -> DpmSolverScheduler.create(schedule, steps, true, 3);
            case EULER -> EulerScheduler.create(schedule, steps, false);
            case EULER_K -> EulerScheduler.create(schedule, steps, true);
            case EULER_A -> EulerAncestralScheduler.create(schedule, steps, noise);
            case HEUN -> HeunScheduler.create(schedule, steps, false);
            case HEUN_K -> HeunScheduler.create(schedule, steps, true);
            case KDPM_2 -> KDpm2Scheduler.create(schedule, steps, false);
            case KDPM_2_K -> KDpm2Scheduler.create(schedule, steps, true);
            case KDPM_2_A -> KDpm2AncestralScheduler.create(schedule, steps, false, noise);
            case KDPM_2_A_K -> KDpm2AncestralScheduler.create(schedule, steps, true, noise);
            case LCM -> ConsistencyScheduler.create(schedule, steps, false, noise);
            case LMS -> LmsScheduler.create(schedule, steps, false);
            case LMS_K -> LmsScheduler.create(schedule, steps, true);
            case PNDM -> PndmScheduler.create(schedule, steps);
            case TCD -> ConsistencyScheduler.create(schedule, steps, true, noise);
            case UNIPC -> UniPcScheduler.create(schedule, steps, false);
            case UNIPC_K -> UniPcScheduler.create(schedule, steps, true);
            case DPMPP_SDE -> DpmSolverSdeScheduler.create(schedule, steps, false, noise);
            case DPMPP_SDE_K -> DpmSolverSdeScheduler.create(schedule, steps, true, noise);
            case ER_SDE -> throw new IllegalStateException("not implemented: " + invokeName);
        };
    }
}
