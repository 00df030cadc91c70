package org.invokej.inference;

import org.invokej.inference.onnx.DeviceUnavailableException;
import org.invokej.inference.onnx.OrtDevice;
import org.invokej.inference.onnx.SessionOpener;

import ai.onnxruntime.OrtEnvironment;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The image-generation engine: a model cache, the pipeline, and one dispatch thread that runs
 * submitted jobs one after another (one GPU, or the CPU, can only do one well at a time).
 */
public final class GenerationEngine implements AutoCloseable {
    private final SessionOpener opener;
    private final ModelCache cache;
    private final DiffusionPipeline pipeline;
    private final ImageGenerator generator;
    private final ExecutorService dispatcher;
    private volatile boolean closing;

    /**
     * Settles the device (an explicit {@code cuda} that cannot work throws
     * {@link DeviceUnavailableException}) and starts the dispatch thread.
     */
    public GenerationEngine(EngineSettings settings) {
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        this.opener = new SessionOpener(environment, settings);
        this.cache = new ModelCache(opener, settings.modelCacheBytes());
        this.pipeline = new DiffusionPipeline(settings.previewInterval());
        this.generator = new ImageGenerator(pipeline);
        this.dispatcher = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("invokej-generation").factory());
    }

    /** The device models run on ({@code cpu} or {@code cuda:N}). */
    public OrtDevice device() {
        return opener.device();
    }

    public ModelCache cache() {
        return cache;
    }

    public DiffusionPipeline pipeline() {
        return pipeline;
    }

    /** Queues a job; it runs after those submitted before it. */
    public <T> GenerationHandle<T> submit(EngineJob<T> job, ProgressListener listener) {
        CancelToken cancel = new CancelToken();
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            dispatcher.execute(() -> {
                JobContext context = new JobContext(cache, pipeline, listener, cancel);
                try {
                    if (closing) {
                        throw new IllegalStateException("the generation engine was closed before this job started");
                    }
                    cancel.check();
                    result.complete(job.run(context));
                } catch (Throwable e) {
                    result.completeExceptionally(e);
                } finally {
                    context.release();
                }
            });
        } catch (RejectedExecutionException e) {
            throw new IllegalStateException("the generation engine is closed", e);
        }
        return new GenerationHandle<>(result, cancel);
    }

    /** Queues one text-to-image or image-to-image generation. */
    public GenerationHandle<GeneratedImage> submit(GenerationRequest request, ProgressListener listener) {
        return submit(context -> {
            DiffusionModel model = context.model(request.model(), request.loras());
            return generator.generate(model, request, context.loadNanos(), context.listener(), context.cancel());
        }, listener);
    }

    /** Lets the running job finish, fails queued ones, and unloads the models. */
    @Override
    public void close() {
        closing = true;
        dispatcher.shutdown();
        try {
            dispatcher.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        cache.close();
    }
}
