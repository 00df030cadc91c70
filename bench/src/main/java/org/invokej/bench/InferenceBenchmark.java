package org.invokej.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.invokej.inference.EngineSettings;
import org.invokej.inference.GeneratedImage;
import org.invokej.inference.GenerationEngine;
import org.invokej.inference.GenerationRequest;
import org.invokej.inference.GenerationTimings;
import org.invokej.inference.onnx.OrtDevice;
import org.invokej.inference.ProgressListener;
import org.invokej.inference.schedulers.SchedulerName;
import org.invokej.inference.testmodels.TinyModels;

/**
 * Times the generation engine on the tiny generated models: 512x512, 20 steps, through the engine's
 * dispatch thread, after warm-up. Reports milliseconds per image and per step, and the share of
 * time spent outside ONNX Runtime's {@code run} calls, measured in the same runs.
 *
 * <p>Arguments: {@code [images (default 10)] [warm-up images (default 5)] [threads (default 0 = per core)]}.
 */
public final class InferenceBenchmark {
    /**
     * UNet width of the third model: the test-size UNet does so little per step that our fixed
     * per-step and per-image work dominates; a wider one shows the ratio closer to real models.
     */
    private static final int WIDE_FEATURES = 128;

    public static void main(String[] args) throws Exception {
        int images = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int warmUp = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        Path folder = Files.createTempDirectory("invokej-bench");
        try {
            Path fp32 = TinyModels.sd15().writeTo(folder.resolve("tiny-fp32"));
            Path fp16 = TinyModels.sd15().fp16().writeTo(folder.resolve("tiny-fp16"));
            Path wide = TinyModels.sd15().unetFeatures(WIDE_FEATURES).writeTo(folder.resolve("tiny-wide"));
            EngineSettings settings = new EngineSettings(OrtDevice.CPU, 1L << 30, threads, 2);
            try (GenerationEngine engine = new GenerationEngine(settings)) {
                System.out.printf("invokej inference benchmark: tiny models, 512x512, 20 steps, euler, cfg 7.5,"
                        + " %d images after %d warm-up, %d cores, intra-op threads %s%n", images, warmUp,
                        Runtime.getRuntime().availableProcessors(), threads == 0 ? "per core" : threads);
                run(engine, "fp32, test-size UNet (16 features)", fp32, images, warmUp);
                run(engine, "fp16, test-size UNet (16 features)", fp16, images, warmUp);
                run(engine, "fp32, wider UNet (" + WIDE_FEATURES + " features)", wide, images, warmUp);
            }
        } finally {
            try (var files = Files.walk(folder)) {
                files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void run(GenerationEngine engine, String label, Path model, int images, int warmUp)
            throws Exception {
        GenerationRequest base = GenerationRequest.textToImage(model, "a red fox in the snow, photograph", 0)
                .withScheduler(SchedulerName.EULER);
        for (int i = 0; i < warmUp; i++) {
            engine.submit(base.withSeed(1000 + i), ProgressListener.NONE).await();
        }
        List<GenerationTimings> timings = new ArrayList<>();
        long wallStart = System.nanoTime();
        for (int i = 0; i < images; i++) {
            GeneratedImage image = engine.submit(base.withSeed(i), ProgressListener.NONE).await();
            timings.add(image.timings());
        }
        long wall = System.nanoTime() - wallStart;
        double[] perImage = timings.stream().mapToDouble(t -> (t.total() - t.load()) / 1e6).sorted().toArray();
        long work = timings.stream().mapToLong(t -> t.total() - t.load()).sum();
        long ort = timings.stream().mapToLong(GenerationTimings::ortRun).sum();
        long denoising = timings.stream().mapToLong(GenerationTimings::denoising).sum();
        long steps = timings.stream().mapToLong(GenerationTimings::denoisingSteps).sum();
        long text = timings.stream().mapToLong(GenerationTimings::textEncoding).sum();
        long decoding = timings.stream().mapToLong(GenerationTimings::decoding).sum();
        System.out.printf("%n[%s]%n", label);
        System.out.printf("  ms/image           mean %7.1f   median %7.1f   min %7.1f   (wall, with dispatch: %.1f)%n",
                work / 1e6 / images, perImage[perImage.length / 2], perImage[0], wall / 1e6 / images);
        System.out.printf("  ms/step            %7.2f   (denoising only, CFG batch of 2)%n", denoising / 1e6 / steps);
        System.out.printf("  text encoding      %7.1f ms/image%n", text / 1e6 / images);
        long denoisingRun = timings.stream().mapToLong(GenerationTimings::denoisingOrtRun).sum();
        long decodingRun = timings.stream().mapToLong(GenerationTimings::decodingOrtRun).sum();
        System.out.printf("  denoising          %7.1f ms/image, of which outside ORT run %5.2f ms (%.0f us/step)%n",
                denoising / 1e6 / images, (denoising - denoisingRun) / 1e6 / images,
                (denoising - denoisingRun) / 1e3 / steps);
        System.out.printf("  decoding           %7.1f ms/image, of which outside ORT run %5.2f ms%n",
                decoding / 1e6 / images, (decoding - decodingRun) / 1e6 / images);
        System.out.printf("  inside ORT run     %7.1f %% of the total%n", 100.0 * ort / work);
        System.out.printf("  outside ORT run    %7.1f %% of the total (goal: under 3 %%)%n", 100.0 * (work - ort) / work);
        System.out.printf("  per-image totals   %s ms%n", Arrays.toString(Arrays.stream(perImage)
                .mapToObj(v -> String.format("%.0f", v)).toArray()));
    }
}
