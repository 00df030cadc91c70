package org.invokej.inference.onnx;

import org.invokej.inference.EngineSettings;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.logging.Logger;

/**
 * Opens ONNX Runtime sessions on the configured device with the engine's thread settings. The
 * device is settled once, on construction: {@code auto} tries CUDA and falls back to the CPU with
 * one log line naming the reason; an explicit {@code cuda} that cannot work is an error.
 */
public final class SessionOpener {
    private static final Logger LOG = Logger.getLogger(SessionOpener.class.getName());

    private final OrtEnvironment environment;
    private final EngineSettings settings;
    private final OrtDevice device;
    private final boolean optimize;

    public SessionOpener(OrtEnvironment environment, EngineSettings settings) {
        this(environment, settings, true);
    }

    private SessionOpener(OrtEnvironment environment, EngineSettings settings, boolean optimize) {
        this.environment = environment;
        this.settings = settings;
        this.device = resolve(settings.device());
        this.optimize = optimize;
    }

    /**
     * An opener for checking models rather than running them: the CPU, one thread, and no graph
     * optimisation (which costs seconds on a real UNet and only matters for running it).
     */
    public static SessionOpener forChecking() {
        return new SessionOpener(OrtEnvironment.getEnvironment(), new EngineSettings(OrtDevice.CPU, 0, 1, 1), false);
    }

    public OrtEnvironment environment() {
        return environment;
    }

    /** The device sessions are opened on: {@code cpu} or {@code cuda:N}, never {@code auto}. */
    public OrtDevice device() {
        return device;
    }

    private OrtDevice resolve(OrtDevice requested) {
        if (requested.kind() == OrtDevice.Kind.CPU) {
            return OrtDevice.CPU;
        }
        int index = requested.index();
        String reason = cudaProblem(index);
        if (reason == null) {
            return new OrtDevice(OrtDevice.Kind.CUDA, index);
        }
        if (requested.kind() == OrtDevice.Kind.CUDA) {
            throw new DeviceUnavailableException("CUDA device " + index + " cannot be used: " + reason
                    + ". Use --device cpu (config device: cpu) or --device auto.");
        }
        LOG.info("CUDA not used, running on the CPU: " + reason);
        return OrtDevice.CPU;
    }

    /** Why CUDA device {@code index} cannot be used, or null when it can. */
    private String cudaProblem(int index) {
        if (!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
            return "this build of ONNX Runtime has no CUDA provider (the default build is CPU-only;"
                    + " build with the Maven profile 'cuda', see docs/cuda.md)";
        }
        String preloadProblem = CudaLibraries.preloadIfNeeded();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                OrtCUDAProviderOptions cuda = new OrtCUDAProviderOptions(index)) {
            options.addCUDA(cuda);
            return null;
        } catch (OrtException | UnsatisfiedLinkError e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
            return preloadProblem == null ? message : message + " (" + preloadProblem + ")";
        }
    }

    /**
     * Opens one model part. Intra-op threads are set from the settings with spinning off (spinning
     * threads made runs about 3x slower on 2 cores); one inter-op thread, as the graphs run
     * sequentially.
     */
    public OrtSession open(Path modelFile) throws OrtException {
        return open(modelFile, null);
    }

    /**
     * Opens one model part from {@code modelBytes}, the bytes of {@code modelFile} with some weights changed (LoRAs
     * blended in); weights in external data files are found beside {@code modelFile}. Changed weights go into the
     * bytes rather than through {@code addInitializer}, whose replacements the graph optimisations do not see (a
     * Conv's weight is reordered from the file's at ALL_OPT).
     */
    public OrtSession open(Path modelFile, ByteBuffer modelBytes) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            if (modelBytes != null) {
                options.addConfigEntry("session.model_external_initializers_file_folder_path",
                        modelFile.toAbsolutePath().getParent().toString());
            }
            options.setIntraOpNumThreads(settings.effectiveIntraOpThreads());
            options.setInterOpNumThreads(1);
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            options.addConfigEntry("session.inter_op.allow_spinning", "0");
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(optimize ? OrtSession.SessionOptions.OptLevel.ALL_OPT
                    : OrtSession.SessionOptions.OptLevel.NO_OPT);
            if (device.kind() == OrtDevice.Kind.CUDA) {
                try (OrtCUDAProviderOptions cuda = new OrtCUDAProviderOptions(device.index())) {
                    options.addCUDA(cuda);
                }
            }
            return modelBytes == null ? environment.createSession(modelFile.toString(), options)
                    : environment.createSession(modelBytes, options);
        }
    }
}
