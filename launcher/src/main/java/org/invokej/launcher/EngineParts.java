package org.invokej.launcher;

import org.invokej.core.Actor;
import org.invokej.core.DomainException;
import org.invokej.core.models.ModelService;
import org.invokej.core.queue.QueueItem;
import org.invokej.core.queue.SessionRunner;
import org.invokej.core.store.Transactions;
import org.invokej.core.users.User;
import org.invokej.core.users.UserRepository;
import org.invokej.http.AppService;
import org.invokej.http.Json;
import org.invokej.inference.EngineSettings;
import org.invokej.inference.GenerationEngine;
import org.invokej.inference.OrtDevice;
import org.invokej.inference.graph.EngineSessionRunner;
import org.invokej.inference.graph.GraphExecutor;

/** The diffusion engine and the runner that executes a queue item's graph on it, as the item's owner. */
record EngineParts(GenerationEngine engine, SessionRunner runner) implements AutoCloseable {

    static EngineParts assemble(InvokeConfig config, Repositories repositories, ModelService models, ContentParts content,
                                Json json) {
        GenerationEngine engine = new GenerationEngine(new EngineSettings(OrtDevice.parse(config.device()), config.modelCacheSize(),
                config.inferenceThreads(), config.previewInterval()));
        SessionRunner runner = new EngineSessionRunner(engine, new GraphExecutor(AppService.COMPATIBLE_INVOKEAI_VERSION),
                item -> new OwnerGraphResources(item, owner(repositories.transactions(), repositories.users(), item, config.multiuser()),
                        models, content.images(), json.mapper()));
        return new EngineParts(engine, runner);
    }

    /** Who a queue item runs as: its owner as the database has them, or {@code system} in single-user mode. */
    private static Actor owner(Transactions transactions, UserRepository users, QueueItem item, boolean multiuser) {
        if (!multiuser) {
            return Actor.SYSTEM;
        }
        return transactions.read(tx -> users.find(tx, item.userId())).filter(User::active).map(User::actor)
                .orElseThrow(() -> DomainException.forbidden("The queue item's owner does not exist or is not active"));
    }

    @Override
    public void close() {
        engine.close();
    }
}
