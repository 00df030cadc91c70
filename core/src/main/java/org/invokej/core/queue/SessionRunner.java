package org.invokej.core.queue;

import com.fasterxml.jackson.annotation.JsonProperty;

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
     * A node of a running session, as InvokeAI's invocation events show it ({@code invocation}: the
     * prepared node). The engine's own type implements it and says how it is written as JSON; core only
     * passes it on to the events.
     */
    interface Node {
        /** The node's id in the submitted graph ({@code invocation_source_id}). */
        String sourceId();
    }

    /** What a node returned ({@code result} of {@code invocation_complete}), written as JSON by its own type. */
    interface Result {
    }

    /** A denoising preview of {@code invocation_progress}: the size of the image it previews, and a JPEG data URL. */
    record ProgressImage(int width, int height, @JsonProperty("dataURL") String dataUrl) {
    }

    /** The model (or submodel) a session loads, as {@code model_load_*} events show it. */
    record LoadedModel(String key, String hash, String name, String base, String type, String submodelType) {
    }

    /**
     * How a session ended.
     *
     * @param session          the final execution state, stored as the item's session document (the JSON
     *                         InvokeAI clients read back); null to leave the stored one as it is
     * @param failedInvocation the prepared node that failed, for {@code invocation_error}; null when the
     *                         session did not fail in a node
     */
    record Outcome(QueueStatus status, Map<String, Object> session, String errorType, String errorMessage, String errorTraceback,
                   Node failedInvocation) {

        public static Outcome completed(Map<String, Object> session) {
            return new Outcome(QueueStatus.COMPLETED, session, null, null, null, null);
        }

        public static Outcome canceled(Map<String, Object> session) {
            return new Outcome(QueueStatus.CANCELED, session, null, null, null, null);
        }
    }

    /** What a running session reports, node by node. */
    interface SessionListener {
        void started(Node invocation);

        /**
         * @param percentage 0..1 or null
         * @param image      a preview, or null
         */
        void progress(Node invocation, String message, Double percentage, ProgressImage image);

        void completed(Node invocation, Result result);

        /** A model is being loaded (or has been) for this session. */
        void modelLoad(LoadedModel model, boolean complete);
    }
}
