package org.invokej.inference.testmodels;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * Tiny Stable-Diffusion-shaped ONNX models in the real diffusers/optimum layout, with the real input
 * and output names, element types and ranks, generated in milliseconds so that tests run the whole
 * pipeline (a 512x512, 20-step image in well under a second).
 *
 * <p>The graphs are small but not trivial: the text encoder embeds token ids with position; the UNet
 * convolves the sample and mixes in the timestep and the mean text embedding, so its output depends
 * on all three inputs; the VAE decoder convolves and upsamples x8; the VAE encoder pools /8 and
 * convolves. Weights come from a fixed seed, so a folder is the same every time.
 */
public final class TinyModels {
    private static final int OPSET = 17;
    private static final int TOKENS = 77;
    private static final int EMBEDDINGS = 512;
    private static final int FLOAT = TensorProto.DataType.FLOAT.getNumber();
    private static final int FLOAT16 = TensorProto.DataType.FLOAT16.getNumber();
    private static final int INT32 = TensorProto.DataType.INT32.getNumber();
    private static final int INT64 = TensorProto.DataType.INT64.getNumber();
    /**
     * The UNet's one linear layer, named as optimum names the first cross-attention key projection: the node by its
     * module path, its weight (transposed, {@code [context width, features]}) anonymously.
     */
    public static final String CROSS_ATTENTION_NODE = "/down_blocks.0/attentions.0/transformer_blocks.0/attn2/to_k/MatMul";
    public static final String CROSS_ATTENTION_WEIGHT = "onnx::MatMul_1001";

    private boolean half;
    private boolean int32Ids;
    private boolean floatTimestep;
    private boolean vaeEncoder = true;
    private boolean latentParameters;
    private String predictionType = "epsilon";
    private int features = 16;
    private int hidden = 32;
    private boolean sdxl;
    private int hidden2 = 48;
    private boolean inpaint;

    private TinyModels() {
    }

    /** SD 1.5-like defaults: float32, int64 input_ids, int64 timestep, with a VAE encoder. */
    public static TinyModels sd15() {
        return new TinyModels();
    }

    /**
     * SDXL in optimum's layout: {@code text_encoder} (CLIP ViT-L-like, with {@code hidden_states.N} outputs)
     * and {@code text_encoder_2} (with projection: {@code text_embeds}), {@code tokenizer} and
     * {@code tokenizer_2} (padding with {@code !} as SDXL's second tokenizer does), and a UNet that also
     * takes {@code text_embeds} and {@code time_ids}; int32 input_ids as optimum exports them, and the
     * SDXL VAE's scaling factor.
     */
    public static TinyModels sdxl() {
        TinyModels models = new TinyModels();
        models.sdxl = true;
        models.int32Ids = true;
        return models;
    }

    /** float16 inputs and outputs on every graph (and a float16 timestep if {@link #floatTimestep()}). */
    public TinyModels fp16() {
        half = true;
        return this;
    }

    public TinyModels int32Ids() {
        int32Ids = true;
        return this;
    }

    public TinyModels floatTimestep() {
        floatTimestep = true;
        return this;
    }

    public TinyModels withoutVaeEncoder() {
        vaeEncoder = false;
        return this;
    }

    /**
     * An inpainting UNet: its {@code sample} takes 9 channels (the 4 latent channels, the mask, and the
     * masked image's 4 latent channels), as SD 1.5-inpainting and SDXL-inpainting UNets do; it still
     * answers 4.
     */
    public TinyModels inpaint() {
        inpaint = true;
        return this;
    }

    /** A VAE encoder that outputs the posterior's 8 channels as newer optimum exports do. */
    public TinyModels latentParameters() {
        latentParameters = true;
        return this;
    }

    /**
     * Feature channels inside the UNet (default 16). More make each UNet run cost more, closer to
     * the ratio of ONNX Runtime work to our own work that real models have; the benchmark uses this.
     */
    public TinyModels unetFeatures(int count) {
        features = count;
        return this;
    }

    /**
     * Width of the text encoder's hidden states (default 32); 768 is SD 1.x's, 1024 SD 2.x's, which
     * the model manager reads to tell the two apart.
     */
    public TinyModels textWidth(int width) {
        hidden = width;
        return this;
    }

    public TinyModels predictionType(String type) {
        predictionType = type;
        return this;
    }

