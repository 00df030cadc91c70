package org.invokej.http.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.invokej.core.users.User;
import org.invokej.http.RouteTestServer;
import org.invokej.http.fakes.CoreOnFakes;
import org.invokej.testing.TestClient;
import org.invokej.testing.TestResponse;
import org.invokej.testing.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code /api/v1/auth}: login, me, logout, and user administration as administrator and as user. */
@ServerTest
class AuthRoutesTest {

    private static final CoreOnFakes CORE = CoreOnFakes.multiuser();
    private static final String PASSWORD = "Route-Test-Password-1";
    private static final User ADMIN = CORE.addUser("admin@example.com", PASSWORD, true);

    private final TestClient anonymous;
    private final TestClient admin;

    AuthRoutesTest(URI uri) {
        this.anonymous = RouteTestServer.client(uri);
        this.admin = anonymous.withToken(CORE.token(ADMIN));
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        RouteTestServer.configure(server, CORE);
    }

    @AfterAll
    static void close() {
        CORE.close();
    }

    private static User newUser() {
        return CORE.addUser("user-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com", PASSWORD, false);
    }

    @Test
    void loginGivesATokenThatMeAccepts() {
        User user = newUser();
        TestResponse login = anonymous.post("/api/v1/auth/login", Map.of("email", user.email(), "password", PASSWORD));
        assertEquals(200, login.status(), login.toString());
        assertTrue(login.json().path("expires_in").asLong() > 0);
        TestResponse me = anonymous.withToken(login.json().path("token").asText()).get("/api/v1/auth/me");
        assertEquals(200, me.status(), me.toString());
        assertEquals(user.userId(), me.json().path("user_id").asText());
        assertFalse(me.json().path("is_admin").asBoolean());
    }

    @Test
    void wrongPasswordsAndUnknownAccountsGetTheSame401() {
        User user = newUser();
        TestResponse wrong = anonymous.post("/api/v1/auth/login", Map.of("email", user.email(), "password", "not-the-password"));
        TestResponse unknown = anonymous.post("/api/v1/auth/login", Map.of("email", "nobody@example.com", "password", PASSWORD));
        assertEquals(401, wrong.status(), wrong.toString());
        assertEquals(401, unknown.status(), unknown.toString());
        assertEquals(wrong.detail(), unknown.detail());
    }

    @Test
    void meNeedsAValidToken() {
        assertEquals(401, anonymous.get("/api/v1/auth/me").status());
        assertEquals(401, anonymous.withToken("not-a-token").get("/api/v1/auth/me").status());
        String forged = TestTokens.sign("another-secret-that-is-at-least-32-bytes",
                TestTokens.claims(ADMIN.userId(), ADMIN.email(), true, 0, java.time.Instant.now().plusSeconds(600)));
        TestResponse refused = anonymous.withToken(forged).get("/api/v1/auth/me");
        assertEquals(401, refused.status(), refused.toString());
        assertTrue(refused.header("WWW-Authenticate").isPresent());
    }

    @Test
    void logoutEndsThatToken() {
        User user = newUser();
        TestClient client = anonymous.withToken(CORE.token(user));
        assertEquals(200, client.get("/api/v1/auth/me").status());
        TestResponse logout = client.post("/api/v1/auth/logout", null);
        assertEquals(200, logout.status(), logout.toString());
        assertEquals(401, client.get("/api/v1/auth/me").status());
    }

    @Test
    void changingOnesPasswordEndsOldTokensAndHandsTheCallerANewOne() {
        User user = newUser();
        TestClient old = anonymous.withToken(CORE.token(user));
        TestResponse wrongCurrent = old.patch("/api/v1/auth/me", Map.of("current_password", "not-it", "new_password", "Newer-Password-2"));
        assertTrue(wrongCurrent.status() >= 400 && wrongCurrent.status() < 500, wrongCurrent.toString());
        assertEquals(200, old.get("/api/v1/auth/me").status(), "a refused change ends nothing");

        TestResponse changed = old.patch("/api/v1/auth/me", Map.of("current_password", PASSWORD, "new_password", "Newer-Password-2"));
        assertEquals(200, changed.status(), changed.toString());
        String refreshed = changed.header("X-Refreshed-Token").orElseThrow();
        assertEquals(401, old.get("/api/v1/auth/me").status());
        assertEquals(200, anonymous.withToken(refreshed).get("/api/v1/auth/me").status());
        assertEquals(401, anonymous.post("/api/v1/auth/login", Map.of("email", user.email(), "password", PASSWORD)).status());
        assertEquals(200, anonymous.post("/api/v1/auth/login", Map.of("email", user.email(), "password", "Newer-Password-2")).status());
    }

