package org.invokej.inference.graph;

import org.invokej.core.queue.QueueItem;
import org.invokej.core.queue.QueueStatus;
import org.invokej.core.queue.SessionRunner;
import org.invokej.inference.GenerationCancelledException;
import org.invokej.inference.GenerationEngine;
import org.invokej.inference.GenerationHandle;
import org.invokej.inference.graph.fields.ModelIdentifier;
import org.invokej.inference.graph.nodes.NodeTypes;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/**
 * Runs queue items on the generation engine: each item's graph becomes one engine job, so models stay
 * in the engine's cache between items and ONNX Runtime work stays on the engine's one thread.
 */
public final class EngineSessionRunner implements SessionRunner {

    private final GenerationEngine engine;
    private final GraphExecutor executor;
    private final NodeTypes types;
    private final Function<QueueItem, GraphResources> resources;

    /**
     * @param types     the node types graphs were checked against at enqueue, to rebuild them with
     * @param resources the models and images an item may use, bound to its owner
     */
    public EngineSessionRunner(GenerationEngine engine, GraphExecutor executor, NodeTypes types,
                               Function<QueueItem, GraphResources> resources) {
        this.engine = engine;
        this.executor = executor;
        this.types = types;
        this.resources = resources;
    }

    @Override
    public Running start(QueueItem item, SessionListener listener) {
        ExecutionState state = new ExecutionState(item.sessionId(), item.graph());
        GraphResources bound = resources.apply(item);
        Graph graph;
        try {
            graph = Graph.parse(types, item.graph(), Set.of());
        } catch (RuntimeException e) {
            return finished(new Outcome(QueueStatus.FAILED, state.toJson(), e.getClass().getSimpleName(), e.getMessage(), trace(e), null));
        }
        GenerationHandle<ExecutionState> handle = engine.submit(context -> {
            executor.run(graph, state, context, bound, events(listener));
            return state;
        }, progress -> { });
        return new Running() {
            @Override
            public Outcome await() throws InterruptedException {
                try {
                    handle.future().get();
                    return Outcome.completed(state.toJson());
                } catch (ExecutionException e) {
                    return outcome(unwrap(e), state);
                } catch (CancellationException e) {
                    return Outcome.canceled(state.toJson());
                }
            }

            @Override
            public void cancel() {
                handle.cancel();
            }
        };
    }

    private static Outcome outcome(Throwable failure, ExecutionState state) {
        if (failure instanceof GenerationCancelledException || failure instanceof CancellationException) {
            return Outcome.canceled(state.toJson());
        }
        if (failure instanceof GraphExecutor.NodeFailure node) {
            Throwable cause = node.getCause();
            return new Outcome(QueueStatus.FAILED, state.toJson(), node.errorType(), node.getMessage(), trace(cause),
                    node.invocation().shown());
        }
        return new Outcome(QueueStatus.FAILED, state.toJson(), failure.getClass().getSimpleName(),
                failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage(), trace(failure), null);
    }

    private static Throwable unwrap(ExecutionException e) {
        Throwable cause = e.getCause();
        return cause instanceof CompletionException completion && completion.getCause() != null ? completion.getCause() : cause;
    }

    private static Running finished(Outcome outcome) {
        return new Running() {
            @Override
            public Outcome await() {
                return outcome;
            }

            @Override
            public void cancel() {
            }
        };
    }

    private static InvocationListener events(SessionListener listener) {
        return new InvocationListener() {
            @Override
            public void started(Invocation invocation) {
                listener.started(invocation.shown());
            }

            @Override
            public void progress(Invocation invocation, String message, Double percentage, Preview preview) {
                ProgressImage image = preview == null ? null : new ProgressImage(preview.width(), preview.height(),
                        "data:image/jpeg;base64," + Base64.getEncoder().encodeToString(preview.jpeg()));
                listener.progress(invocation.shown(), message, percentage, image);
            }

            @Override
            public void completed(Invocation invocation, NodeResult result) {
                listener.completed(invocation.shown(), result);
            }

            @Override
            public void modelLoad(ModelIdentifier model, boolean complete) {
                listener.modelLoad(new LoadedModel(model.key(), model.hash(), model.name(), model.base(), model.type(),
                        model.submodelType()), complete);
            }
        };
    }

    private static String trace(Throwable e) {
        StringWriter text = new StringWriter();
        e.printStackTrace(new PrintWriter(text));
        return text.toString();
    }
}
