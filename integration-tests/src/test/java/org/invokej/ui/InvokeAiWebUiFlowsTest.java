package org.invokej.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * InvokeAI's own web UI (as {@link InvokeAiWebUiTest} serves it) through the flows a household uses
 * after the first run, in headless Chromium: an administrator clicks through the Models tab (installing
 * a model from a path with the UI's own form, syncing the models folder, the scan, Hugging Face and
 * starter model panels), a user makes a board and generates onto it, opens a workflow built from this
 * server's nodes in the Workflows tab and runs it, a second user sees the first one's queue items
 * redacted, and each logs out. No answer the UI gets may be a missing route, a wrong method, a refused
 * body or a server error, and no error toast may show.
 */
class InvokeAiWebUiFlowsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path root;
    private static TestServer server;
    private static Account admin;
    private static Account bob;
    private static Account carol;
    private static JsonNode model;

    @BeforeAll
    static void start() {
        server = TestServer.start(root, Map.of("multiuser", "true", "bcrypt_cost", "4", "web_ui_dir", InvokeAiWebUiTest.dist().toString()));
        TestAccounts accounts = new TestAccounts(server);
        admin = accounts.setupAdmin("admin@example.com");
        bob = accounts.create(admin, "bob@example.com", "Bob", false);
        carol = accounts.create(admin, "carol@example.com", "Carol", false);
        model = ModelInstalls.install(admin.client(), TinyModels.sd15().writeTo(root.resolve("sources/tiny-sd15"))).path("config_out");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void anAdministratorWorksTheModelsTabAndAUserSeesItReadOnly() {
        Path another = TinyModels.sd15().writeTo(root.resolve("sources/installed-from-the-ui"));
        List<String> problems = new ArrayList<>();
        try (InvokeAiBrowser ada = new InvokeAiBrowser(server.server().uri())) {
            int since = signIn(ada, admin);
            ada.screenshot("invokeai-admin-signed-in");
            ada.tab("Models");
            ada.await("the model list", () -> ada.bodySays("tiny-sd15"));
            ada.screenshot("invokeai-models-tab");

            // The models folder holds nothing but installed models.
            ada.click(ada.button("Sync Models"));
            ada.await("the models folder found synchronized", () -> ada.bodySays("The models directory is synchronized"));
            ada.screenshot("invokeai-models-sync");
            ada.driver().switchTo().activeElement().sendKeys(Keys.ESCAPE);

            // Install from a path with the UI's own form.
            ada.clickText("URL or Local Path");
            WebElement source = ada.input("URL or path to a local file or diffusers folder");
            source.sendKeys(another.toString());
            ada.button("Install").click();
            ada.await("the model installed from the UI", () -> ada.bodySays("installed-from-the-ui"));
            ada.await("the install job completed", () -> admin.client().get("/api/v2/models/install").json().findValuesAsText("status")
                    .contains("completed"));
            ada.screenshot("invokeai-models-installed");

            // The other panels: a folder scan, Hugging Face (not reachable from here) and the starter models (none).
            ada.clickText("Scan Folder");
            WebElement folder = ada.input("Path to a local folder");
            folder.sendKeys(root.resolve("sources").toString());
            ada.click(ada.visible("the Scan Folder button", "//button[normalize-space()='Scan Folder' and not(@role='tab')]"));
            ada.await("the scan's results", () -> ada.bodySays("Scan Results"));
            ada.screenshot("invokeai-models-scan");
            ada.clickText("HuggingFace");
            ada.input("owner/model-name");
            ada.await("the Hugging Face token status asked", () -> ada.answers().stream()
                    .anyMatch(a -> a.url().endsWith("/api/v2/models/hf_login") && a.status() == 200));
            ada.clickText("Starter Models");
            ada.await("the starter models asked", () -> ada.answers().stream()
                    .anyMatch(a -> a.url().endsWith("/api/v2/models/starter_models") && a.status() == 200));
            ada.screenshot("invokeai-models-starters");

            // A model's own page.
            ada.clickText("tiny-sd15");
            ada.await("the model's page", () -> ada.answers().stream()
                    .anyMatch(a -> a.url().contains("/api/v2/models/i/" + model.path("key").asText()) && a.status() == 200)
                    || ada.bodySays(model.path("key").asText()));
            ada.screenshot("invokeai-models-model");
            problems.addAll(problems("admin", ada, since));
            report("admin, Models tab", ada, since);
            logOut(ada);
        }
        try (InvokeAiBrowser bobs = new InvokeAiBrowser(server.server().uri())) {
            int since = signIn(bobs, bob);
            List<WebElement> modelsTab = bobs.xpath("//button[@aria-label='Models' or @aria-label='Models Tab']");
            if (modelsTab.stream().anyMatch(WebElement::isDisplayed)) {
                bobs.tab("Models");
                bobs.await("the model list", () -> bobs.bodySays("tiny-sd15"));
                bobs.screenshot("invokeai-models-tab-user");
            }
            problems.addAll(problems("bob", bobs, since));
            report("user, Models tab", bobs, since);
        }
        assertEquals(List.of(), problems, "the UI met no missing route, no refused request, no server error and no error toast");
    }

    @Test
    void usersGenerateOntoTheirBoardsRunAWorkflowSeeOthersQueueItemsRedactedAndLogOut() throws Exception {
        List<String> problems = new ArrayList<>();
        try (InvokeAiBrowser bobs = new InvokeAiBrowser(server.server().uri())) {
            int since = signIn(bobs, bob);

            // A new board becomes the one new images go to.
            bobs.visible("the add-board button", "//button[@data-testid='add-board-button']").click();
            String boardId = bobs.await("Bob's new board", () -> {
                for (JsonNode board : bob.client().get("/api/v1/boards/?all=true").json()) {
                    if (board.path("board_name").asText().equals("My Board")) {
                        return board.path("board_id").asText();
                    }
                }
                return null;
            });
            bobs.await("the board shown", () -> bobs.bodySays("My Board"));

            bobs.visible("the prompt box", "//textarea[@name='prompt']").sendKeys("a bright red bicycle");
            bobs.button("Invoke").click();
            String image = bobs.await("the image on Bob's board", () -> {
                JsonNode names = bob.client().get("/api/v1/images/names?board_id=" + boardId).json().path("image_names");
                return names.isEmpty() ? null : names.get(0).asText();
            });
            bobs.await("the image shown in the board's gallery", () -> bobs.all("img").stream()
                    .anyMatch(img -> String.valueOf(img.getAttribute("src")).contains(image)));
            bobs.screenshot("invokeai-board-image");

            // A workflow built from this server's nodes: InvokeAI's own SD 1.5 text-to-image, in Bob's library.
            String workflowId = bob.client().post("/api/v1/workflows/", Map.of("workflow", textToImageWorkflow()))
                    .json().path("workflow_id").asText();
            int imagesBefore = bob.client().get("/api/v1/images/names").json().path("image_names").size();
            bobs.tab("Workflows");
            bobs.screenshot("invokeai-workflows-tab");
            bobs.clickText("Load Workflow");
            bobs.screenshot("invokeai-workflow-library");
            bobs.clickText("Your Workflows");
            bobs.clickText("Text to Image - SD1.5 (InvokeJ)");
            // The editor held the UI's empty workflow, which counts as unsaved: the UI asks first.
            bobs.click(bobs.button("Load"));
            bobs.await("the workflow opened", () -> bobs.answers().stream()
                    .anyMatch(a -> a.url().contains("/api/v1/workflows/i/" + workflowId) && a.status() == 200));
            bobs.screenshot("invokeai-workflow-opened");
            bobs.button("Invoke").click();
            bobs.await("the workflow's image", () ->
                    bob.client().get("/api/v1/images/names").json().path("image_names").size() > imagesBefore);
            bobs.screenshot("invokeai-workflow-ran");
            problems.addAll(problems("bob", bobs, since));
            report("user, board, generation and workflow", bobs, since);
            logOut(bobs);
        }

        try (InvokeAiBrowser carols = new InvokeAiBrowser(server.server().uri())) {
            int since = signIn(carols, carol);
            carols.tab("Queue");
            carols.await("Bob's items listed", () -> !carols.xpath("//*[@data-testid='queue-item']").isEmpty());
            carols.await("their field values hidden", () -> carols.bodySays("<Hidden>"));
            carols.screenshot("invokeai-queue-redacted");
            assertFalse(carols.bodySays("bicycle"), "Carol's page shows nothing of Bob's prompt");
            problems.addAll(problems("carol", carols, since));
            report("other user, queue", carols, since);
            logOut(carols);
        }
        assertEquals(List.of(), problems, "the UI met no missing route, no refused request, no server error and no error toast");
    }

    /** InvokeAI 6.14's default "Text to Image - SD1.5" workflow, from the InvokeAI root beside the checkout, on the tiny model. */
    private static ObjectNode textToImageWorkflow() throws SQLException, java.io.IOException {
        Path database = Scripts.projectRoot().resolve("../shared/fixtures/invokeai-6.14-root/databases/invokeai.db").normalize();
        assertTrue(Files.isRegularFile(database), "InvokeAI's root is not at " + database);
        String text;
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:file:" + database + "?mode=ro", new java.util.Properties());
             ResultSet row = db.createStatement().executeQuery(
                     "SELECT workflow FROM workflow_library WHERE name = 'Text to Image - SD1.5' AND category = 'default'")) {
            assertTrue(row.next(), "InvokeAI's root has its SD 1.5 text-to-image workflow");
            text = row.getString(1);
        }
        ObjectNode workflow = (ObjectNode) JSON.readTree(text);
        workflow.remove("id");
        workflow.put("name", "Text to Image - SD1.5 (InvokeJ)");
        ((ObjectNode) workflow.path("meta")).put("category", "user");
        for (JsonNode node : workflow.path("nodes")) {
            JsonNode data = node.path("data");
            if (data.path("type").asText().equals("main_model_loader")) {
                ObjectNode value = ((ObjectNode) data.path("inputs").path("model")).putObject("value");
                for (String field : List.of("key", "hash", "name", "base", "type")) {
                    value.set(field, model.path(field));
                }
            }
        }
        return workflow;
    }

    private static int signIn(InvokeAiBrowser browser, Account account) {
        browser.go("");
        browser.await("the sign-in page", () -> browser.path().equals("/login"));
        int before = browser.answers().size();
        browser.type("Email", account.email()).type("Password", account.password());
        browser.button("Sign In").click();
        browser.await("the main screen", () -> browser.path().startsWith("/app"));
        browser.await("the live connection", () -> browser.console().stream().anyMatch(line -> line.contains("[events]") && line.contains("Connected")));
        browser.visible("the Invoke button", "//button[normalize-space()='Invoke']");
        return before;
    }

    /** Logs out through the user menu, back to the sign-in page. */
    private static void logOut(InvokeAiBrowser browser) {
        browser.click(browser.button("User Menu"));
        browser.visible("the Logout menu item", "//*[@role='menuitem' and normalize-space()='Logout']").click();
        browser.await("the sign-in page after logging out", () -> browser.path().equals("/login"));
    }

    private static List<String> problems(String who, InvokeAiBrowser browser, int since) {
        List<String> problems = new ArrayList<>();
        browser.answers().stream().skip(since)
                .filter(a -> a.status() == 404 || a.status() == 405 || a.status() == 422 || a.status() >= 500)
                .forEach(a -> problems.add(who + ": " + a));
        browser.errorToasts().forEach(toast -> problems.add(who + ": error toast: " + toast));
        browser.console().stream()
                .filter(line -> line.contains("Content Security Policy") || line.contains("Uncaught"))
                .forEach(line -> problems.add(who + ": " + line));
        return problems;
    }

    /** Prints the API routes the UI called in a flow, with their answers (what the UI needs of the server). */
    private static void report(String flow, InvokeAiBrowser browser, int since) {
        TreeSet<String> calls = new TreeSet<>();
        browser.answers().stream().skip(since).filter(a -> a.url().contains("/api/"))
                .forEach(a -> calls.add(a.status() + " " + a.method() + " " + a.url().replaceAll("^https?://[^/]+", "")
                        .replaceAll("[0-9a-f]{8}-[0-9a-f-]{27}", "{id}").replaceAll("\\?.*", "?…")));
        System.out.println("InvokeAI web UI, " + flow + ": " + calls.size() + " distinct calls\n  " + String.join("\n  ", calls));
    }
}
