package org.invokej.accounts;

import com.fasterxml.jackson.databind.JsonNode;
import org.invokej.testing.TestAccounts;
import org.invokej.testing.TestClient;
import org.invokej.testing.TestResponse;
import org.invokej.testing.TestServer;
import org.invokej.testing.TestTokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The flows of InvokeAI's multi-user API guide, from a plain HTTP client against a running server. */
class AuthFlowTest {

    @TempDir
    Path root;

    private TestServer server;
    private TestClient anonymous;
    private TestAccounts accounts;

    @BeforeEach
    void start() {
        server = TestServer.start(root, Map.of("multiuser", "true", "bcrypt_cost", "4"));
        anonymous = server.client();
        accounts = new TestAccounts(server);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static Map<String, Object> body(Object... pairs) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }

    @Test
    void firstRunSetupCreatesOneAdministratorAndThenCloses() {
        JsonNode before = anonymous.get("/api/v1/auth/status").json();
        assertTrue(before.path("setup_required").asBoolean());
        assertTrue(before.path("multiuser_enabled").asBoolean());
        assertFalse(before.path("strict_password_checking").asBoolean());
        assertTrue(before.path("admin_email").isNull());

        TestResponse setup = anonymous.post("/api/v1/auth/setup", body("email", "Admin@Example.COM", "display_name", "Ada", "password", "TestPass123"));
        assertEquals(200, setup.status(), setup.toString());
        assertTrue(setup.json().path("success").asBoolean());
        JsonNode user = setup.json().path("user");
        assertEquals("Admin@example.com", user.path("email").asText(), "the domain is normalised, the local part kept");
        assertTrue(user.path("is_admin").asBoolean());
        assertTrue(user.path("is_active").asBoolean());
        assertTrue(user.path("created_at").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}"), user.toString());
        assertTrue(user.path("last_login_at").isNull());
        assertEquals(0, user.path("token_epoch").asInt());
        assertFalse(setup.header("Set-Cookie").isPresent(), "setup does not log in");

        assertFalse(anonymous.get("/api/v1/auth/status").json().path("setup_required").asBoolean());
        TestResponse again = anonymous.post("/api/v1/auth/setup", body("email", "other@example.com", "password", "TestPass123"));
        assertEquals(400, again.status());
        assertEquals("Administrator account already configured", again.detail());
    }

    @Test
    void loginGivesATokenTheUserAndTheMediaCookie() {
        accounts.setupAdmin("admin@test.com");
        TestResponse login = anonymous.post("/api/v1/auth/login", body("email", "admin@test.com", "password", TestAccounts.PASSWORD));
        assertEquals(200, login.status(), login.toString());
        JsonNode json = login.json();
        assertEquals(86400, json.path("expires_in").asInt());
        assertTrue(json.path("user").path("last_login_at").asText().endsWith("Z"), json.toString());
        String token = json.path("token").asText();
        assertEquals(3, token.split("\\.").length);

        String cookie = login.header("Set-Cookie").orElseThrow();
        assertTrue(cookie.startsWith("invokeai_media_token=" + token + ";"), cookie);
        assertTrue(cookie.contains("HttpOnly") && cookie.contains("Path=/api/v1") && cookie.contains("SameSite=Lax")
                && cookie.contains("Max-Age=86400"), cookie);
        assertFalse(cookie.contains("Secure"), "plain HTTP: no Secure flag");
        assertFalse(login.header("X-Refreshed-Token").isPresent());

        JsonNode claims = claims(token);
        assertEquals(json.path("user").path("user_id").asText(), claims.path("user_id").asText());
        assertEquals("admin@test.com", claims.path("email").asText());
        assertTrue(claims.path("is_admin").asBoolean());
        assertFalse(claims.path("remember_me").asBoolean());
        assertEquals(0, claims.path("token_epoch").asInt());
        long lifetime = claims.path("exp").asLong() - Instant.now().getEpochSecond();
        assertTrue(lifetime > 86300 && lifetime <= 86400, "one day: " + lifetime);

        TestResponse me = anonymous.withToken(token).get("/api/v1/auth/me");
        assertEquals(200, me.status());
        assertEquals("admin@test.com", me.json().path("email").asText());
    }