    /** Writes the model folder and returns it. */
    public Path writeTo(Path folder) {
        try {
            Files.createDirectories(folder);
            if (sdxl) {
                return writeSdxl(folder);
            }
            Files.writeString(folder.resolve("model_index.json"), """
                    {
                      "_class_name": "OnnxStableDiffusionPipeline",
                      "_diffusers_version": "0.27.0",
                      "feature_extractor": [null, null],
                      "requires_safety_checker": false,
                      "safety_checker": [null, null],
                      "scheduler": ["diffusers", "PNDMScheduler"],
                      "text_encoder": ["diffusers", "OnnxRuntimeModel"],
                      "tokenizer": ["transformers", "CLIPTokenizer"],
                      "unet": ["diffusers", "OnnxRuntimeModel"],
                      "vae_decoder": ["diffusers", "OnnxRuntimeModel"],
                      "vae_encoder": ["diffusers", "OnnxRuntimeModel"]
                    }
                    """);
            writeTokenizer(folder.resolve("tokenizer"));
            Files.createDirectories(folder.resolve("scheduler"));
            Files.writeString(folder.resolve("scheduler/scheduler_config.json"), """
                    {
                      "_class_name": "PNDMScheduler",
                      "_diffusers_version": "0.27.0",
                      "beta_end": 0.012,
                      "beta_schedule": "scaled_linear",
                      "beta_start": 0.00085,
                      "clip_sample": false,
                      "num_train_timesteps": 1000,
                      "prediction_type": "%s",
                      "set_alpha_to_one": false,
                      "skip_prk_steps": true,
                      "steps_offset": 1,
                      "trained_betas": null
                    }
                    """.formatted(predictionType));
            write(folder.resolve("text_encoder/model.onnx"), textEncoder());
            write(folder.resolve("unet/model.onnx"), unet());
            write(folder.resolve("vae_decoder/model.onnx"), vaeDecoder());
            Files.writeString(folder.resolve("vae_decoder/config.json"),
                    "{\"_class_name\": \"AutoencoderKL\", \"latent_channels\": 4, \"scaling_factor\": 0.18215}");
            if (vaeEncoder) {
                write(folder.resolve("vae_encoder/model.onnx"), vaeEncoderGraph());
            }
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path writeSdxl(Path folder) throws IOException {
        // what optimum-cli export onnx leaves: the diffusers pipeline's index, one folder per part
        Files.writeString(folder.resolve("model_index.json"), """
                {
                  "_class_name": "StableDiffusionXLPipeline",
                  "_diffusers_version": "0.27.0",
                  "feature_extractor": [null, null],
                  "force_zeros_for_empty_prompt": true,
                  "image_encoder": [null, null],
                  "scheduler": ["diffusers", "EulerDiscreteScheduler"],
                  "text_encoder": ["transformers", "CLIPTextModel"],
                  "text_encoder_2": ["transformers", "CLIPTextModelWithProjection"],
                  "tokenizer": ["transformers", "CLIPTokenizer"],
                  "tokenizer_2": ["transformers", "CLIPTokenizer"],
                  "unet": ["diffusers", "UNet2DConditionModel"],
                  "vae": ["diffusers", "AutoencoderKL"]
                }
                """);
        writeTokenizer(folder.resolve("tokenizer"), "<|endoftext|>");
        writeTokenizer(folder.resolve("tokenizer_2"), "!");
        Files.createDirectories(folder.resolve("scheduler"));
        Files.writeString(folder.resolve("scheduler/scheduler_config.json"), """
                {
                  "_class_name": "EulerDiscreteScheduler",
                  "_diffusers_version": "0.27.0",
                  "beta_end": 0.012,
                  "beta_schedule": "scaled_linear",
                  "beta_start": 0.00085,
                  "clip_sample": false,
                  "interpolation_type": "linear",
                  "num_train_timesteps": 1000,
                  "prediction_type": "%s",
                  "sample_max_value": 1.0,
                  "set_alpha_to_one": false,
                  "skip_prk_steps": true,
                  "steps_offset": 1,
                  "timestep_spacing": "leading",
                  "trained_betas": null,
                  "use_karras_sigmas": false
                }
                """.formatted(predictionType));
        write(folder.resolve("text_encoder/model.onnx"), sdxlTextEncoder("text_encoder", 5, hidden, false));
        write(folder.resolve("text_encoder_2/model.onnx"), sdxlTextEncoder("text_encoder_2", 6, hidden2, true));
        write(folder.resolve("unet/model.onnx"), unet());
        write(folder.resolve("vae_decoder/model.onnx"), vaeDecoder());
        Files.writeString(folder.resolve("vae_decoder/config.json"),
                "{\"_class_name\": \"AutoencoderKL\", \"latent_channels\": 4, \"scaling_factor\": 0.13025}");
        if (vaeEncoder) {
            write(folder.resolve("vae_encoder/model.onnx"), vaeEncoderGraph());
            Files.writeString(folder.resolve("vae_encoder/config.json"),
                    "{\"_class_name\": \"AutoencoderKL\", \"latent_channels\": 4, \"scaling_factor\": 0.13025}");
        }
        return folder;
    }

    // ---- tokenizer: CLIP's byte symbols at CLIP's ids, a few merges, CLIP's special tokens ----

    private static void writeTokenizer(Path folder) throws IOException {
        writeTokenizer(folder, "<|endoftext|>");
    }

    private static void writeTokenizer(Path folder, String padToken) throws IOException {
        Files.createDirectories(folder);
        List<String> bytes = new ArrayList<>();
        for (int b = '!'; b <= '~'; b++) {
            bytes.add(String.valueOf((char) b));
        }
        for (int b = 0xA1; b <= 0xAC; b++) {
            bytes.add(String.valueOf((char) b));
        }
        for (int b = 0xAE; b <= 0xFF; b++) {
            bytes.add(String.valueOf((char) b));
        }
        for (int i = 0; i < 68; i++) {
            bytes.add(String.valueOf((char) (256 + i)));
        }
        Map<String, Integer> vocab = new LinkedHashMap<>();
        for (int i = 0; i < 256; i++) {
            vocab.put(bytes.get(i), i);
            vocab.put(bytes.get(i) + "</w>", 256 + i);
        }
        String[] merges = {"i n", "t h", "a n", "r e", "a r", "e r", "th e</w>", "in g</w>"};
        for (int rank = 0; rank < merges.length; rank++) {
            vocab.put(merges[rank].replace(" ", ""), 512 + rank);
        }
        vocab.put("<|startoftext|>", 49406);
        vocab.put("<|endoftext|>", 49407);
        String json = vocab.entrySet().stream()
                .map(e -> "\"" + e.getKey().replace("\\", "\\\\").replace("\"", "\\\"") + "\": " + e.getValue())
                .collect(Collectors.joining(", ", "{", "}"));
        Files.writeString(folder.resolve("vocab.json"), json, StandardCharsets.UTF_8);
        Files.writeString(folder.resolve("merges.txt"), "#version: 0.2\n" + String.join("\n", merges) + "\n",
                StandardCharsets.UTF_8);
        Files.writeString(folder.resolve("special_tokens_map.json"), """
                {"bos_token": {"content": "<|startoftext|>", "lstrip": false, "normalized": true, "rstrip": false,
                 "single_word": false},
                 "eos_token": {"content": "<|endoftext|>", "lstrip": false, "normalized": true, "rstrip": false,
                 "single_word": false},
                 "pad_token": "%s",
                 "unk_token": {"content": "<|endoftext|>", "lstrip": false, "normalized": true, "rstrip": false,
                 "single_word": false}}""".formatted(padToken));
        Files.writeString(folder.resolve("tokenizer_config.json"), """
                {"add_prefix_space": false, "do_lower_case": true, "model_max_length": 77,
                 "tokenizer_class": "CLIPTokenizer"}""");
    }

    // ---- graphs ----

    private int floatType() {
        return half ? FLOAT16 : FLOAT;
    }

    private ModelProto textEncoder() {
        Graph g = new Graph("text_encoder", 1);
        int idsType = int32Ids ? INT32 : INT64;
        g.input("input_ids", idsType, "batch", TOKENS);
        g.constant("vocab_size", int32Ids ? intTensor(new int[] {EMBEDDINGS}) : longTensor(new long[] {EMBEDDINGS}));
        g.node("Mod", List.of("input_ids", "vocab_size"), "ids_mod");
        g.initializer("token_embedding", g.weights(new long[] {EMBEDDINGS, hidden}, 0.5f));
        g.initializer("position_embedding", g.weights(new long[] {TOKENS, hidden}, 0.2f));
        g.node("Gather", List.of("token_embedding", "ids_mod"), "embedded", intAttribute("axis", 0));
        g.node("Add", List.of("embedded", "position_embedding"), "positioned");
        g.node("Tanh", List.of("positioned"), "hidden32");
        g.node("ReduceMean", List.of("hidden32"), "pooled32", intsAttribute("axes", 1), intAttribute("keepdims", 0));
        g.outputFloat("hidden32", "last_hidden_state", half, "batch", TOKENS, hidden);
        g.outputFloat("pooled32", "pooler_output", half, "batch", hidden);
        return g.model();
    }

    /**
     * An SDXL text encoder as optimum exports it: {@code last_hidden_state}, the hidden state after each
     * of two layers ({@code hidden_states.0} is the embedding, {@code .2} the last layer's output, so the
     * penultimate one SDXL uses is {@code .1}), and either {@code pooler_output} or, with a projection,
     * {@code text_embeds}.
     */
    private ModelProto sdxlTextEncoder(String name, long seed, int width, boolean projection) {
        Graph g = new Graph(name, seed);
        g.input("input_ids", INT32, "batch", TOKENS);
        g.constant("vocab_size", intTensor(new int[] {EMBEDDINGS}));
        g.node("Mod", List.of("input_ids", "vocab_size"), "ids_mod");
        g.initializer("token_embedding", g.weights(new long[] {EMBEDDINGS, width}, 0.5f));
        g.initializer("position_embedding", g.weights(new long[] {TOKENS, width}, 0.2f));
        g.node("Gather", List.of("token_embedding", "ids_mod"), "embedded", intAttribute("axis", 0));
        g.node("Add", List.of("embedded", "position_embedding"), "layer0");
        String previous = "layer0";
        for (int layer = 1; layer <= 2; layer++) {
            String weight = "onnx::MatMul_" + (900 + layer);
            g.initializer(weight, g.weights(new long[] {width, width}, 1.5f / (float) Math.sqrt(width)));
            g.namedNode("/text_model/encoder/layers." + (layer - 1) + "/mlp/fc1/MatMul", "MatMul", List.of(previous, weight),
                    "layer" + layer + "_mixed");
            g.node("Tanh", List.of("layer" + layer + "_mixed"), "layer" + layer);
            previous = "layer" + layer;
        }
        g.node("Sin", List.of(previous), "final32");
        g.node("ReduceMean", List.of("final32"), "pooled32", intsAttribute("axes", 1), intAttribute("keepdims", 0));
        g.outputFloat("final32", "last_hidden_state", half, "batch", TOKENS, width);
        if (projection) {
            g.initializer("text_projection", g.weights(new long[] {width, width}, 1.0f / (float) Math.sqrt(width)));
            g.node("MatMul", List.of("pooled32", "text_projection"), "projected32");
            g.outputFloat("projected32", "text_embeds", half, "batch", width);
        } else {
            g.outputFloat("pooled32", "pooler_output", half, "batch", width);
        }
        for (int layer = 0; layer <= 2; layer++) {
            g.outputFloat("layer" + layer, "hidden_states." + layer, half, "batch", TOKENS, width);
        }
        return g.model();
    }

    private ModelProto unet() {
        Graph g = new Graph("unet", 2);
        g.input("sample", floatType(), "batch", inpaint ? 9 : 4, "height", "width");
        int timestepType = floatTimestep ? floatType() : INT64;
        g.input("timestep", timestepType, "steps");
        int contextWidth = sdxl ? hidden + hidden2 : hidden;
        g.input("encoder_hidden_states", floatType(), "batch", TOKENS, contextWidth);
        if (sdxl) {
            g.input("text_embeds", floatType(), "batch", hidden2);
            g.input("time_ids", floatType(), "batch", 6);
        }
        String sample = g.toFloat32("sample");
        String context = g.toFloat32("encoder_hidden_states");
        if (inpaint) {
            sample = inpaintMix(g, sample);
        }
        g.node("Cast", List.of("timestep"), "t32", intAttribute("to", FLOAT));
        g.constant("t_scale", floatTensor(new long[] {1}, new float[] {0.001f}));
        g.node("Mul", List.of("t32", "t_scale"), "t_scaled");
        g.constant("t_shape", longTensor(new long[] {1, 1, 1, 1}));
        g.node("Reshape", List.of("t_scaled", "t_shape"), "t_4d");
        // weights and nodes named as optimum's export names them, which is how LoRA layers find them
        g.initializer("conv_in.weight", g.weights(new long[] {features, 4, 3, 3}, 0.3f));
        g.initializer("conv_in.bias", g.weights(new long[] {features}, 0.1f));
        g.node("Conv", List.of(sample, "conv_in.weight", "conv_in.bias"), "features", intsAttribute("pads", 1, 1, 1, 1));
        g.node("ReduceMean", List.of(context), "context_mean", intsAttribute("axes", 1), intAttribute("keepdims", 0));
        g.initializer(CROSS_ATTENTION_WEIGHT, g.weights(new long[] {contextWidth, features}, 1.0f));
        g.namedNode(CROSS_ATTENTION_NODE, "MatMul", List.of("context_mean", CROSS_ATTENTION_WEIGHT), "context_features");
        if (sdxl) {
            // the pooled embedding and the size conditioning (scaled down from pixels) shift every feature
            g.initializer("pooled_w", g.weights(new long[] {hidden2, features}, 1.0f));
            g.node("MatMul", List.of(g.toFloat32("text_embeds"), "pooled_w"), "pooled_features");
            g.constant("size_scale", floatTensor(new long[] {1}, new float[] {1f / 1024}));
            g.node("Mul", List.of(g.toFloat32("time_ids"), "size_scale"), "sizes");
            g.initializer("time_w", g.weights(new long[] {6, features}, 0.5f));
            g.node("MatMul", List.of("sizes", "time_w"), "size_features");
            g.node("Add", List.of("context_features", "pooled_features"), "context_pooled");
            g.node("Add", List.of("context_pooled", "size_features"), "added_features");
        }
        g.constant("context_axes", longTensor(new long[] {2, 3}));
        g.node("Unsqueeze", List.of(sdxl ? "added_features" : "context_features", "context_axes"), "context_4d");
        g.node("Add", List.of("features", "context_4d"), "conditioned");
        g.node("Add", List.of("conditioned", "t_4d"), "timed");
        g.node("Tanh", List.of("timed"), "activated");
        g.initializer("conv_out.weight", g.weights(new long[] {4, features, 3, 3}, 0.8f / features));
        g.initializer("conv_out.bias", g.weights(new long[] {4}, 0.01f));
        g.node("Conv", List.of("activated", "conv_out.weight", "conv_out.bias"), "residual",
                intsAttribute("pads", 1, 1, 1, 1));
        // an epsilon guess: mostly the (scaled) input itself, plus the conditioned residual
        g.constant("keep", floatTensor(new long[] {1}, new float[] {0.9f}));
        g.node("Mul", List.of(sample, "keep"), "kept");
        g.node("Add", List.of("kept", "residual"), "eps32");
        g.outputFloat("eps32", "out_sample", half, "batch", 4, "height", "width");
        return g.model();
    }

    /**
     * An inpainting UNet's 9 channels mixed down to 4 by a 1x1 convolution: each latent channel passes as it
     * is, plus a little of the mask and of the masked image's latents, so the output depends on all 9.
     */
    private static String inpaintMix(Graph g, String sample) {
        float[] weights = new float[4 * 9];
        for (int out = 0; out < 4; out++) {
            weights[out * 9 + out] = 1;
            weights[out * 9 + 4] = 0.2f;
            weights[out * 9 + 5 + out] = 0.3f;
        }
        g.constant("inpaint_mix_w", floatTensor(new long[] {4, 9, 1, 1}, weights));
        g.node("Conv", List.of(sample, "inpaint_mix_w"), "inpaint_mixed");
        return "inpaint_mixed";
    }

    private ModelProto vaeDecoder() {
        Graph g = new Graph("vae_decoder", 3);
        g.input("latent_sample", floatType(), "batch", 4, "latent_height", "latent_width");
        String latents = g.toFloat32("latent_sample");
        g.initializer("conv_w", g.weights(new long[] {3, 4, 3, 3}, 0.08f));
        g.initializer("conv_b", g.weights(new long[] {3}, 0.05f));
        g.node("Conv", List.of(latents, "conv_w", "conv_b"), "rgb_small", intsAttribute("pads", 1, 1, 1, 1));
        g.constant("scales", floatTensor(new long[] {4}, new float[] {1, 1, 8, 8}));
        g.node("Resize", List.of("rgb_small", "", "scales"), "rgb_large", stringAttribute("mode", "linear"));
        g.node("Tanh", List.of("rgb_large"), "image32");
        g.outputFloat("image32", "sample", half, "batch", 3, "height", "width");
        return g.model();
    }

    private ModelProto vaeEncoderGraph() {
        Graph g = new Graph("vae_encoder", 4);
        g.input("sample", floatType(), "batch", 3, "height", "width");
        String image = g.toFloat32("sample");
        g.node("AveragePool", List.of(image), "pooled", intsAttribute("kernel_shape", 8, 8),
                intsAttribute("strides", 8, 8));
        int channels = latentParameters ? 8 : 4;
        g.initializer("conv_w", g.weights(new long[] {channels, 3, 1, 1}, 1.0f));
        g.initializer("conv_b", g.weights(new long[] {channels}, 0.1f));
        g.node("Conv", List.of("pooled", "conv_w", "conv_b"), "latent32");
        g.outputFloat("latent32", latentParameters ? "latent_parameters" : "latent_sample", half, "batch", channels,
                "latent_height", "latent_width");
        return g.model();
    }

    // ---- editing existing model files, for the refusal tests ----

    /** Renames a graph input (and its uses) in a model file, e.g. to make a UNet lack {@code timestep}. */
    public static void renameInput(Path modelFile, String from, String to) {
        edit(modelFile, graph -> {
            for (int i = 0; i < graph.getInputCount(); i++) {
                if (graph.getInput(i).getName().equals(from)) {
                    graph.setInput(i, graph.getInput(i).toBuilder().setName(to));
                }
            }
            renameUses(graph, from, to);
            return graph;
        });
    }

    /** Renames a graph output (and the node output producing it). */
    public static void renameOutput(Path modelFile, String from, String to) {
        edit(modelFile, graph -> {
            for (int i = 0; i < graph.getOutputCount(); i++) {
                if (graph.getOutput(i).getName().equals(from)) {
                    graph.setOutput(i, graph.getOutput(i).toBuilder().setName(to));
                }
            }
            for (int n = 0; n < graph.getNodeCount(); n++) {
                NodeProto.Builder node = graph.getNode(n).toBuilder();
                for (int o = 0; o < node.getOutputCount(); o++) {
                    if (node.getOutput(o).equals(from)) {
                        node.setOutput(o, to);
                    }
                }
                graph.setNode(n, node);
            }
            renameUses(graph, from, to);
            return graph;
        });
    }

    /** Changes the declared element type of a graph input, inserting a Cast so the graph stays valid. */
    public static void retypeInput(Path modelFile, String input, TensorProto.DataType type) {
        edit(modelFile, graph -> {
            int original = -1;
            for (int i = 0; i < graph.getInputCount(); i++) {
                ValueInfoProto value = graph.getInput(i);
                if (value.getName().equals(input)) {
                    original = value.getType().getTensorType().getElemType();
                    TypeProto.Builder typeProto = value.getType().toBuilder();
                    typeProto.getTensorTypeBuilder().setElemType(type.getNumber());
                    graph.setInput(i, value.toBuilder().setType(typeProto));
                }
            }
            String cast = input + "_retyped";
            renameUses(graph, input, cast);
            graph.addNode(0, NodeProto.newBuilder().setOpType("Cast").addInput(input).addOutput(cast)
                    .setName(cast).addAttribute(intAttribute("to", original)));
            return graph;
        });
    }

    private static void renameUses(GraphProto.Builder graph, String from, String to) {
        for (int n = 0; n < graph.getNodeCount(); n++) {
            NodeProto.Builder node = graph.getNode(n).toBuilder();
            for (int i = 0; i < node.getInputCount(); i++) {
                if (node.getInput(i).equals(from)) {
                    node.setInput(i, to);
                }
            }
            graph.setNode(n, node);
        }
    }

    private static void edit(Path modelFile, UnaryOperator<GraphProto.Builder> change) {
        try {
            ModelProto model = ModelProto.parseFrom(Files.readAllBytes(modelFile));
            ModelProto edited = model.toBuilder().setGraph(change.apply(model.getGraph().toBuilder())).build();
            Files.write(modelFile, edited.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, ModelProto model) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, model.toByteArray());
    }

    // ---- protobuf helpers ----

    /** A graph under construction, with a seeded weight generator of its own. */
    private static final class Graph {
        private final GraphProto.Builder graph = GraphProto.newBuilder();
        private final SplittableRandom random;
        private int nodes;

        Graph(String name, long seed) {
            graph.setName(name);
            random = new SplittableRandom(seed);
        }

        void input(String name, int elementType, Object... dims) {
            graph.addInput(valueInfo(name, elementType, dims));
        }

        /** The input as float32: itself, or a Cast of it when the model is float16. */
        String toFloat32(String name) {
            for (ValueInfoProto input : graph.getInputList()) {
                if (input.getName().equals(name) && input.getType().getTensorType().getElemType() == FLOAT16) {
                    node("Cast", List.of(name), name + "_f32", intAttribute("to", FLOAT));
                    return name + "_f32";
                }
            }
            return name;
        }

        void outputFloat(String value, String name, boolean half, Object... dims) {
            node("Cast", List.of(value), name, intAttribute("to", half ? FLOAT16 : FLOAT));
            graph.addOutput(valueInfo(name, half ? FLOAT16 : FLOAT, dims));
        }

        void initializer(String name, TensorProto tensor) {
            graph.addInitializer(tensor.toBuilder().setName(name));
        }

        void constant(String name, TensorProto tensor) {
            initializer(name, tensor);
        }

        TensorProto weights(long[] dims, float scale) {
            long count = 1;
            for (long d : dims) {
                count *= d;
            }
            float[] values = new float[(int) count];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) ((random.nextDouble() * 2 - 1) * scale);
            }
            return floatTensor(dims, values);
        }

        void node(String op, List<String> inputs, String output, AttributeProto... attributes) {
            namedNode(op + "_" + nodes++, op, inputs, output, attributes);
        }

        void namedNode(String name, String op, List<String> inputs, String output, AttributeProto... attributes) {
            NodeProto.Builder node = NodeProto.newBuilder().setOpType(op).setName(name)
                    .addAllInput(inputs).addOutput(output);
            for (AttributeProto attribute : attributes) {
                node.addAttribute(attribute);
            }
            graph.addNode(node);
        }

        ModelProto model() {
            return ModelProto.newBuilder().setIrVersion(8).setProducerName("invokej-tiny-models")
                    .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                    .setGraph(graph).build();
        }
    }

