package org.invokej.inference;

/**
 * A prompt's text-encoder output in float32: the hidden states {@code [tokens, width]} (77 x 768 for
 * SD 1.x) and, for SDXL, what its UNet also takes: the second encoder's pooled, projected embedding
 * ({@code text_embeds}, 1280 wide) and the size conditioning ({@code time_ids}: original height and
 * width, crop top and left, target height and width).
 *
 * @param pooled  SDXL's pooled embedding, or null for SD 1.x/2.x
 * @param timeIds SDXL's six size values, or null for SD 1.x/2.x
 */
public record Conditioning(float[] embeddings, int tokens, int width, float[] pooled, float[] timeIds) {

    public Conditioning {
        if (tokens < 1 || width < 1 || embeddings.length != tokens * width) {
            throw new IllegalArgumentException("conditioning of " + embeddings.length + " values is not "
                    + tokens + " x " + width);
        }
        if ((pooled == null) != (timeIds == null)) {
            throw new IllegalArgumentException("SDXL conditioning needs both pooled embeddings and time ids");
        }
    }

    /** SD 1.x/2.x conditioning: hidden states only. */
    public Conditioning(float[] embeddings, int tokens, int width) {
        this(embeddings, tokens, width, null, null);
    }

    /** Whether this carries SDXL's pooled embedding and size conditioning. */
    public boolean isSdxl() {
        return pooled != null;
    }

    /** Whether {@code other} can go into the same UNet batch as this. */
    boolean sameShape(Conditioning other) {
        return tokens == other.tokens && width == other.width && isSdxl() == other.isSdxl()
                && (!isSdxl() || pooled.length == other.pooled.length && timeIds.length == other.timeIds.length);
    }
}
