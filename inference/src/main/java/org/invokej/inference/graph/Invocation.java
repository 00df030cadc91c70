package org.invokej.inference.graph;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import org.invokej.core.queue.SessionRunner;

import java.io.IOException;
import java.util.Map;

/**
 * One node as it runs: the prepared copy (a fresh id, inputs resolved from literals, defaults and
 * edges), the id of the node in the submitted graph, and its type. Events and saved images name the
 * prepared id. Written as InvokeAI's JSON of the prepared node ({@code id}, {@code type}, its fields,
 * {@code is_intermediate}, {@code use_cache}) by whichever snake_case mapper writes it: into the stored
 * session, or into an event where the event leaves the server.
 */
@JsonSerialize(using = Invocation.Writer.class)
public record Invocation(String preparedId, String sourceId, NodeType nodeType, Inputs inputs) implements SessionRunner.Node {

    public String type() {
        return inputs.type();
    }

    /** The node as events show it, which its type decides ({@link NodeType#shown}). */
    public Invocation shown() {
        Inputs visible = nodeType.shown(inputs);
        return visible == inputs ? this : new Invocation(preparedId, sourceId, nodeType, visible);
    }

    /** The prepared node as InvokeAI's JSON shows it (for the stored session). */
    public Map<String, Object> toJson() {
        return GraphJson.object(this);
    }

    static final class Writer extends StdSerializer<Invocation> {

        Writer() {
            super(Invocation.class);
        }

        @Override
        public void serialize(Invocation node, JsonGenerator out, SerializerProvider provider) throws IOException {
            out.writeStartObject();
            out.writeStringField("id", node.preparedId());
            out.writeStringField("type", node.type());
            for (Map.Entry<String, Object> field : node.inputs().fields().entrySet()) {
                provider.defaultSerializeField(field.getKey(), field.getValue(), out);
            }
            out.writeBooleanField("is_intermediate", node.inputs().isIntermediate());
            out.writeBooleanField("use_cache", node.inputs().useCache());
            out.writeEndObject();
        }
    }
}
