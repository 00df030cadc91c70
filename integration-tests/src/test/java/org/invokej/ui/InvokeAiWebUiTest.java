package org.invokej.ui;

import com.fasterxml.jackson.databind.JsonNode;
import org.invokej.inference.graph.nodes.NodeTypes;
import org.invokej.inference.testmodels.TinyModels;
import org.invokej.testing.ModelInstalls;
import org.invokej.testing.Scripts;
import org.invokej.testing.TestAccounts;
import org.invokej.testing.TestAccounts.Account;
import org.invokej.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.WebElement;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * InvokeAI's own web UI, built unmodified from InvokeAI 6.14 (the folder beside the checkout, or
 * {@code -Dinvokej.webUiDist} / {@code INVOKEJ_WEB_UI_DIST}), served with {@code web_ui_dir} and driven
 * in headless Chromium as a household would: the administrator's first-run setup, sign-in, a
 * text-to-image generation with the UI's defaults on the tiny model (installed through the API) to an
 * image in the gallery, and a second person who does not see it. Throughout, every answer the UI gets
 * is recorded: none may be a 404, 405, 422 or 5xx, the page may break no Content-Security-Policy rule,
 * and the UI must build its node templates from {@code /openapi.json} without a complaint.
 */
class InvokeAiWebUiTest {

    private static final String ADMIN_PASSWORD = "Admin-Pass-123";

    @TempDir
    static Path root;
    private static TestServer server;

    static Path dist() {
        String configured = System.getProperty("invokej.webUiDist", System.getenv("INVOKEJ_WEB_UI_DIST"));
        Path real = configured != null ? Path.of(configured)
                : Scripts.projectRoot().resolve("../shared/clients/invokeai-web-6.14.0/dist").normalize();
        assertTrue(Files.isRegularFile(real.resolve("index.html")), "InvokeAI's built web UI is not at " + real
                + ": pass its dist folder with -Dinvokej.webUiDist=DIR or INVOKEJ_WEB_UI_DIST=DIR");
        return real;
    }

