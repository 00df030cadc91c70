package org.invokej.inference.graph;

/**
 * One InvokeAI node type: what it declares ({@link NodeSpec}: inputs, output) and what it does. A class
 * per type in {@code org.invokej.inference.graph.nodes}, listed once in {@code NodeTypes}.
 */
public interface NodeType {

    NodeSpec spec();

    /** Runs the node on its resolved inputs; throws to fail the node (and the session). */
    InvocationOutput run(Inputs in, NodeContext context);

    /**
     * The inputs as the node runs with them, after edges were applied (a {@code collect} moves its items
     * into its collection here). Most nodes take them as they are.
     */
    default Inputs prepare(Inputs in) {
        return in;
    }

    /**
     * The inputs as events show the running node. A {@code collect} shows its collection empty, as
     * InvokeAI does; most nodes show them as they are.
     */
    default Inputs shown(Inputs prepared) {
        return prepared;
    }
}
