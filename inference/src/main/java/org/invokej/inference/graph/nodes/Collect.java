package org.invokej.inference.graph.nodes;

import org.invokej.inference.graph.Input;
import org.invokej.inference.graph.Inputs;
import org.invokej.inference.graph.NodeContext;
import org.invokej.inference.graph.NodeSpec;
import org.invokej.inference.graph.NodeType;

import java.util.ArrayList;
import java.util.List;

/** InvokeAI's {@code collect}: gathers the values of every edge into its {@code item} into one list. */
public final class Collect implements NodeType {

    static final Input<Object> ITEM = Input.any("item").manyEdges().connectionOnly().title("Collection Item")
            .description("The item to collect (all inputs must be of the same type)");
    static final Input<List<Object>> COLLECTION = Input.collection("collection").defaultsTo(List.of()).title("Collection")
            .description("An optional collection to append to");

    private static final NodeSpec SPEC = NodeSpec.of("collect", "Collect", List.of(ITEM, COLLECTION), "collect_output",
                    Outputs.CollectOutput.class)
            .withDescription("Collects values into a collection", "util", "1.1.0")
            .withoutCache();

    @Override
    public NodeSpec spec() {
        return SPEC;
    }

    /** As InvokeAI prepares a collect: the items join the collection, the item input stays empty. */
    @Override
    public Inputs prepare(Inputs in) {
        List<Object> collection = new ArrayList<>(in.get(COLLECTION) == null ? List.of() : in.get(COLLECTION));
        if (in.fields().get(ITEM.name()) instanceof List<?> items) {
            collection.addAll(items);
        }
        return in.with(COLLECTION.name(), collection).with(ITEM.name(), null);
    }

    /** Events show a collect without its items (InvokeAI's events do), which can be many images. */
    @Override
    public Inputs shown(Inputs prepared) {
        return prepared.with(COLLECTION.name(), List.of());
    }

    @Override
    public Outputs.CollectOutput run(Inputs in, NodeContext context) {
        return new Outputs.CollectOutput(in.get(COLLECTION));
    }
}
