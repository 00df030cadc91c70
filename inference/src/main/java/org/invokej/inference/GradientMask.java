package org.invokej.inference;

import java.awt.image.BufferedImage;

/**
 * What InvokeAI's {@code create_gradient_mask} makes of a mask image (white keeps, black is painted anew):
 * the mask blurred outwards by the edge radius so that the seam is repainted less and less, as a gradient
 * mask (each value says from which step on its place is painted, never less than the minimum denoise),
 * trimmed to a multiple of 8; and the whole repainted area as an image (black where anything is painted),
 * for the paste back. The node and {@link ImageGenerator}'s inpainting share it.
 *
 * @param mask the gradient mask, 1 keeps
 * @param expandedArea black where the mask is below 1, white elsewhere, at the mask's size
 */
public record GradientMask(Mask mask, BufferedImage expandedArea) {

    /** The coherence modes InvokeAI offers; "Gaussian Blur" is its default. */
    public static final java.util.List<String> COHERENCE_MODES = java.util.List.of("Gaussian Blur", "Box Blur", "Staged");

    /** The gradient mask of a mask image. */
    public static GradientMask of(BufferedImage maskImage, long edgeRadius, String coherenceMode, double minimumDenoise) {
        int width = maskImage.getWidth();
        int height = maskImage.getHeight();
        int[] luminance = new int[width * height];
        float[] grey = Mask.ofImage(maskImage).values();
        for (int i = 0; i < grey.length; i++) {
            luminance[i] = Math.round(grey[i] * 255);
        }
        int[] blurred = edgeRadius == 0 ? luminance
                : coherenceMode.equals("Box Blur") ? MaskBlur.box(luminance, width, height, edgeRadius)
                : MaskBlur.gaussian(luminance, width, height, edgeRadius / 2.0);
        Mask mask = onGrid(blurred, width, height);
        float[] values = mask.values();
        if (edgeRadius > 0) {
            // the original edge becomes 0 and the blur reaches 1 outwards; the coherence band gets at least the minimum
            float threshold = (float) (1 - minimumDenoise);
            for (int i = 0; i < values.length; i++) {
                float v = Math.max(0, (values[i] - 0.5f) * 2);
                boolean band = coherenceMode.equals("Staged") ? v > 0 && v < 1 : v > threshold && v < 1;
                values[i] = band ? threshold : v;
            }
        }
        BufferedImage expanded = new BufferedImage(mask.width(), mask.height(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < mask.height(); y++) {
            for (int x = 0; x < mask.width(); x++) {
                expanded.setRGB(x, y, values[y * mask.width() + x] < 1 ? 0 : 0xFFFFFF);
            }
        }
        return new GradientMask(mask, expanded);
    }

    /**
     * The image an inpainting UNet's masked latents are encoded from: the image trimmed to a multiple of 8,
     * mid-grey where this mask paints (InvokeAI multiplies the [-1, 1] image by 0 where the mask is below
     * one half).
     */
    public BufferedImage maskedImage(BufferedImage image) {
        int gridWidth = image.getWidth() - image.getWidth() % 8;
        int gridHeight = image.getHeight() - image.getHeight() % 8;
        if (gridWidth != image.getWidth() || gridHeight != image.getHeight()) {
            image = DiffusionPipeline.resize(image, gridWidth, gridHeight);
        }
        float[] onImage = mask.resized(gridHeight, gridWidth).values();
        int[] pixels = image.getRGB(0, 0, gridWidth, gridHeight, null, 0, gridWidth);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = onImage[i] < 0.5f ? 0x808080 : pixels[i] & 0xFFFFFF;
        }
        BufferedImage masked = new BufferedImage(gridWidth, gridHeight, BufferedImage.TYPE_INT_RGB);
        masked.setRGB(0, 0, gridWidth, gridHeight, pixels, 0, gridWidth);
        return masked;
    }

    /** The blurred mask in 0..1, trimmed to a multiple of 8 as InvokeAI's grid tensors are. */
    private static Mask onGrid(int[] pixels, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < pixels.length; i++) {
            image.setRGB(i % width, i / width, pixels[i] * 0x010101);
        }
        int gridWidth = width - width % 8;
        int gridHeight = height - height % 8;
        if (gridWidth == 0 || gridHeight == 0) {
            throw new IllegalArgumentException("the mask is " + width + " x " + height + "; it needs at least 8 x 8 pixels");
        }
        return Mask.ofImage(gridWidth == width && gridHeight == height ? image
                : DiffusionPipeline.resize(image, gridWidth, gridHeight));
    }
}