    @BeforeAll
    static void start() {
        server = TestServer.start(root, Map.of("multiuser", "true", "bcrypt_cost", "4", "web_ui_dir", dist().toString()));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aHouseholdSetsUpGeneratesAndKeepsItsImagesApart() {
        List<String> problems = new ArrayList<>();
        Account admin;
        String adminImage;
        try (InvokeAiBrowser ada = new InvokeAiBrowser(server.server().uri())) {
            // First run: the UI asks for the administrator, then sends them to sign in.
            ada.go("");
            ada.await("the first-run setup page", () -> ada.path().equals("/setup"));
            ada.type("admin@example.com", "admin@example.com").type("Administrator", "Ada Admin")
                    .type("Password", ADMIN_PASSWORD).type("Confirm Password", ADMIN_PASSWORD);
            ada.button("Create Administrator Account").click();
            ada.await("the sign-in page after setup", () -> ada.path().equals("/login"));

            TestAccounts accounts = new TestAccounts(server);
            admin = accounts.login("admin@example.com", ADMIN_PASSWORD);
            ModelInstalls.installKey(admin.client(), TinyModels.sd15().writeTo(root.resolve("tiny-sd15")));
            accounts.create(admin, "bob@example.com", "Bob", false);

            int signedIn = signIn(ada, "admin@example.com", ADMIN_PASSWORD);
            ada.await("the tiny model chosen", () -> ada.bodySays("tiny-sd15"));
            ada.screenshot("invokeai-ui-main");

            // The node templates come from /openapi.json: one per node type this server runs.
            int nodeTypes = NodeTypes.standard().all().size();
            ada.await("the node templates built", () -> ada.console().stream().anyMatch(line -> line.contains("Built " + nodeTypes + " node templates")));

            // Generate with the UI's defaults: only the prompt is typed, a dynamic prompt the server expands to two.
            WebElement prompt = ada.visible("the prompt box", "//textarea[@name='prompt']");
            prompt.sendKeys("a {red|blue} fox in the snow");
            ada.await("the prompt expanded by the server", () -> ada.answers().stream()
                    .anyMatch(a -> a.url().endsWith("/api/v1/utilities/dynamicprompts") && a.status() == 200));
            ada.button("Invoke").click();
            List<String> images = ada.await("the two generated images in the gallery", () -> {
                List<String> loaded = ada.all("img").stream()
                        .filter(img -> String.valueOf(img.getAttribute("src")).contains("/api/v1/images/i/")
                                && Boolean.TRUE.equals(ada.script("return arguments[0].complete && arguments[0].naturalWidth > 0;", img)))
                        .map(img -> img.getAttribute("src").replaceAll(".*/api/v1/images/i/([^/]+)/.*", "$1")).distinct().toList();
                return loaded.size() >= 2 ? loaded : null;
            });
            adminImage = images.get(0);
            ada.screenshot("invokeai-ui-generated");

            // The administrator's settings, which ask whether image files are being moved.
            ada.button("Menu").click();
            ada.visible("the Settings menu item", "//*[@role='menuitem' and normalize-space()='Settings']").click();
            ada.await("the image-move status asked", () -> ada.answers().stream()
                    .anyMatch(a -> a.url().endsWith("/api/v1/image_moves/status") && a.status() == 200));
            ada.screenshot("invokeai-ui-settings");
            problems.addAll(problems("admin", ada, signedIn));
        }

        JsonNode names = admin.client().get("/api/v1/images/names?board_id=none").json();
        assertTrue(names.path("image_names").toString().contains(adminImage), "the admin's image is stored as theirs: " + names);
        List<String> prompts = new ArrayList<>();
        for (JsonNode name : names.path("image_names")) {
            prompts.add(admin.client().get("/api/v1/images/i/" + name.asText() + "/metadata").json().path("positive_prompt").asText());
        }
        assertEquals(List.of("a blue fox in the snow", "a red fox in the snow"), prompts.stream().sorted().toList(),
                "one image per expansion of the dynamic prompt");

        try (InvokeAiBrowser bob = new InvokeAiBrowser(server.server().uri())) {
            bob.go("");
            bob.await("the sign-in page", () -> bob.path().equals("/login"));
            int signedIn = signIn(bob, "bob@example.com", TestAccounts.PASSWORD);
            // The gallery has answered when it says it is empty (Ada's image would otherwise be listed).
            bob.await("Bob's empty gallery", () -> bob.bodySays("No images/videos found"));
            bob.screenshot("invokeai-ui-other-user");
            List<String> shown = bob.all("img").stream().map(img -> String.valueOf(img.getAttribute("src")))
                    .filter(src -> src.contains("/api/v1/images/i/")).toList();
            assertEquals(List.of(), shown, "Bob's gallery shows none of the administrator's images");
            assertTrue(bob.answers().stream().noneMatch(a -> a.url().contains(adminImage) && a.status() == 200),
                    "nothing of the administrator's image reached Bob's browser");
            problems.addAll(problems("bob", bob, signedIn));
        }
        assertEquals(List.of(), problems, "the UI met no missing route, no refused request and no policy violation");
    }

    /** Signs in on InvokeAI's sign-in page and waits for the main screen; answers where the record stood before. */
    private static int signIn(InvokeAiBrowser browser, String email, String password) {
        int before = browser.answers().size();
        browser.type("Email", email).type("Password", password);
        browser.button("Sign In").click();
        browser.await("the main screen", () -> browser.path().startsWith("/app"));
        browser.await("the live connection", () -> browser.console().stream().anyMatch(line -> line.contains("[events]") && line.contains("Connected")));
        browser.visible("the Invoke button", "//button[normalize-space()='Invoke']");
        return before;
    }

    /**
     * What went wrong for the person signed in from answer {@code since} on: answers that are a missing
     * route, a wrong method, a refused body or a server error; policy violations; template complaints.
     */
    private static List<String> problems(String who, InvokeAiBrowser browser, int since) {
        List<String> problems = new ArrayList<>();
        browser.answers().stream().skip(since)
                .filter(a -> a.status() == 404 || a.status() == 405 || a.status() == 422 || a.status() >= 500)
                .forEach(a -> problems.add(who + ": " + a));
        browser.console().stream()
                .filter(line -> line.contains("Content Security Policy") || line.contains("Unable to parse")
                        || line.contains("Uncaught") || line.contains("Problem retrieving OpenAPI"))
                .forEach(line -> problems.add(who + ": " + line));
        return problems;
    }
}
