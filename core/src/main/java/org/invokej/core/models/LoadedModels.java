package org.invokej.core.models;

/**
 * The models the generation engine of this process holds in memory (its model cache), as the model
 * manager's "empty model cache" sees them.
 */
public interface LoadedModels {

    /** What emptying the cache let go (InvokeAI's {@code EmptyModelCacheResponse}). */
    record Emptied(int modelsCleared, long bytesFreed) {
    }

    /** Unloads every model no generation holds right now; one in use stays until its generation ends. */
    Emptied emptyUnused();
}
