package org.invokej.inference;

import org.invokej.inference.onnx.NumericTensor;
import org.invokej.inference.onnx.OnnxPart;
import org.invokej.inference.schedulers.Scheduler;
import org.invokej.inference.schedulers.TimestepWindow;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.Set;

/**
 * The Stable Diffusion stages, one per InvokeAI node: {@link #encodePrompt} ({@code compel}),
 * {@link #noise} ({@code noise}), {@link #denoise} ({@code denoise_latents}), {@link #decode}
 * ({@code l2i}) and {@link #encodeImage} ({@code i2l}). Stages are stateless apart from the
 * model's sessions; a model is used by one stage at a time.
 */
public final class DiffusionPipeline {
    private final int previewInterval;

    public DiffusionPipeline(int previewInterval) {
        if (previewInterval < 1) {
            throw new IllegalArgumentException("preview interval must be at least 1: " + previewInterval);
        }
        this.previewInterval = previewInterval;
    }

    /**
     * The prompt's CLIP embeddings (tokenized to the model's 77 tokens; longer prompts are cut).
     * {@code clipSkip} must be 0: an ONNX text encoder cannot drop its last layers.
     */
    public Conditioning encodePrompt(DiffusionModel model, String prompt, int clipSkip, CancelToken cancel) {
        if (clipSkip != 0) {
            throw new IllegalArgumentException("clip_skip " + clipSkip + " is not supported for ONNX text encoders"
                    + " (the exported graph cannot skip layers); use 0");
        }
        cancel.check();
        int[] ids = model.tokenizer().encode(prompt == null ? "" : prompt);
        OrtSession.RunOptions options = begin(cancel);
        try {
            NumericTensor input = model.scratch.get("text.input_ids", model.idsType, 1, ids.length);
            input.writeInts(ids, 0);
            try (OrtSession.Result result = model.textEncoder.run(Map.of("input_ids", input.tensor()),
                    Set.of("last_hidden_state"), options)) {
                OnnxTensor hidden = (OnnxTensor) result.get("last_hidden_state").orElseThrow();
                long[] shape = hidden.getInfo().getShape();
                FloatBuffer values = hidden.getFloatBuffer();
                float[] embeddings = new float[values.remaining()];
                values.get(embeddings);
                return new Conditioning(embeddings, (int) shape[1], (int) shape[2]);
            }
        } catch (OrtException e) {
            throw failure(cancel, model.textEncoder, e);
        } finally {
            cancel.end(options);
        }
    }

    /**
     * SDXL's conditioning for a prompt, as InvokeAI's {@code sdxl_compel_prompt} makes it: the first
     * encoder's penultimate hidden states for {@code prompt}, concatenated per token with the second
     * encoder's for {@code style} (or {@code prompt} when the style is blank), the second encoder's pooled,
     * projected embedding, and the six size values. An empty text gives zeros, as InvokeAI's
     * {@code zero_on_empty} does. Clip skip must be 0 for both encoders: the pooled embedding comes from
     * the exported graph's last layer, which cannot be skipped.
     */
    public Conditioning encodeSdxlPrompt(DiffusionModel model, String prompt, String style, SdxlSizes sizes,
            int clipSkip, int clipSkip2, CancelToken cancel) {
        if (!model.isSdxl()) {
            throw new IllegalArgumentException(model.folder().root() + ": is not an SDXL model (it has no"
                    + " text_encoder_2); use the SD 1.5 prompt node (compel) with it");
        }
        if (clipSkip != 0 || clipSkip2 != 0) {
            throw new IllegalArgumentException("clip skip " + (clipSkip != 0 ? clipSkip : clipSkip2)
                    + " is not supported for ONNX text encoders (the exported graph cannot skip layers); use 0");
        }
        String first = prompt == null ? "" : prompt;
        String second = style == null || style.isBlank() ? first : style;
        cancel.check();
        int tokens = model.tokenizer().maxLength();
        float[] c1 = first.isEmpty() ? null : encodeHidden(model, model.textEncoder, model.tokenizer().encode(first),
                model.idsType, model.penultimate, null, cancel);
        float[][] c2AndPooled = new float[2][];
        if (!second.isEmpty()) {
            c2AndPooled[0] = encodeHidden(model, model.textEncoder2, model.tokenizer2().encode(second), model.idsType2,
                    model.penultimate2, c2AndPooled, cancel);
        }
        int width1 = (int) model.textEncoder.outputShape(model.penultimate)[2];
        int width2 = (int) model.textEncoder2.outputShape(model.penultimate2)[2];
        if (c1 != null) {
            width1 = c1.length / tokens;
        }
        if (c2AndPooled[0] != null) {
            width2 = c2AndPooled[0].length / tokens;
        }
        if (width1 <= 0 || width2 <= 0) {
            // an empty text with an encoder whose graph leaves its width open: the UNet says how wide
            int known = width1 > 0 ? width1 : width2 > 0 ? width2 : -1;
            long total = model.contextWidth();
            if (known < 0 || total <= known) {
                throw new InvalidModelException(model.folder().root() + ": cannot tell the text encoders' widths"
                        + " from their graphs to make an empty prompt's zeros");
            }
            if (width1 <= 0) {
                width1 = (int) (total - known);
            } else {
                width2 = (int) (total - known);
            }
        }
        int width = width1 + width2;
        float[] embeddings = new float[tokens * width];
        for (int t = 0; t < tokens; t++) {
            if (c1 != null) {
                System.arraycopy(c1, t * width1, embeddings, t * width, width1);
            }
            if (c2AndPooled[0] != null) {
                System.arraycopy(c2AndPooled[0], t * width2, embeddings, t * width + width1, width2);
            }
        }
        float[] pooled = c2AndPooled[1] != null ? c2AndPooled[1] : new float[model.pooledWidth];
        return new Conditioning(embeddings, tokens, width, pooled, sizes.timeIds());
    }

