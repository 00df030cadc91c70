package org.invokej.inference.graph;

/**
 * What a node returns: a record whose components are its output fields (names in snake_case on the
 * wire). The output's type name ({@code image_output}, …) is declared with the node, in its {@link NodeSpec}.
 */
public interface InvocationOutput {
}
