package org.invokej.ui;

import com.fasterxml.jackson.databind.JsonNode;
import org.invokej.testing.TestAccounts;
import org.invokej.testing.TestAccounts.Account;
import org.invokej.testing.TestImages;
import org.invokej.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** User administration and the audit log (administrators), the profile page, and what a user does not get. */
class UsersUiTest {

    @TempDir
    static Path root;
    private static TestServer server;
    private static TestAccounts accounts;
    private static Account admin;

    @BeforeAll
    static void start() {
        server = TestServer.start(root, Map.of("multiuser", "true", "bcrypt_cost", "4", "strict_password_checking", "true"));
        accounts = new TestAccounts(server);
        admin = accounts.setupAdmin("admin@example.com");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Browser signedIn(String email, String password) {
        return Browser.open(server.server().uri()).go("").signIn(email, password, false);
    }

    private static WebElement row(Browser browser, String email) {
        return browser.await("the row of " + email, () -> browser.all("#user-rows tr").stream()
                .filter(r -> email.equals(r.getDomAttribute("data-email"))).findFirst().orElse(null));
    }

    private static void act(Browser browser, String email, String action) {
        Browser.buttonIn(row(browser, email), action).click();
    }

    private static int login(String email, String password) {
        return server.client().post("/api/v1/auth/login", Map.of("email", email, "password", password)).status();
    }

    @Test
    void anAdministratorManagesUsersAndSeesTheAuditLog() {
        try (Browser a = signedIn(admin.email(), TestAccounts.PASSWORD)) {
            a.go("#users");
            row(a, admin.email());

            // Create, with a password the server generates; it is shown once, to be passed on.
            a.click("#user-create");
            WebElement create = a.dialog("New user");
            create.findElement(By.name("email")).sendKeys("gina@example.com");
            create.findElement(By.name("display_name")).sendKeys("Gina");
            Browser.buttonIn(create, "Generate").click();
            a.await("a generated password", () -> !create.findElement(By.name("password")).getDomProperty("value").isEmpty());
            a.text("dialog[open] .password-rules", "strong");
            a.screenshot("users-create");
            Browser.buttonIn(create, "Create user").click();
            WebElement handOver = a.dialog("Give these to the user");
            String password = handOver.findElement(By.cssSelector("code")).getText();
            a.screenshot("users-generated-password");
            Browser.buttonIn(handOver, "Done").click();
            assertEquals(200, login("gina@example.com", password), "the shown password works");

            act(a, "gina@example.com", "Rename");
            WebElement rename = a.dialog("Rename gina@example.com");
            rename.findElement(By.name("display_name")).clear();
            rename.findElement(By.name("display_name")).sendKeys("Gina G.");
            Browser.buttonIn(rename, "Save").click();
            a.await("the new name", () -> row(a, "gina@example.com").getText().contains("Gina G."));

            act(a, "gina@example.com", "Reset password");
            WebElement reset = a.dialog("Reset the password");
            reset.findElement(By.name("password")).sendKeys("weak");
            Browser.buttonIn(reset, "Reset password").click();
            a.text("dialog[open] .error", "does not meet the rules");
            reset.findElement(By.name("password")).clear();
            reset.findElement(By.name("password")).sendKeys("Resetpass9");
            Browser.buttonIn(reset, "Reset password").click();
            Browser.buttonIn(a.dialog("Give these to the user"), "Done").click();
            a.await("the reset", () -> login("gina@example.com", "Resetpass9") == 200);
            assertEquals(401, login("gina@example.com", password), "the old password is gone");

            act(a, "gina@example.com", "Make administrator");
            a.await("Gina promoted", () -> row(a, "gina@example.com").getText().contains("Administrator"));
            act(a, "gina@example.com", "Remove administrator");
            a.await("Gina demoted", () -> !row(a, "gina@example.com").getText().contains("Administrator"));
            act(a, "gina@example.com", "Deactivate");
            a.await("Gina inactive", () -> row(a, "gina@example.com").getText().contains("Inactive"));
            assertEquals(403, login("gina@example.com", "Resetpass9"), "a deactivated account cannot sign in");
            act(a, "gina@example.com", "Activate");
            a.await("Gina active", () -> row(a, "gina@example.com").getText().contains("Active"));
            assertEquals(200, login("gina@example.com", "Resetpass9"));

            // Deleting hands the content over to someone else.
            Account gina = accounts.login("gina@example.com", "Resetpass9");
            Account hugo = accounts.create(admin, "hugo@example.com", "Hugo", false);
            String board = TestImages.board(gina.client(), "Gina's board");
            a.go("#generate").go("#users");
            act(a, "gina@example.com", "Delete");
            WebElement delete = a.dialog("Delete gina@example.com");
            new Select(delete.findElement(By.name("transfer_to"))).selectByValue(hugo.userId());
            Browser.buttonIn(delete, "Delete user").click();
            a.await("Gina gone", () -> a.all("#user-rows tr").stream().noneMatch(r -> "gina@example.com".equals(r.getDomAttribute("data-email"))));
            JsonNode moved = hugo.client().get("/api/v1/boards/" + board).json();
            assertEquals(hugo.userId(), moved.path("user_id").asText(), "Hugo has Gina's board");

            a.text("#audit-rows", "user deleted");
            String audit = a.find("#audit-rows").getText();
            assertTrue(audit.contains("user created") && audit.contains("gina@example.com"), audit);
            a.screenshot("users-and-audit");
        }
    }

    @Test
    void everyPageFitsAPhoneScreen() {
        try (Browser phone = Browser.phone(server.server().uri())) {
            phone.go("").signIn(admin.email(), TestAccounts.PASSWORD, false);
            for (String view : List.of("generate", "gallery", "queue", "models", "users", "profile")) {
                phone.go("#" + view).visible("#view-" + view);
                phone.await(view + " without sideways scrolling", () -> Boolean.TRUE.equals(phone.script(
                        "return document.documentElement.scrollWidth <= document.documentElement.clientWidth;")));
                phone.screenshot("phone-" + view);
            }
        }
    }

    @Test
    void aUserHasNoUserAdministrationAndChangesTheirOwnProfile() {
        Account ivan = accounts.create(admin, "ivan@example.com", "Ivan", false);
        try (Browser i = signedIn(ivan.email(), TestAccounts.PASSWORD)) {
            assertFalse(i.find("a[data-view=users]").isDisplayed(), "no Users page in the menu");
            i.go("#users").visible("#view-generate");
            assertFalse(i.find("#view-users").isDisplayed());

            i.click("a[data-view=profile]");
            i.text("#profile-name", "ivan@example.com");
            i.type("#profile-name [name=display_name]", "Ivan the Tester").click("#profile-name button[type=submit]");
            i.text("#profile-name [data-notice]", "Your name is saved.");
            i.text("#who-name", "Ivan the Tester");

            String before = i.localStorage("auth_token");
            i.type("#profile-password [name=current_password]", "Not-the-password1")
                    .type("#profile-password [name=new_password]", "Brandnew77")
                    .type("#profile-password [name=confirm]", "Brandnew77")
                    .click("#profile-password button[type=submit]");
            i.text("#profile-password [data-error]", "Current password is incorrect");
            i.type("#profile-password [name=current_password]", TestAccounts.PASSWORD)
                    .type("#profile-password [name=new_password]", "Brandnew77")
                    .type("#profile-password [name=confirm]", "Brandnew77")
                    .click("#profile-password button[type=submit]");
            i.text("#profile-password [data-notice]", "Your password is changed.");
            i.screenshot("profile");
            String after = i.localStorage("auth_token");
            assertFalse(before.equals(after), "the page took the replacement token");
            assertEquals(401, server.client().withToken(before).get("/api/v1/auth/me").status(), "older sessions ended");
            i.await("the media cookie on the new token", () -> after.equals(i.cookie("invokeai_media_token").get("value")));
            i.text("#live", "live"); // the server ended the old socket; the page joined again on the new token

            // The page keeps working on the new token.
            i.go("#gallery").type("#new-board [name=board_name]", "After the change").click("#new-board button");
            i.text("#board-title", "After the change");
            assertEquals(200, login(ivan.email(), "Brandnew77"));
        }
    }
}