    /**
     * One text encoder's hidden states {@code output} for the ids, float32; with {@code pooledInto}, its
     * {@code text_embeds} too (into {@code pooledInto[1]}).
     */
    private static float[] encodeHidden(DiffusionModel model, OnnxPart encoder, int[] ids, ai.onnxruntime.OnnxJavaType idsType,
            String output, float[][] pooledInto, CancelToken cancel) {
        OrtSession.RunOptions options = begin(cancel);
        String role = encoder == model.textEncoder ? "text.input_ids" : "text2.input_ids";
        try {
            NumericTensor input = model.scratch.get(role, idsType, 1, ids.length);
            input.writeInts(ids, 0);
            Set<String> outputs = pooledInto == null ? Set.of(output) : Set.of(output, "text_embeds");
            try (OrtSession.Result result = encoder.run(Map.of("input_ids", input.tensor()), outputs, options)) {
                if (pooledInto != null) {
                    pooledInto[1] = floats((OnnxTensor) result.get("text_embeds").orElseThrow());
                }
                return floats((OnnxTensor) result.get(output).orElseThrow());
            }
        } catch (OrtException e) {
            throw failure(cancel, encoder, e);
        } finally {
            cancel.end(options);
        }
    }

    private static float[] floats(OnnxTensor tensor) {
        FloatBuffer values = tensor.getFloatBuffer();
        float[] copy = new float[values.remaining()];
        values.get(copy);
        return copy;
    }

    /**
     * Standard normal starting noise {@code [4, height/8, width/8]} for a seed, as torch's CPU
     * generator makes it ({@link TorchRandom}); the seed is taken modulo 2^32.
     */
    public static Latents noise(long seed, int width, int height) {
        requireImageSize(width, height);
        int h = height / 8;
        int w = width / 8;
        return new Latents(new TorchRandom(seed).randn(4 * h * w), 4, h, w);
    }

    /** Refuses image sizes that are not positive multiples of 8. */
    public static void requireImageSize(int width, int height) {
        if (width <= 0 || width % 8 != 0) {
            throw new IllegalArgumentException("width " + width + " is not a positive multiple of 8");
        }
        if (height <= 0 || height % 8 != 0) {
            throw new IllegalArgumentException("height " + height + " is not a positive multiple of 8");
        }
    }

