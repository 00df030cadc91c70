package org.invokej.inference;

/** A prompt's text-encoder output, {@code [tokens, width]} (77 x 768 for SD 1.x), in float32. */
public record Conditioning(float[] embeddings, int tokens, int width) {

    public Conditioning {
        if (tokens < 1 || width < 1 || embeddings.length != tokens * width) {
            throw new IllegalArgumentException("conditioning of " + embeddings.length + " values is not "
                    + tokens + " x " + width);
        }
    }
}
