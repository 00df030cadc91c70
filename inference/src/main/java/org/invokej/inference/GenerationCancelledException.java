package org.invokej.inference;

/** A generation was cancelled through its {@link CancelToken}. */
public final class GenerationCancelledException extends RuntimeException {
    public GenerationCancelledException() {
        super("generation cancelled");
    }
}
