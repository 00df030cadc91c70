package org.invokej.inference.graph.nodes;

import org.invokej.inference.Conditioning;
import org.invokej.inference.DenoiseRequest;
import org.invokej.inference.DiffusionModel;
import org.invokej.inference.Latents;
import org.invokej.inference.Mask;
import org.invokej.inference.schedulers.SchedulerName;
import org.invokej.inference.graph.Input;
import org.invokej.inference.graph.InvocationListener;
import org.invokej.inference.graph.Inputs;
import org.invokej.inference.graph.NodeContext;
import org.invokej.inference.graph.NodeSpec;
import org.invokej.inference.graph.NodeType;
import org.invokej.inference.graph.fields.ConditioningField;
import org.invokej.inference.graph.fields.DenoiseMaskField;
import org.invokej.inference.graph.fields.LatentsField;
import org.invokej.inference.graph.fields.UNetField;

import java.util.List;

/**
 * InvokeAI's {@code denoise_latents}: text-to-image from noise, image-to-image from latents, inpainting with a
 * denoise mask (an inpainting UNet also gets the mask and the masked image's latents). Inputs this
 * engine cannot honour (ControlNet, IP-Adapter, HiDiffusion, …) are accepted at their defaults and
 * refused when set, with a message naming them.
 */
public final class DenoiseLatents implements NodeType {

    static final Input<Object> POSITIVE = Input.conditionings("positive_conditioning").required().connectionOnly()
            .title("Positive Conditioning").description("Positive conditioning tensor");
    static final Input<Object> NEGATIVE = Input.conditionings("negative_conditioning").required().connectionOnly()
            .title("Negative Conditioning").description("Negative conditioning tensor");
    static final Input<LatentsField> NOISE = Input.latents("noise").connectionOnly().title("Noise").description("Noise tensor");
    static final Input<Long> STEPS = Input.integer("steps").defaultsTo(10L).rule(Rules.POSITIVE).limitedBy(Input.Limit.STEPS).title("Steps")
            .description("Number of steps to run");
    static final Input<Object> CFG_SCALE = Input.numbers("cfg_scale").defaultsTo(7.5).rule(Rules.CFG).title("CFG Scale")
            .description("Classifier-Free Guidance scale");
    static final Input<Double> DENOISING_START = Input.number("denoising_start").defaultsTo(0.0).rule(Rules.FRACTION)
            .title("Denoising Start").description("When to start denoising, expressed a percentage of total steps");
    static final Input<Double> DENOISING_END = Input.number("denoising_end").defaultsTo(1.0).rule(Rules.FRACTION)
            .title("Denoising End").description("When to stop denoising, expressed a percentage of total steps");
    static final Input<String> SCHEDULER = Input.word("scheduler").defaultsTo("euler").rule(Rules.SCHEDULER).title("Scheduler")
            .description("Scheduler to use during inference").uiType("SchedulerField");
    static final Input<UNetField> UNET = Input.unet("unet").required().connectionOnly().title("UNet")
            .description("UNet (scheduler, LoRAs)");
    static final Input<LatentsField> LATENTS = Input.latents("latents").connectionOnly().title("Latents").description("Latents tensor");

    private static final List<Input<?>> UNSUPPORTED = List.of(
            Input.any("control").rule(Rules.UNSUPPORTED).connectionOnly().title("ControlNet"),
            Input.any("ip_adapter").rule(Rules.UNSUPPORTED).connectionOnly().title("IP-Adapter"),
            Input.any("t2i_adapter").rule(Rules.UNSUPPORTED).connectionOnly().title("T2I-Adapter"),
            Input.number("cfg_rescale_multiplier").defaultsTo(0.0).rule(Rules.UNSUPPORTED).title("CFG Rescale Multiplier"),
            Input.bool("hidiffusion").defaultsTo(false).rule(Rules.UNSUPPORTED).title("HiDiffusion"),
            Input.bool("hidiffusion_raunet").defaultsTo(true).title("HiDiffusion RAU-Net"),
            Input.bool("hidiffusion_window_attn").defaultsTo(true).title("HiDiffusion Window Attention"),
            Input.number("hidiffusion_t1_ratio").defaultsTo(0.4).title("HiDiffusion T1 Ratio"),
            Input.number("hidiffusion_t2_ratio").defaultsTo(0.0).title("HiDiffusion T2 Ratio"));
    static final Input<DenoiseMaskField> DENOISE_MASK = Input.denoiseMask("denoise_mask").connectionOnly().title("Denoise Mask")
            .description("A mask of the region to apply the denoising process to. Values of 0.0 represent the regions to be"
                    + " fully denoised, and 1.0 represent the regions to be preserved.");

