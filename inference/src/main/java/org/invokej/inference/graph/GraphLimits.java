package org.invokej.inference.graph;

import java.util.function.Function;

/**
 * How big a graph may make things, from the settings: every image a node makes at most
 * {@code maxImagePixels} (width x height, {@code max_image_pixels}, the bound of uploads too), every
 * generation — the noise or latents a denoise runs on — at most {@code maxGenerationPixels}
 * ({@code max_generation_pixels}, never more than the image bound), and every denoise at most
 * {@code maxSteps} steps ({@code max_steps}). Inputs say which limit bounds them ({@link Input#limitedBy});
 * the check runs at enqueue on the values the graph and its batch give (a 422 naming node, field and
 * setting) and again when the node runs, on the values its edges brought, before anything is allocated.
 */
public record GraphLimits(long maxImagePixels, long maxGenerationPixels, long maxSteps) {

    /** The settings' defaults: 40 Mpx images (as uploads), 2048 x 2048 generations, 500 steps (InvokeAI's UI's most). */
    public static final GraphLimits DEFAULT = new GraphLimits(40_000_000, 2048L * 2048, 500);

    public GraphLimits {
        if (maxImagePixels < 1 || maxGenerationPixels < 1 || maxSteps < 1) {
            throw new IllegalArgumentException("graph limits must be positive");
        }
        maxGenerationPixels = Math.min(maxGenerationPixels, maxImagePixels);
    }

    /** A limit one input's value breaks, and why. */
    public record Problem(String field, String message) {
    }

    /**
     * The first limit that the values of {@code spec}'s inputs break, or null. {@code known} gives an
     * input's value, or null when it is not known yet (an edge brings it); a width and height of one
     * kind are checked as pixels when both are known, and each alone otherwise.
     */
    public Problem check(NodeSpec spec, Function<Input<?>, Object> known) {
        for (Input<?> input : spec.inputs()) {
            if (input.limit() == Input.Limit.STEPS && known.apply(input) instanceof Number steps && steps.longValue() > maxSteps) {
                return new Problem(input.name(), "is " + steps + "; this server runs at most " + maxSteps + " steps (max_steps)");
            }
        }
        Problem image = pixels(spec, known, Input.Limit.IMAGE_WIDTH, Input.Limit.IMAGE_HEIGHT, maxImagePixels,
                "makes images of at most " + maxImagePixels + " pixels (max_image_pixels)");
        return image != null ? image : pixels(spec, known, Input.Limit.GENERATION_WIDTH, Input.Limit.GENERATION_HEIGHT,
                maxGenerationPixels, "generates at most " + maxGenerationPixels + " pixels (max_generation_pixels)");
    }

    private static Problem pixels(NodeSpec spec, Function<Input<?>, Object> known, Input.Limit widthLimit, Input.Limit heightLimit,
                                  long most, String rule) {
        Input<?> width = spec.inputs().stream().filter(input -> input.limit() == widthLimit).findFirst().orElse(null);
        Input<?> height = spec.inputs().stream().filter(input -> input.limit() == heightLimit).findFirst().orElse(null);
        Long w = width == null ? null : positive(known.apply(width));
        Long h = height == null ? null : positive(known.apply(height));
        if (w != null && h != null) {
            // w > most / h is w * h > most without overflowing a long
            return w > most / h ? new Problem(width.name(), "and '" + height.name() + "' ask for " + w + " x " + h
                    + " pixels; this server " + rule) : null;
        }
        if (w != null && w > most) {
            return new Problem(width.name(), "is " + w + "; this server " + rule);
        }
        if (h != null && h > most) {
            return new Problem(height.name(), "is " + h + "; this server " + rule);
        }
        return null;
    }

    /** A size to check; zero or negative sizes are the value rules' business. */
    private static Long positive(Object value) {
        return value instanceof Number number && number.longValue() > 0 ? number.longValue() : null;
    }
}