    private static ValueInfoProto valueInfo(String name, int elementType, Object... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Object dim : dims) {
            if (dim instanceof String symbol) {
                shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(symbol));
            } else {
                shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(((Number) dim).longValue()));
            }
        }
        TypeProto type = TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(elementType).setShape(shape)).build();
        return ValueInfoProto.newBuilder().setName(name).setType(type).build();
    }

    private static TensorProto floatTensor(long[] dims, float[] values) {
        TensorProto.Builder tensor = TensorProto.newBuilder().setDataType(FLOAT);
        for (long d : dims) {
            tensor.addDims(d);
        }
        for (float v : values) {
            tensor.addFloatData(v);
        }
        return tensor.build();
    }

    private static TensorProto longTensor(long[] values) {
        TensorProto.Builder tensor = TensorProto.newBuilder().setDataType(INT64).addDims(values.length);
        for (long v : values) {
            tensor.addInt64Data(v);
        }
        return tensor.build();
    }

    private static TensorProto intTensor(int[] values) {
        TensorProto.Builder tensor = TensorProto.newBuilder().setDataType(INT32).addDims(values.length);
        for (int v : values) {
            tensor.addInt32Data(v);
        }
        return tensor.build();
    }

    private static AttributeProto intAttribute(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    private static AttributeProto intsAttribute(String name, long... values) {
        AttributeProto.Builder attribute = AttributeProto.newBuilder().setName(name)
                .setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            attribute.addInts(v);
        }
        return attribute.build();
    }

    private static AttributeProto stringAttribute(String name, String value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                .setS(com.google.protobuf.ByteString.copyFromUtf8(value)).build();
    }
}
