package org.invokej.inference.graph;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import org.invokej.core.queue.SessionRunner;

import java.io.IOException;
import java.util.Map;

/**
 * What a node returned, with its output type name ({@code image_output}, …). Written as InvokeAI's JSON
 * of the output, {@code {"type": …, <fields>}}, by whichever snake_case mapper writes it.
 */
@JsonSerialize(using = NodeResult.Writer.class)
public record NodeResult(String type, InvocationOutput output) implements SessionRunner.Result {

    /** The output as InvokeAI's JSON (for the stored session). */
    public Map<String, Object> toJson() {
        return GraphJson.object(this);
    }

    static final class Writer extends StdSerializer<NodeResult> {

        Writer() {
            super(NodeResult.class);
        }

        @Override
        public void serialize(NodeResult result, JsonGenerator out, SerializerProvider provider) throws IOException {
            out.writeStartObject();
            out.writeStringField("type", result.type());
            JsonSerializer<Object> fields = provider.findValueSerializer(result.output().getClass()).unwrappingSerializer(null);
            fields.serialize(result.output(), out, provider);
            out.writeEndObject();
        }
    }
}
