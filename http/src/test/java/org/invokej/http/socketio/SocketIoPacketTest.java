package org.invokej.http.socketio;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Socket.IO v5's text encoding, with the examples of the protocol's specification. */
class SocketIoPacketTest {

    private final ObjectMapper mapper = new ObjectMapper();

    private SocketIoPacket parse(String text) throws SocketIoPacket.MalformedPacket {
        return SocketIoPacket.parse(text, mapper);
    }

    @Test
    void connectPackets() throws Exception {
        SocketIoPacket bare = parse("0");
        assertEquals(SocketIoPacket.Type.CONNECT, bare.type());
        assertEquals("/", bare.namespace());
        assertNull(bare.data());
        assertEquals("eyJ", parse("0{\"token\":\"eyJ\"}").data().path("token").asText());
        assertEquals("/admin", parse("0/admin,").namespace());
        assertEquals("/admin", parse("0/admin").namespace(), "the comma is optional at the end");
        assertEquals("/admin", parse("0/admin?x=1,{}").namespace(), "a query suffix is not part of the name");
        assertEquals("t", parse("0/admin,{\"token\":\"t\"}").data().path("token").asText());
    }

    @Test
    void eventsWithAndWithoutAckIds() throws Exception {
        SocketIoPacket event = parse("2[\"subscribe_queue\",{\"queue_id\":\"default\"}]");
        assertEquals("subscribe_queue", event.eventName());
        assertEquals("default", event.firstArgument().path("queue_id").asText());
        assertEquals(OptionalLong.empty(), event.ackId());
        assertEquals(OptionalLong.of(12), parse("212[\"a\"]").ackId());
        assertEquals(OptionalLong.of(0), parse("2/admin,0[\"a\"]").ackId());
        assertEquals("/admin", parse("2/admin,0[\"a\"]").namespace());
        assertEquals(true, parse("2[\"a\"]").firstArgument().isMissingNode(), "no argument");
    }

    @Test
    void malformedPacketsAreRefused() {
        for (String bad : new String[] {"", "7", "x", "2", "2{}", "2[]", "2[{}]", "2[\"a\"", "2[\"a\"]]", "1{}", "0[]", "0\"token\"",
                "3", "4", "51-[\"a\",{\"_placeholder\":true,\"num\":0}]", "6", "21234567890123456[\"a\"]"}) {
            assertThrows(SocketIoPacket.MalformedPacket.class, () -> parse(bad), "'" + bad + "'");
        }
    }

    @Test
    void encodingWritesOnlyWhatIsThere() throws Exception {
        assertEquals("0{\"sid\":\"abc\"}", SocketIoPacket.of(SocketIoPacket.Type.CONNECT, "/", mapper.createObjectNode().put("sid", "abc")).encode(mapper));
        assertEquals("1", SocketIoPacket.of(SocketIoPacket.Type.DISCONNECT, "/", null).encode(mapper));
        assertEquals("4/admin,{\"message\":\"Invalid namespace\"}", SocketIoPacket.of(SocketIoPacket.Type.CONNECT_ERROR, "/admin",
                mapper.createObjectNode().put("message", "Invalid namespace")).encode(mapper));
        assertEquals("37[]", new SocketIoPacket(SocketIoPacket.Type.ACK, "/", OptionalLong.of(7), mapper.createArrayNode()).encode(mapper));
        String event = "2/admin,3[\"x\",{\"a\":1}]";
        assertEquals(event, parse(event).encode(mapper), "parse and encode are inverse");
    }
}
