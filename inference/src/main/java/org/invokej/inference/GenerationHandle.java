package org.invokej.inference;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A submitted job: wait for its result, or cancel it (queued jobs never start; running ones stop within a step). */
public final class GenerationHandle<T> {
    private final CompletableFuture<T> result;
    private final CancelToken cancel;

    GenerationHandle(CompletableFuture<T> result, CancelToken cancel) {
        this.result = result;
        this.cancel = cancel;
    }

    public void cancel() {
        cancel.cancel();
    }

    public boolean isDone() {
        return result.isDone();
    }

    /**
     * The result. A failure is rethrown as it was thrown when unchecked
     * ({@link GenerationCancelledException} when cancelled), else wrapped in a CompletionException.
     */
    public T await() throws InterruptedException {
        try {
            return result.get();
        } catch (ExecutionException e) {
            throw unwrap(e);
        }
    }

    public T await(Duration timeout) throws InterruptedException, TimeoutException {
        try {
            return result.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw unwrap(e);
        }
    }

    /** The result as a future, for callers that compose. */
    public CompletableFuture<T> future() {
        return result.copy();
    }

    private static RuntimeException unwrap(ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException runtime) {
            return runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new CompletionException(cause);
    }
}
