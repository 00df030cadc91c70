package org.invokej.inference;

import org.invokej.inference.onnx.OrtDevice;

/**
 * How the engine runs, from configuration: device, how much memory loaded models may take, and
 * threads.
 *
 * @param device {@code auto}, {@code cpu} or {@code cuda[:N]}
 * @param modelCacheBytes loaded models are kept until their files' total size would exceed this;
 *     the least recently used are unloaded first (the model in use is always kept)
 * @param intraOpThreads threads ONNX Runtime uses inside one operator; 0 means one per core
 * @param previewInterval a progress preview every this many steps (and at the last step)
 */
public record EngineSettings(OrtDevice device, long modelCacheBytes, int intraOpThreads, int previewInterval) {

    public EngineSettings {
        if (device == null) {
            throw new IllegalArgumentException("device must be given");
        }
        if (modelCacheBytes < 0) {
            throw new IllegalArgumentException("model cache size must not be negative: " + modelCacheBytes);
        }
        if (intraOpThreads < 0) {
            throw new IllegalArgumentException("intra-op threads must not be negative: " + intraOpThreads);
        }
        if (previewInterval < 1) {
            throw new IllegalArgumentException("preview interval must be at least 1: " + previewInterval);
        }
    }

    /** Automatic device, 6 GiB of models, a thread per core, a preview every 2 steps. */
    public static EngineSettings defaults() {
        return new EngineSettings(OrtDevice.AUTO, 6L << 30, 0, 2);
    }

    public EngineSettings withDevice(OrtDevice newDevice) {
        return new EngineSettings(newDevice, modelCacheBytes, intraOpThreads, previewInterval);
    }

    /** The thread count to give ONNX Runtime. */
    public int effectiveIntraOpThreads() {
        return intraOpThreads > 0 ? intraOpThreads : Runtime.getRuntime().availableProcessors();
    }
}
