package org.invokej.inference.graph.nodes;

import org.invokej.inference.graph.Input;
import org.invokej.inference.graph.Inputs;
import org.invokej.inference.graph.NodeContext;
import org.invokej.inference.graph.NodeSpec;
import org.invokej.inference.graph.NodeType;

import java.util.List;

/** InvokeAI's {@code float} primitive: a number to feed e.g. {@code denoise_latents.cfg_scale}. */
public final class FloatPrimitive implements NodeType {

    static final Input<Double> VALUE = Input.number("value").defaultsTo(0.0).title("Value").description("The float value");

    private static final NodeSpec SPEC = NodeSpec.of("float", "Float Primitive", List.of(VALUE), "float_output",
                    Outputs.FloatOutput.class)
            .withDescription("A float primitive value", "primitives", "1.0.1", "primitives", "float");

    @Override
    public NodeSpec spec() {
        return SPEC;
    }

    @Override
    public Outputs.FloatOutput run(Inputs in, NodeContext context) {
        return new Outputs.FloatOutput(in.get(VALUE));
    }
}
