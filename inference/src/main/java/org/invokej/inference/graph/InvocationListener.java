package org.invokej.inference.graph;

import org.invokej.inference.graph.fields.ModelIdentifier;

/** Told what a running graph does, node by node, on the thread that runs it; keep it quick. */
public interface InvocationListener {

    void started(Invocation invocation);

    /**
     * @param percentage 0..1, or null when unknown
     * @param preview    a small JPEG of the work so far (denoising), or null
     */
    void progress(Invocation invocation, String message, Double percentage, Preview preview);

    void completed(Invocation invocation, NodeResult result);

    /** A model is being loaded for its {@code submodel_type}, or has been. */
    default void modelLoad(ModelIdentifier model, boolean complete) {
    }

    /** A denoising preview: JPEG bytes at 1/8 scale, and the size of the image they preview. */
    record Preview(byte[] jpeg, int previewWidth, int previewHeight, int width, int height) {
    }

    InvocationListener NONE = new InvocationListener() {
        @Override
        public void started(Invocation invocation) {
        }

        @Override
        public void progress(Invocation invocation, String message, Double percentage, Preview preview) {
        }

        @Override
        public void completed(Invocation invocation, NodeResult result) {
        }
    };
}
