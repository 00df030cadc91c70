package org.invokej.inference;

/** Told after every denoising step, on the thread that runs the generation; keep it quick. */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = progress -> { };

    void onProgress(Progress progress);
}
