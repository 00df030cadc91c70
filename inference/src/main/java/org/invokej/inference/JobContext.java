package org.invokej.inference;

import org.invokej.inference.lora.LoraStack;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What a job gets on the dispatch thread: models from the cache, the pipeline, its listener and cancel token. */
public final class JobContext {
    private final ModelCache cache;
    private final DiffusionPipeline pipeline;
    private final ProgressListener listener;
    private final CancelToken cancel;
    private final List<ModelCache.Lease> leases = new ArrayList<>();
    private long loadNanos;

    JobContext(ModelCache cache, DiffusionPipeline pipeline, ProgressListener listener, CancelToken cancel) {
        this.cache = cache;
        this.pipeline = pipeline;
        this.listener = listener;
        this.cancel = cancel;
    }

    /** The loaded model of a folder, held until the job ends. */
    public DiffusionModel model(Path folder) {
        return model(folder, LoraStack.NONE);
    }

    /** The loaded model of a folder with {@code loras} blended in, held until the job ends. */
    public DiffusionModel model(Path folder, LoraStack loras) {
        ModelCache.Lease lease = cache.acquire(folder, loras);
        leases.add(lease);
        loadNanos += lease.loadNanos();
        return lease.model();
    }

    public DiffusionPipeline pipeline() {
        return pipeline;
    }

    public ProgressListener listener() {
        return listener;
    }

    public CancelToken cancel() {
        return cancel;
    }

    /** Time this job spent loading models so far. */
    public long loadNanos() {
        return loadNanos;
    }

    void release() {
        leases.forEach(ModelCache.Lease::close);
        leases.clear();
    }
}
