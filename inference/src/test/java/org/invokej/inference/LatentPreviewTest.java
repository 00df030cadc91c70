package org.invokej.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** Latents map to RGB through InvokeAI's SD 1.5 factors, at latent size. */
class LatentPreviewTest {

    private static float[] oneHot(int channel, float value, int pixels) {
        float[] latents = new float[4 * pixels];
        for (int p = 0; p < pixels; p++) {
            latents[channel * pixels + p] = value;
        }
        return latents;
    }

    @Test
    void eachChannelAddsItsRowOfFactors() {
        // channel 1 at 1.0 -> (0.3444, 0.1385, 0.0670) -> ((v + 1) / 2 * 255) truncated
        BufferedImage first = new LatentPreview(oneHot(0, 1, 6), 2, 3).toImage();
        assertEquals(3, first.getWidth());
        assertEquals(2, first.getHeight());
        assertEquals((171 << 16) | (145 << 8) | 136, first.getRGB(2, 1) & 0xffffff);
        // channel 4 at 1.0 -> (-0.1307, -0.1874, -0.7445) -> (110, 103, 32)
        BufferedImage fourth = new LatentPreview(oneHot(3, 1, 6), 2, 3).toImage();
        assertEquals((110 << 16) | (103 << 8) | 32, fourth.getRGB(0, 0) & 0xffffff);
        // far out of range clamps
        BufferedImage bright = new LatentPreview(oneHot(0, 100, 6), 2, 3).toImage();
        assertEquals(0xffffff, bright.getRGB(0, 0) & 0xffffff);
    }

    @Test
    void theJpegHasTheLatentSize() throws Exception {
        LatentPreview preview = new LatentPreview(new float[4 * 64 * 48], 48, 64);
        BufferedImage jpeg = ImageIO.read(new ByteArrayInputStream(preview.toJpeg()));
        assertEquals(64, jpeg.getWidth());
        assertEquals(48, jpeg.getHeight());
    }
}
