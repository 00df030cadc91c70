package org.invokej.inference;

/** Work for the engine's dispatch thread, e.g. one InvokeAI graph run through the pipeline's stages. */
@FunctionalInterface
public interface EngineJob<T> {
    T run(JobContext context) throws Exception;
}
