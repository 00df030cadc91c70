package org.invokej.launcher;

import org.invokej.core.models.ModelService;
import org.invokej.core.queue.QueueOwners;
import org.invokej.core.queue.SessionRunner;
import org.invokej.http.AppRoutes;
import org.invokej.http.Json;
import org.invokej.inference.EngineSettings;
import org.invokej.inference.GenerationEngine;
import org.invokej.inference.onnx.OrtDevice;
import org.invokej.inference.graph.EngineSessionRunner;
import org.invokej.inference.graph.GraphExecutor;
import org.invokej.inference.graph.OwnerGraphResources;
import org.invokej.inference.graph.nodes.NodeTypes;

/** The diffusion engine and the runner that executes a queue item's graph on it, as the item's owner. */
record EngineParts(GenerationEngine engine, SessionRunner runner) implements AutoCloseable {

    static EngineParts assemble(InvokeConfig config, NodeTypes types, QueueOwners owners, ModelService models, ContentParts content,
                                Json json) {
        GenerationEngine engine = new GenerationEngine(new EngineSettings(OrtDevice.parse(config.device()), config.modelCacheSize(),
                config.inferenceThreads(), config.previewInterval()));
        SessionRunner runner = new EngineSessionRunner(engine, new GraphExecutor(AppRoutes.COMPATIBLE_INVOKEAI_VERSION), types,
                item -> new OwnerGraphResources(item, owners, models, content.images(), json.mapper()));
        return new EngineParts(engine, runner);
    }

    @Override
    public void close() {
        engine.close();
    }
}