    @Test
    void administratorsManageUsersAndUsersCannot() {
        User user = newUser();
        TestClient asUser = anonymous.withToken(CORE.token(user));
        Map<String, Object> account = Map.of("email", "made-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com",
                "display_name", "Made", "password", PASSWORD);

        assertEquals(403, asUser.get("/api/v1/auth/users").status());
        assertEquals(403, asUser.post("/api/v1/auth/users", account).status());
        assertEquals(401, anonymous.get("/api/v1/auth/users").status());

        TestResponse created = admin.post("/api/v1/auth/users", account);
        assertEquals(201, created.status(), created.toString());
        String id = created.json().path("user_id").asText();
        assertEquals(400, admin.post("/api/v1/auth/users", account).status(), "the same email twice");
        assertTrue(emails(admin.get("/api/v1/auth/users")).contains(account.get("email")));

        assertEquals(403, asUser.patch("/api/v1/auth/users/" + id, Map.of("display_name", "Hijacked")).status());
        TestResponse renamed = admin.patch("/api/v1/auth/users/" + id, Map.of("display_name", "Renamed"));
        assertEquals(200, renamed.status(), renamed.toString());
        assertEquals("Renamed", admin.get("/api/v1/auth/users/" + id).json().path("display_name").asText());

        assertEquals(403, asUser.delete("/api/v1/auth/users/" + id).status());
        assertEquals(204, admin.delete("/api/v1/auth/users/" + id).status());
        assertEquals(404, admin.get("/api/v1/auth/users/" + id).status());
        assertEquals(404, admin.delete("/api/v1/auth/users/" + id).status());
    }

    @Test
    void aDeactivatedUsersTokenStopsWorking() {
        User user = newUser();
        TestClient asUser = anonymous.withToken(CORE.token(user));
        assertEquals(200, asUser.get("/api/v1/auth/me").status());
        assertEquals(200, admin.patch("/api/v1/auth/users/" + user.userId(), Map.of("is_active", false)).status());
        assertEquals(401, asUser.get("/api/v1/auth/me").status());
    }

    @Test
    void badBodiesAre4xxWithADetailAndChangeNothing() {
        int before = admin.get("/api/v1/auth/users").json().size();
        for (TestResponse response : List.of(
                admin.post("/api/v1/auth/users", "{not json"),
                admin.post("/api/v1/auth/users", "[]"),
                admin.post("/api/v1/auth/users", Map.of("email", "no-password@example.com")),
                admin.post("/api/v1/auth/users", Map.of("email", "bad", "display_name", "x", "password", PASSWORD)),
                admin.patch("/api/v1/auth/users/" + ADMIN.userId(), Map.of("is_admin", "sometimes")),
                anonymous.post("/api/v1/auth/login", "{\"email\": 3}"))) {
            assertTrue(response.status() >= 400 && response.status() < 500, response.toString());
            assertFalse(response.detail().isBlank(), response.toString());
        }
        assertEquals(before, admin.get("/api/v1/auth/users").json().size());
    }

    @Test
    void theLastAdministratorCannotStepDown() {
        TestResponse response = admin.patch("/api/v1/auth/users/" + ADMIN.userId(), Map.of("is_admin", false));
        assertEquals(400, response.status(), response.toString());
        assertEquals("Cannot remove the last administrator", response.detail());
        assertTrue(admin.get("/api/v1/auth/me").json().path("is_admin").asBoolean());
    }

    private static List<String> emails(TestResponse listing) {
        assertEquals(200, listing.status(), listing.toString());
        List<String> emails = new ArrayList<>();
        for (JsonNode user : listing.json()) {
            emails.add(user.path("email").asText());
        }
        return emails;
    }
}
