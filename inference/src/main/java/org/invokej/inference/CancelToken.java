package org.invokej.inference;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Cancels a generation: checked before every step, and it also sets ONNX Runtime's terminate flag
 * on runs in progress, so that a long {@code run} (a big UNet, the VAE) stops early too.
 */
public final class CancelToken {
    private final Set<OrtSession.RunOptions> running = ConcurrentHashMap.newKeySet();
    private volatile boolean cancelled;

    public void cancel() {
        cancelled = true;
        for (OrtSession.RunOptions options : running) {
            terminate(options);
        }
    }

    public boolean isCancelled() {
        return cancelled;
    }

    /** Throws {@link GenerationCancelledException} once cancelled. */
    public void check() {
        if (cancelled) {
            throw new GenerationCancelledException();
        }
    }

    /** Run options for one stage, registered so that {@link #cancel()} can terminate its runs. */
    OrtSession.RunOptions begin() throws OrtException {
        OrtSession.RunOptions options = new OrtSession.RunOptions();
        running.add(options);
        // cancel() may have run between the check before this stage and the line above
        if (cancelled) {
            terminate(options);
        }
        return options;
    }

    void end(OrtSession.RunOptions options) {
        running.remove(options);
        options.close();
    }

    private static void terminate(OrtSession.RunOptions options) {
        try {
            options.setTerminate(true);
        } catch (OrtException | IllegalStateException e) {
            // the run finished and its options were closed meanwhile: nothing left to stop
        }
    }
}
