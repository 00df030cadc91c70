package org.invokej.content;

import org.invokej.testing.TestClient;
import org.invokej.testing.TestResponse;
import org.invokej.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code /api/v1/client_state}: the web UI's saved state, per user, in the database (InvokeAI's test_client_state_multiuser.py). */
class ClientStateTest {

    private static final String BASE = "/api/v1/client_state/default/";

    @TempDir
    static Path root;
    private static ContentWorld world;

    @BeforeAll
    static void start() {
        world = new ContentWorld(root);
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    /** As the UI sends it: the stringified value as {@code text/plain}. */
    static TestResponse set(TestClient client, String key, String value) {
        return client.send("POST", BASE + "set_by_key?key=" + key, "text/plain", value.getBytes(StandardCharsets.UTF_8));
    }

    static TestResponse get(TestClient client, String key) {
        return client.get(BASE + "get_by_key?key=" + key);
    }

    @Test
    void aValueIsStoredAndReadBackAsAJsonString() {
        TestClient user = world.user1.client();
        String value = "{\"activeTab\": \"canvas\", \"_version\": 3, \"note\": \"ünïcode\"}";
        TestResponse stored = set(user, "ui", value);
        assertEquals(200, stored.status(), stored.toString());
        assertEquals(value, stored.json().asText());
        assertEquals(value, get(user, "ui").json().asText());
        String replaced = "{\"activeTab\": \"generate\"}";
        set(user, "ui", replaced);
        assertEquals(replaced, get(user, "ui").json().asText());
        assertEquals("null", get(user, "never-set").text().strip());
    }

    @Test
    void eachUserHasTheirOwnStateAdministratorsIncluded() throws SQLException {
        set(world.user1.client(), "gallery", "one");
        set(world.user2.client(), "gallery", "two");
        assertEquals("one", get(world.user1.client(), "gallery").json().asText());
        assertEquals("two", get(world.user2.client(), "gallery").json().asText());
        assertEquals("null", get(world.admin.client(), "gallery").text().strip(), "an administrator sees only their own");
        world.admin.client().post(BASE + "delete", null);
        assertEquals("one", get(world.user1.client(), "gallery").json().asText(), "nobody else's delete touches it");
        try (Connection db = TestServer.database(root);
             ResultSet row = db.createStatement().executeQuery("SELECT value FROM client_state WHERE user_id = '"
                     + world.user2.userId() + "' AND key = 'gallery'")) {
            assertTrue(row.next(), "stored in the database, in InvokeAI's table");
            assertEquals("two", row.getString(1));
        }
    }

    @Test
    void keysByPrefixAndDeletes() {
        TestClient user = world.user2.client();
        set(user, "canvas_a", "1");
        set(user, "canvas_b", "2");
        set(user, "canvasX", "3");
        set(user, "other", "4");
        assertEquals("[\"canvas_a\",\"canvas_b\"]", user.get(BASE + "get_keys_by_prefix?prefix=canvas_").text().strip(),
                "the prefix is literal: '_' is no wildcard");
        assertEquals(200, user.post(BASE + "delete_by_key?key=canvas_a", null).status());
        assertEquals("null", get(user, "canvas_a").text().strip());
        assertEquals("2", get(user, "canvas_b").json().asText());
        assertEquals(200, user.post(BASE + "delete", null).status());
        assertEquals("[]", user.get(BASE + "get_keys_by_prefix?prefix=").text().strip());
    }

    @Test
    void aJsonStringBodyIsTakenAsTheValue() {
        TestClient user = world.user1.client();
        assertEquals(200, user.post(BASE + "set_by_key?key=json", "\"hello\"").status());
        assertEquals("hello", get(user, "json").json().asText());
        assertEquals(422, user.post(BASE + "set_by_key?key=json", "{\"not\": \"a string\"}").status());
        assertEquals("hello", get(user, "json").json().asText());
    }

    @Test
    void badRequestsAreClearAndChangeNothing() {
        TestClient user = world.user1.client();
        assertEquals(422, user.send("POST", BASE + "set_by_key", "text/plain", "x".getBytes(StandardCharsets.UTF_8)).status());
        assertEquals(422, user.send("POST", BASE + "set_by_key?key=empty", "text/plain", new byte[0]).status());
        assertEquals("null", get(user, "empty").text().strip());
        assertEquals(422, user.get(BASE + "get_by_key").status());
        assertEquals(422, user.get(BASE + "get_keys_by_prefix").status());
        TestResponse long_ = set(user, "k".repeat(256), "v");
        assertEquals(422, long_.status(), long_.toString());
        assertEquals(401, world.anonymous().get(BASE + "get_by_key?key=ui").status());
        assertEquals(401, set(world.anonymous(), "ui", "x").status());
    }

    @Test
    void singleUserModeKeepsOneStateForSystem(@TempDir Path singleRoot) {
        try (TestServer single = TestServer.start(singleRoot)) {
            TestClient anyone = single.client();
            assertEquals(200, set(anyone, "ui", "shared").status());
            assertEquals("shared", get(anyone, "ui").json().asText());
        }
    }
}