    @Test
    void rememberMeLastsSevenDays() {
        accounts.setupAdmin("admin@test.com");
        TestResponse login = anonymous.post("/api/v1/auth/login",
                body("email", "admin@test.com", "password", TestAccounts.PASSWORD, "remember_me", true));
        assertEquals(604800, login.json().path("expires_in").asInt());
        assertTrue(claims(login.json().path("token").asText()).path("remember_me").asBoolean());
        assertTrue(login.header("Set-Cookie").orElseThrow().contains("Max-Age=604800"));
    }

    @Test
    void wrongPasswordsAndUnknownEmailsGetTheSame401() {
        accounts.setupAdmin("admin@test.com");
        for (Map<String, Object> attempt : java.util.List.of(body("email", "admin@test.com", "password", "wrong"),
                body("email", "nobody@test.com", "password", TestAccounts.PASSWORD),
                body("email", "system@system.invokeai", "password", ""))) {
            TestResponse response = anonymous.post("/api/v1/auth/login", attempt);
            assertEquals(401, response.status(), response.toString());
            assertEquals("Incorrect email or password", response.detail());
            assertEquals("Bearer", response.header("WWW-Authenticate").orElseThrow());
            assertFalse(response.header("Set-Cookie").isPresent());
        }
    }

    @Test
    void aDisabledAccountIsTold403OnlyWithTheRightPassword() {
        TestAccounts.Account admin = accounts.setupAdmin("admin@test.com");
        TestAccounts.Account user = accounts.create(admin, "user1@test.com", "User One", false);
        accounts.setActive(admin, user.userId(), false);
        TestResponse right = anonymous.post("/api/v1/auth/login", body("email", "user1@test.com", "password", TestAccounts.PASSWORD));
        assertEquals(403, right.status());
        assertEquals("User account is disabled", right.detail());
        assertEquals(401, anonymous.post("/api/v1/auth/login", body("email", "user1@test.com", "password", "nope")).status());
        TestResponse old = user.client().get("/api/v1/auth/me");
        assertEquals(401, old.status(), "a deactivated user's token stops working at once");
        assertEquals("User account is inactive or does not exist", old.detail());
    }

    @Test
    void protectedRoutesExplainWhatIsMissing() {
        accounts.setupAdmin("admin@test.com");
        TestResponse none = anonymous.get("/api/v1/auth/me");
        assertEquals(401, none.status());
        assertEquals("Missing authentication credentials", none.detail());
        assertEquals("Bearer", none.header("WWW-Authenticate").orElseThrow());
        assertEquals("Invalid or expired authentication token", anonymous.withToken("garbage").get("/api/v1/auth/me").detail());
        assertEquals("Authentication required", anonymous.get("/api/v1/audit").detail());
        assertEquals("Invalid or expired token", anonymous.withToken("garbage").get("/api/v1/audit").detail());
        assertEquals(401, anonymous.withHeader("Authorization", "Basic YWRtaW46cGFzcw==").get("/api/v1/auth/me").status());
        assertEquals(401, anonymous.withHeader("Authorization", "Bearer ").get("/api/v1/auth/me").status());
    }

    @Test
    void theBearerSchemeIsCaseInsensitive() {
        TestAccounts.Account admin = accounts.setupAdmin("admin@test.com");
        assertEquals(200, anonymous.withHeader("Authorization", "bearer " + admin.token()).get("/api/v1/auth/me").status());
        assertEquals(200, anonymous.withHeader("Authorization", "BEARER " + admin.token()).get("/api/v1/auth/me").status());
    }

    @Test
    void logoutRevokesThatTokenOnlyAndClearsTheCookie() {
        TestAccounts.Account admin = accounts.setupAdmin("admin@test.com");
        TestAccounts.Account second = accounts.login("admin@test.com", TestAccounts.PASSWORD);
        assertNotEquals(admin.token(), second.token(), "each login is its own session");

        TestResponse logout = admin.client().post("/api/v1/auth/logout", null);
        assertEquals(200, logout.status(), logout.toString());
        assertTrue(logout.json().path("success").asBoolean());
        String cookie = logout.header("Set-Cookie").orElseThrow();
        assertTrue(cookie.startsWith("invokeai_media_token=;") && cookie.contains("Path=/api/v1")
                && (cookie.contains("Max-Age=0") || cookie.contains("Expires=Thu, 1 Jan 1970")), cookie);
        assertFalse(logout.header("X-Refreshed-Token").isPresent());

        TestResponse after = admin.client().get("/api/v1/auth/me");
        assertEquals(401, after.status(), "the logged-out token is refused, not just forgotten by the client");
        assertEquals(200, second.client().get("/api/v1/auth/me").status(), "the other session goes on");
        assertEquals(401, anonymous.post("/api/v1/auth/logout", null).status());
    }

