package org.invokej.inference.graph.nodes;

import org.invokej.inference.graph.Input;
import org.invokej.inference.graph.Inputs;
import org.invokej.inference.graph.NodeContext;
import org.invokej.inference.graph.NodeSpec;
import org.invokej.inference.graph.NodeType;

import java.util.List;

/** InvokeAI's {@code integer} primitive. */
public final class IntegerPrimitive implements NodeType {

    static final Input<Long> VALUE = Input.integer("value").defaultsTo(0L).title("Value").description("The integer value");

    private static final NodeSpec SPEC = NodeSpec.of("integer", "Integer Primitive", List.of(VALUE), "integer_output",
                    Outputs.IntegerOutput.class)
            .withDescription("An integer primitive value", "primitives", "1.0.1", "primitives", "integer");

    @Override
    public NodeSpec spec() {
        return SPEC;
    }

    @Override
    public Outputs.IntegerOutput run(Inputs in, NodeContext context) {
        return new Outputs.IntegerOutput(in.get(VALUE));
    }
}
