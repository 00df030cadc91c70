package org.invokej.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.invokej.testing.TestAccounts;
import org.invokej.testing.TestAccounts.Account;
import org.invokej.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * First-run setup, sign-in, the token kept as InvokeAI's client keeps it (and refreshed, with the media
 * cookie following), an ended session back to sign-in, sign-out, and single-user mode without any of it.
 */
class SessionUiTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path root;

    private static TestServer multiuser(Path root, boolean strict) {
        return TestServer.start(root, Map.of("multiuser", "true", "bcrypt_cost", "4",
                "strict_password_checking", String.valueOf(strict)));
    }

    @Test
    void firstRunSetupShowsThePasswordRulesLiveAndStrictModeBlocksAWeakPassword() {
        try (TestServer server = multiuser(root, true); Browser browser = Browser.open(server.server().uri())) {
            browser.go("").visible("#setup-form");
            WebElement submit = browser.find("#setup-form button[type=submit]");
            browser.type("#setup-form [name=email]", "ada@example.com")
                    .type("#setup-form [name=display_name]", "Ada")
                    .type("#setup-form [name=password]", "short");
            browser.text("#setup-rules", "weak");
            assertFalse(submit.isEnabled(), "strict mode: a weak password cannot be sent");
            browser.type("#setup-form [name=password]", "longenough");
            browser.text("#setup-rules", "moderate");
            assertFalse(submit.isEnabled());
            browser.type("#setup-form [name=password]", "Longenough1").type("#setup-form [name=confirm]", "Longenough2");
            browser.text("#setup-rules", "The passwords do not match.");
            assertFalse(submit.isEnabled());
            browser.type("#setup-form [name=confirm]", "Longenough1");
            browser.text("#setup-rules", "strong");
            assertTrue(submit.isEnabled());
            browser.screenshot("first-run-setup");

            submit.click();
            browser.text("#who-name", "Ada (administrator)");
            assertEquals("ada@example.com", server.client().withToken(browser.localStorage("auth_token"))
                    .get("/api/v1/auth/me").json().path("email").asText(), "signed in as the new administrator");
            assertFalse(server.client().get("/api/v1/auth/status").json().path("setup_required").asBoolean());
            browser.screenshot("first-run-signed-in");
        }
    }

    @Test
    void theFirstAdministratorNeedsAStrongPasswordEvenWithoutStrictChecking() {
        try (TestServer server = multiuser(root, false); Browser browser = Browser.open(server.server().uri())) {
            browser.go("").visible("#setup-form");
            WebElement submit = browser.find("#setup-form button[type=submit]");
            browser.type("#setup-form [name=email]", "ada@example.com")
                    .type("#setup-form [name=password]", "abc").type("#setup-form [name=confirm]", "abc");
            browser.text("#setup-rules", "Administrators always need all of these.");
            assertFalse(submit.isEnabled(), "a weak administrator password cannot be sent");
            browser.screenshot("first-run-setup-admin-rules");
            browser.type("#setup-form [name=password]", "Abcdefg1").type("#setup-form [name=confirm]", "Abcdefg1");
            browser.text("#setup-rules", "strong");
            submit.click();
            browser.text("#who-name", "ada@example.com (administrator)");
        }
    }

    @Test
    void signInKeepsTheTokenRefreshesItWithTheMediaCookieAndSignOutEndsIt() throws Exception {
        try (TestServer server = multiuser(root, true); Browser browser = Browser.open(server.server().uri())) {
            TestAccounts accounts = new TestAccounts(server);
            Account admin = accounts.setupAdmin("admin@example.com");
            accounts.create(admin, "bob@example.com", "Bob", false);

            browser.go("").visible("#login-form");
            browser.type("#login-form [name=email]", "bob@example.com").type("#login-form [name=password]", "wrong-Pass1");
            browser.click("#login-form button[type=submit]");
            browser.text("#login-form [data-error]", "Incorrect email or password");
            browser.screenshot("login-refused");

            browser.signIn("bob@example.com", TestAccounts.PASSWORD, true);
            browser.text("#who-name", "Bob");
            String token = browser.localStorage("auth_token");
            JsonNode claims = claims(token);
            assertTrue(claims.path("remember_me").asBoolean(), "Remember me asks for the 7-day token");
            long lifetime = claims.path("exp").asLong() - Instant.now().getEpochSecond();
            assertTrue(lifetime > 6 * 86400 && lifetime <= 7 * 86400, "lifetime " + lifetime);
            Map<String, Object> cookie = browser.cookie("invokeai_media_token");
            assertEquals(token, cookie.get("value"));
            assertEquals("/api/v1", cookie.get("path"));
            assertEquals(true, cookie.get("httpOnly"));
            browser.screenshot("login");

            // A mutating call answers with X-Refreshed-Token: the page keeps the new token and moves the
            // media cookie to it (tokens carry whole seconds, so let one pass first).
            Thread.sleep(1100);
            browser.go("#gallery").type("#new-board [name=board_name]", "Refreshed").click("#new-board button");
            browser.text("#board-title", "Refreshed");
            String refreshed = browser.await("a refreshed token", () -> {
                String now = browser.localStorage("auth_token");
                return now.equals(token) ? null : now;
            });
            assertTrue(claims(refreshed).path("remember_me").asBoolean(), "the refresh keeps remember-me");
            browser.await("the media cookie to follow the token", () -> refreshed.equals(browser.cookie("invokeai_media_token").get("value")));

            browser.button("#app", "Log out").click();
            browser.text("#login-form [data-notice]", "You have logged out.");
            assertNull(browser.localStorage("auth_token"));
            assertNull(browser.cookie("invokeai_media_token"), "sign-out deletes the media cookie");
            assertEquals(401, server.client().withToken(refreshed).get("/api/v1/auth/me").status(), "InvokeJ revokes on sign-out");
            browser.screenshot("logout");
        }
    }

    @Test
    void anEndedSessionReturnsToSignInWithAMessageAndSigningInAgainContinues() {
        try (TestServer server = multiuser(root, true); Browser browser = Browser.open(server.server().uri())) {
            TestAccounts accounts = new TestAccounts(server);
            Account admin = accounts.setupAdmin("admin@example.com");
            Account bob = accounts.create(admin, "bob@example.com", "Bob", false);
            browser.go("").signIn("bob@example.com", TestAccounts.PASSWORD, false);
            browser.text("#who-name", "Bob");

            browser.click("a[data-view=gallery]");
            browser.visible("#view-gallery");

            // An administrator resets Bob's password: every session of Bob's ends at once. The dropped live
            // connection may bring the sign-in page first; otherwise Bob's next request does.
            assertEquals(200, admin.client().patch("/api/v1/auth/users/" + bob.userId(), Map.of("password", "Newpass123")).status());
            browser.await("Bob signed out", () -> {
                if (browser.all("#login-form [data-notice]").stream().anyMatch(WebElement::isDisplayed)) {
                    return true;
                }
                try {
                    browser.find("a[data-view=gallery]").click();
                } catch (WebDriverException coveredBySignIn) {
                    // the sign-in page is coming up over it
                }
                return false;
            });
            browser.text("#login-form [data-notice]", "Your session has expired, please log in again");
            assertNull(browser.localStorage("auth_token"));
            browser.screenshot("session-expired");

            browser.signIn("bob@example.com", "Newpass123", false);
            browser.visible("#view-gallery");
            assertTrue(browser.find("a[data-view=gallery]").getAttribute("aria-current") != null, "back where Bob was");
        }
    }

    @Test
    void aUserDeactivatedElsewhereIsToldTheirAccountWasDeactivated() {
        try (TestServer server = multiuser(root, true); Browser browser = Browser.open(server.server().uri())) {
            TestAccounts accounts = new TestAccounts(server);
            Account admin = accounts.setupAdmin("admin@example.com");
            Account cleo = accounts.create(admin, "cleo@example.com", "Cleo", false);
            browser.go("").signIn("cleo@example.com", TestAccounts.PASSWORD, false);
            browser.text("#who-name", "Cleo");

            // The live connection is dropped at once and the page asks the server why: no click needed.
            accounts.setActive(admin, cleo.userId(), false);
            browser.text("#login-form [data-notice]", "Your account was deactivated; ask an administrator to reactivate it");
            assertNull(browser.localStorage("auth_token"));
            browser.screenshot("account-deactivated");
        }
    }

    @Test
    void aStoredTokenThatNoLongerWorksShowsTheExpiryMessageOnLoad() {
        try (TestServer server = multiuser(root, true); Browser browser = Browser.open(server.server().uri())) {
            TestAccounts accounts = new TestAccounts(server);
            Account admin = accounts.setupAdmin("admin@example.com");
            browser.go("").visible("#login-form");
            browser.script("localStorage.setItem('auth_token', arguments[0]);", admin.token());
            assertEquals(200, admin.client().post("/api/v1/auth/logout", null).status());
            browser.go("");
            browser.text("#login-form [data-notice]", "Your session has expired, please log in again");
        }
    }

    @Test
    void singleUserModeHasNoSignInAndNoAccountPages() {
        try (TestServer server = TestServer.start(root, Map.of()); Browser browser = Browser.open(server.server().uri())) {
            browser.go("").visible("#view-generate");
            assertFalse(browser.find("#logout").isDisplayed());
            assertFalse(browser.find("a[data-view=users]").isDisplayed());
            assertFalse(browser.find("a[data-view=profile]").isDisplayed());
            assertTrue(browser.find("a[data-view=models]").isDisplayed());
            browser.go("#users").visible("#view-generate");
            browser.screenshot("single-user");
        }
    }

    private static JsonNode claims(String token) throws Exception {
        String payload = token.split("\\.")[1];
        return MAPPER.readTree(new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8));
    }
}
