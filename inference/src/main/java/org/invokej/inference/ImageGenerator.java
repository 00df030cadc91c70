package org.invokej.inference;

import java.awt.image.BufferedImage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Text-to-image, image-to-image and inpainting composed from the pipeline's stages, as the built-in UI's
 * graphs ({@code static/.../js/graph.js}, after InvokeAI's web UI) do: {@code compel} x2
 * ({@code sdxl_compel_prompt} for SDXL models), {@code noise}, ({@code img_resize} when the initial image is
 * not the requested size, {@code i2l}), {@code denoise_latents}, {@code l2i}.
 * Image-to-image denoises from {@code denoising_start = 1 - strength}. Inpainting adds what the UI's inpaint
 * branch adds, with its settings: {@code create_gradient_mask} (edge radius 16, Gaussian blur, minimum denoise
 * 0; for an inpainting UNet also the masked image's latents) into {@code denoise_latents.denoise_mask}, and
 * the decoded image laid over the initial one ({@code invokeai_img_blend}) through
 * {@code expand_mask_with_fade} (16 pixels) of the repainted area, so that what the mask keeps comes back
 * exactly. The pixel work is the nodes' own ({@link GradientMask}, {@link MaskFade}, {@link LayerBlend}).
 */
public final class ImageGenerator {
    /** The UI's {@code create_gradient_mask.edge_radius} and {@code expand_mask_with_fade.fade_size_px}. */
    private static final int EDGE_RADIUS = 16;
    private static final int FADE_SIZE = 16;

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
        BufferedImage base = null;
        GradientMask gradient = null;
        Latents maskedLatents = null;
        long imageEncoding = 0;
        if (request.isImageToImage()) {
            long t = System.nanoTime();
            base = resizedIfNeeded(request.initImage(), request);
            init = pipeline.encodeImage(model, DiffusionPipeline.resize(base, request.width(), request.height()), cancel);
            if (request.isInpainting()) {
                gradient = GradientMask.of(resizedIfNeeded(request.mask(), request), EDGE_RADIUS, "Gaussian Blur", 0);
                if (model.isInpaint()) {
                    maskedLatents = pipeline.encodeImage(model, gradient.maskedImage(base), cancel);
                }
            }
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
        // rounded as the UI sends it: 1 - 0.7 is 0.30000000000000004 in binary
        double denoisingStart = request.isImageToImage() ? Math.round((1 - request.strength()) * 1000) / 1000.0 : 0;
        Mask mask = gradient == null ? null : gradient.mask().resized(noise.height(), noise.width());
        int[] evaluations = new int[1];
        ProgressListener counting = progress -> {
            evaluations[0] = progress.step();
            listener.onProgress(progress);
        };
        Latents latents = pipeline.denoise(model, new DenoiseRequest(positive, negative, noise, init,
                request.scheduler(), request.steps(), List.of(request.cfgScale()), denoisingStart, 1.0,
                request.seed(), mask, mask != null, maskedLatents), counting, cancel);
        long denoising = System.nanoTime() - t;
        long runBeforeDecoding = model.runNanos();

        t = System.nanoTime();
        BufferedImage image = pipeline.decode(model, latents, cancel);
        if (gradient != null) {
            image = LayerBlend.normal(base, image, MaskFade.expand(gradient.expandedArea(), 0, FADE_SIZE), 1, false, true);
        }
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
        String mode = request.isInpainting() ? "inpaint" : request.isImageToImage() ? "img2img" : "txt2img";
        return new GenerationMetadata(model.isSdxl() ? "sdxl_" + mode : mode, request.prompt(),
                request.negativePrompt(), request.seed(), request.steps(), request.cfgScale(),
                request.scheduler().invokeName(), request.width(), request.height(), identifier,
                request.isImageToImage() ? request.strength() : null);
    }

    /** The image as the UI's graph has it: as it is at the requested size, else through {@code img_resize}. */
    private static BufferedImage resizedIfNeeded(BufferedImage image, GenerationRequest request) {
        return image.getWidth() == request.width() && image.getHeight() == request.height() ? image
                : Pixels.resized(image, request.width(), request.height());
    }
}
