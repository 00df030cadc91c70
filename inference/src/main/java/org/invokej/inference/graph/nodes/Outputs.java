package org.invokej.inference.graph.nodes;

import org.invokej.inference.graph.InvocationOutput;
import org.invokej.inference.graph.fields.ClipField;
import org.invokej.inference.graph.fields.ConditioningField;
import org.invokej.inference.graph.fields.DenoiseMaskField;
import org.invokej.inference.graph.fields.ImageField;
import org.invokej.inference.graph.fields.LatentsField;
import org.invokej.inference.graph.fields.MetadataField;
import org.invokej.inference.graph.fields.UNetField;
import org.invokej.inference.graph.fields.VaeField;

import java.util.List;

/** InvokeAI's output records that several node types share; each node names the output type it returns. */
public final class Outputs {

    private Outputs() {
    }

    /** {@code model_loader_output}. */
    public record ModelLoaderOutput(UNetField unet, ClipField clip, VaeField vae) implements InvocationOutput {
    }

    /** {@code sdxl_model_loader_output}. */
    public record SdxlModelLoaderOutput(UNetField unet, ClipField clip, ClipField clip2, VaeField vae) implements InvocationOutput {
    }

    /** {@code vae_output}. */
    public record VaeOutput(VaeField vae) implements InvocationOutput {
    }

    /** {@code clip_skip_output}. */
    public record ClipOutput(ClipField clip) implements InvocationOutput {
    }

    /** {@code conditioning_output}. */
    public record ConditioningOutput(ConditioningField conditioning) implements InvocationOutput {
    }

    /** {@code collect_output}. */
    public record CollectOutput(List<Object> collection) implements InvocationOutput {
    }

    /** {@code string_output}. */
    public record StringOutput(String value) implements InvocationOutput {
    }

    /** {@code integer_output}. */
    public record IntegerOutput(long value) implements InvocationOutput {
    }

    /** {@code float_output}. */
    public record FloatOutput(double value) implements InvocationOutput {
    }

    /** {@code noise_output}. */
    public record NoiseOutput(LatentsField noise, int width, int height) implements InvocationOutput {
    }

    /** {@code latents_output}. */
    public record LatentsOutput(LatentsField latents, int width, int height) implements InvocationOutput {
    }

    /** {@code denoise_mask_output}. */
    public record DenoiseMaskOutput(DenoiseMaskField denoiseMask) implements InvocationOutput {
    }

    /** {@code gradient_mask_output}. */
    public record GradientMaskOutput(DenoiseMaskField denoiseMask, ImageField expandedMaskArea) implements InvocationOutput {
    }

    /** {@code image_output}. */
    public record ImageOutput(ImageField image, int width, int height) implements InvocationOutput {
    }

    /** {@code metadata_output}. */
    public record MetadataOutput(MetadataField metadata) implements InvocationOutput {
    }
}
