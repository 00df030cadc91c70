package org.invokej.inference;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/**
 * A cheap look at latents mid-run: each latent pixel mapped to RGB by InvokeAI's linear SD 1.5
 * latent-to-RGB factors, at latent size (1/8 of the image). Computed only when asked for.
 */
public final class LatentPreview {
    /** Rows: latent channels 1..4; columns: R, G, B (InvokeAI's SD1_5_LATENT_RGB_FACTORS). */
    private static final float[][] FACTORS = {
        {0.3444f, 0.1385f, 0.0670f},
        {0.1247f, 0.4027f, 0.1494f},
        {-0.3192f, 0.2513f, 0.2103f},
        {-0.1307f, -0.1874f, -0.7445f},
    };

    private final float[] latents;
    private final int height;
    private final int width;

    LatentPreview(float[] latents, int height, int width) {
        this.latents = latents;
        this.height = height;
        this.width = width;
    }

    /** Preview width in pixels (the image width / 8). */
    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public BufferedImage toImage() {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int plane = height * width;
        int[] pixels = new int[plane];
        for (int p = 0; p < plane; p++) {
            int rgb = 0;
            for (int c = 0; c < 3; c++) {
                float v = 0;
                for (int channel = 0; channel < 4; channel++) {
                    v += latents[channel * plane + p] * FACTORS[channel][c];
                }
                // as InvokeAI: ((v + 1) / 2).clamp(0, 1) * 255
                int byteValue = (int) (Math.max(0f, Math.min(1f, (v + 1) / 2)) * 255);
                rgb = (rgb << 8) | byteValue;
            }
            pixels[p] = rgb;
        }
        image.setRGB(0, 0, width, height, pixels, 0, width);
        return image;
    }

    /** The preview as JPEG bytes (InvokeAI sends it as a {@code data:image/jpeg;base64,} URL). */
    public byte[] toJpeg() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(toImage(), "jpeg", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
