package org.invokej.testing;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Accounts on a multi-user test server, made through the real API: the first administrator by setup,
 * users by the admin API, sessions by login.
 */
public final class TestAccounts {

    /** A user and a client logged in as them. */
    public record Account(String userId, String email, String password, String token, TestClient client) {
    }

    public static final String PASSWORD = "TestPass123";

    private final TestServer server;

    public TestAccounts(TestServer server) {
        this.server = server;
    }

    /** Runs first-run setup and logs the administrator in. */
    public Account setupAdmin(String email) {
        TestResponse setup = server.client().post("/api/v1/auth/setup",
                Map.of("email", email, "display_name", "Admin", "password", PASSWORD));
        require(setup, 200);
        return login(email, PASSWORD);
    }

    /** Creates a user through the admin API and logs them in. */
    public Account create(Account admin, String email, String displayName, boolean isAdmin) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("email", email);
        body.put("display_name", displayName);
        body.put("password", PASSWORD);
        body.put("is_admin", isAdmin);
        require(admin.client().post("/api/v1/auth/users", body), 201);
        return login(email, PASSWORD);
    }

    public Account login(String email, String password) {
        TestResponse login = server.client().post("/api/v1/auth/login", Map.of("email", email, "password", password));
        require(login, 200);
        JsonNode json = login.json();
        String token = json.path("token").asText();
        return new Account(json.path("user").path("user_id").asText(), json.path("user").path("email").asText(),
                password, token, server.client().withToken(token));
    }

    /** Sets a user's active flag through the admin API. */
    public void setActive(Account admin, String userId, boolean active) {
        require(admin.client().patch("/api/v1/auth/users/" + userId, Map.of("is_active", active)), 200);
    }

    private static void require(TestResponse response, int status) {
        if (response.status() != status) {
            throw new IllegalStateException("expected " + status + ", got " + response);
        }
    }
}
