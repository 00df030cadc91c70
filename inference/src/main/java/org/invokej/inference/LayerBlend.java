package org.invokej.inference;

import java.awt.image.BufferedImage;

/**
 * The {@code Normal} blend of InvokeAI's {@code invokeai_img_blend} ("Image Layer Blend"), the paste back of its
 * canvas inpaint and outpaint graphs when the whole image is output: the upper layer (the generated image)
 * composited over the base (the canvas composite) with its alpha times the opacity times the inverted mask,
 * so white in the mask keeps the base exactly. The node and {@link ImageGenerator}'s inpainting share it.
 */
public final class LayerBlend {

    private LayerBlend() {
    }

    /**
     * The upper layer over the base; the upper layer and the mask (null: none) are fitted to the base's size
     * as InvokeAI fits them.
     */
    public static BufferedImage normal(BufferedImage base, BufferedImage upperLayer, BufferedImage maskImage, double opacity,
            boolean fitWidth, boolean fitHeight) {
        int width = base.getWidth();
        int height = base.getHeight();
        int[] upper = fitted(upperLayer, width, height, fitWidth, fitHeight);
        int[] mask = null;
        if (maskImage != null) {
            int[] fittedMask = fitted(maskImage, width, height, fitWidth, fitHeight);
            mask = new int[fittedMask.length];
            for (int i = 0; i < mask.length; i++) {
                mask[i] = Pixels.luminance(fittedMask[i]);
            }
        }
        int[] lower = Pixels.argb(base);
        int[] out = new int[lower.length];
        for (int i = 0; i < out.length; i++) {
            double alphaUpper = (upper[i] >>> 24) / 255.0 * opacity * (mask == null ? 1 : 1 - mask[i] / 255.0);
            double alphaLower = (lower[i] >>> 24) / 255.0;
            double alpha = alphaUpper + alphaLower * (1 - alphaUpper);
            if (alpha <= 0) {
                continue;
            }
            int pixel = (int) Math.round(Math.min(1, alpha) * 255) << 24;
            for (int shift = 0; shift < 24; shift += 8) {
                double top = (upper[i] >> shift) & 0xff;
                double bottom = (lower[i] >> shift) & 0xff;
                double value = (top * alphaUpper + bottom * alphaLower * (1 - alphaUpper)) / alpha;
                pixel |= (int) Math.round(Math.min(255, Math.max(0, value))) << shift;
            }
            out[i] = pixel;
        }
        return Pixels.of(out, width, height, Pixels.hasAlpha(base));
    }

    /**
     * The layer at the base's size as InvokeAI's {@code scale_and_pad_or_crop_to_base} makes it: stretched
     * when fitting both sides, padded (centred, transparent) or cropped (centred) to keep its aspect when
     * fitting one, as it is otherwise (then cut or extended with transparency at the bottom right).
     */
    private static int[] fitted(BufferedImage layer, int width, int height, boolean fitWidth, boolean fitHeight) {
        if (layer.getWidth() == width && layer.getHeight() == height) {
            return Pixels.argb(layer);
        }
        double aspectBase = (double) width / height;
        double aspectUpper = (double) layer.getWidth() / layer.getHeight();
        if (fitWidth && fitHeight) {
            return Pixels.argb(resized(layer, width, height));
        }
        boolean pad = fitWidth && aspectBase < aspectUpper || fitHeight && aspectUpper <= aspectBase;
        boolean crop = fitWidth && aspectUpper <= aspectBase || fitHeight && aspectBase < aspectUpper;
        int[] out = new int[width * height];
        if (pad) {
            double scale = Math.min((double) width / layer.getWidth(), (double) height / layer.getHeight());
            int w = Math.max(1, (int) Math.round(layer.getWidth() * scale));
            int h = Math.max(1, (int) Math.round(layer.getHeight() * scale));
            Paste.paste(out, width, height, Pixels.argb(resized(layer, w, h)), w, h, (width - w) / 2, (height - h) / 2, null);
        } else if (crop) {
            double scale = Math.max((double) width / layer.getWidth(), (double) height / layer.getHeight());
            int w = Math.max(width, (int) Math.round(layer.getWidth() * scale));
            int h = Math.max(height, (int) Math.round(layer.getHeight() * scale));
            Paste.paste(out, width, height, Pixels.argb(resized(layer, w, h)), w, h, -(w - width) / 2, -(h - height) / 2, null);
        } else {
            Paste.paste(out, width, height, Pixels.argb(layer), layer.getWidth(), layer.getHeight(), 0, 0, null);
        }
        return out;
    }

    private static BufferedImage resized(BufferedImage layer, int width, int height) {
        return Pixels.resized(Pixels.of(Pixels.argb(layer), layer.getWidth(), layer.getHeight(), true), width, height);
    }
}
