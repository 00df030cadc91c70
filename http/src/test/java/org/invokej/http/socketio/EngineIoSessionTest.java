package org.invokej.http.socketio;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Where a CONNECT's token comes from, and how message sizes are counted. */
class EngineIoSessionTest {

    private final ObjectMapper mapper = new ObjectMapper();

    private Optional<String> token(String auth, String header) throws Exception {
        return EngineIoSession.token(auth == null ? null : mapper.readTree(auth), Optional.ofNullable(header));
    }

    @Test
    void theAuthPayloadFirstThenAnExactBearerHeader() throws Exception {
        assertEquals(Optional.of("a"), token("{\"token\":\"a\"}", "Bearer h"));
        assertEquals(Optional.of("h"), token("{}", "Bearer h"));
        assertEquals(Optional.of("h"), token(null, "Bearer h"));
        assertEquals(Optional.of("h"), token("{\"token\":\"\"}", "Bearer h"));
        assertEquals(Optional.of("h"), token("{\"token\":null}", "Bearer h"));
        assertEquals(Optional.of("123"), token("{\"token\":123}", "Bearer h"), "present but not a string: a bad token, no fallback");
        assertEquals(Optional.empty(), token("{}", "bearer h"));
        assertEquals(Optional.empty(), token("{}", "Basic h"));
        assertEquals(Optional.empty(), token("{}", "Bearer "));
        assertEquals(Optional.empty(), token("{}", null));
    }

    @Test
    void utf8LengthMatchesTheEncoding() {
        for (String text : new String[] {"", "abc", "é", "€uro", "😀", "a😀b"}) {
            assertEquals(text.getBytes(StandardCharsets.UTF_8).length, EngineIoSession.utf8Length(text), text);
        }
    }
}