    @Test
    void theMediaCookieEndpointReissuesTheBearerToken() {
        TestAccounts.Account admin = accounts.setupAdmin("admin@test.com");
        TestResponse response = admin.client().post("/api/v1/auth/media-cookie", null);
        assertEquals(200, response.status());
        String cookie = response.header("Set-Cookie").orElseThrow();
        assertTrue(cookie.startsWith("invokeai_media_token=" + admin.token() + ";"), cookie);
        long maxAge = Long.parseLong(cookie.replaceAll(".*Max-Age=(\\d+).*", "$1"));
        assertTrue(maxAge > 86000 && maxAge <= 86400, cookie);
        assertFalse(response.header("X-Refreshed-Token").isPresent());
        assertEquals(401, anonymous.post("/api/v1/auth/media-cookie", null).status());
        assertEquals(401, anonymous.withToken("garbage").post("/api/v1/auth/media-cookie", null).status());
    }

    @Test
    void mutatingRequestsSlideTheSessionAndReadsDoNot() throws InterruptedException {
        TestAccounts.Account admin = accounts.setupAdmin("admin@test.com");
        Thread.sleep(1100); // a new expiry second, so a refreshed token is visibly later
        TestResponse patch = admin.client().patch("/api/v1/auth/me", body("display_name", "Ada"));
        String refreshed = patch.header("X-Refreshed-Token").orElseThrow();
        assertTrue(claims(refreshed).path("exp").asLong() > claims(admin.token()).path("exp").asLong());
        assertFalse(patch.header("Set-Cookie").isPresent(), "the refresh never writes the cookie itself");
        assertEquals(200, anonymous.withToken(refreshed).get("/api/v1/auth/me").status());

        assertFalse(admin.client().get("/api/v1/auth/me").header("X-Refreshed-Token").isPresent(), "GET never refreshes");
        assertFalse(anonymous.patch("/api/v1/auth/me", body()).header("X-Refreshed-Token").isPresent());
        TestResponse failed = admin.client().post("/api/v1/auth/users", body("email", "bad"));
        assertEquals(422, failed.status());
        assertFalse(failed.header("X-Refreshed-Token").isPresent(), "errors never refresh");
        // A POST login while holding an old bearer: login's own answer, no refresh.
        TestResponse login = admin.client().post("/api/v1/auth/login", body("email", "admin@test.com", "password", TestAccounts.PASSWORD));
        assertFalse(login.header("X-Refreshed-Token").isPresent());
        assertEquals(1, login.headerValues("Set-Cookie").size());
    }

    @Test
    void aRefreshedTokenCarriesTheRoleFromTheDatabaseAndKeepsRememberMe() {
        TestAccounts.Account admin = accounts.setupAdmin("admin@test.com");
        TestAccounts.Account user = accounts.create(admin, "user1@test.com", "User", false);
        TestResponse remembered = anonymous.post("/api/v1/auth/login",
                body("email", "user1@test.com", "password", TestAccounts.PASSWORD, "remember_me", true));
        TestClient client = anonymous.withToken(remembered.json().path("token").asText());

        admin.client().patch("/api/v1/auth/users/" + user.userId(), body("is_admin", true));
        String refreshed = client.patch("/api/v1/auth/me", body()).header("X-Refreshed-Token").orElseThrow();
        JsonNode claims = claims(refreshed);
        assertTrue(claims.path("is_admin").asBoolean(), "the promotion shows in the refreshed token");
        assertTrue(claims.path("remember_me").asBoolean());
        long lifetime = claims.path("exp").asLong() - Instant.now().getEpochSecond();
        assertTrue(lifetime > 604000, "seven days again: " + lifetime);
        assertEquals(200, client.get("/api/v1/auth/users").status(), "a promoted user gains admin routes without logging in again");
    }

    @Test
    void revokedTokensAreNeverLaunderedByTheRefresh() {
        TestAccounts.Account admin = accounts.setupAdmin("admin@test.com");
        TestAccounts.Account user = accounts.create(admin, "user1@test.com", "User", false);
        TestClient stale = user.client();
        admin.client().patch("/api/v1/auth/users/" + user.userId(), body("password", "NewPass456"));
        // A public mutating route that succeeds: no refresh for a token that is no longer honoured.
        TestResponse setup = stale.post("/api/v1/auth/setup", body("email", "x@test.com", "password", "TestPass123"));
        assertEquals(400, setup.status());
        TestResponse status = stale.patch("/api/v1/auth/me", body());
        assertEquals(401, status.status());
        assertFalse(status.header("X-Refreshed-Token").isPresent());
        String systemToken = TestTokens.sign(TestTokens.secret(root),
                TestTokens.claims("system", "system@system.invokeai", true, 0, Instant.now().plusSeconds(3600)));
        assertEquals(401, anonymous.withToken(systemToken).patch("/api/v1/auth/me", body()).status());
    }

