package org.invokej.inference;

import org.invokej.inference.onnx.OnnxPart;
import org.invokej.inference.onnx.OrtDevice;
import org.invokej.inference.onnx.ScratchTensors;
import org.invokej.inference.onnx.SessionOpener;
import org.invokej.inference.schedulers.NoiseSchedule;
import org.invokej.inference.schedulers.SchedulerConfig;
import org.invokej.inference.text.ClipTokenizer;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.TensorInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A loaded model: tokenizer, scheduler config and one ONNX Runtime session per part, with every
 * graph checked for the inputs and outputs the pipeline uses. Element types (float32/float16,
 * int32/int64 ids, integer or float timesteps) are read from the sessions.
 */
public final class DiffusionModel implements AutoCloseable {
    private static final Set<String> UNET_INPUTS = Set.of("sample", "timestep", "encoder_hidden_states");

    private final ModelFolder folder;
    private final ClipTokenizer tokenizer;
    private final SchedulerConfig schedulerConfig;
    final NoiseSchedule noiseSchedule;
    final OnnxPart textEncoder;
    final OnnxPart unet;
    final OnnxPart vaeDecoder;
    final OnnxPart vaeEncoder;
    final OnnxJavaType idsType;
    private final long textHiddenSize;
    final OnnxJavaType unetType;
    final TensorInfo timestepInfo;
    final OnnxJavaType decoderType;
    final OnnxJavaType decoderOutputType;
    final OnnxJavaType encoderType;
    final String encoderOutput;
    private final OrtDevice device;
    private final long sizeBytes;
    final ScratchTensors scratch;

    private DiffusionModel(ModelFolder folder, SessionOpener opener, List<OnnxPart> opened) {
        this.folder = folder;
        this.device = opener.device();
        this.tokenizer = ClipTokenizer.load(folder.tokenizer());
        this.schedulerConfig = SchedulerConfig.read(folder.schedulerConfig());
        this.noiseSchedule = new NoiseSchedule(schedulerConfig);
        this.sizeBytes = folder.sizeBytes();
        this.scratch = new ScratchTensors(opener.environment());

        textEncoder = track(opened, OnnxPart.open(opener, folder.textEncoder()));
        TensorInfo ids = textEncoder.input("input_ids", OnnxPart.INTEGERS, 2);
        idsType = ids.type;
        long idsLength = ids.getShape()[1];
        if (idsLength > 0 && idsLength != tokenizer.maxLength()) {
            throw new InvalidModelException(folder.textEncoder() + ": input_ids takes " + idsLength
                    + " tokens but the tokenizer makes " + tokenizer.maxLength());
        }
        TensorInfo hidden = textEncoder.output("last_hidden_state", OnnxPart.FLOATS, 3);
        textHiddenSize = hidden.getShape()[2];

        unet = track(opened, OnnxPart.open(opener, folder.unet()));
        unetType = unet.input("sample", OnnxPart.FLOATS, 4).type;
        timestepInfo = unet.input("timestep", OnnxPart.TIMESTEPS, 0, 1);
        TensorInfo context = unet.input("encoder_hidden_states", OnnxPart.FLOATS, 3);
        unet.output("out_sample", OnnxPart.FLOATS, 4);
        Set<String> extra = new TreeSet<>(unet.inputNames());
        extra.removeAll(UNET_INPUTS);
        if (!extra.isEmpty()) {
            throw new InvalidModelException(folder.unet() + ": the graph has inputs this engine does not feed: "
                    + String.join(", ", extra) + " (only SD 1.x/2.x UNets are supported)");
        }
        long textWidth = hidden.getShape()[2];
        long unetWidth = context.getShape()[2];
        if (textWidth > 0 && unetWidth > 0 && textWidth != unetWidth) {
            throw new InvalidModelException(folder.unet() + ": encoder_hidden_states is " + unetWidth
                    + " wide but the text encoder's last_hidden_state is " + textWidth);
        }

        vaeDecoder = track(opened, OnnxPart.open(opener, folder.vaeDecoder()));
        decoderType = vaeDecoder.input("latent_sample", OnnxPart.FLOATS, 4).type;
        decoderOutputType = vaeDecoder.output("sample", OnnxPart.FLOATS, 4).type;

        if (folder.vaeEncoder().isPresent()) {
            vaeEncoder = track(opened, OnnxPart.open(opener, folder.vaeEncoder().get()));
            encoderType = vaeEncoder.input("sample", OnnxPart.FLOATS, 4).type;
            if (vaeEncoder.hasOutput("latent_sample")) {
                encoderOutput = "latent_sample";
            } else if (vaeEncoder.hasOutput("latent_parameters")) {
                encoderOutput = "latent_parameters";
            } else {
                throw new InvalidModelException(folder.vaeEncoder().get()
                        + ": the graph has neither a 'latent_sample' nor a 'latent_parameters' output");
            }
            vaeEncoder.output(encoderOutput, OnnxPart.FLOATS, 4);
        } else {
            vaeEncoder = null;
            encoderType = null;
            encoderOutput = null;
        }
    }

    private static OnnxPart track(List<OnnxPart> opened, OnnxPart part) {
        opened.add(part);
        return part;
    }

    /** Loads and checks every part; on any problem, closes what was opened and throws. */
    public static DiffusionModel load(ModelFolder folder, SessionOpener opener) {
        List<OnnxPart> opened = new ArrayList<>();
        try {
            return new DiffusionModel(folder, opener, opened);
        } catch (RuntimeException e) {
            opened.forEach(OnnxPart::close);
            throw e;
        }
    }

    public ModelFolder folder() {
        return folder;
    }

    public ClipTokenizer tokenizer() {
        return tokenizer;
    }

    public SchedulerConfig schedulerConfig() {
        return schedulerConfig;
    }

    /** The device the sessions run on. */
    public OrtDevice device() {
        return device;
    }

    /**
     * The width of the text encoder's {@code last_hidden_state} as its graph declares it (768 for SD 1.x's
     * CLIP ViT-L, 1024 for SD 2.x's OpenCLIP ViT-H), or a negative number when the graph leaves it open.
     */
    public long textHiddenSize() {
        return textHiddenSize;
    }

    /** Whether the folder has a VAE encoder, which image-to-image needs. */
    public boolean canEncodeImages() {
        return vaeEncoder != null;
    }

    /** True when the UNet takes float16 tensors. */
    public boolean isHalfPrecision() {
        return unetType == OnnxJavaType.FLOAT16;
    }

    /** Bytes of the model's files, the model cache's measure. */
    public long sizeBytes() {
        return sizeBytes;
    }

    /** Nanoseconds all parts have spent inside ONNX Runtime's {@code run} since loading. */
    public long runNanos() {
        long total = textEncoder.runNanos() + unet.runNanos() + vaeDecoder.runNanos();
        return vaeEncoder == null ? total : total + vaeEncoder.runNanos();
    }

    @Override
    public void close() {
        scratch.close();
        textEncoder.close();
        unet.close();
        vaeDecoder.close();
        if (vaeEncoder != null) {
            vaeEncoder.close();
        }
    }
}
