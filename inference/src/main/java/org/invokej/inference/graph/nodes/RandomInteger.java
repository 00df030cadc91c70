package org.invokej.inference.graph.nodes;

import org.invokej.inference.graph.Input;
import org.invokej.inference.graph.Inputs;
import org.invokej.inference.graph.NodeContext;
import org.invokej.inference.graph.NodeSpec;
import org.invokej.inference.graph.NodeType;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** InvokeAI's {@code rand_int}: a random integer in [low, high). */
public final class RandomInteger implements NodeType {

    static final Input<Long> LOW = Input.integer("low").defaultsTo(0L).title("Low").description("The inclusive low value");
    static final Input<Long> HIGH = Input.integer("high").defaultsTo(2147483647L).title("High").description("The exclusive high value");

    private static final NodeSpec SPEC = NodeSpec.of("rand_int", "Random Integer", List.of(LOW, HIGH), "integer_output",
                    Outputs.IntegerOutput.class)
            .withDescription("Outputs a single random integer.", "math", "1.0.1", "math", "random")
            .withoutCache();

    @Override
    public NodeSpec spec() {
        return SPEC;
    }

    @Override
    public Outputs.IntegerOutput run(Inputs in, NodeContext context) {
        long low = in.get(LOW);
        long high = in.get(HIGH);
        if (high <= low) {
            throw new IllegalArgumentException("high must be greater than low");
        }
        return new Outputs.IntegerOutput(ThreadLocalRandom.current().nextLong(low, high));
    }
}
