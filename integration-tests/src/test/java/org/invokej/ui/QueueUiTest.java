package org.invokej.ui;

import com.fasterxml.jackson.databind.JsonNode;
import org.invokej.testing.ModelInstalls;
import org.invokej.testing.StandardGraphs;
import org.invokej.testing.TestAccounts;
import org.invokej.testing.TestAccounts.Account;
import org.invokej.testing.TestResponse;
import org.invokej.testing.TestServer;
import org.invokej.inference.testmodels.TinyModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The queue panel: an administrator sees everyone's items labelled with who queued them, cancels,
 * retries, pauses and resumes; a user sees and clears only their own.
 */
class QueueUiTest {

    @TempDir
    Path root;
    @TempDir
    Path files;

    private static long enqueue(Account account, String modelKey, String prompt) {
        Map<String, Object> batch = new LinkedHashMap<>();
        batch.put("graph", StandardGraphs.webUiTextToImage(modelKey, 64, 64, 4, "euler"));
        batch.put("data", StandardGraphs.webUiBatchData(List.of(7L), prompt, ""));
        batch.put("origin", "generate");
        batch.put("destination", "generate");
        TestResponse answer = account.client().post("/api/v1/queue/default/enqueue_batch", Map.of("batch", batch));
        assertEquals(200, answer.status(), answer.toString());
        return answer.json().path("item_ids").get(0).asLong();
    }

    private static WebElement row(Browser browser, long itemId) {
        return browser.await("queue row " + itemId, () -> browser.all("#queue-rows tr").stream()
                .filter(r -> String.valueOf(itemId).equals(r.getDomAttribute("data-item-id"))).findFirst().orElse(null));
    }

    private static String status(Account account, long itemId) {
        return account.client().get("/api/v1/queue/default/i/" + itemId).json().path("status").asText();
    }

    @Test
    void anAdministratorSeesWhoQueuedWhatAndUsersOnlyTheirOwn() {
        try (TestServer server = TestServer.start(root, Map.of("multiuser", "true", "bcrypt_cost", "4"));
             Browser a = Browser.open(server.server().uri()); Browser o = Browser.open(server.server().uri())) {
            TestAccounts accounts = new TestAccounts(server);
            Account admin = accounts.setupAdmin("admin@example.com");
            Account olga = accounts.create(admin, "olga@example.com", "Olga", false);
            Account pete = accounts.create(admin, "pete@example.com", null, false);
            String model = ModelInstalls.installKey(admin.client(), TinyModels.sd15().writeTo(files.resolve("tiny")));

            a.go("").signIn(admin.email(), TestAccounts.PASSWORD, false);
            a.visible("#view-generate");
            a.text("#live", "live");
            a.click("a[data-view=queue]");
            a.text("#queue-state", "Running");
            a.button("#view-queue", "Pause").click();
            a.text("#queue-state", "Paused");

            long olgas = enqueue(olga, model, "olga's castle");
            long petes = enqueue(pete, model, "pete's boat");
            long petesSecond = enqueue(pete, model, "pete's second boat");
            WebElement olgaRow = row(a, olgas);
            assertTrue(olgaRow.getText().contains("Olga") && olgaRow.getText().contains("olga's castle"), olgaRow.getText());
            assertTrue(row(a, petes).getText().contains("pete@example.com"), "no display name: the email labels the item");
            a.screenshot("queue-admin");

            Browser.buttonIn(row(a, petes), "Cancel").click();
            a.await("Pete's item canceled", () -> row(a, petes).getText().contains("canceled"));
            assertEquals("canceled", status(admin, petes));
            // The panel redraws on each event of the cancel (status change, then items canceled): a row
            // found before the last redraw is gone, so the click is tried again on the fresh one.
            a.await("the Retry click", () -> {
                try {
                    Browser.buttonIn(row(a, petes), "Retry").click();
                    return true;
                } catch (org.openqa.selenium.StaleElementReferenceException redrawn) {
                    return false;
                }
            });
            a.await("a retried copy", () -> a.all("#queue-rows tr").size() == 4);

            o.go("").signIn(olga.email(), TestAccounts.PASSWORD, false);
            o.click("a[data-view=queue]");
            row(o, olgas);
            assertEquals(1, o.all("#queue-rows tr").size(), "Olga sees only her own item");
            assertFalse(o.find("#queue-pause").isDisplayed() || o.find("#queue-resume").isDisplayed(), "only administrators pause");
            assertTrue(o.all("#view-queue thead th").stream().noneMatch(th -> th.isDisplayed() && th.getText().equals("User")));
            assertFalse(o.find("#queue-rows").getText().contains("pete"), "nothing of Pete's");
            o.screenshot("queue-user");
            o.button("#view-queue", "Clear").click();
            Browser.buttonIn(o.dialog("Remove all your items"), "Clear").click();
            o.text("#queue-empty", "The queue is empty.");
            assertEquals("pending", status(pete, petesSecond), "a user's clear leaves others' items");

            a.button("#view-queue", "Resume").click();
            a.text("#queue-state", "Running");
            a.await("Pete's items finished", () -> row(a, petesSecond).getText().contains("completed"));
            assertTrue(a.find("#queue-rows").findElements(By.cssSelector("tr")).stream().noneMatch(r -> r.getText().contains("olga's castle")));
            JsonNode badge = pete.client().get("/api/v1/queue/default/status").json().path("queue");
            assertEquals(0, badge.path("user_pending").asInt());
            // Other users' progress and results are theirs: the administrator's Generate page shows none of
            // them live (its recent strip lists the board it saves to, as the gallery does).
            a.click("a[data-view=generate]");
            a.text("#recent-board", "Uncategorized");
            assertTrue(a.all("#progress-list li").isEmpty(), "no progress rows for others' items");
            assertFalse(a.find("#stage-image").isDisplayed(), "no preview or result of others' items");
            assertTrue(a.find("[data-stage-status]").getDomAttribute("hidden") != null, "no step of others' items");
        }
    }
}
