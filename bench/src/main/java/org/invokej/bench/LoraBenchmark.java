package org.invokej.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.invokej.inference.EngineSettings;
import org.invokej.inference.GenerationEngine;
import org.invokej.inference.GenerationRequest;
import org.invokej.inference.GenerationTimings;
import org.invokej.inference.ModelCache;
import org.invokej.inference.ProgressListener;
import org.invokej.inference.lora.LoraStack;
import ai.onnxruntime.OrtEnvironment;
import org.invokej.inference.onnx.OrtDevice;
import org.invokej.inference.onnx.SessionOpener;
import org.invokej.inference.schedulers.SchedulerName;
import org.invokej.inference.testmodels.TinyLoras;
import org.invokej.inference.testmodels.TinyModels;

/**
 * What a LoRA costs, on the tiny SD 1.5 and SDXL models, in the same run: building a model with LoRAs blended in
 * (reading the LoRA, changing the weights, writing the changed graph and opening its sessions) against loading the
 * model as it is; taking a built one from the cache; and generating with it against generating without (the
 * weights are baked into the sessions, so a step should cost the same).
 *
 * <p>Arguments: {@code [rounds (default 5)] [UNet features (default 128)]}.
 */
public final class LoraBenchmark {

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int features = args.length > 1 ? Integer.parseInt(args[1]) : 128;
        Path folder = Files.createTempDirectory("invokej-lora-bench");
        try {
            Path sd15 = TinyModels.sd15().unetFeatures(features).writeTo(folder.resolve("sd15"));
            Path sdxl = TinyModels.sdxl().unetFeatures(features).writeTo(folder.resolve("sdxl"));
            Path sd15Lora = TinyLoras.sd15(32).unetFeatures(features).writeTo(folder.resolve("sd15.safetensors"));
            Path sdxlLora = TinyLoras.sdxl().unetFeatures(features).writeTo(folder.resolve("sdxl.safetensors"));
            System.out.printf("invokej LoRA benchmark: tiny models (UNet %d features), %d rounds, %d cores%n", features, rounds,
                    Runtime.getRuntime().availableProcessors());
            EngineSettings settings = new EngineSettings(OrtDevice.CPU, 1L << 30, 0, 2);
            loads("SD 1.5", settings, sd15, sd15Lora, rounds);
            loads("SDXL", settings, sdxl, sdxlLora, rounds);
            try (GenerationEngine engine = new GenerationEngine(settings)) {
                steps("SD 1.5", engine, sd15, sd15Lora, rounds);
                steps("SDXL", engine, sdxl, sdxlLora, rounds);
            }
        } finally {
            try (var files = Files.walk(folder)) {
                files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Each round a fresh cache: the model as it is, then with the LoRA (a new weight each round), then that again. */
    private static void loads(String label, EngineSettings settings, Path model, Path lora, int rounds) {
        long plain = 0;
        long withLora = 0;
        long cached = 0;
        for (int i = -1; i < rounds; i++) { // round -1 warms up
            LoraStack stack = new LoraStack(List.of(new LoraStack.Applied(lora, 0.5 + i)));
            try (ModelCache cache = new ModelCache(new SessionOpener(OrtEnvironment.getEnvironment(), settings), settings.modelCacheBytes())) {
                long start = System.nanoTime();
                cache.acquire(model).close();
                long asItIs = System.nanoTime() - start;
                start = System.nanoTime();
                cache.acquire(model, stack).close();
                long built = System.nanoTime() - start;
                start = System.nanoTime();
                cache.acquire(model, stack).close();
                long again = System.nanoTime() - start;
                if (i >= 0) {
                    plain += asItIs;
                    withLora += built;
                    cached += again;
                }
            }
        }
        System.out.printf("%-7s load: as it is %.1f ms, with a LoRA %.1f ms (x%.2f), built one from the cache %.3f ms%n", label,
                plain / 1e6 / rounds, withLora / 1e6 / rounds, (double) withLora / plain, cached / 1e6 / rounds);
    }

    private static void steps(String label, GenerationEngine engine, Path model, Path lora, int rounds) throws Exception {
        GenerationRequest plain = new GenerationRequest(model, "a lighthouse on a cliff at dusk", "blurry", SchedulerName.EULER, 20, 7.5, 0,
                512, 512, null, 0);
        GenerationRequest withLora = plain.withLoras(new LoraStack(List.of(new LoraStack.Applied(lora, 0.8))));
        engine.submit(plain, ProgressListener.NONE).await();
        engine.submit(withLora, ProgressListener.NONE).await();
        double plainMs = 0;
        double loraMs = 0;
        for (int i = 0; i < rounds; i++) {
            plainMs += msPerStep(engine.submit(plain.withSeed(i), ProgressListener.NONE).await().timings());
            loraMs += msPerStep(engine.submit(withLora.withSeed(i), ProgressListener.NONE).await().timings());
        }
        System.out.printf("%-7s 512², 20 euler: %.2f ms/step as it is, %.2f ms/step with a LoRA (x%.3f)%n", label, plainMs / rounds,
                loraMs / rounds, loraMs / plainMs);
    }

    private static double msPerStep(GenerationTimings timings) {
        return timings.denoising() / 1e6 / timings.denoisingSteps();
    }
}