    private static final NodeSpec SPEC = NodeSpec.of("denoise_latents", "Denoise - SD1.5, SDXL", inputs(), "latents_output",
                    Outputs.LatentsOutput.class)
            .withDescription("Denoises noisy latents to decodable images", "latents", "1.5.3", "latents", "denoise", "txt2img", "t2i",
                    "t2l", "img2img", "i2i", "l2l");

    private static List<Input<?>> inputs() {
        List<Input<?>> inputs = new java.util.ArrayList<>(List.of(POSITIVE, NEGATIVE, NOISE, STEPS, CFG_SCALE, DENOISING_START,
                DENOISING_END, SCHEDULER, UNET, LATENTS, DENOISE_MASK));
        inputs.addAll(UNSUPPORTED);
        return inputs;
    }

    @Override
    public NodeSpec spec() {
        return SPEC;
    }

    @Override
    public Outputs.LatentsOutput run(Inputs in, NodeContext context) {
        DiffusionModel model = context.model(in.get(UNET).unet(), Loras.applied(in.get(UNET)));
        LatentsField noiseField = in.get(NOISE);
        LatentsField startField = in.get(LATENTS);
        Latents noise = noiseField == null ? null : context.latents(noiseField);
        Latents start = startField == null ? null : context.latents(startField);
        Long seedValue = noiseField != null ? noiseField.seed() : startField != null ? startField.seed() : null;
        long seed = seedValue == null ? 0 : seedValue;
        List<Double> cfg = in.list(CFG_SCALE, Double.class);
        DenoiseMaskField maskField = in.get(DENOISE_MASK);
        Mask mask = null;
        Latents maskedLatents = null;
        if (maskField != null) {
            Latents shape = start != null ? start : noise;
            if (shape == null) {
                throw new IllegalArgumentException("denoise_latents needs noise or latents");
            }
            // InvokeAI resizes the mask to the latents (bilinear)
            mask = context.mask(maskField.maskName()).resized(shape.height(), shape.width());
            if (maskField.maskedLatentsName() != null && model.isInpaint()) {
                maskedLatents = context.latents(new LatentsField(maskField.maskedLatentsName(), null));
                if (!maskedLatents.sameShape(shape)) {
                    throw new IllegalArgumentException("the masked image's latents are " + maskedLatents.imageWidth() + " x "
                            + maskedLatents.imageHeight() + " but the latents are " + shape.imageWidth() + " x " + shape.imageHeight());
                }
            }
        }
        DenoiseRequest request = new DenoiseRequest(conditioning(in, POSITIVE, context), conditioning(in, NEGATIVE, context), noise,
                start, SchedulerName.parse(in.get(SCHEDULER)), Math.toIntExact(in.get(STEPS)), cfg, in.get(DENOISING_START),
                in.get(DENOISING_END), seed, mask, maskField != null && maskField.gradient(), maskedLatents);
        Latents result = context.job().pipeline().denoise(model, request, progress -> {
            InvocationListener.Preview preview = progress.preview() == null ? null
                    : new InvocationListener.Preview(progress.preview().toJpeg(), progress.preview().width(),
                    progress.preview().height(), progress.preview().width() * 8, progress.preview().height() * 8);
            context.progress("Denoising", progress.fraction(), preview);
        }, context.job().cancel());
        String name = context.preparedId() + "_latents";
        context.keep(name, result);
        return new Outputs.LatentsOutput(new LatentsField(name, null), result.imageWidth(), result.imageHeight());
    }

    private static Conditioning conditioning(Inputs in, Input<Object> input, NodeContext context) {
        List<ConditioningField> fields = in.conditionings(input);
        if (fields.size() != 1) {
            throw new IllegalArgumentException(input.name() + " has " + fields.size()
                    + " conditionings; this server takes exactly one (regional prompts are not supported)");
        }
        return context.conditioning(fields.get(0));
    }
}
