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
                System.out.printf("invokej SDXL benchmark: tiny models (UNet %d features), %d images each after %d warm-up,"
                        + " interleaved, %d cores%n", features, images, warmUp, Runtime.getRuntime().availableProcessors());
                System.out.printf("%-34s %9s %14s %12s %10s%n", "", "ms/step", "outside us/st", "outside %", "ms/image");
                for (int size : new int[] {512, 1024}) {
                    List<GenerationRequest> configs = List.of(
                            request(sd15, size, SchedulerName.EULER, 20, 7.5),
                            request(sdxl, size, SchedulerName.EULER, 20, 7.5),
                            request(sdxl, size, SchedulerName.parse("lcm"), 4, 1.0));
                    List<Figures> figures = run(engine, configs, images, warmUp);
                    Figures one = figures.get(0);
                    Figures xl = figures.get(1);
                    Figures lcm = figures.get(2);
                    print("SD 1.5  " + size + "², 20 euler, cfg 7.5", one);
                    print("SDXL    " + size + "², 20 euler, cfg 7.5", xl);
                    print("SDXL    " + size + "², 4 lcm, cfg 1", lcm);
                    System.out.printf("  SDXL / SD 1.5 (20 euler): ms/step x%.2f, outside ORT per step x%.2f%n",
                            xl.msPerStep() / one.msPerStep(), xl.outsideUsPerStep() / one.outsideUsPerStep());
                    System.out.printf("  SDXL 4 lcm at cfg 1 / 20 euler at cfg 7.5: ms/image x%.2f, ms/step x%.2f%n",
                            lcm.msPerImage() / xl.msPerImage(), lcm.msPerStep() / xl.msPerStep());
                    System.out.flush();
                }
            }
        } finally {
            try (var files = Files.walk(folder)) {
                files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static GenerationRequest request(Path model, int size, SchedulerName scheduler, int steps, double cfg) {
        return new GenerationRequest(model, "a lighthouse on a cliff at dusk, photograph", "blurry", scheduler, steps, cfg, 0,
                size, size, null, 0);
    }

    private static void print(String label, Figures f) {
        System.out.printf("%-34s %9.2f %14.0f %11.2f%% %10.1f%n", label, f.msPerStep(), f.outsideUsPerStep(),
                100 * f.outsideShare(), f.msPerImage());
    }

    /** Each configuration's figures, its images interleaved with the others' so that they share the machine's load. */
    private static List<Figures> run(GenerationEngine engine, List<GenerationRequest> configs, int images, int warmUp)
            throws Exception {
        for (GenerationRequest config : configs) {
            for (int i = 0; i < warmUp; i++) {
                engine.submit(config.withSeed(1000 + i), ProgressListener.NONE).await();
            }
        }
        List<List<GenerationTimings>> timings = new ArrayList<>();
        configs.forEach(config -> timings.add(new ArrayList<>()));
        for (int i = 0; i < images; i++) {
            for (int c = 0; c < configs.size(); c++) {
                timings.get(c).add(engine.submit(configs.get(c).withSeed(i), ProgressListener.NONE).await().timings());
            }
        }
        List<Figures> figures = new ArrayList<>();
        for (List<GenerationTimings> t : timings) {
            long denoising = t.stream().mapToLong(GenerationTimings::denoising).sum();
            long denoisingRun = t.stream().mapToLong(GenerationTimings::denoisingOrtRun).sum();
            long stepCount = t.stream().mapToLong(GenerationTimings::denoisingSteps).sum();
            long work = t.stream().mapToLong(x -> x.total() - x.load()).sum();
            long ort = t.stream().mapToLong(GenerationTimings::ortRun).sum();
            figures.add(new Figures(denoising / 1e6 / stepCount, (denoising - denoisingRun) / 1e3 / stepCount,
                    (double) (work - ort) / work, work / 1e6 / images));
        }
        return figures;
    }
}
