package org.invokej.inference;

import org.invokej.inference.lora.LoraStack;
import org.invokej.inference.schedulers.SchedulerName;

import java.awt.image.BufferedImage;
import java.nio.file.Path;

/**
 * One image to make: text-to-image, image-to-image when {@code initImage} is given, inpainting when a
 * {@code mask} is given with it.
 *
 * @param seed taken modulo 2^32, as InvokeAI does
 * @param initImage the image to start from (resized to width x height), or null
 * @param strength for image-to-image, how much to change (0..1); ignored without an init image
 * @param loras LoRA files blended into the model's weights, with their weights
 * @param mask inpainting: an image of the init image's size whose white comes back as the init image
 *             has it and whose black is painted anew (grey between), or null
 */
public record GenerationRequest(Path model, String prompt, String negativePrompt, SchedulerName scheduler,
        int steps, double cfgScale, long seed, int width, int height, BufferedImage initImage, double strength, LoraStack loras,
        BufferedImage mask) {

    /** A request without a mask. */
    public GenerationRequest(Path model, String prompt, String negativePrompt, SchedulerName scheduler, int steps, double cfgScale,
                             long seed, int width, int height, BufferedImage initImage, double strength, LoraStack loras) {
        this(model, prompt, negativePrompt, scheduler, steps, cfgScale, seed, width, height, initImage, strength, loras, null);
    }

    /** A request without LoRAs. */
    public GenerationRequest(Path model, String prompt, String negativePrompt, SchedulerName scheduler, int steps, double cfgScale,
                             long seed, int width, int height, BufferedImage initImage, double strength) {
        this(model, prompt, negativePrompt, scheduler, steps, cfgScale, seed, width, height, initImage, strength, LoraStack.NONE);
    }

    public GenerationRequest {
        loras = loras == null ? LoraStack.NONE : loras;
        if (model == null) {
            throw new IllegalArgumentException("a model folder must be given");
        }
        prompt = prompt == null ? "" : prompt;
        negativePrompt = negativePrompt == null ? "" : negativePrompt;
        if (scheduler == null) {
            throw new IllegalArgumentException("a scheduler must be given");
        }
        if (steps < 1 || steps > 1000) {
            throw new IllegalArgumentException("steps must be within 1..1000, not " + steps);
        }
        if (!(cfgScale >= 1)) {
            throw new IllegalArgumentException("cfg scale must be at least 1, not " + cfgScale);
        }
        seed = Math.floorMod(seed, 1L << 32);
        DiffusionPipeline.requireImageSize(width, height);
        if (initImage != null && !(strength >= 0 && strength <= 1)) {
            throw new IllegalArgumentException("strength must be within 0..1, not " + strength);
        }
        if (mask != null && initImage == null) {
            throw new IllegalArgumentException("a mask needs an initial image to paint into");
        }
        // the built-in UI's rule: its graph resizes the two together, so they must match
        if (mask != null && (mask.getWidth() != initImage.getWidth() || mask.getHeight() != initImage.getHeight())) {
            throw new IllegalArgumentException("the mask is " + mask.getWidth() + " x " + mask.getHeight() + " but the initial image is "
                    + initImage.getWidth() + " x " + initImage.getHeight() + "; they must be the same size");
        }
    }

    /** A text-to-image request with InvokeAI's defaults for what is not given. */
    public static GenerationRequest textToImage(Path model, String prompt, long seed) {
        return new GenerationRequest(model, prompt, "", SchedulerName.EULER, 20, 7.5, seed, 512, 512, null, 0);
    }

    public boolean isImageToImage() {
        return initImage != null;
    }

    public boolean isInpainting() {
        return mask != null;
    }

    public GenerationRequest withScheduler(SchedulerName name) {
        return new GenerationRequest(model, prompt, negativePrompt, name, steps, cfgScale, seed, width, height,
                initImage, strength, loras, mask);
    }

    public GenerationRequest withSize(int newWidth, int newHeight) {
        return new GenerationRequest(model, prompt, negativePrompt, scheduler, steps, cfgScale, seed, newWidth,
                newHeight, initImage, strength, loras, mask);
    }

    public GenerationRequest withSteps(int newSteps) {
        return new GenerationRequest(model, prompt, negativePrompt, scheduler, newSteps, cfgScale, seed, width,
                height, initImage, strength, loras, mask);
    }

    public GenerationRequest withSeed(long newSeed) {
        return new GenerationRequest(model, prompt, negativePrompt, scheduler, steps, cfgScale, newSeed, width,
                height, initImage, strength, loras, mask);
    }

    public GenerationRequest withLoras(LoraStack newLoras) {
        return new GenerationRequest(model, prompt, negativePrompt, scheduler, steps, cfgScale, seed, width, height,
                initImage, strength, newLoras, mask);
    }

    public GenerationRequest withInitImage(BufferedImage image, double newStrength) {
        return new GenerationRequest(model, prompt, negativePrompt, scheduler, steps, cfgScale, seed, width, height,
                image, newStrength, loras, mask);
    }

    /** This request inpainting with {@code newMask} (null: none). */
    public GenerationRequest withMask(BufferedImage newMask) {
        return new GenerationRequest(model, prompt, negativePrompt, scheduler, steps, cfgScale, seed, width, height,
                initImage, strength, loras, newMask);
    }
}
