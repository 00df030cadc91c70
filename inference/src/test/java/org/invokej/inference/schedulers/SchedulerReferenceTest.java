package org.invokej.inference.schedulers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.invokej.inference.schedulers.SchedulerConfig.PredictionType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every implemented scheduler against reference values computed independently in numpy from diffusers'
 * formulas ({@code src/test/python/scheduler_reference.py}, output in {@code schedulers/reference.json}):
 * timesteps, sigmas, the image-to-image start index, and a few denoising steps of a fixed latent under
 * a fixed stand-in for the UNet, with the reference's noise draws fed to the stochastic schedulers.
 */
class SchedulerReferenceTest {
    private static final JsonNode REFERENCE = load();

    private static JsonNode load() {
        try (InputStream in = SchedulerReferenceTest.class.getResourceAsStream("/schedulers/reference.json")) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (JsonNode c : REFERENCE.get("cases")) {
            cases.add(Arguments.of(c.get("scheduler").asText() + " " + c.get("steps").asInt() + " steps "
                    + c.get("prediction").asText() + " from " + c.get("denoising_start").asDouble(), c));
        }
        return cases.stream();
    }

    @Test
    void everyImplementedSchedulerHasReferenceCases() {
        List<String> covered = new ArrayList<>();
        REFERENCE.get("cases").forEach(c -> covered.add(c.get("scheduler").asText()));
        for (SchedulerName name : SchedulerName.available()) {
            assertTrue(covered.contains(name.invokeName()), name + " has no reference values");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesTheReference(String title, JsonNode c) {
        SchedulerName name = SchedulerName.parse(c.get("scheduler").asText());
        PredictionType prediction = c.get("prediction").asText().equals("epsilon")
                ? PredictionType.EPSILON
                : PredictionType.V_PREDICTION;
        SchedulerConfig config = new SchedulerConfig("PNDMScheduler", REFERENCE.get("train_steps").asInt(),
                REFERENCE.get("beta_start").asDouble(), REFERENCE.get("beta_end").asDouble(), "scaled_linear", null,
                REFERENCE.get("steps_offset").asInt(), REFERENCE.get("timestep_spacing").asText(), prediction, false,
                false, 1);
        ReplayedNoise noise = new ReplayedNoise(c.get("draws"));
        Scheduler scheduler = name.create(new NoiseSchedule(config), c.get("steps").asInt(), noise);

        double[] timesteps = scheduler.timesteps();
        assertClose(doubles(c.get("timesteps")), timesteps, 1e-4, "timesteps");
        if (c.has("sigmas")) {
            double[] expected = doubles(c.get("sigmas"));
            double[] actual = switch (scheduler) {
                case SigmaScheduler s -> s.sigmas();
                case SolverScheduler s -> s.sigmas();
                default -> throw new AssertionError(name + " has no sigma table");
            };
            // diffusers' KDPM2 tables carry two more trailing zeros than any step reads
            for (int i = actual.length; i < expected.length; i++) {
                assertEquals(0, expected[i], "sigma " + i);
            }
            double[] prefix = new double[actual.length];
            System.arraycopy(expected, 0, prefix, 0, actual.length);
            assertClose(prefix, actual, 1e-6 * expected[0], "sigmas");
        }

        int start = c.get("window_start").asInt();
        assertEquals(start, TimestepWindow.of(scheduler, 1000, c.get("denoising_start").asDouble(), 1).start(),
                "start index");
        float[] original = floats(c.get("original"));
        float[] sample = new float[original.length];
        scheduler.addNoise(original, floats(c.get("noise")), start, sample);
        JsonNode samples = c.get("samples");
        for (int k = 0; k < samples.size(); k++) {
            int index = start + k;
            float[] output = modelOutput(sample, scheduler.inputScale(index), timesteps[index]);
            scheduler.step(output, index, sample);
            double[] expected = doubles(samples.get(k));
            double scale = 0;
            for (double v : expected) {
                scale = Math.max(scale, Math.abs(v));
            }
            double[] actual = new double[sample.length];
            for (int i = 0; i < sample.length; i++) {
                actual[i] = sample[i];
            }
            assertClose(expected, actual, 1e-5 * Math.max(scale, 1e-3), "sample after index " + index);
        }
        assertEquals(c.get("draws").size(), noise.used, "noise draws");
    }

    /** The stand-in UNet of the reference script: {@code 0.4 x + 0.3 sin(0.7 i + 0.004 t)} of its scaled input. */
    private static float[] modelOutput(float[] sample, double scale, double timestep) {
        float[] out = new float[sample.length];
        for (int i = 0; i < sample.length; i++) {
            double x = sample[i] * (float) scale;
            out[i] = (float) (0.4 * x + 0.3 * Math.sin(0.7 * i + 0.004 * timestep));
        }
        return out;
    }

    private static void assertClose(double[] expected, double[] actual, double tolerance, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tolerance, what + " at " + i);
        }
    }

    private static double[] doubles(JsonNode array) {
        double[] values = new double[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).asDouble();
        }
        return values;
    }

    private static float[] floats(JsonNode array) {
        float[] values = new float[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) array.get(i).asDouble();
        }
        return values;
    }

    /** The reference's noise draws, in order; running out is a failure. */
    private static final class ReplayedNoise implements StepNoise {
        private final JsonNode draws;
        int used;

        ReplayedNoise(JsonNode draws) {
            this.draws = draws;
        }

        @Override
        public void fill(float[] out) {
            assertTrue(used < draws.size(), "more noise drawn than the reference draws");
            float[] draw = floats(draws.get(used++));
            System.arraycopy(draw, 0, out, 0, out.length);
        }
    }
}
