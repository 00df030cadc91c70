package org.invokej.inference.schedulers;

import org.invokej.inference.InvalidModelException;
import org.invokej.inference.TorchRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.IntStream;
import org.invokej.inference.schedulers.SchedulerConfig.PredictionType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Timestep and sigma tables against values worked out here, and every scheduler on an ideal denoiser. */
class SchedulerTest {
    private static final SchedulerConfig SD15 = SchedulerConfig.stableDiffusion15();

    @TempDir
    Path folder;

    /** SD's scaled_linear betas, cumulated, written out independently of the code under test. */
    private static double[] sd15AlphasCumprod() {
        double[] ac = new double[1000];
        double product = 1;
        double a = Math.sqrt(0.00085);
        double b = Math.sqrt(0.012);
        for (int i = 0; i < 1000; i++) {
            double root = a + (b - a) * i / 999.0;
            product *= 1 - root * root;
            ac[i] = product;
        }
        return ac;
    }

    private static double sd15Sigma(int t) {
        double ac = sd15AlphasCumprod()[t];
        return Math.sqrt((1 - ac) / ac);
    }

    private SchedulerConfig withSpacing(String spacing) {
        return new SchedulerConfig("PNDMScheduler", 1000, 0.00085, 0.012, "scaled_linear", null, 1, spacing,
                PredictionType.EPSILON, false, false, 1);
    }

    private static double[] descending(int first, int stride, int count) {
        return IntStream.range(0, count).mapToDouble(i -> first - i * stride).toArray();
    }

    @Test
    void sd15NoiseLevelsAreTheWellKnownOnes() {
        NoiseSchedule schedule = new NoiseSchedule(SD15);
        assertEquals(14.6146, schedule.sigmas[999], 1e-4);
        assertEquals(0.0292, schedule.sigmas[0], 1e-4);
    }

    @Test
    void ddimUsesLeadingSpacingWithStepsOffset() {
        assertArrayEquals(descending(951, 50, 20), SchedulerName.DDIM.create(SD15, 20, 0).timesteps());
    }

    @Test
    void pndmRepeatsTheSecondTimestep() {
        double[] expected = new double[21];
        expected[0] = 951;
        expected[1] = 901;
        System.arraycopy(descending(901, 50, 19), 0, expected, 2, 19);
        assertArrayEquals(expected, SchedulerName.PNDM.create(SD15, 20, 0).timesteps());
    }

    @Test
    void dpmSolverTimestepsFollowTheSpacing() {
        // leading (SD 1.5's PNDM default): (20..1) * (1000 // 21) + 1
        assertArrayEquals(descending(941, 47, 20), SchedulerName.DPMPP_2M.create(SD15, 20, 0).timesteps());
        // linspace: linspace(0, 999, 21).round()[::-1][:-1]; 499.5 rounds half to even
        double[] linspace = {999, 949, 899, 849, 799, 749, 699, 649, 599, 549, 500, 450, 400, 350, 300, 250, 200,
            150, 100, 50};
        assertArrayEquals(linspace, SchedulerName.DPMPP_2M.create(withSpacing("linspace"), 20, 0).timesteps());
    }

    @Test
    void eulerSigmasAreTheTrainingSigmasAtItsTimesteps() {
        EulerScheduler euler = (EulerScheduler) SchedulerName.EULER.create(SD15, 20, 0);
        assertArrayEquals(descending(951, 50, 20), euler.timesteps());
        double[] sigmas = euler.sigmas();
        assertEquals(21, sigmas.length);
        for (int i = 0; i < 20; i++) {
            assertEquals(sd15Sigma(951 - 50 * i), sigmas[i], 1e-9);
        }
        assertEquals(0, sigmas[20]);
        assertEquals(1 / Math.sqrt(sigmas[3] * sigmas[3] + 1), euler.inputScale(3), 1e-12);
    }

