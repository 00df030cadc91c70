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

    @Test
    void aRunningItemShowsItsProgressLiveAndEveryRowIsOneLine() {
        try (TestServer server = TestServer.start(root, Map.of("multiuser", "true", "bcrypt_cost", "4"));
             Browser u = Browser.sized(server.server().uri(), 1400, 900, false)) {
            TestAccounts accounts = new TestAccounts(server);
            Account admin = accounts.setupAdmin("admin@example.com");
            Account rita = accounts.create(admin, "rita@example.com", "Rita", false);
            String model = ModelInstalls.installKey(admin.client(), TinyModels.sd15().writeTo(files.resolve("tiny")));
            u.go("").signIn(rita.email(), TestAccounts.PASSWORD, false);
            u.text("#live", "live");
            u.click("a[data-view=queue]");
            u.text("#queue-state", "Running");

            // Enough steps to be watched; queued from elsewhere (another client), so the page knows only the events.
            Map<String, Object> batch = new LinkedHashMap<>();
            batch.put("graph", StandardGraphs.webUiTextToImage(model, 512, 512, 500, "euler"));
            batch.put("data", StandardGraphs.webUiBatchData(List.of(7L, 8L), "a slow sunrise", ""));
            batch.put("origin", "generate");
            batch.put("destination", "generate");
            TestResponse answer = rita.client().post("/api/v1/queue/default/enqueue_batch", Map.of("batch", batch));
            assertEquals(200, answer.status(), answer.toString());
            // The queue runs them in order: the lower id first.
            long first = Math.min(answer.json().path("item_ids").get(0).asLong(), answer.json().path("item_ids").get(1).asLong());
            long second = Math.max(answer.json().path("item_ids").get(0).asLong(), answer.json().path("item_ids").get(1).asLong());

            // (The table redraws on every queue event: each look at it is one script, at one moment.)
            String step = u.await("step N of 500 in the running row", () -> runningStep(u, first, "Step 500 of 500"));
            String later = u.await("the step moving on", () -> runningStep(u, first, step));
            assertTrue(Integer.parseInt(later.replaceAll("\\D+", " ").trim().split(" ")[0])
                    > Integer.parseInt(step.replaceAll("\\D+", " ").trim().split(" ")[0]), step + " then " + later);
            Number bar = (Number) u.script("const bar = document.querySelector(`#queue-rows tr[data-item-id='${arguments[0]}'] "
                    + ".live-progress progress`); return bar ? bar.value : null;", first);
            assertTrue(bar != null && bar.intValue() > 0, "the bar moves too: " + bar);
            assertEquals(Boolean.FALSE, u.script("return Boolean(document.querySelector("
                    + "`#queue-rows tr[data-item-id='${arguments[0]}'] .live-progress`));", second), "a waiting item shows no progress");

            // Every cell of a row is a table cell of the same height, so the lines under the rows run straight.
            String crooked = (String) u.script("""
                    const rows = [...document.querySelectorAll('#queue-rows tr')];
                    if (rows.length < 2) return 'only ' + rows.length + ' rows';
                    return rows.flatMap(tr => [...tr.children]
                        .filter(cell => getComputedStyle(cell).display !== 'table-cell'
                            || Math.abs(cell.getBoundingClientRect().bottom - tr.getBoundingClientRect().bottom) > 0.5)
                        .map(cell => tr.dataset.itemId + ' ' + cell.className + ' ' + getComputedStyle(cell).display)).join(', ');""");
            assertEquals("", crooked, "cells that are not table cells or end before their row");
            u.screenshot("queue-live-progress");
            rita.client().put("/api/v1/queue/default/i/" + first + "/cancel", Map.of());
            // (On a fast machine it may have finished first: either way it is over.)
            u.await("the first item over", () -> row(u, first).getText().contains("canceled") || row(u, first).getText().contains("completed"));
            assertEquals(Boolean.FALSE, u.script("return Boolean(document.querySelector("
                    + "`#queue-rows tr[data-item-id='${arguments[0]}'] .live-progress`));", first), "no progress on a finished item");
            rita.client().put("/api/v1/queue/default/i/" + second + "/cancel", Map.of());
        }
    }

    /** The running row's "Step N of 500", read in one script; null when there is none or it is still {@code not}. */
    private static String runningStep(Browser browser, long item, String not) {
        String text = (String) browser.script("const step = document.querySelector(`#queue-rows tr[data-item-id='${arguments[0]}'] "
                + ".live-progress .step`); return step ? step.textContent.trim() : '';", item);
        return text.matches("Step \\d+ of 500") && !text.equals(not) ? text : null;
    }
}
