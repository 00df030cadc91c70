package org.invokej.inference.onnx;

import org.invokej.inference.InvalidModelException;
import org.invokej.inference.lora.LoraPatches;
import org.invokej.inference.lora.OnnxWeights;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * One model part's ONNX Runtime session, opened once and reused, with the checks that its graph has
 * the inputs and outputs the pipeline feeds and reads, and a clock of the time spent inside
 * {@code run}.
 */
public final class OnnxPart implements AutoCloseable {
    public static final Set<OnnxJavaType> FLOATS = Set.of(OnnxJavaType.FLOAT, OnnxJavaType.FLOAT16);
    public static final Set<OnnxJavaType> INTEGERS = Set.of(OnnxJavaType.INT32, OnnxJavaType.INT64);
    public static final Set<OnnxJavaType> TIMESTEPS = Set.of(OnnxJavaType.INT64, OnnxJavaType.INT32, OnnxJavaType.FLOAT,
            OnnxJavaType.FLOAT16, OnnxJavaType.DOUBLE);

    private final Path file;
    private final OrtSession session;
    private final Map<String, NodeInfo> inputs;
    private final Map<String, NodeInfo> outputs;
    private long runNanos;
    private long runs;

    private OnnxPart(Path file, OrtSession session) throws OrtException {
        this.file = file;
        this.session = session;
        this.inputs = session.getInputInfo();
        this.outputs = session.getOutputInfo();
    }

    public static OnnxPart open(SessionOpener opener, Path file) {
        return open(opener, file, List.of());
    }

    /** Opens the part with some of its weights replaced by {@code patches} (LoRAs blended in). */
    public static OnnxPart open(SessionOpener opener, Path file, List<LoraPatches.Patch> patches) {
        OrtSession session;
        try {
            session = patches.isEmpty() ? opener.open(file) : opener.open(file, OnnxWeights.patchedModel(file, patches));
        } catch (OrtException e) {
            throw new InvalidModelException(file + ": ONNX Runtime cannot load it (" + e.getMessage() + ")", e);
        }
        try {
            return new OnnxPart(file, session);
        } catch (OrtException e) {
            closeQuietly(session);
            throw new InvalidModelException(file + ": cannot read its inputs and outputs (" + e.getMessage() + ")", e);
        }
    }

    public Path file() {
        return file;
    }

    public boolean hasInput(String name) {
        return inputs.containsKey(name);
    }

    public boolean hasOutput(String name) {
        return outputs.containsKey(name);
    }

    public Set<String> inputNames() {
        return inputs.keySet();
    }

    /** The declared shape of an output (negative where symbolic). */
    public Set<String> outputNames() {
        return Collections.unmodifiableSet(outputs.keySet());
    }

    public long[] outputShape(String name) {
        return ((TensorInfo) outputs.get(name).getInfo()).getShape();
    }

    /** The input's tensor info, checked for element type and rank (a rank &lt; 0 accepts any). */
    public TensorInfo input(String name, Set<OnnxJavaType> types, int... ranks) {
        return check("input", name, inputs, types, ranks);
    }

    public TensorInfo output(String name, Set<OnnxJavaType> types, int... ranks) {
        return check("output", name, outputs, types, ranks);
    }

    private TensorInfo check(String kind, String name, Map<String, NodeInfo> infos, Set<OnnxJavaType> types,
            int... ranks) {
        NodeInfo node = infos.get(name);
        if (node == null) {
            throw new InvalidModelException(file + ": the graph has no " + kind + " '" + name + "' (its " + kind
                    + "s: " + String.join(", ", new TreeSet<>(infos.keySet())) + ")");
        }
        if (!(node.getInfo() instanceof TensorInfo info)) {
            throw new InvalidModelException(file + ": " + kind + " '" + name + "' is not a tensor");
        }
        if (!types.contains(info.type)) {
            throw new InvalidModelException(file + ": " + kind + " '" + name + "' has element type "
                    + typeName(info.type) + "; expected " + types.stream().map(OnnxPart::typeName).sorted()
                    .collect(Collectors.joining(" or ")));
        }
        int rank = info.getShape().length;
        if (ranks.length > 0 && Arrays.stream(ranks).noneMatch(r -> r == rank)) {
            throw new InvalidModelException(file + ": " + kind + " '" + name + "' has rank " + rank + " (shape "
                    + Arrays.toString(info.getShape()) + "); expected rank "
                    + Arrays.stream(ranks).mapToObj(Integer::toString).collect(Collectors.joining(" or ")));
        }
        return info;
    }

    public static String typeName(OnnxJavaType type) {
        return switch (type) {
            case FLOAT -> "float32";
            case FLOAT16 -> "float16";
            case DOUBLE -> "float64";
            case INT32 -> "int32";
            case INT64 -> "int64";
            default -> type.name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    /** Runs the graph, writing the named outputs into the given (pinned) tensors. */
    public void run(Map<String, OnnxTensor> feeds, Map<String, OnnxTensor> pinnedOutputs, OrtSession.RunOptions options)
            throws OrtException {
        long start = System.nanoTime();
        try {
            // the outputs are in the pinned tensors; the result owns nothing else
            session.run(feeds, Set.of(), pinnedOutputs, options).close();
        } finally {
            runNanos += System.nanoTime() - start;
            runs++;
        }
    }

    /** Runs the graph and returns the named outputs, which the caller closes. */
    public OrtSession.Result run(Map<String, OnnxTensor> feeds, Set<String> outputNames, OrtSession.RunOptions options)
            throws OrtException {
        long start = System.nanoTime();
        try {
            return session.run(feeds, outputNames, options);
        } finally {
            runNanos += System.nanoTime() - start;
            runs++;
        }
    }

    /** Nanoseconds spent inside {@code run} since the part was opened. */
    public long runNanos() {
        return runNanos;
    }

    public long runs() {
        return runs;
    }

    @Override
    public void close() {
        closeQuietly(session);
    }

    private static void closeQuietly(OrtSession session) {
        try {
            session.close();
        } catch (OrtException e) {
            // closing releases native memory; there is nothing useful to do if it reports a problem
        }
    }
}