    @Test
    void eulerWithLinspaceSpacingInterpolatesBetweenTrainingSigmas() {
        EulerScheduler euler = (EulerScheduler) SchedulerName.EULER.create(withSpacing("linspace"), 4, 0);
        assertArrayEquals(new double[] {999, 666, 333, 0}, euler.timesteps(), 1e-4);
        assertEquals(sd15Sigma(999), euler.sigmas()[0], 1e-9);
        assertEquals(sd15Sigma(666), euler.sigmas()[1], 1e-6);
        // 10 steps: the second timestep is 999 * 8 / 9 = 888, a whole number; with 7 steps it is 832.5
        EulerScheduler seven = (EulerScheduler) SchedulerName.EULER.create(withSpacing("linspace"), 7, 0);
        assertEquals(832.5, seven.timesteps()[1], 1e-4);
        assertEquals((sd15Sigma(832) + sd15Sigma(833)) / 2, seven.sigmas()[1], 1e-6);
    }

    @Test
    void karrasSigmasRunFromTheLargestToTheSmallestSigmaWithRhoSeven() {
        double max = sd15Sigma(999);
        double min = sd15Sigma(0);
        DpmSolverScheduler dpm = (DpmSolverScheduler) SchedulerName.DPMPP_2M_K.create(SD15, 10, 0);
        double[] sigmas = dpm.sigmas();
        for (int i = 0; i < 10; i++) {
            double ramp = i / 9.0;
            double expected = Math.pow(Math.pow(max, 1 / 7.0) + ramp * (Math.pow(min, 1 / 7.0) - Math.pow(max, 1 / 7.0)), 7);
            // stored as float32, as diffusers stores them
            assertEquals(expected, sigmas[i], 1e-7 * expected);
        }
        assertEquals(0, sigmas[10]);
        double[] t = dpm.timesteps();
        assertEquals(999, t[0]);
        assertEquals(0, t[9]);
        // each timestep is where the training sigmas cross that sigma
        for (int i = 1; i < 9; i++) {
            int step = (int) t[i];
            assertTrue(sd15Sigma(step - 1) <= sigmas[i] && sigmas[i] <= sd15Sigma(step + 1), "t=" + step);
        }
        // euler_k starts from the sigmas of its own (leading) timesteps
        double[] euler = ((EulerScheduler) SchedulerName.EULER_K.create(SD15, 10, 0)).sigmas();
        assertEquals(sd15Sigma(901), euler[0], 1e-9);
        assertEquals(sd15Sigma(1), euler[9], 1e-9);
    }

    @Test
    void heunRepeatsEveryTimestepAfterTheFirst() {
        Scheduler heun = SchedulerName.HEUN.create(SD15, 4, 0);
        assertEquals(2, heun.order());
        assertArrayEquals(new double[] {751, 501, 501, 251, 251, 1, 1}, heun.timesteps());
    }

    @Test
    void lmsCoefficientsIntegrateTheLagrangeBasis() {
        LmsScheduler lms = (LmsScheduler) SchedulerName.LMS.create(SD15, 20, 0);
        double[] s = lms.sigmas();
        int index = 6;
        for (int current = 0; current < 4; current++) {
            // Simpson's rule on 2000 intervals
            int intervals = 2000;
            double a = s[index];
            double b = s[index + 1];
            double h = (b - a) / intervals;
            double sum = 0;
            for (int k = 0; k <= intervals; k++) {
                double tau = a + k * h;
                double basis = 1;
                for (int j = 0; j < 4; j++) {
                    if (j != current) {
                        basis *= (tau - s[index - j]) / (s[index - current] - s[index - j]);
                    }
                }
                sum += basis * (k == 0 || k == intervals ? 1 : k % 2 == 1 ? 4 : 2);
            }
            assertEquals(sum * h / 3, lms.coefficient(4, index, current), 1e-9);
        }
    }

