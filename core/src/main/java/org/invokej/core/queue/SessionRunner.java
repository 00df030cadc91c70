package org.invokej.core.queue;

import java.util.Map;

/**
 * Runs a queue item's session (its graph) on the generation engine. The dispatcher starts one at a
 * time and waits for it; {@link Running#cancel} stops it within one denoising step.
 */
public interface SessionRunner {

    /** Starts running {@code item} for its owner, reporting node by node to {@code listener}. */
    Running start(QueueItem item, SessionListener listener);

    /** A session being run. */
    interface Running {
        /** Waits for the end: completed, failed (with the failing node) or canceled. */
        Outcome await() throws InterruptedException;

        void cancel();
    }

    /**
     * How a session ended, and its final execution state.
     *
     * @param failedInvocation the prepared node that failed (with {@code failedSourceId}), for {@code invocation_error}
     */
    record Outcome(QueueStatus status, Map<String, Object> session, String errorType, String errorMessage, String errorTraceback,
                   Map<String, Object> failedInvocation, String failedSourceId) {
    }

    /** What a running session reports, node by node (prepared node JSON, and the id in the submitted graph). */
    interface SessionListener {
        void started(Map<String, Object> invocation, String sourceId);

        /**
         * @param percentage 0..1 or null
         * @param image      {@code {width, height, dataURL}} of a preview, or null
         */
        void progress(Map<String, Object> invocation, String sourceId, String message, Double percentage, Map<String, Object> image);

        void completed(Map<String, Object> invocation, String sourceId, Map<String, Object> result);

        /** A model is being loaded (or has been) for this session. */
        void modelLoad(Map<String, Object> config, String submodel, boolean complete);
    }
}
