package org.invokej.ui;

import org.invokej.testing.TestAccounts;
import org.invokej.testing.TestAccounts.Account;
import org.invokej.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The API keys part of the profile page: a key is created and shown once, works within its scope, and is revoked. */
class ApiKeysUiTest {

    @TempDir
    static Path root;
    private static TestServer server;
    private static TestAccounts accounts;
    private static Account admin;

    @BeforeAll
    static void start() {
        server = TestServer.start(root, Map.of("multiuser", "true", "bcrypt_cost", "4"));
        accounts = new TestAccounts(server);
        admin = accounts.setupAdmin("admin@example.com");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aUserCreatesUsesAndRevokesAKey() {
        Account jo = accounts.create(admin, "jo@example.com", "Jo", false);
        try (Browser b = Browser.open(server.server().uri()).go("").signIn(jo.email(), TestAccounts.PASSWORD, false)) {
            b.click("a[data-view=profile]");
            b.text("#api-key-rows", "No API keys yet.");
            b.type("#api-key-form [name=name]", "gallery bot");
            new Select(b.find("#api-key-form [name=scope]")).selectByValue("read_only");
            b.click("#api-key-form button[type=submit]");
            WebElement secret = b.visible("#api-key-secret output");
            String key = b.await("the new key", () -> secret.getText().startsWith("ivj_") ? secret.getText() : null);
            b.text("#api-key-rows", "gallery bot");
            b.text("#api-key-rows", "read-only");
            b.screenshot("api-keys");

            assertEquals(jo.userId(), server.client().withToken(key).get("/api/v1/auth/me").json().path("user_id").asText());
            assertEquals(403, server.client().withToken(key).post("/api/v1/boards/?board_name=No", null).status(), "read-only");

            b.click("#api-key-rows button.danger");
            WebElement confirm = b.dialog("Revoke API key?");
            Browser.buttonIn(confirm, "Revoke").click();
            b.text("#api-key-rows", "revoked");
            assertEquals(401, server.client().withToken(key).get("/api/v1/auth/me").status(), "revoked at once");
            assertTrue(b.find("#api-key-all-label").getDomAttribute("hidden") != null, "a user sees only their own keys");
        }
    }
}
