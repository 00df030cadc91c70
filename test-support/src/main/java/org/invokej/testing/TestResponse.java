package org.invokej.testing;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What a server answered: status, headers (names lower-cased by the JDK client) and body. */
public record TestResponse(int status, Map<String, List<String>> headers, byte[] body) {

    /** The body parsed as JSON. */
    public JsonNode json() {
        return TestClient.parse(body);
    }

    /** The body as UTF-8 text. */
    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /**
     * The {@code detail} of an error body: its text, or for a validation error (FastAPI's
     * {@code [{"loc", "msg", "type"}]}) the messages joined by {@code "; "}.
     */
    public String detail() {
        JsonNode detail = json().path("detail");
        if (detail.isArray()) {
            List<String> messages = new java.util.ArrayList<>();
            detail.forEach(entry -> messages.add(entry.path("msg").asText()));
            return String.join("; ", messages);
        }
        return detail.asText();
    }

    /** The first value of a header. */
    public Optional<String> header(String name) {
        return headers.entrySet().stream()
                .filter(entry -> entry.getKey().equalsIgnoreCase(name))
                .flatMap(entry -> entry.getValue().stream())
                .findFirst();
    }

    /** Every value of a header. */
    public List<String> headerValues(String name) {
        return headers.entrySet().stream()
                .filter(entry -> entry.getKey().equalsIgnoreCase(name))
                .flatMap(entry -> entry.getValue().stream())
                .toList();
    }

    @Override
    public String toString() {
        String text = text();
        return status + " " + (text.length() > 500 ? text.substring(0, 500) + "…" : text);
    }
}
