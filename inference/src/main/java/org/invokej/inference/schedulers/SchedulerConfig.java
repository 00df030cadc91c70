package org.invokej.inference.schedulers;

import org.invokej.inference.InvalidModelException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The parts of a diffusers {@code scheduler/scheduler_config.json} the schedulers use.
 *
 * <p>InvokeAI loads the model's own scheduler class first and builds the chosen scheduler from that
 * object's config, so keys the file leaves out take the defaults of the file's {@code _class_name}
 * (for SD 1.x's PNDMScheduler: {@code timestep_spacing "leading"}), not of the chosen class.
 *
 * @param timestepSpacing {@code leading}, {@code linspace} or {@code trailing}
 * @param trainedBetas explicit betas, or null
 */
public record SchedulerConfig(
        String className,
        int numTrainTimesteps,
        double betaStart,
        double betaEnd,
        String betaSchedule,
        double[] trainedBetas,
        int stepsOffset,
        String timestepSpacing,
        PredictionType predictionType,
        boolean setAlphaToOne,
        boolean clipSample,
        double clipSampleRange) {

    /** What the UNet predicts. */
    public enum PredictionType {
        EPSILON, V_PREDICTION, SAMPLE;

        static PredictionType parse(String value, Path file) {
            return switch (value) {
                case "epsilon" -> EPSILON;
                case "v_prediction" -> V_PREDICTION;
                case "sample" -> SAMPLE;
                default -> throw new InvalidModelException(file + ": prediction_type '" + value
                        + "' is not one of epsilon, v_prediction, sample");
            };
        }
    }

    /** Stable Diffusion 1.5's own scheduler config. */
    public static SchedulerConfig stableDiffusion15() {
        return new SchedulerConfig("PNDMScheduler", 1000, 0.00085, 0.012, "scaled_linear", null, 1, "leading",
                PredictionType.EPSILON, false, false, 1.0);
    }

    /** Reads and checks a {@code scheduler_config.json}. */
    public static SchedulerConfig read(Path file) {
        JsonNode json;
        try {
            json = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new InvalidModelException(file + ": cannot be read as JSON (" + e.getMessage() + ")", e);
        }
        if (json == null || !json.isObject()) {
            throw new InvalidModelException(file + ": expected a JSON object");
        }
        String className = json.path("_class_name").asText("PNDMScheduler");
        int trainSteps = json.path("num_train_timesteps").asInt(1000);
        if (trainSteps < 2) {
            throw new InvalidModelException(file + ": num_train_timesteps must be at least 2, not " + trainSteps);
        }
        double[] trained = null;
        JsonNode trainedNode = json.path("trained_betas");
        if (trainedNode.isArray() && !trainedNode.isEmpty()) {
            trained = new double[trainedNode.size()];
            for (int i = 0; i < trained.length; i++) {
                trained[i] = trainedNode.get(i).asDouble();
            }
            trainSteps = trained.length;
        }
        String schedule = json.path("beta_schedule").asText("linear");
        if (trained == null && !schedule.equals("linear") && !schedule.equals("scaled_linear")
                && !schedule.equals("squaredcos_cap_v2")) {
            throw new InvalidModelException(file + ": beta_schedule '" + schedule
                    + "' is not supported (linear, scaled_linear, squaredcos_cap_v2)");
        }
        String spacing = json.hasNonNull("timestep_spacing")
                ? json.get("timestep_spacing").asText()
                : defaultSpacing(className);
        if (!spacing.equals("leading") && !spacing.equals("linspace") && !spacing.equals("trailing")) {
            throw new InvalidModelException(file + ": timestep_spacing '" + spacing
                    + "' is not one of leading, linspace, trailing");
        }
        return new SchedulerConfig(className, trainSteps,
                json.path("beta_start").asDouble(0.0001),
                json.path("beta_end").asDouble(0.02),
                schedule, trained,
                json.path("steps_offset").asInt(0),
                spacing,
                PredictionType.parse(json.path("prediction_type").asText("epsilon").toLowerCase(Locale.ROOT), file),
                json.path("set_alpha_to_one").asBoolean(!className.equals("PNDMScheduler")),
                json.path("clip_sample").asBoolean(className.equals("DDIMScheduler") || className.equals("DDPMScheduler")),
                json.path("clip_sample_range").asDouble(1.0));
    }

    private static String defaultSpacing(String className) {
        return switch (className) {
            case "PNDMScheduler", "DDIMScheduler", "DDPMScheduler", "LCMScheduler" -> "leading";
            default -> "linspace";
        };
    }

    /** {@code alphas_cumprod} over the training timesteps, as diffusers derives it from the betas. */
    public double[] alphasCumprod() {
        int n = numTrainTimesteps;
        double[] betas = new double[n];
        if (trainedBetas != null) {
            System.arraycopy(trainedBetas, 0, betas, 0, n);
        } else {
            switch (betaSchedule) {
                case "linear" -> {
                    for (int i = 0; i < n; i++) {
                        betas[i] = linspace(betaStart, betaEnd, n, i);
                    }
                }
                case "scaled_linear" -> {
                    for (int i = 0; i < n; i++) {
                        double b = linspace(Math.sqrt(betaStart), Math.sqrt(betaEnd), n, i);
                        betas[i] = b * b;
                    }
                }
                default -> { // squaredcos_cap_v2
                    for (int i = 0; i < n; i++) {
                        double t1 = (double) i / n;
                        double t2 = (double) (i + 1) / n;
                        betas[i] = Math.min(1 - cosineAlphaBar(t2) / cosineAlphaBar(t1), 0.999);
                    }
                }
            }
        }
        double[] cumprod = new double[n];
        double product = 1;
        for (int i = 0; i < n; i++) {
            product *= 1 - betas[i];
            cumprod[i] = product;
        }
        return cumprod;
    }

    private static double cosineAlphaBar(double t) {
        double c = Math.cos((t + 0.008) / 1.008 * Math.PI / 2);
        return c * c;
    }

    /** Element {@code i} of numpy's {@code linspace(start, stop, count)}, computed as numpy does. */
    static double linspace(double start, double stop, int count, int i) {
        if (count == 1) {
            return start;
        }
        if (i == count - 1) {
            return stop;
        }
        double step = (stop - start) / (count - 1);
        return start + i * step;
    }
}
