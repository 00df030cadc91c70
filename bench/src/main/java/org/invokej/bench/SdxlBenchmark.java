package org.invokej.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.invokej.inference.EngineSettings;
import org.invokej.inference.GenerationEngine;
import org.invokej.inference.GenerationRequest;
import org.invokej.inference.GenerationTimings;
import org.invokej.inference.ProgressListener;
import org.invokej.inference.onnx.OrtDevice;
import org.invokej.inference.schedulers.SchedulerName;
import org.invokej.inference.testmodels.TinyModels;

/**
 * SD 1.5 against SDXL on the tiny generated models, in the same run: milliseconds per denoising step and
 * the engine's own time per step outside ONNX Runtime's {@code run}, at 512x512 and 1024x1024 (20 Euler
 * steps at CFG 7.5), and SDXL-Turbo/LCM-style 4 LCM steps at CFG 1 (one UNet evaluation per step). SDXL
 * feeds two more UNet inputs and encodes with two text encoders; the ratios show what that costs.
 *
 * <p>Arguments: {@code [images (default 4)] [warm-up images (default 2)] [UNet features (default 128)]}.
 */
public final class SdxlBenchmark {

    /** One configuration's figures. */
    private record Figures(double msPerStep, double outsideUsPerStep, double outsideShare, double msPerImage) {
    }

    public static void main(String[] args) throws Exception {
        int images = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        int warmUp = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int features = args.length > 2 ? Integer.parseInt(args[2]) : 128;
        Path folder = Files.createTempDirectory("invokej-sdxl-bench");
        try {
            Path sd15 = TinyModels.sd15().unetFeatures(features).writeTo(folder.resolve("sd15"));
            Path sdxl = TinyModels.sdxl().unetFeatures(features).writeTo(folder.resolve("sdxl"));
            try (GenerationEngine engine = new GenerationEngine(new EngineSettings(OrtDevice.CPU, 1L << 30, 0, 2))) {
                System.out.printf("invokej SDXL benchmark: tiny models (UNet %d features), %d images after %d warm-up, %d cores%n",
                        features, images, warmUp, Runtime.getRuntime().availableProcessors());
                System.out.printf("%-34s %9s %14s %12s %10s%n", "", "ms/step", "outside us/st", "outside %", "ms/image");
                for (int size : new int[] {512, 1024}) {
                    Figures one = run(engine, sd15, size, SchedulerName.EULER, 20, 7.5, images, warmUp);
                    Figures xl = run(engine, sdxl, size, SchedulerName.EULER, 20, 7.5, images, warmUp);
                    print("SD 1.5  " + size + "², 20 euler, cfg 7.5", one);
                    print("SDXL    " + size + "², 20 euler, cfg 7.5", xl);
                    System.out.printf("  SDXL / SD 1.5: ms/step x%.2f, outside ORT per step x%.2f%n",
                            xl.msPerStep() / one.msPerStep(), xl.outsideUsPerStep() / one.outsideUsPerStep());
                    Figures lcm = run(engine, sdxl, size, SchedulerName.parse("lcm"), 4, 1.0, images, warmUp);
                    print("SDXL    " + size + "², 4 lcm, cfg 1", lcm);
                    System.out.printf("  SDXL 4 lcm steps at cfg 1 / 20 euler at cfg 7.5: ms/image x%.2f, ms/step x%.2f%n",
                            lcm.msPerImage() / xl.msPerImage(), lcm.msPerStep() / xl.msPerStep());
                }
            }
        } finally {
            try (var files = Files.walk(folder)) {
                files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void print(String label, Figures f) {
        System.out.printf("%-34s %9.2f %14.0f %11.2f%% %10.1f%n", label, f.msPerStep(), f.outsideUsPerStep(),
                100 * f.outsideShare(), f.msPerImage());
    }

    private static Figures run(GenerationEngine engine, Path model, int size, SchedulerName scheduler, int steps, double cfg,
            int images, int warmUp) throws Exception {
        GenerationRequest base = new GenerationRequest(model, "a lighthouse on a cliff at dusk, photograph", "blurry", scheduler,
                steps, cfg, 0, size, size, null, 0);
        for (int i = 0; i < warmUp; i++) {
            engine.submit(base.withSeed(1000 + i), ProgressListener.NONE).await();
        }
        List<GenerationTimings> timings = new ArrayList<>();
        for (int i = 0; i < images; i++) {
            timings.add(engine.submit(base.withSeed(i), ProgressListener.NONE).await().timings());
        }
        long denoising = timings.stream().mapToLong(GenerationTimings::denoising).sum();
        long denoisingRun = timings.stream().mapToLong(GenerationTimings::denoisingOrtRun).sum();
        long stepCount = timings.stream().mapToLong(GenerationTimings::denoisingSteps).sum();
        long work = timings.stream().mapToLong(t -> t.total() - t.load()).sum();
        long ort = timings.stream().mapToLong(GenerationTimings::ortRun).sum();
        return new Figures(denoising / 1e6 / stepCount, (denoising - denoisingRun) / 1e3 / stepCount,
                (double) (work - ort) / work, work / 1e6 / images);
    }
}
