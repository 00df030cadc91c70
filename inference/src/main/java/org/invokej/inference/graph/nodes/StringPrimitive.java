package org.invokej.inference.graph.nodes;

import org.invokej.inference.graph.Input;
import org.invokej.inference.graph.Inputs;
import org.invokej.inference.graph.NodeContext;
import org.invokej.inference.graph.NodeSpec;
import org.invokej.inference.graph.NodeType;

import java.util.List;

/** InvokeAI's {@code string} primitive. */
public final class StringPrimitive implements NodeType {

    static final Input<String> VALUE = Input.string("value").defaultsTo("").title("Value").description("The string value")
            .uiType("TextareaField");

    private static final NodeSpec SPEC = NodeSpec.of("string", "String Primitive", List.of(VALUE), "string_output",
                    Outputs.StringOutput.class)
            .withDescription("A string primitive value", "primitives", "1.0.1", "primitives", "string");

    @Override
    public NodeSpec spec() {
        return SPEC;
    }

    @Override
    public Outputs.StringOutput run(Inputs in, NodeContext context) {
        return new Outputs.StringOutput(in.get(VALUE));
    }
}
