package org.invokej.inference.graph.nodes;

import java.awt.image.BufferedImage;

/** The size checks of nodes that combine images pixel by pixel, as Pillow refuses images that do not match. */
final class Sizes {

    private Sizes() {
    }

    static void requireSame(String first, BufferedImage a, String second, BufferedImage b) {
        if (a.getWidth() != b.getWidth() || a.getHeight() != b.getHeight()) {
            throw new IllegalArgumentException("images do not match: " + first + " is " + a.getWidth() + " x " + a.getHeight()
                    + ", " + second + " is " + b.getWidth() + " x " + b.getHeight());
        }
    }
}