    /**
     * Runs the UNet over the scheduler's timestep window with classifier-free guidance (negative and
     * positive conditioning in one batch of 2 per step). The start latents (zeros for text-to-image)
     * are noised to the window's first timestep. Tensors are allocated once and reused every step.
     */
    public Latents denoise(DiffusionModel model, DenoiseRequest request, ProgressListener listener,
            CancelToken cancel) {
        cancel.check();
        Latents shape = request.shapeSource();
        int channels = shape.channels();
        int h = shape.height();
        int w = shape.width();
        int n = channels * h * w;
        Scheduler scheduler = request.scheduler().create(model.noiseSchedule, request.steps(), request.seed());
        int trainSteps = model.schedulerConfig().numTrainTimesteps();
        TimestepWindow window = TimestepWindow.of(scheduler, trainSteps, request.denoisingStart(),
                request.denoisingEnd());
        float[] start = request.latents() != null ? request.latents().data() : new float[n];
        if (window.isEmpty()) {
            return new Latents(start.clone(), channels, h, w);
        }
        float[] sample = new float[n];
        if (request.noise() != null) {
            scheduler.addNoise(start, request.noise().data(), window.start(), sample);
        } else {
            System.arraycopy(start, 0, sample, 0, n);
        }
        // an inpainting UNet sees the mask and the masked image itself, so the steps are not guided
        // (InvokeAI guides only ordinary UNets); both restore the kept part after the last step
        boolean inpaintUnet = model.isInpaint();
        MaskGuidance guidance = request.mask() == null ? null
                : new MaskGuidance(scheduler, start, request.noise() != null ? request.noise().data()
                        : new TorchRandom(request.seed()).randn(n), request.mask(), request.gradientMask(), channels,
                        trainSteps);
        float[] inpaintChannels = inpaintUnet ? inpaintChannels(request, start, channels, h * w) : null;
        int inChannels = inpaintUnet ? model.unetChannels : channels;
        double[] timesteps = scheduler.timesteps();
        long[] timestepShape = model.timestepInfo.getShape().length == 0
                ? new long[0]
                : new long[] {Math.max(1, model.timestepInfo.getShape()[0])};
        Conditioning positive = request.positive();
        requireConditioningFits(model, positive);
        // at guidance 1 the guided prediction is the positive one: one UNet batch of 1 instead of 2
        // (SDXL-Turbo and LCM run like this), so the unconditional half is not computed
        boolean unguided = request.unguided();
        int batch = unguided ? 1 : 2;
        String roles = unguided ? "unet1." : "unet.";
        OrtSession.RunOptions options = begin(cancel);
        try {
            NumericTensor input = model.scratch.get(roles + "sample", model.unetType, batch, inChannels, h, w);
            int perItem = inChannels * h * w;
            if (inpaintChannels != null) {
                for (int item = 0; item < batch; item++) {
                    input.write(inpaintChannels, item * perItem + n);
                }
            }
            NumericTensor timestep = model.scratch.get("unet.timestep", model.timestepInfo.type, timestepShape);
            NumericTensor context = model.scratch.get(roles + "encoder_hidden_states", model.unetType, batch,
                    positive.tokens(), positive.width());
            NumericTensor output = model.scratch.get(roles + "out_sample", model.unetType, batch, channels, h, w);
            Map<String, OnnxTensor> feeds = new java.util.HashMap<>(Map.of("sample", input.tensor(), "timestep",
                    timestep.tensor(), "encoder_hidden_states", context.tensor()));
            writeBatch(context, request.negative().embeddings(), positive.embeddings(), unguided);
            if (model.isSdxl()) {
                NumericTensor textEmbeds = model.scratch.get(roles + "text_embeds", model.textEmbedsType, batch,
                        positive.pooled().length);
                NumericTensor timeIds = model.scratch.get(roles + "time_ids", model.timeIdsType, batch,
                        positive.timeIds().length);
                writeBatch(textEmbeds, request.negative().pooled(), positive.pooled(), unguided);
                writeBatch(timeIds, request.negative().timeIds(), positive.timeIds(), unguided);
                feeds.put("text_embeds", textEmbeds.tensor());
                feeds.put("time_ids", timeIds.tensor());
            }
            Map<String, OnnxTensor> outputs = Map.of("out_sample", output.tensor());
            float[] scaled = new float[n];
            float[] unconditional = new float[n];
            float[] guided = new float[n];
            int total = window.length();
            for (int index = window.start(); index < window.end(); index++) {
                cancel.check();
                if (guidance != null && !inpaintUnet) {
                    guidance.apply(sample, index, timesteps[index]);
                }
                float scale = (float) scheduler.inputScale(index);
                for (int i = 0; i < n; i++) {
                    scaled[i] = sample[i] * scale;
                }
                input.write(scaled, 0);
                if (!unguided) {
                    input.write(scaled, perItem);
                }
                timestep.fill(timesteps[index]);
                model.unet.run(feeds, outputs, options);
                if (unguided) {
                    output.read(0, guided, 0, n);
                } else {
                    output.read(0, unconditional, 0, n);
                    output.read(n, guided, 0, n);
                    float cfg = (float) request.cfgAt(index / scheduler.order());
                    for (int i = 0; i < n; i++) {
                        guided[i] = unconditional[i] + cfg * (guided[i] - unconditional[i]);
                    }
                }
                scheduler.step(guided, index, sample);
                int done = index - window.start() + 1;
                LatentPreview preview = done % previewInterval == 0 || done == total
                        ? new LatentPreview(sample.clone(), h, w)
                        : null;
                listener.onProgress(new Progress(done, total, preview));
            }
            if (guidance != null) {
                guidance.restore(sample);
            }
            return new Latents(sample, channels, h, w);
        } catch (OrtException e) {
            throw failure(cancel, model.unet, e);
        } finally {
            cancel.end(options);
        }
    }

