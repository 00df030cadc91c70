package org.invokej.http.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.invokej.core.auth.ApiKey;
import org.invokej.core.auth.ApiKeyScope;
import org.invokej.http.RouteTestServer;
import org.invokej.http.fakes.CoreOnFakes;
import org.invokej.http.fakes.TestUser;
import org.invokej.testing.TestClient;
import org.invokej.testing.TestResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code /api/v1/auth/api-keys}, and API keys used as bearer tokens: scopes, revocation, deactivation, expiry. */
@ServerTest
class ApiKeysRoutesTest {

    private static final CoreOnFakes CORE = CoreOnFakes.multiuser();
    private static final String KEYS = "/api/v1/auth/api-keys";

    private final TestClient anonymous;
    private final TestUser admin;

    ApiKeysRoutesTest(URI uri) {
        this.anonymous = RouteTestServer.client(uri);
        this.admin = CORE.caller(anonymous, "admin", true);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        RouteTestServer.configure(server, CORE);
    }

    @AfterAll
    static void close() {
        CORE.close();
    }

    private TestUser user(String name) {
        return CORE.caller(anonymous, name, false);
    }

    /** Creates a key and returns the creation answer. */
    private static JsonNode create(TestUser owner, String name, String scope) {
        Map<String, Object> body = new HashMap<>(Map.of("name", name));
        if (scope != null) {
            body.put("scope", scope);
        }
        TestResponse created = owner.client().post(KEYS, body);
        assertEquals(201, created.status(), created.toString());
        return created.json();
    }

    private TestClient withKey(JsonNode created) {
        return anonymous.withToken(created.path("key").asText());
    }

    private static List<String> auditActions() {
        return CORE.store.read(tx -> CORE.auditLog.newestFirst(tx, 0, 1000)).stream().map(entry -> entry.action().wireName()).toList();
    }

    @Test
    void aKeyIsShownOnceStoredAsAHashAndActsAsItsUser() {
        TestUser alice = user("alice");
        JsonNode created = create(alice, "backup script", null);
        String key = created.path("key").asText();
        assertTrue(key.startsWith("ivj_") && key.length() > 40, key);
        assertEquals("full", created.path("api_key").path("scope").asText(), "full when no scope is given");
        assertEquals(key.substring(0, 12), created.path("api_key").path("prefix").asText());

        TestResponse listed = alice.client().get(KEYS);
        assertEquals(200, listed.status(), listed.toString());
        assertEquals(1, listed.json().size());
        assertFalse(listed.text().contains(key), "the key is shown only when created");
        assertTrue(CORE.store.read(tx -> CORE.auditLog.newestFirst(tx, 0, 1000)).stream()
                .noneMatch(entry -> String.valueOf(entry.detail()).contains(key)), "the audit log never holds the key");

        TestResponse me = withKey(created).get("/api/v1/auth/me");
        assertEquals(200, me.status(), me.toString());
        assertEquals(alice.userId(), me.json().path("user_id").asText());
        TestResponse board = withKey(created).post("/api/v1/boards/?board_name=Made+by+a+key", null);
        assertEquals(201, board.status(), board.toString());
        assertTrue(board.header("X-Refreshed-Token").isEmpty(), "a key is never traded for a session token");
        assertTrue(auditActions().contains("api_key_created"));
        assertFalse(alice.client().get(KEYS).json().get(0).path("last_used_at").isNull(), "its use is recorded");
    }

    @Test
    void eachUserSeesTheirOwnKeysAndAdministratorsSeeAll() {
        TestUser bob = user("bob");
        TestUser carol = user("carol");
        String bobs = create(bob, "bob's", "read_only").path("api_key").path("key_id").asText();
        create(carol, "carol's", "queue");
        assertEquals(List.of(bobs), ids(bob.client().get(KEYS)));
        assertEquals(403, bob.client().get(KEYS + "?all=true").status());
        List<String> all = ids(admin.client().get(KEYS + "?all=true"));
        assertTrue(all.contains(bobs) && all.size() >= 2, all.toString());
    }

    private static List<String> ids(TestResponse listing) {
        assertEquals(200, listing.status(), listing.toString());
        return StreamSupport.stream(listing.json().spliterator(), false).map(key -> key.path("key_id").asText()).toList();
    }

    @Test
    void theOwnerOrAnAdministratorRevokesAndTheKeyStopsWorkingAtOnce() {
        TestUser dave = user("dave");
        TestUser eve = user("eve");
        JsonNode first = create(dave, "first", null);
        JsonNode second = create(dave, "second", null);
        String firstId = first.path("api_key").path("key_id").asText();

        TestResponse byOther = eve.client().delete(KEYS + "/" + firstId);
        assertEquals(404, byOther.status(), "another user's key is not found: " + byOther);
        assertEquals(200, withKey(first).get("/api/v1/auth/me").status());

        TestResponse revoked = dave.client().delete(KEYS + "/" + firstId);
        assertEquals(200, revoked.status(), revoked.toString());
        assertEquals("revoked", revoked.json().path("status").asText());
        assertEquals(401, withKey(first).get("/api/v1/auth/me").status());
        assertEquals(200, withKey(second).get("/api/v1/auth/me").status(), "other keys stand");

        assertEquals(200, admin.client().delete(KEYS + "/" + second.path("api_key").path("key_id").asText()).status());
        assertEquals(401, withKey(second).get("/api/v1/auth/me").status());
        assertTrue(auditActions().contains("api_key_revoked"));
        assertEquals(404, dave.client().delete(KEYS + "/no-such-key").status());
    }

