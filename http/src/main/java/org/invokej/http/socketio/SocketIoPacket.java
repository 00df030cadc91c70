package org.invokej.http.socketio;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * One Socket.IO v5 packet as it travels inside an Engine.IO message: the type digit, the namespace
 * (written only when it is not {@code /}), an optional ack id and an optional JSON payload, with
 * nothing between them, e.g. {@code 2["subscribe_queue",{"queue_id":"default"}]},
 * {@code 0/admin,{"token":"…"}}, {@code 31[]}.
 *
 * @param data the payload, or null when the packet has none
 */
record SocketIoPacket(Type type, String namespace, OptionalLong ackId, JsonNode data) {

    static final String DEFAULT_NAMESPACE = "/";

    /** The packet types; binary ones are recognised only to be refused, as this server sends no bytes. */
    enum Type {
        CONNECT, DISCONNECT, EVENT, ACK, CONNECT_ERROR, BINARY_EVENT, BINARY_ACK;

        char digit() {
            return (char) ('0' + ordinal());
        }
    }

    /** A packet that breaks the protocol; the connection that sent it is closed. */
    static final class MalformedPacket extends Exception {
        MalformedPacket(String message) {
            super(message, null, false, false);
        }
    }

    /** Longest ack id accepted: fits a long with room to spare (clients count up from 0 or 1). */
    private static final int MAX_ACK_DIGITS = 15;

    SocketIoPacket {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(ackId, "ackId");
    }

    static SocketIoPacket of(Type type, String namespace, JsonNode data) {
        return new SocketIoPacket(type, namespace, OptionalLong.empty(), data);
    }

    /** Reads a packet, checking its payload has the shape its type requires. */
    static SocketIoPacket parse(String text, ObjectMapper mapper) throws MalformedPacket {
        if (text.isEmpty() || text.charAt(0) < '0' || text.charAt(0) > '6') {
            throw new MalformedPacket("unknown packet type");
        }
        Type type = Type.values()[text.charAt(0) - '0'];
        if (type == Type.BINARY_EVENT || type == Type.BINARY_ACK) {
            throw new MalformedPacket("binary packets are not accepted");
        }
        int at = 1;
        String namespace = DEFAULT_NAMESPACE;
        if (at < text.length() && text.charAt(at) == '/') {
            int comma = text.indexOf(',', at);
            int end = comma < 0 ? text.length() : comma;
            namespace = text.substring(at, end);
            int query = namespace.indexOf('?');
            if (query >= 0) {
                namespace = namespace.substring(0, query);
            }
            at = comma < 0 ? end : end + 1;
        }
        int digits = at;
        while (digits < text.length() && text.charAt(digits) >= '0' && text.charAt(digits) <= '9') {
            digits++;
        }
        OptionalLong ackId = OptionalLong.empty();
        if (digits > at) {
            if (digits - at > MAX_ACK_DIGITS) {
                throw new MalformedPacket("ack id too long");
            }
            ackId = OptionalLong.of(Long.parseLong(text.substring(at, digits)));
        }
        JsonNode data = digits < text.length() ? json(text.substring(digits), mapper) : null;
        SocketIoPacket packet = new SocketIoPacket(type, namespace, ackId, data);
        if (!packet.hasValidPayload()) {
            throw new MalformedPacket("payload of the wrong shape for " + type);
        }
        return packet;
    }

    private static JsonNode json(String text, ObjectMapper mapper) throws MalformedPacket {
        try {
            return mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(text);
        } catch (JsonProcessingException e) {
            throw new MalformedPacket("payload is not JSON");
        }
    }

    /** The rules of the reference parser: what each type's payload must be. */
    private boolean hasValidPayload() {
        return switch (type) {
            case CONNECT -> data == null || data.isObject();
            case DISCONNECT -> data == null;
            case EVENT -> data != null && data.isArray() && !data.isEmpty() && (data.get(0).isTextual() || data.get(0).isNumber());
            case ACK -> data != null && data.isArray();
            case CONNECT_ERROR -> data != null && (data.isObject() || data.isTextual());
            case BINARY_EVENT, BINARY_ACK -> false;
        };
    }

    /** The event name of an EVENT packet. */
    String eventName() {
        return data.get(0).asText();
    }

    /** The first argument of an EVENT packet, or a missing node. */
    JsonNode firstArgument() {
        return data.path(1);
    }

    /** The packet's text, without the Engine.IO message prefix. */
    String encode(ObjectMapper mapper) {
        StringBuilder text = new StringBuilder().append(type.digit());
        if (!namespace.equals(DEFAULT_NAMESPACE)) {
            text.append(namespace).append(',');
        }
        ackId.ifPresent(text::append);
        if (data != null) {
            try {
                text.append(mapper.writeValueAsString(data));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("A JSON tree always serialises", e);
            }
        }
        return text.toString();
    }
}
