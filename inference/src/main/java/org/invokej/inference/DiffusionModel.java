package org.invokej.inference;

import org.invokej.inference.lora.LoraFile;
import org.invokej.inference.lora.LoraPart;
import org.invokej.inference.lora.LoraPatches;
import org.invokej.inference.lora.LoraStack;
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
    /** What SDXL's UNet takes besides: the pooled text embedding and the size conditioning. */
    private static final Set<String> SDXL_UNET_INPUTS = Set.of("text_embeds", "time_ids");
    private static final String HIDDEN_STATES = "hidden_states.";
    private static final int INPAINT_CHANNELS = 9;

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
    /** SDXL: the first encoder's penultimate hidden state, which SDXL conditions on (null otherwise). */
    final String penultimate;
    /** SDXL's second tokenizer and text encoder (null otherwise). */
    private final ClipTokenizer tokenizer2;
    final OnnxPart textEncoder2;
    final OnnxJavaType idsType2;
    final String penultimate2;
    /** The number of the last {@code hidden_states.N} output of each SDXL encoder (0 otherwise). */
    final int lastLayer;
    final int lastLayer2;
    /** The widths of SDXL's added conditioning: {@code text_embeds} and {@code time_ids} (0 otherwise). */
    final int pooledWidth;
    final int timeIdsWidth;
    final OnnxJavaType textEmbedsType;
    final OnnxJavaType timeIdsType;
    private final long contextWidth;
    final OnnxJavaType unetType;
    /** The channels the UNet's {@code sample} takes: 4, or 9 for inpainting UNets (latents, mask, masked-image latents). */
    final int unetChannels;
    final TensorInfo timestepInfo;
    final OnnxJavaType decoderType;
    final OnnxJavaType decoderOutputType;
    final OnnxJavaType encoderType;
    final String encoderOutput;
    private final OrtDevice device;
    private final long sizeBytes;
    final ScratchTensors scratch;

    /** The LoRAs blended into this model's weights (none for the model as its files are). */
    private final LoraStack loras;
    /** LoRA layers that named no weight of the model and were skipped ({@code file: module}). */
    private final List<String> unmatchedLoraLayers = new ArrayList<>();
    /** LoRA file keys of no layout this engine applies (LoHa, LoKr, DoRA, half layers), skipped ({@code file: key}). */
    private final List<String> ignoredLoraKeys = new ArrayList<>();

    private DiffusionModel(ModelFolder folder, SessionOpener opener, List<OnnxPart> opened, LoraStack loras) {
        this.folder = folder;
        this.loras = loras;
        List<LoraPatches.Weighted> weighted = loras.loras().stream()
                .map(applied -> new LoraPatches.Weighted(LoraFile.read(applied.file()), applied.weight())).toList();
        weighted.forEach(w -> w.lora().ignoredKeys().forEach(key -> ignoredLoraKeys.add(w.lora().file().getFileName() + ": " + key)));
        this.device = opener.device();
        this.tokenizer = ClipTokenizer.load(folder.tokenizer());
        this.schedulerConfig = SchedulerConfig.read(folder.schedulerConfig());
        this.noiseSchedule = new NoiseSchedule(schedulerConfig);
        this.sizeBytes = folder.sizeBytes();
        this.scratch = new ScratchTensors(opener.environment());

        textEncoder = track(opened, open(opener, folder.textEncoder(), LoraPart.TEXT_ENCODER, weighted));
        TensorInfo ids = textEncoder.input("input_ids", OnnxPart.INTEGERS, 2);
        idsType = ids.type;
        long idsLength = ids.getShape()[1];
        if (idsLength > 0 && idsLength != tokenizer.maxLength()) {
            throw new InvalidModelException(folder.textEncoder() + ": input_ids takes " + idsLength
                    + " tokens but the tokenizer makes " + tokenizer.maxLength());
        }
        TensorInfo hidden = textEncoder.output("last_hidden_state", OnnxPart.FLOATS, 3);
        textHiddenSize = hidden.getShape()[2];
        boolean sdxl = folder.second().isPresent();
        if (sdxl) {
            lastLayer = lastHiddenLayer(textEncoder);
            penultimate = HIDDEN_STATES + (lastLayer - 1);
            textEncoder.output(penultimate, OnnxPart.FLOATS, 3);
            ModelFolder.SecondEncoder second = folder.second().get();
            tokenizer2 = ClipTokenizer.load(second.tokenizer());
            textEncoder2 = track(opened, open(opener, second.textEncoder(), LoraPart.TEXT_ENCODER_2, weighted));
            TensorInfo ids2 = textEncoder2.input("input_ids", OnnxPart.INTEGERS, 2);
            idsType2 = ids2.type;
            if (ids2.getShape()[1] > 0 && ids2.getShape()[1] != tokenizer2.maxLength()) {
                throw new InvalidModelException(second.textEncoder() + ": input_ids takes " + ids2.getShape()[1]
                        + " tokens but the second tokenizer makes " + tokenizer2.maxLength());
            }
            lastLayer2 = lastHiddenLayer(textEncoder2);
            penultimate2 = HIDDEN_STATES + (lastLayer2 - 1);
            textEncoder2.output(penultimate2, OnnxPart.FLOATS, 3);
            pooledWidth = (int) textEncoder2.output("text_embeds", OnnxPart.FLOATS, 2).getShape()[1];
        } else {
            lastLayer = 0;
            penultimate = null;
            tokenizer2 = null;
            textEncoder2 = null;
            idsType2 = null;
            penultimate2 = null;
            lastLayer2 = 0;
            pooledWidth = 0;
        }

        unet = track(opened, open(opener, folder.unet(), LoraPart.UNET, weighted));
        unetType = unet.input("sample", OnnxPart.FLOATS, 4).type;
        timestepInfo = unet.input("timestep", OnnxPart.TIMESTEPS, 0, 1);
        TensorInfo context = unet.input("encoder_hidden_states", OnnxPart.FLOATS, 3);
        unet.output("out_sample", OnnxPart.FLOATS, 4);
        unetChannels = sampleChannels(unet, folder);
        Set<String> extra = new TreeSet<>(unet.inputNames());
        extra.removeAll(UNET_INPUTS);
        if (sdxl) {
            if (!extra.containsAll(SDXL_UNET_INPUTS)) {
                throw new InvalidModelException(folder.unet() + ": an SDXL UNet (the folder has text_encoder_2)"
                        + " takes text_embeds and time_ids; this graph's inputs are " + String.join(", ",
                        new TreeSet<>(unet.inputNames())));
            }
            extra.removeAll(SDXL_UNET_INPUTS);
        }
        if (!extra.isEmpty()) {
            throw new InvalidModelException(folder.unet() + ": the graph has inputs this engine does not feed: "
                    + String.join(", ", extra) + " (SD 1.x/2.x and SDXL UNets are supported)");
        }
        long textWidth = sdxl ? sumIfKnown(widthOf(textEncoder, penultimate), widthOf(textEncoder2, penultimate2))
                : hidden.getShape()[2];
        long unetWidth = context.getShape()[2];
        contextWidth = unetWidth > 0 ? unetWidth : textWidth;
        if (textWidth > 0 && unetWidth > 0 && textWidth != unetWidth) {
            throw new InvalidModelException(folder.unet() + ": encoder_hidden_states is " + unetWidth
                    + " wide but the text encoder" + (sdxl ? "s' hidden states together are " : "'s last_hidden_state is ")
                    + textWidth);
        }
        if (sdxl) {
            TensorInfo textEmbeds = unet.input("text_embeds", OnnxPart.FLOATS, 2);
            textEmbedsType = textEmbeds.type;
            long unetPooled = textEmbeds.getShape()[1];
            if (unetPooled > 0 && pooledWidth > 0 && unetPooled != pooledWidth) {
                throw new InvalidModelException(folder.unet() + ": text_embeds is " + unetPooled
                        + " wide but text_encoder_2's text_embeds is " + pooledWidth);
            }
            TensorInfo timeIdsInfo = unet.input("time_ids", OnnxPart.FLOATS, 2);
            timeIdsType = timeIdsInfo.type;
            long timeIds = timeIdsInfo.getShape()[1];
            if (timeIds != 6) {
                throw new InvalidModelException(folder.unet() + ": time_ids takes " + timeIds
                        + " values; SDXL base models take 6 (SDXL refiners, with 5, are not supported)");
            }
            timeIdsWidth = 6;
        } else {
            timeIdsWidth = 0;
            textEmbedsType = null;
            timeIdsType = null;
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

    private OnnxPart open(SessionOpener opener, java.nio.file.Path file, LoraPart part, List<LoraPatches.Weighted> weighted) {
        if (weighted.isEmpty()) {
            return OnnxPart.open(opener, file);
        }
        LoraPatches.Result result = LoraPatches.compute(file, part, weighted);
        unmatchedLoraLayers.addAll(result.unmatched());
        return OnnxPart.open(opener, file, result.patches());
    }

    /** The highest N of the graph's {@code hidden_states.N} outputs; SDXL conditions on the one before it. */
    private static int lastHiddenLayer(OnnxPart encoder) {
        int last = encoder.outputNames().stream().filter(name -> name.startsWith(HIDDEN_STATES))
                .map(name -> name.substring(HIDDEN_STATES.length()))
                .filter(number -> !number.isEmpty() && number.chars().allMatch(Character::isDigit))
                .mapToInt(Integer::parseInt).max().orElse(-1);
        if (last < 1) {
            throw new InvalidModelException(encoder.file() + ": an SDXL text encoder must output its hidden states"
                    + " (hidden_states.0 ... hidden_states.N, as optimum exports them): SDXL conditions on the"
                    + " penultimate layer; its outputs are " + String.join(", ", new TreeSet<>(encoder.outputNames())));
        }
        return last;
    }

    private static long sumIfKnown(long a, long b) {
        return a > 0 && b > 0 ? a + b : -1;
    }

    private static long widthOf(OnnxPart part, String output) {
        long[] shape = part.outputShape(output);
        return shape[shape.length - 1];
    }

    /** The channels the UNet's sample takes: 4, or 9 for an inpainting UNet; 4 when the graph leaves it open. */
    private static int sampleChannels(OnnxPart unet, ModelFolder folder) {
        long channels = unet.input("sample", OnnxPart.FLOATS, 4).getShape()[1];
        if (channels > 0 && channels != 4 && channels != INPAINT_CHANNELS) {
            throw new InvalidModelException(folder.unet() + ": the UNet's sample takes " + channels
                    + " channels; this engine runs UNets of 4 (ordinary) or 9 (inpainting) channels");
        }
        return channels > 0 ? (int) channels : 4;
    }

    private static OnnxPart track(List<OnnxPart> opened, OnnxPart part) {
        opened.add(part);
        return part;
    }

    /** Loads and checks every part; on any problem, closes what was opened and throws. */
    public static DiffusionModel load(ModelFolder folder, SessionOpener opener) {
        return load(folder, opener, LoraStack.NONE);
    }

    /** Loads the model with {@code loras} blended into its UNet's and text encoders' weights. */
    public static DiffusionModel load(ModelFolder folder, SessionOpener opener, LoraStack loras) {
        List<OnnxPart> opened = new ArrayList<>();
        try {
            return new DiffusionModel(folder, opener, opened, loras);
        } catch (RuntimeException e) {
            opened.forEach(OnnxPart::close);
            throw e;
        }
    }

    public ModelFolder folder() {
        return folder;
    }

    /** The LoRAs blended into this model's weights. */
    public LoraStack loras() {
        return loras;
    }

    /** LoRA layers that named no weight of this model and were skipped ({@code file: module}). */
    public List<String> unmatchedLoraLayers() {
        return List.copyOf(unmatchedLoraLayers);
    }

    /** Keys of the LoRA files that are not part of a layer this engine applies, skipped ({@code file: key}). */
    public List<String> ignoredLoraKeys() {
        return List.copyOf(ignoredLoraKeys);
    }

    public ClipTokenizer tokenizer() {
        return tokenizer;
    }

    /** SDXL's second tokenizer; only for {@link #isSdxl()} models. */
    public ClipTokenizer tokenizer2() {
        return tokenizer2;
    }

    /**
     * Whether this is an SDXL model: two text encoders (the second with projection) and a UNet that also
     * takes the pooled embedding ({@code text_embeds}) and the size conditioning ({@code time_ids}).
     */
    public boolean isSdxl() {
        return textEncoder2 != null;
    }

    /**
     * Whether the UNet is an inpainting UNet (InvokeAI's variant {@code inpaint}): its sample takes the
     * mask and the masked image's latents besides the latents.
     */
    public boolean isInpaint() {
        return unetChannels == INPAINT_CHANNELS;
    }

    /** The width of the hidden states the UNet is conditioned on (2048 for SDXL's two encoders). */
    public long contextWidth() {
        return contextWidth;
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
        long total = textEncoder.runNanos() + unet.runNanos() + vaeDecoder.runNanos()
                + (textEncoder2 == null ? 0 : textEncoder2.runNanos());
        return vaeEncoder == null ? total : total + vaeEncoder.runNanos();
    }

    @Override
    public void close() {
        scratch.close();
        textEncoder.close();
        if (textEncoder2 != null) {
            textEncoder2.close();
        }
        unet.close();
        vaeDecoder.close();
        if (vaeEncoder != null) {
            vaeEncoder.close();
        }
    }
}
