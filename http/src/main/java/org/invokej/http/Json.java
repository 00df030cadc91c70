package org.invokej.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpMediaType;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.invokej.core.DomainException;

import java.util.List;
import java.util.stream.Collectors;

/**
 * JSON in and out, with InvokeAI's snake_case field names. Reading turns every way a body can be wrong
 * into a {@link DomainException} whose message names the field, so no client input reaches a 500.
 */
public final class Json {

    private final ObjectMapper mapper = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            // "true" is not a boolean and 1 is not a string: type errors are the client's to fix.
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .withCoercionConfig(LogicalType.Textual, text -> text
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .build();

    /** The mapper, for code that builds JSON trees itself (metadata, graphs, events). */
    public ObjectMapper mapper() {
        return mapper;
    }

    /** Reads the request body as {@code type}; the body must be JSON. Unknown fields are ignored. */
    public <T> T read(ServerRequest request, Class<T> type) {
        return parse(body(request), mapper.readerFor(type), type);
    }

    /** As {@link #read}, but a field that {@code type} does not have is refused (422). */
    public <T> T readStrict(ServerRequest request, Class<T> type) {
        return parse(body(request), mapper.readerFor(type).with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES), type);
    }

    private static byte[] body(ServerRequest request) {
        request.headers().contentType().ifPresent(Json::requireJson);
        if (!request.content().hasEntity()) {
            throw DomainException.unprocessable("A JSON request body is required", body(List.of(), "missing"));
        }
        return request.content().as(byte[].class);
    }

    /** Parses JSON bytes as {@code type}, with the same messages as {@link #read}. */
    public <T> T parse(byte[] body, Class<T> type) {
        return parse(body, mapper.readerFor(type), type);
    }

    private <T> T parse(byte[] body, ObjectReader reader, Class<T> type) {
        if (body.length == 0) {
            throw DomainException.unprocessable("A JSON request body is required", body(List.of(), "missing"));
        }
        try {
            T value = reader.readValue(body);
            if (value == null) {
                throw DomainException.unprocessable("The JSON request body must not be null", body(List.of(), "missing"));
            }
            return value;
        } catch (ValueInstantiationException e) {
            if (e.getCause() instanceof DomainException domain) {
                throw domain;
            }
            throw DomainException.unprocessable("Invalid request body" + at(e) + ": " + original(e), body(path(e), "value_error"));
        } catch (UnrecognizedPropertyException e) {
            throw DomainException.unprocessable("Unknown field '" + e.getPropertyName() + "' in request body",
                    body(path(e), "extra_forbidden"));
        } catch (InvalidFormatException e) {
            throw DomainException.unprocessable("Invalid value" + at(e) + ": expected "
                    + describe(e.getTargetType()), body(path(e), "value_error"));
        } catch (MismatchedInputException e) {
            throw DomainException.unprocessable(e.getTargetType() == null || e.getPath().isEmpty()
                    ? "Invalid request body: expected a JSON " + describe(type)
                    : "Invalid value" + at(e) + ": expected " + describe(e.getTargetType()), body(path(e), "value_error"));
        } catch (JsonMappingException e) {
            throw DomainException.unprocessable("Invalid request body" + at(e) + ": " + original(e), body(path(e), "value_error"));
        } catch (JsonProcessingException e) {
            throw DomainException.unprocessable("Malformed JSON in request body: " + original(e), body(List.of(), "json_invalid"));
        } catch (java.io.IOException e) {
            throw DomainException.unprocessable("Unreadable request body", body(List.of(), "json_invalid"));
        }
    }

    private static void requireJson(HttpMediaType contentType) {
        if (!contentType.test(MediaTypes.APPLICATION_JSON)) {
            throw DomainException.of(DomainException.Kind.UNSUPPORTED_MEDIA,
                    "Content-Type must be application/json, not " + contentType.mediaType().text());
        }
    }

    /** Where in the body a problem is, as FastAPI's {@code loc}: {@code body} and the JSON path. */
    private static DomainException.Location body(List<String> path, String type) {
        return new DomainException.Location(path, type).under(List.of("body"));
    }

    private static List<String> path(JsonMappingException e) {
        return e.getPath().stream().map(ref -> ref.getFieldName() != null ? ref.getFieldName() : String.valueOf(ref.getIndex())).toList();
    }

    private static String at(JsonMappingException e) {
        if (e.getPath().isEmpty()) {
            return "";
        }
        String path = e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
        return " for '" + path + "'";
    }

    private static String original(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        return message == null ? e.getClass().getSimpleName() : message.lines().findFirst().orElse(message);
    }

    private static String describe(Class<?> type) {
        if (type == null) {
            return "a different type";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "a boolean";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "a number";
        }
        if (type.isEnum()) {
            StringBuilder values = new StringBuilder("one of");
            for (Object constant : type.getEnumConstants()) {
                values.append(' ').append(constant);
            }
            return values.toString();
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        return "an object";
    }

    /** Sends {@code body} as JSON with status 200. */
    public void send(ServerResponse response, Object body) {
        send(response, Status.OK_200, body);
    }

    /** Sends {@code body} as JSON with the given status. */
    public void send(ServerResponse response, Status status, Object body) {
        response.status(status);
        response.header(HeaderNames.CONTENT_TYPE, MediaTypes.APPLICATION_JSON.text());
        response.send(bytes(body));
    }

    /** {@code value} as JSON bytes. */
    public byte[] bytes(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write " + value.getClass().getName() + " as JSON", e);
        }
    }

    /** {@code value} as JSON text (an event payload crossing processes, for instance). */
    public String text(Object value) {
        return new String(bytes(value), java.nio.charset.StandardCharsets.UTF_8);
    }
}