    /**
     * The channels an inpainting UNet takes after the latents, as InvokeAI's {@code AddsMaskLatents} adds
     * them: the mask with 1 where painted anew (all ones without a mask), then the masked image's latents
     * (given, or the start latents where the mask keeps them and zeros elsewhere; zeros without a mask).
     */
    private static float[] inpaintChannels(DenoiseRequest request, float[] start, int channels, int plane) {
        float[] out = new float[(1 + channels) * plane];
        Mask mask = request.mask();
        for (int i = 0; i < plane; i++) {
            out[i] = mask == null ? 1 : 1 - mask.values()[i];
        }
        if (request.maskedLatents() != null) {
            System.arraycopy(request.maskedLatents().data(), 0, out, plane, channels * plane);
        } else if (mask != null && request.latents() != null) {
            for (int i = 0; i < channels * plane; i++) {
                out[plane + i] = mask.values()[i % plane] < 0.5f ? 0 : start[i];
            }
        }
        return out;
    }

    /**
     * Inpainting with an ordinary UNet, as InvokeAI's {@code AddsMaskGuidance}: before each step the places
     * to keep are set back to the original latents noised to that step's level (the same noise every
     * step: multistep schedulers get confused by fresh noise), and after the last step to the original
     * latents themselves. A gradient mask keeps a place until the step at which its value falls below
     * the step's timestep / training steps.
     */
    private static final class MaskGuidance {
        private final Scheduler scheduler;
        private final float[] original;
        private final float[] noise;
        /** InvokeAI's {@code 1 - mask}: 1 where painted anew. */
        private final float[] paint;
        private final boolean gradient;
        private final int plane;
        private final int trainSteps;
        private final float[] noised;

        MaskGuidance(Scheduler scheduler, float[] original, float[] noise, Mask mask, boolean gradient, int channels,
                int trainSteps) {
            this.scheduler = scheduler;
            this.original = original;
            this.noise = noise;
            this.paint = new float[mask.values().length];
            for (int i = 0; i < paint.length; i++) {
                paint[i] = 1 - mask.values()[i];
            }
            this.gradient = gradient;
            this.plane = paint.length;
            this.trainSteps = trainSteps;
            this.noised = new float[plane * channels];
        }

        void apply(float[] sample, int index, double timestep) {
            scheduler.addNoise(original, noise, index, noised);
            float threshold = (float) (timestep / trainSteps);
            for (int i = 0; i < sample.length; i++) {
                float m = paint[i % plane];
                if (gradient) {
                    sample[i] = m > threshold ? sample[i] : noised[i];
                } else {
                    sample[i] = noised[i] + m * (sample[i] - noised[i]);
                }
            }
        }

