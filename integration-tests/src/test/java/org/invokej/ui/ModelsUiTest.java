package org.invokej.ui;

import org.invokej.testing.TestAccounts;
import org.invokej.testing.TestAccounts.Account;
import org.invokej.testing.TestServer;
import org.invokej.inference.testmodels.TinyModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The models page: administrators install (watching the job), edit and delete; users only see the list. */
class ModelsUiTest {

    @TempDir
    Path root;
    @TempDir
    Path sources;

    private static WebElement modelRow(Browser browser, String name) {
        return browser.await("the model " + name, () -> browser.all("#model-rows tr").stream()
                .filter(row -> row.findElement(By.cssSelector("th")).getText().equals(name)).findFirst().orElse(null));
    }

    @Test
    void administratorsInstallEditAndDeleteModelsAndUsersSeeThem() {
        Path tiny = TinyModels.sd15().writeTo(sources.resolve("tiny-sd15"));
        try (TestServer server = TestServer.start(root, Map.of("multiuser", "true", "bcrypt_cost", "4"));
             Browser a = Browser.open(server.server().uri()); Browser u = Browser.open(server.server().uri())) {
            TestAccounts accounts = new TestAccounts(server);
            Account admin = accounts.setupAdmin("admin@example.com");
            Account user = accounts.create(admin, "lena@example.com", "Lena", false);
            a.go("").signIn(admin.email(), TestAccounts.PASSWORD, false);
            a.click("a[data-view=models]");
            a.text("#models-empty", "No models are installed.");

            a.type("#install-form [name=source]", sources.resolve("missing").toString()).click("#install-form button[type=submit]");
            a.await("the refusal", () -> !a.find("#models-error").getText().isBlank());

            a.type("#install-form [name=source]", tiny.toString()).click("#install-form button[type=submit]");
            a.text("#install-jobs", "completed");
            a.text("#install-jobs", "installed as “tiny-sd15”");
            WebElement row = modelRow(a, "tiny-sd15");
            assertTrue(row.getText().contains("sd-1") && row.getText().contains("main"), row.getText());
            a.screenshot("models-installed");

            Browser.buttonIn(row, "Edit").click();
            WebElement edit = a.dialog("Edit tiny-sd15");
            WebElement name = edit.findElement(By.name("name"));
            name.clear();
            name.sendKeys("Tiny SD");
            WebElement description = edit.findElement(By.name("description"));
            assertEquals("sd-1 main model tiny-sd15", description.getDomProperty("value"), "the current description to edit");
            description.clear();
            description.sendKeys("A tiny test model");
            Browser.buttonIn(edit, "Save").click();
            assertTrue(modelRow(a, "Tiny SD").getText().contains("A tiny test model"));

            u.go("").signIn(user.email(), TestAccounts.PASSWORD, false);
            u.click("a[data-view=models]");
            WebElement seen = modelRow(u, "Tiny SD");
            assertFalse(u.find("#install-form").isDisplayed(), "users do not install");
            assertTrue(seen.findElements(By.cssSelector("button")).isEmpty(), "users do not edit or delete");
            u.screenshot("models-user");
            u.click("a[data-view=generate]");
            u.await("the model offered on Generate", () -> u.find("#generate-form [name=model]").getText().contains("Tiny SD (sd-1)"));

            Browser.buttonIn(modelRow(a, "Tiny SD"), "Delete").click();
            Browser.buttonIn(a.dialog("Delete this model?"), "Delete").click();
            a.text("#models-empty", "No models are installed.");
            assertEquals(0, admin.client().get("/api/v2/models/").json().path("models").size());
        }
    }
}
