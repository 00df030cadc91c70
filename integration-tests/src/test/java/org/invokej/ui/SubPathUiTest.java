package org.invokej.ui;

import org.invokej.testing.TestAccounts;
import org.invokej.testing.TestAccounts.Account;
import org.invokej.testing.TestImages;
import org.invokej.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The UI behind a reverse proxy that publishes InvokeJ under {@code /invoke} (with {@code base_url:
 * /invoke}): every request the page makes, the live-event socket included, stays under the sub-path.
 */
class SubPathUiTest {

    @TempDir
    Path root;
    @TempDir
    Path files;

    @Test
    void theUiWorksUnderASubPathBehindAReverseProxy() throws Exception {
        try (TestServer server = TestServer.start(root, Map.of("multiuser", "true", "bcrypt_cost", "4", "base_url", "/invoke"));
             SubPathProxy proxy = new SubPathProxy("/invoke", server.server().port());
             Browser browser = Browser.open(proxy.uri())) {
            TestAccounts accounts = new TestAccounts(server);
            Account admin = accounts.setupAdmin("admin@example.com");
            Account june = accounts.create(admin, "june@example.com", "June", false);

            // Without the trailing slash the proxy redirects, as nginx does.
            browser.driver().get(proxy.uri().toString().replaceAll("/$", ""));
            browser.signIn(june.email(), TestAccounts.PASSWORD, false);
            assertEquals("/invoke/api/v1", browser.cookie("invokeai_media_token").get("path"), "the media cookie is scoped to the sub-path");
            browser.text("#live", "live");

            browser.go("#gallery").type("#new-board [name=board_name]", "Behind the proxy").click("#new-board button");
            browser.text("#board-title", "Behind the proxy");
            browser.find("#upload").sendKeys(Files.write(files.resolve("a.png"), TestImages.png(64, 64)).toString());
            WebElement thumbnail = browser.await("a loaded thumbnail", () -> browser.all("#image-grid img").stream()
                    .filter(browser::loaded).findFirst().orElse(null));
            thumbnail.click();
            WebElement full = browser.visible("dialog.viewer").findElement(By.cssSelector(".viewer-image img"));
            browser.await("the full image through the proxy", () -> browser.loaded(full));
            browser.screenshot("sub-path");
            browser.button("dialog.viewer", "✕").click();
            browser.button("#app", "Log out").click();
            browser.text("#login-form [data-notice]", "You have logged out.");

            List<String> requests = proxy.requests();
            assertTrue(requests.stream().allMatch(r -> r.split(" ")[1].startsWith("/invoke")), "outside the sub-path: " + requests);
            assertTrue(requests.stream().anyMatch(r -> r.startsWith("GET /invoke/ws/socket.io/?")), "the socket went through the proxy");
            assertTrue(requests.stream().anyMatch(r -> r.startsWith("GET /invoke/api/v1/images/i/") && r.endsWith("/thumbnail")));
            assertTrue(requests.stream().anyMatch(r -> r.startsWith("POST /invoke/api/v1/images/upload?")));
        }
    }
}
