package org.invokej.inference.lora;

import org.invokej.inference.InvalidModelException;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.CodedInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The weights of one ONNX graph that a LoRA can change, found by the names an export gives them: each Conv, MatMul
 * and Gemm whose weight is an initializer, under the initializer's name when it is a parameter's
 * ({@code conv_in.weight} → {@code conv_in}) and under its node's path (optimum's exports name nodes
 * {@code /down_blocks.0/attentions.0/transformer_blocks.0/attn1/to_q/MatMul} and give MatMul weights anonymous
 * names such as {@code onnx::MatMul_9123}), both in kohya's spelling. MatMul weights are stored transposed
 * ({@code [in, out]}), as is a Gemm's without {@code transB}.
 *
 * <p>The graph is parsed from a memory-mapped file with protobuf's aliasing, so weight bytes are not copied onto the
 * heap; only the weights a LoRA changes are read.
 */
public final class OnnxWeights {

    /** A weight a LoRA layer can change. */
    public record Target(String initializer, long[] dims, int dataType, boolean transposed) {

        /** {@code [out, in·kh·kw]} as a LoRA's delta is laid out: out features first. */
        long outFeatures() {
            return transposed ? dims[1] : dims[0];
        }

        long inFeatures() {
            if (transposed) {
                return dims[0];
            }
            long in = 1;
            for (int i = 1; i < dims.length; i++) {
                in *= dims[i];
            }
            return in;
        }
    }

    private final Path file;
    private final Map<String, Target> byModule;
    private final Map<String, TensorProto> initializers;

    private OnnxWeights(Path file, Map<String, Target> byModule, Map<String, TensorProto> initializers) {
        this.file = file;
        this.byModule = byModule;
        this.initializers = initializers;
    }

    /** Reads the graph of {@code modelFile}. */
    public static OnnxWeights read(Path modelFile) {
        ModelProto model = parse(modelFile);
        Map<String, TensorProto> initializers = new HashMap<>();
        for (TensorProto tensor : model.getGraph().getInitializerList()) {
            initializers.put(tensor.getName(), tensor);
        }
        Map<String, Target> byModule = new HashMap<>();
        for (NodeProto node : model.getGraph().getNodeList()) {
            String op = node.getOpType();
            if (!(op.equals("Conv") || op.equals("MatMul") || op.equals("Gemm")) || node.getInputCount() < 2) {
                continue;
            }
            TensorProto weight = initializers.get(node.getInput(1));
            if (weight == null || !(weight.getDataType() == TensorProto.DataType.FLOAT.getNumber()
                    || weight.getDataType() == TensorProto.DataType.FLOAT16.getNumber())) {
                continue;
            }
            if (op.equals("MatMul") && weight.getDimsCount() != 2) {
                continue;
            }
            boolean transposed = op.equals("MatMul") || (op.equals("Gemm") && !transB(node));
            long[] dims = weight.getDimsList().stream().mapToLong(Long::longValue).toArray();
            Target target = new Target(weight.getName(), dims, weight.getDataType(), transposed);
            if (weight.getName().endsWith(".weight")) {
                byModule.putIfAbsent(LoraFile.kohyaName(weight.getName().substring(0, weight.getName().length() - ".weight".length())),
                        target);
            }
            nodeModule(node.getName()).ifPresent(module -> byModule.putIfAbsent(LoraFile.kohyaName(module), target));
        }
        return new OnnxWeights(modelFile, byModule, initializers);
    }

    private static boolean transB(NodeProto node) {
        for (AttributeProto attribute : node.getAttributeList()) {
            if (attribute.getName().equals("transB")) {
                return attribute.getI() != 0;
            }
        }
        return false;
    }

    /** {@code /a.0/b/c/MatMul} → {@code a.0.b.c}: the module a node was exported from. */
    private static Optional<String> nodeModule(String nodeName) {
        if (!nodeName.startsWith("/") || nodeName.lastIndexOf('/') <= 0) {
            return Optional.empty();
        }
        return Optional.of(nodeName.substring(1, nodeName.lastIndexOf('/')).replace('/', '.'));
    }

    /** The weight a layer named {@code module} (kohya's spelling) changes, if the graph has it. */
    public Optional<Target> find(String module) {
        return Optional.ofNullable(byModule.get(module));
    }