        void restore(float[] sample) {
            for (int i = 0; i < sample.length; i++) {
                float m = paint[i % plane];
                if (gradient) {
                    sample[i] = m > 0 ? sample[i] : original[i];
                } else {
                    sample[i] = original[i] + m * (sample[i] - original[i]);
                }
            }
        }
    }

    /** Negative then positive (one UNet batch), or the positive alone when unguided. */
    private static void writeBatch(NumericTensor tensor, float[] negative, float[] positive, boolean unguided) {
        if (unguided) {
            tensor.write(positive, 0);
        } else {
            tensor.write(negative, 0);
            tensor.write(positive, negative.length);
        }
    }

    /** Refuses conditioning made for another kind of model, before ONNX Runtime would with a cryptic message. */
    private static void requireConditioningFits(DiffusionModel model, Conditioning conditioning) {
        if (model.isSdxl() && !conditioning.isSdxl()) {
            throw new IllegalArgumentException(model.folder().name() + " is an SDXL model: its UNet needs SDXL"
                    + " conditioning (sdxl_compel_prompt), not SD 1.x conditioning (compel)");
        }
        if (!model.isSdxl() && conditioning.isSdxl()) {
            throw new IllegalArgumentException(model.folder().name() + " is not an SDXL model: it needs SD 1.x"
                    + " conditioning (compel), not SDXL conditioning (sdxl_compel_prompt)");
        }
        if (model.contextWidth() > 0 && conditioning.width() != model.contextWidth()) {
            throw new IllegalArgumentException("the conditioning is " + conditioning.width() + " wide but "
                    + model.folder().name() + "'s UNet takes " + model.contextWidth()
                    + " (was it made with another model's text encoder?)");
        }
        if (model.isSdxl() && model.pooledWidth > 0 && conditioning.pooled().length != model.pooledWidth) {
            throw new IllegalArgumentException("the pooled embedding is " + conditioning.pooled().length
                    + " wide but " + model.folder().name() + "'s UNet takes " + model.pooledWidth);
        }
    }

    /** The image the VAE decodes from latents (divided by the model's VAE scaling factor first). */
    public BufferedImage decode(DiffusionModel model, Latents latents, CancelToken cancel) {
        cancel.check();
        float scale = (float) (1 / model.folder().vaeScalingFactor());
        float[] scaled = new float[latents.data().length];
        for (int i = 0; i < scaled.length; i++) {
            scaled[i] = latents.data()[i] * scale;
        }
        long[] declared = model.vaeDecoder.outputShape("sample");
        long[] shape = {1, 3, latents.imageHeight(), latents.imageWidth()};
        for (int d = 1; d < 4; d++) {
            if (declared[d] > 0) {
                shape[d] = declared[d];
            }
        }
        if (shape[1] != 3) {
            throw new InvalidModelException(model.vaeDecoder.file() + ": output 'sample' has " + shape[1]
                    + " channels; expected 3 (RGB)");
        }
        OrtSession.RunOptions options = begin(cancel);
        try {
            NumericTensor input = model.scratch.get("vae_decoder.latent_sample", model.decoderType, 1,
                    latents.channels(), latents.height(), latents.width());
            NumericTensor output = model.scratch.get("vae_decoder.sample", model.decoderOutputType, shape);
            input.write(scaled, 0);
            // the decoder writes straight into our buffer (pinned output): no copy of the image tensor
            model.vaeDecoder.run(Map.of("latent_sample", input.tensor()), Map.of("sample", output.tensor()),
                    options);
            return toImage(output, (int) shape[2], (int) shape[3]);
        } catch (OrtException e) {
            throw failure(cancel, model.vaeDecoder, e);
        } finally {
            cancel.end(options);
        }
    }