    @Test
    void scopesLimitWhatAKeyMayCall() {
        TestUser frank = user("frank");
        TestClient reader = withKey(create(frank, "reader", "read_only"));
        TestClient queuer = withKey(create(frank, "queuer", "queue"));
        TestClient full = withKey(create(frank, "full", "full"));

        assertEquals(200, reader.get("/api/v1/boards/?all=true").status());
        TestResponse write = reader.post("/api/v1/boards/?board_name=Nope", null);
        assertEquals(403, write.status(), write.toString());
        assertTrue(write.detail().contains("read_only"), write.detail());

        assertEquals(200, queuer.get("/api/v1/queue/default/status").status());
        assertEquals(200, queuer.get("/api/v1/auth/me").status());
        Map<String, Object> graph = Map.of("id", "g", "nodes", Map.of("i", Map.of("id", "i", "type", "integer", "value", 3)),
                "edges", List.of());
        TestResponse enqueued = queuer.post("/api/v1/queue/default/enqueue_batch",
                Map.of("batch", Map.of("graph", graph, "runs", 1, "origin", "bot", "destination", "gallery")));
        assertEquals(200, enqueued.status(), enqueued.toString());
        assertEquals(403, queuer.get("/api/v1/boards/?all=true").status());

        for (TestClient key : List.of(reader, queuer, full)) {
            assertEquals(403, key.get(KEYS).status(), "keys do not manage keys");
            assertEquals(403, key.post(KEYS, Map.of("name", "more")).status(), "keys do not mint keys");
            assertEquals(403, key.post("/api/v1/auth/logout", null).status());
        }
        assertEquals(3, frank.client().get(KEYS).json().size(), "nothing was created by a key");
    }

    @Test
    void aDeactivatedUsersKeysAreRefusedUntilReactivation() {
        TestUser gina = user("gina");
        TestClient key = withKey(create(gina, "bot", null));
        assertEquals(200, key.get("/api/v1/auth/me").status());
        assertEquals(200, admin.client().patch("/api/v1/auth/users/" + gina.userId(), Map.of("is_active", false)).status());
        TestResponse refused = key.get("/api/v1/auth/me");
        assertEquals(401, refused.status(), refused.toString());
        assertEquals(AuthFilter.DEACTIVATED, refused.detail());
        assertEquals(200, admin.client().patch("/api/v1/auth/users/" + gina.userId(), Map.of("is_active", true)).status());
        assertEquals(200, key.get("/api/v1/auth/me").status());
    }

    @Test
    void expiredUnknownAndMalformedKeysAreRefused() {
        TestUser hal = user("hal");
        String secret = "ivj_" + UUID.randomUUID().toString().replace("-", "") + "expired";
        Instant past = Instant.now().minusSeconds(60);
        CORE.store.write(tx -> {
            CORE.apiKeyRepository.insert(tx, new ApiKey(UUID.randomUUID().toString(), hal.userId(), hal.user().email(), "old",
                    ApiKeyScope.FULL, secret.substring(0, 12), past.minusSeconds(3600), past, null, null), sha256(secret));
            return null;
        });
        assertEquals(401, anonymous.withToken(secret).get("/api/v1/auth/me").status(), "expired");
        assertEquals("expired", hal.client().get(KEYS).json().get(0).path("status").asText());
        JsonNode created = create(hal, "live", null);
        String key = created.path("key").asText();
        // One character changed (to another one: a random key may hold an 'x' there already).
        String tampered = key.substring(0, 20) + (key.charAt(20) == 'x' ? 'y' : 'x') + key.substring(21);
        assertEquals(401, anonymous.withToken(tampered).get("/api/v1/auth/me").status(), "tampered");
        assertEquals(401, anonymous.withToken("ivj_").get("/api/v1/auth/me").status());
    }

    @Test
    void badRequestsAre4xxAndCreateNothing() {
        TestUser ian = user("ian");
        assertEquals(422, ian.client().post(KEYS, Map.of("name", "x", "scope", "everything")).status());
        assertEquals(422, ian.client().post(KEYS, Map.of("scope", "full")).status());
        assertEquals(422, ian.client().post(KEYS, Map.of("name", " ")).status());
        assertEquals(422, ian.client().post(KEYS, Map.of("name", "x", "expires_in_days", 0)).status());
        assertEquals(422, ian.client().post(KEYS, Map.of("name", "x".repeat(101))).status());
        assertEquals(422, ian.client().post(KEYS, "{\"name\":").status());
        assertEquals(0, ian.client().get(KEYS).json().size());
        JsonNode expiring = create(ian, "a week", null);
        assertNotNull(expiring);
        TestResponse week = ian.client().post(KEYS, Map.of("name", "week", "expires_in_days", 7));
        assertEquals(201, week.status(), week.toString());
        assertFalse(week.json().path("api_key").path("expires_at").isNull());
        assertEquals(401, anonymous.get(KEYS).status());
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
