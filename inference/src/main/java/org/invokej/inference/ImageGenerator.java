package org.invokej.inference;

import java.awt.image.BufferedImage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Text-to-image and image-to-image composed from the pipeline's stages, as InvokeAI's web UI
 * graphs do: {@code compel} x2 ({@code sdxl_compel_prompt} for SDXL models), {@code noise}, ({@code i2l}),
 * {@code denoise_latents}, {@code l2i}.
 * Image-to-image denoises from {@code denoising_start = 1 - strength}.
 */
public final class ImageGenerator {
    private final DiffusionPipeline pipeline;

    public ImageGenerator(DiffusionPipeline pipeline) {
        this.pipeline = pipeline;
    }

    /** Makes the image; {@code loadNanos} is what loading the model took, for the timings. */
    public GeneratedImage generate(DiffusionModel model, GenerationRequest request, long loadNanos,
            ProgressListener listener, CancelToken cancel) {
        long start = System.nanoTime();
        long runBefore = model.runNanos();

        Latents init = null;
        long imageEncoding = 0;
        if (request.isImageToImage()) {
            long t = System.nanoTime();
            BufferedImage resized = DiffusionPipeline.resize(request.initImage(), request.width(), request.height());
            init = pipeline.encodeImage(model, resized, cancel);
            imageEncoding = System.nanoTime() - t;
        }

        long t = System.nanoTime();
        Conditioning positive;
        Conditioning negative;
        if (model.isSdxl()) {
            // as InvokeAI's SDXL graphs: the prompt is also the style prompt, sizes are the image's
            SdxlSizes sizes = SdxlSizes.of(request.width(), request.height());
            positive = pipeline.encodeSdxlPrompt(model, request.prompt(), request.prompt(), sizes, 0, 0, cancel);
            negative = pipeline.encodeSdxlPrompt(model, request.negativePrompt(), request.negativePrompt(), sizes, 0, 0,
                    cancel);
        } else {
            positive = pipeline.encodePrompt(model, request.prompt(), 0, cancel);
            negative = pipeline.encodePrompt(model, request.negativePrompt(), 0, cancel);
        }
        long textEncoding = System.nanoTime() - t;

        long runBeforeDenoising = model.runNanos();
        t = System.nanoTime();
        Latents noise = DiffusionPipeline.noise(request.seed(), request.width(), request.height());
        double denoisingStart = request.isImageToImage() ? 1 - request.strength() : 0;
        int[] evaluations = new int[1];
        ProgressListener counting = progress -> {
            evaluations[0] = progress.step();
            listener.onProgress(progress);
        };
        Latents latents = pipeline.denoise(model, new DenoiseRequest(positive, negative, noise, init,
                request.scheduler(), request.steps(), List.of(request.cfgScale()), denoisingStart, 1.0,
                request.seed()), counting, cancel);
        long denoising = System.nanoTime() - t;
        long runBeforeDecoding = model.runNanos();

        t = System.nanoTime();
        BufferedImage image = pipeline.decode(model, latents, cancel);
        long decoding = System.nanoTime() - t;

        long end = System.nanoTime();
        long runAfter = model.runNanos();
        GenerationTimings timings = new GenerationTimings(loadNanos, imageEncoding, textEncoding, denoising,
                evaluations[0], decoding, runAfter - runBefore, runBeforeDecoding - runBeforeDenoising,
                runAfter - runBeforeDecoding, end - start + loadNanos);
        return new GeneratedImage(image, metadata(model, request), timings);
    }

    private static GenerationMetadata metadata(DiffusionModel model, GenerationRequest request) {
        Map<String, Object> identifier = new LinkedHashMap<>();
        identifier.put("name", model.folder().name());
        identifier.put("type", "main");
        String mode = request.isImageToImage() ? "img2img" : "txt2img";
        return new GenerationMetadata(model.isSdxl() ? "sdxl_" + mode : mode, request.prompt(),
                request.negativePrompt(), request.seed(), request.steps(), request.cfgScale(),
                request.scheduler().invokeName(), request.width(), request.height(), identifier,
                request.isImageToImage() ? request.strength() : null);
    }
}
