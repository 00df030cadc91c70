package org.invokej.inference.graph;

import org.invokej.inference.Conditioning;
import org.invokej.inference.DiffusionModel;
import org.invokej.inference.JobContext;
import org.invokej.inference.Latents;
import org.invokej.inference.Mask;
import org.invokej.inference.graph.fields.ConditioningField;
import org.invokej.inference.graph.fields.LatentsField;
import org.invokej.inference.graph.fields.LoraField;
import org.invokej.inference.graph.fields.ModelIdentifier;

import java.util.List;

/**
 * What a running node may use: the engine job (pipeline, cancel token), the owner's models and images,
 * the session's tensors (latents and conditioning travel between nodes by name, as InvokeAI's do), and
 * progress reports for the node.
 */
public interface NodeContext {

    JobContext job();

    /** The owner's models and images. */
    GraphResources resources();

    /** The loaded model of {@code model} (its {@code submodel_type} says which part), announced the first time. */
    DiffusionModel model(ModelIdentifier model);

    /**
     * The loaded model of {@code model} with {@code loras} blended into its weights (the model itself when there are
     * none); LoRA layers that name no weight of the model are reported as progress and skipped.
     */
    DiffusionModel model(ModelIdentifier model, List<LoraField> loras);

    /** The id the running node has in this session (events and saved images name it). */
    String preparedId();

    /** The InvokeAI version written into metadata. */
    String appVersion();

    void progress(String message);

    void progress(String message, Double fraction, InvocationListener.Preview preview);

    /** Keeps {@code latents} for the session under {@code name}. */
    void keep(String name, Latents latents);

    void keep(String name, Conditioning conditioning);

    Latents latents(LatentsField field);

    /** Keeps an inpainting mask for the session under {@code name}. */
    void keep(String name, Mask mask);

    Mask mask(String name);

    Conditioning conditioning(ConditioningField field);
}
