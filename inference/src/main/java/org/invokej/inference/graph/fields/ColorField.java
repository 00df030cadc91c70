package org.invokej.inference.graph.fields;

/** InvokeAI's {@code ColorField}: red, green, blue and alpha, each 0…255. */
public record ColorField(int r, int g, int b, int a) {

    /** This colour as a packed ARGB pixel. */
    public int argb() {
        return (a & 0xff) << 24 | (r & 0xff) << 16 | (g & 0xff) << 8 | (b & 0xff);
    }
}