    @Test
    void theWindowFollowsInvokeAisRule() {
        Scheduler euler = SchedulerName.EULER.create(SD15, 20, 0);
        assertEquals(new TimestepWindow(0, 20), TimestepWindow.of(euler, 1000, 0, 1));
        // strength 0.75: timesteps >= 750 (951..751, five of them) are skipped
        assertEquals(new TimestepWindow(5, 20), TimestepWindow.of(euler, 1000, 0.25, 1));
        // end 0.5: from index 5 keep those >= 500 (701..501)
        assertEquals(new TimestepWindow(5, 10), TimestepWindow.of(euler, 1000, 0.25, 0.5));
        assertTrue(TimestepWindow.of(euler, 1000, 1, 1).isEmpty());
        Scheduler heun = SchedulerName.HEUN.create(SD15, 4, 0);
        // every 2nd of [751, 501, 501, 251, 251, 1, 1] is [751, 501, 251, 1]; start 0.3 skips 751 -> index 2
        assertEquals(new TimestepWindow(2, 7), TimestepWindow.of(heun, 1000, 0.3, 1));
    }

    @Test
    void namesAreInvokeAisAndOthersAreRefused() {
        assertEquals(SchedulerName.DPMPP_2M_K, SchedulerName.parse("dpmpp_2m_k"));
        IllegalArgumentException notHere = assertThrows(IllegalArgumentException.class,
                () -> SchedulerName.parse("er_sde"));
        assertTrue(notHere.getMessage().contains("not implemented") && notHere.getMessage().contains("euler_a")
                && !notHere.getMessage().contains("er_sde,"));
        assertThrows(IllegalArgumentException.class, () -> SchedulerName.ER_SDE.create(SD15, 10, 0));
        assertEquals(31, SchedulerName.values().length);
        assertEquals("DPM++ 3M Karras", SchedulerName.parse("dpmpp_3m_k").label());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> SchedulerName.parse("fast"));
        assertTrue(unknown.getMessage().startsWith("unknown scheduler 'fast'"));
        assertThrows(IllegalArgumentException.class, () -> SchedulerName.EULER.create(SD15, 0, 0));
    }

    @Test
    void configFileKeysAndClassDefaultsAreRead() throws IOException {
        Path file = folder.resolve("scheduler_config.json");
        Files.writeString(file, """
                {"_class_name": "EulerDiscreteScheduler", "beta_schedule": "linear", "beta_start": 0.0001,
                 "beta_end": 0.02, "num_train_timesteps": 1000, "prediction_type": "v_prediction"}""");
        SchedulerConfig config = SchedulerConfig.read(file);
        assertEquals("linspace", config.timestepSpacing());
        assertEquals(PredictionType.V_PREDICTION, config.predictionType());
        assertEquals(0, config.stepsOffset());
        assertEquals(1 - 0.0001, config.alphasCumprod()[0], 1e-12);
        Files.writeString(file, "{\"_class_name\": \"PNDMScheduler\", \"beta_schedule\": \"cubic\"}");
        InvalidModelException e = assertThrows(InvalidModelException.class, () -> SchedulerConfig.read(file));
        assertTrue(e.getMessage().contains("scheduler_config.json") && e.getMessage().contains("cubic"));
    }

    /**
     * An ideal denoiser knows the clean latents x0 and answers each UNet call with the exact epsilon
     * (or v) for the sample it is shown; every scheduler must then land on x0.
     */
    static java.util.List<SchedulerName> implemented() {
        return SchedulerName.available();
    }

    @ParameterizedTest
    @MethodSource("implemented")
    void everySchedulerRecoversTheCleanLatentsFromAnIdealDenoiser(SchedulerName name) {
        for (PredictionType prediction : new PredictionType[] {PredictionType.EPSILON, PredictionType.V_PREDICTION}) {
            SchedulerConfig config = new SchedulerConfig("PNDMScheduler", 1000, 0.00085, 0.012, "scaled_linear",
                    null, 1, "leading", prediction, false, false, 1);
            for (double start : new double[] {0, 0.4}) {
                float[][] run = denoiseIdeally(name, config, 12, start);
                float[] result = run[0];
                float[] clean = clean();
                if (name == SchedulerName.DDIM || name == SchedulerName.PNDM || name == SchedulerName.DEIS
                        || name == SchedulerName.DEIS_K || name == SchedulerName.TCD) {
                    // their last step lands on timestep 0's noise level (set_alpha_to_one false; DEIS's final
                    // sigma is the smallest training sigma; TCD with eta 1 re-noises to timestep 0), not on 0,
                    // with the epsilon the start sample implies (TCD: the last evaluation's, after its fresh noise)
                    double ac = sd15AlphasCumprod()[0];
                    float[] epsilon = name == SchedulerName.TCD ? run[2] : run[1];
                    for (int i = 0; i < clean.length; i++) {
                        clean[i] = (float) (Math.sqrt(ac) * clean[i] + Math.sqrt(1 - ac) * epsilon[i]);
                    }
                }
                // PNDM's warm-up (the repeated timestep) sits at the head of its schedule; a late start
                // skips it and then runs one step behind, as in diffusers; and it mixes raw v outputs of
                // different timesteps before converting them. In those cases it only ends near x0
                boolean pndmApproximate = name == SchedulerName.PNDM
                        && (start > 0 || prediction == PredictionType.V_PREDICTION);
                double tolerance = pndmApproximate ? 0.05 : 2e-3;
                for (int i = 0; i < clean.length; i++) {
                    assertEquals(clean[i], result[i], tolerance, name + " " + prediction + " start " + start + " at " + i);
                }
            }
        }
    }

    private static float[] clean() {
        float[] x0 = new float[64];
        for (int i = 0; i < x0.length; i++) {
            x0[i] = (float) Math.sin(i * 0.7) * 0.8f;
        }
        return x0;
    }

    private static float[][] denoiseIdeally(SchedulerName name, SchedulerConfig config, int steps, double start) {
        double[] alphasCumprod = sd15AlphasCumprod();
        Scheduler scheduler = name.create(config, steps, 42);
        TimestepWindow window = TimestepWindow.of(scheduler, 1000, start, 1);
        float[] x0 = clean();
        float[] noise = new TorchRandom(3).randn(x0.length);
        float[] sample = new float[x0.length];
        scheduler.addNoise(start == 0 ? new float[x0.length] : x0, noise, window.start(), sample);
        double[] timesteps = scheduler.timesteps();
        float[] startEpsilon = null;
        float[] lastEpsilon = new float[x0.length];
        for (int index = window.start(); index < window.end(); index++) {
            double scale = scheduler.inputScale(index);
            double alpha;
            double sigma;
            if (scheduler instanceof SolverScheduler solver) {
                // the DPM-Solver family's noise level is its sigma table's, not that of the rounded timestep
                double level = solver.sigmas()[index];
                alpha = 1 / Math.sqrt(level * level + 1);
                sigma = level * alpha;
            } else if (scale != 1) { // samples at noise level sigma: the scale is the VP alpha
                alpha = scale;
                sigma = Math.sqrt(1 - alpha * alpha);
            } else {
                double ac = alphasCumprod[(int) timesteps[index]];
                alpha = Math.sqrt(ac);
                sigma = Math.sqrt(1 - ac);
            }
            float[] output = new float[x0.length];
            for (int i = 0; i < x0.length; i++) {
                double input = sample[i] * scale;
                double epsilon = (input - alpha * x0[i]) / sigma;
                output[i] = (float) (config.predictionType() == PredictionType.EPSILON
                        ? epsilon
                        : alpha * epsilon - sigma * x0[i]);
            }
            for (int i = 0; i < x0.length; i++) {
                lastEpsilon[i] = (float) ((sample[i] * scale - alpha * x0[i]) / sigma);
            }
            if (startEpsilon == null) {
                startEpsilon = new float[x0.length];
                for (int i = 0; i < x0.length; i++) {
                    startEpsilon[i] = (float) ((sample[i] * scale - alpha * x0[i]) / sigma);
                }
            }
            scheduler.step(output, index, sample);
        }
        return new float[][] {sample, startEpsilon, lastEpsilon};
    }
}