    /** The values of an initializer as float32. */
    public float[] values(Target target) {
        TensorProto tensor = initializers.get(target.initializer());
        long count = 1;
        for (long d : target.dims()) {
            count *= d;
        }
        boolean half = target.dataType() == TensorProto.DataType.FLOAT16.getNumber();
        float[] values = new float[Math.toIntExact(count)];
        if (tensor.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            ByteBuffer bytes = external(tensor, count * (half ? 2 : 4));
            decode(bytes, values, half);
        } else if (!tensor.getRawData().isEmpty()) {
            decode(tensor.getRawData().asReadOnlyByteBuffer(), values, half);
        } else if (half) {
            List<Integer> bits = tensor.getInt32DataList();
            for (int i = 0; i < values.length; i++) {
                values[i] = Float.float16ToFloat((short) (int) bits.get(i));
            }
        } else {
            for (int i = 0; i < values.length; i++) {
                values[i] = tensor.getFloatData(i);
            }
        }
        return values;
    }

    private static void decode(ByteBuffer bytes, float[] into, boolean half) {
        ByteBuffer data = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < into.length; i++) {
            into[i] = half ? Float.float16ToFloat(data.getShort()) : data.getFloat();
        }
    }

    private ByteBuffer external(TensorProto tensor, long length) {
        String location = null;
        long offset = 0;
        for (StringStringEntryProto entry : tensor.getExternalDataList()) {
            switch (entry.getKey()) {
                case "location" -> location = entry.getValue();
                case "offset" -> offset = Long.parseLong(entry.getValue());
                default -> { }
            }
        }
        if (location == null) {
            throw new InvalidModelException(file + ": initializer " + tensor.getName() + " is external but names no file");
        }
        Path data = file.resolveSibling(location).normalize();
        if (!data.startsWith(file.getParent())) {
            throw new InvalidModelException(file + ": initializer " + tensor.getName() + " names a file outside its folder");
        }
        try (FileChannel channel = FileChannel.open(data, StandardOpenOption.READ)) {
            return channel.map(FileChannel.MapMode.READ_ONLY, offset, length);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + data, e);
        }
    }

    /** The model of {@code modelFile}, its weight bytes aliasing the mapped file rather than copied onto the heap. */
    static ModelProto parse(Path modelFile) {
        try (FileChannel channel = FileChannel.open(modelFile, StandardOpenOption.READ)) {
            if (channel.size() > Integer.MAX_VALUE) {
                throw new InvalidModelException(modelFile + ": an ONNX file over 2 GB keeps its weights outside (external data)");
            }
            MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
            CodedInputStream in = CodedInputStream.newInstance(mapped);
            in.enableAliasing(true);
            in.setSizeLimit(Integer.MAX_VALUE);
            return ModelProto.parseFrom(in);
        } catch (IOException e) {
            throw new InvalidModelException(modelFile + ": cannot be read as an ONNX model (" + e.getMessage() + ")", e);
        }
    }

    /**
     * The bytes of {@code modelFile} with the initializers of {@code patches} replaced (inline, little-endian), in a
     * direct buffer for ONNX Runtime to build a session from. Weights kept in external data files stay there; the
     * session is told the model's folder to find them.
     */
    public static ByteBuffer patchedModel(Path modelFile, List<LoraPatches.Patch> patches) {
        ModelProto model = parse(modelFile);
        Map<String, LoraPatches.Patch> byName = new HashMap<>();
        patches.forEach(patch -> byName.put(patch.initializer(), patch));
        ModelProto.Builder builder = model.toBuilder();
        var graph = builder.getGraphBuilder();
        for (int i = 0; i < graph.getInitializerCount(); i++) {
            LoraPatches.Patch patch = byName.get(graph.getInitializer(i).getName());
            if (patch != null) {
                graph.setInitializer(i, tensor(graph.getInitializer(i), patch));
            }
        }
        ModelProto patched = builder.build();
        ByteBuffer bytes = ByteBuffer.allocateDirect(patched.getSerializedSize());
        try {
            com.google.protobuf.CodedOutputStream out = com.google.protobuf.CodedOutputStream.newInstance(bytes);
            patched.writeTo(out);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the patched model of " + modelFile, e);
        }
        return bytes.flip();
    }

    private static TensorProto tensor(TensorProto original, LoraPatches.Patch patch) {
        float[] values = patch.values();
        ByteBuffer raw = ByteBuffer.allocate(values.length * (patch.half() ? 2 : 4)).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            if (patch.half()) {
                raw.putShort(Float.floatToFloat16(v));
            } else {
                raw.putFloat(v);
            }
        }
        return original.toBuilder().clearFloatData().clearInt32Data().clearExternalData().clearDataLocation()
                .setRawData(com.google.protobuf.ByteString.copyFrom(raw.array())).build();
    }
}