    @Test
    void changingYourPasswordEndsYourOtherSessionsButKeepsThisOne() {
        TestAccounts.Account admin = accounts.setupAdmin("admin@test.com");
        TestAccounts.Account user = accounts.create(admin, "user1@test.com", "User", false);
        TestAccounts.Account otherDevice = accounts.login("user1@test.com", TestAccounts.PASSWORD);

        TestResponse missing = user.client().patch("/api/v1/auth/me", body("new_password", "NewPass456"));
        assertEquals(400, missing.status());
        assertEquals("Current password is required to set a new password", missing.detail());
        TestResponse wrong = user.client().patch("/api/v1/auth/me", body("current_password", "nope", "new_password", "NewPass456"));
        assertEquals(400, wrong.status());
        assertEquals("Current password is incorrect", wrong.detail());
        TestResponse empty = user.client().patch("/api/v1/auth/me", body("current_password", TestAccounts.PASSWORD, "new_password", ""));
        assertEquals(400, empty.status());
        assertEquals("Password cannot be empty", empty.detail());

        TestResponse changed = user.client().patch("/api/v1/auth/me",
                body("current_password", TestAccounts.PASSWORD, "new_password", "NewPass456"));
        assertEquals(200, changed.status(), changed.toString());
        assertEquals(1, changed.json().path("token_epoch").asInt());
        String replacement = changed.header("X-Refreshed-Token").orElseThrow();
        assertTrue(changed.header("Set-Cookie").orElseThrow().startsWith("invokeai_media_token=" + replacement + ";"));

        assertEquals(401, user.client().get("/api/v1/auth/me").status(), "the token used for the change is replaced");
        assertEquals(401, otherDevice.client().get("/api/v1/auth/me").status(), "other sessions end");
        assertEquals(200, anonymous.withToken(replacement).get("/api/v1/auth/me").status());
        assertEquals(401, anonymous.post("/api/v1/auth/login", body("email", "user1@test.com", "password", TestAccounts.PASSWORD)).status());
        assertEquals(200, anonymous.post("/api/v1/auth/login", body("email", "user1@test.com", "password", "NewPass456")).status());
    }

    @Test
    void renamingYourselfKeepsYourSessions() {
        TestAccounts.Account admin = accounts.setupAdmin("admin@test.com");
        TestResponse renamed = admin.client().patch("/api/v1/auth/me", body("display_name", "Ada L."));
        assertEquals("Ada L.", renamed.json().path("display_name").asText());
        assertEquals(0, renamed.json().path("token_epoch").asInt());
        assertEquals(200, admin.client().get("/api/v1/auth/me").status());
        TestResponse unchanged = admin.client().patch("/api/v1/auth/me", body());
        assertEquals("Ada L.", unchanged.json().path("display_name").asText());
    }

    @Test
    void anAdministratorResettingTheirOwnPasswordStaysLoggedIn() {
        TestAccounts.Account admin = accounts.setupAdmin("admin@test.com");
        TestResponse reset = admin.client().patch("/api/v1/auth/users/" + admin.userId(), body("password", "Another789"));
        assertEquals(200, reset.status());
        String replacement = reset.header("X-Refreshed-Token").orElseThrow();
        assertEquals(200, anonymous.withToken(replacement).get("/api/v1/auth/users").status());
        assertEquals(401, admin.client().get("/api/v1/auth/me").status());
    }

    @Test
    void generatedPasswordsPassTheStrictRule() {
        TestAccounts.Account admin = accounts.setupAdmin("admin@test.com");
        String password = admin.client().get("/api/v1/auth/generate-password").json().path("password").asText();
        assertEquals(16, password.length());
        assertTrue(password.chars().anyMatch(Character::isUpperCase) && password.chars().anyMatch(Character::isLowerCase)
                && password.chars().anyMatch(Character::isDigit), password);
    }

    static JsonNode claims(String token) {
        byte[] payload = Base64.getUrlDecoder().decode(token.split("\\.")[1]);
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(payload);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