    /**
     * Latents of an image by the VAE encoder, times the VAE scaling factor. Exports that give the
     * posterior's parameters ({@code latent_parameters}) are reduced to its mean, so that this is
     * deterministic; InvokeAI samples the posterior instead.
     */
    public Latents encodeImage(DiffusionModel model, BufferedImage image, CancelToken cancel) {
        if (!model.canEncodeImages()) {
            throw new IllegalArgumentException(model.folder().root()
                    + ": has no vae_encoder/model.onnx, which image-to-image needs");
        }
        requireImageSize(image.getWidth(), image.getHeight());
        cancel.check();
        int width = image.getWidth();
        int height = image.getHeight();
        float[] pixels = fromImage(image);
        OrtSession.RunOptions options = begin(cancel);
        try {
            NumericTensor input = model.scratch.get("vae_encoder.sample", model.encoderType, 1, 3, height, width);
            input.write(pixels, 0);
            try (OrtSession.Result result = model.vaeEncoder.run(Map.of("sample", input.tensor()),
                    Set.of(model.encoderOutput), options)) {
                OnnxTensor latent = (OnnxTensor) result.get(model.encoderOutput).orElseThrow();
                long[] shape = latent.getInfo().getShape();
                int h = (int) shape[2];
                int w = (int) shape[3];
                FloatBuffer values = latent.getFloatBuffer();
                float[] data = new float[4 * h * w];
                values.get(data); // the first 4 channels: the sample, or the posterior's mean
                float factor = (float) model.folder().vaeScalingFactor();
                for (int i = 0; i < data.length; i++) {
                    data[i] *= factor;
                }
                return new Latents(data, 4, h, w);
            }
        } catch (OrtException e) {
            throw failure(cancel, model.vaeEncoder, e);
        } finally {
            cancel.end(options);
        }
    }

    /** The image resized (bicubic) to the given size, or itself if it has that size. */
    public static BufferedImage resize(BufferedImage image, int width, int height) {
        if (image.getWidth() == width && image.getHeight() == height && image.getType() == BufferedImage.TYPE_INT_RGB) {
            return image;
        }
        BufferedImage resized = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = resized.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION,
                    RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            g.drawImage(image, 0, 0, width, height, null);
        } finally {
            g.dispose();
        }
        return resized;
    }

    /** Packs a [1, 3, H, W] tensor into RGB pixels, row by row (no copy of the whole tensor). */
    private static BufferedImage toImage(NumericTensor chw, int height, int width) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] pixels = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        int plane = height * width;
        float[] red = new float[width];
        float[] green = new float[width];
        float[] blue = new float[width];
        for (int y = 0; y < height; y++) {
            int row = y * width;
            chw.read(row, red, 0, width);
            chw.read(plane + row, green, 0, width);
            chw.read(2 * plane + row, blue, 0, width);
            packRow(red, green, blue, pixels, row);
        }
        return image;
    }

    /** One row of pixels; branch-free so that the JIT vectorises it (about 4x faster than with branches). */
    private static void packRow(float[] red, float[] green, float[] blue, int[] pixels, int offset) {
        for (int x = 0; x < red.length; x++) {
            pixels[offset + x] = (toByte(red[x]) << 16) | (toByte(green[x]) << 8) | toByte(blue[x]);
        }
    }

    /** diffusers: (x / 2 + 0.5).clamp(0, 1) * 255, rounded half up: x * 127.5 + 128, truncated, clamped. */
    private static int toByte(float value) {
        return Math.min(255, Math.max(0, (int) (value * 127.5f + 128f)));
    }

    /** RGB pixels to a CHW tensor in [-1, 1]. */
    private static float[] fromImage(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        int plane = width * height;
        int[] rgb = image.getType() == BufferedImage.TYPE_INT_RGB
                ? ((DataBufferInt) image.getRaster().getDataBuffer()).getData()
                : image.getRGB(0, 0, width, height, null, 0, width);
        float[] chw = new float[3 * plane];
        for (int p = 0; p < plane; p++) {
            chw[p] = ((rgb[p] >> 16) & 0xff) / 127.5f - 1;
            chw[plane + p] = ((rgb[p] >> 8) & 0xff) / 127.5f - 1;
            chw[2 * plane + p] = (rgb[p] & 0xff) / 127.5f - 1;
        }
        return chw;
    }

    private static OrtSession.RunOptions begin(CancelToken cancel) {
        try {
            return cancel.begin();
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime cannot create run options: " + e.getMessage(), e);
        }
    }

    /** A failed run: cancelled if the token says so, else an error naming the graph. */
    private static RuntimeException failure(CancelToken cancel, OnnxPart part, OrtException e) {
        if (cancel.isCancelled()) {
            return new GenerationCancelledException();
        }
        return new InferenceException(part.file() + ": ONNX Runtime failed to run it: " + e.getMessage(), e);
    }
}
