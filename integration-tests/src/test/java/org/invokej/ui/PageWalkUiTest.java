package org.invokej.ui;

import org.invokej.inference.testmodels.TinyModels;
import org.invokej.testing.ModelInstalls;
import org.invokej.testing.StandardGraphs;
import org.invokej.testing.TestAccounts;
import org.invokej.testing.TestAccounts.Account;
import org.invokej.testing.TestImages;
import org.invokej.testing.TestResponse;
import org.invokej.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every page of the built-in UI, with content on it, on a desktop (1400×900) and a phone (390×844): no page
 * is wider than the screen, and each is saved as a picture in {@code target/screenshots/walk/}.
 */
class PageWalkUiTest {

    @TempDir
    static Path root;
    @TempDir
    static Path freshRoot;
    @TempDir
    static Path files;
    private static TestServer server;
    private static TestServer fresh;
    private static Account admin;
    private static Account maya;
    private static String model;

    @BeforeAll
    static void start() {
        server = TestServer.start(root, Map.of("multiuser", "true", "bcrypt_cost", "4"));
        fresh = TestServer.start(freshRoot, Map.of("multiuser", "true", "bcrypt_cost", "4"));
        TestAccounts accounts = new TestAccounts(server);
        admin = accounts.setupAdmin("admin@example.com");
        maya = accounts.create(admin, "maya.with.a.rather.long.address@example.com", "Maya Lindqvist-Oyelaran", false);
        accounts.create(admin, "sam@example.com", "Sam", true);
        model = ModelInstalls.installKey(admin.client(), TinyModels.sd15().writeTo(files.resolve("tiny-sd15")));
        String landscapes = TestImages.board(admin.client(), "Landscapes with a name long enough to need wrapping");
        TestImages.board(admin.client(), "Portraits");
        for (int i = 0; i < 9; i++) {
            TestImages.uploadPng(admin.client(), landscapes);
        }
        enqueue(maya, model, "a harbour at dawn");
    }

    @AfterAll
    static void stop() {
        if (fresh != null) {
            fresh.close();
        }
        server.close();
    }

    private static void enqueue(Account account, String model, String prompt) {
        Map<String, Object> batch = new LinkedHashMap<>();
        batch.put("graph", StandardGraphs.webUiTextToImage(model, 64, 64, 4, "euler"));
        batch.put("data", StandardGraphs.webUiBatchData(List.of(7L), prompt, ""));
        batch.put("origin", "generate");
        batch.put("destination", "generate");
        TestResponse answer = account.client().post("/api/v1/queue/default/enqueue_batch", Map.of("batch", batch));
        assertEquals(200, answer.status(), answer.toString());
    }

    private static void fits(Browser browser, String size, String page) {
        browser.screenshot("walk/" + size + "-" + page);
        assertTrue(browser.fitsWidth(), page + " at " + size + " is wider than the screen: " + browser.overflowing());
    }

    @ParameterizedTest(name = "{0}x{1}")
    @CsvSource({"1400, 900, false", "390, 844, true"})
    void everyPageFitsTheScreen(int width, int height, boolean phone) {
        String size = width + "x" + height;
        try (Browser setup = Browser.sized(fresh.server().uri(), width, height, phone)) {
            setup.go("").visible("#setup-form");
            fits(setup, size, "setup");
        }
        try (Browser b = Browser.sized(server.server().uri(), width, height, phone)) {
            b.go("").visible("#login-form");
            assertEquals(width, ((Number) b.script("return window.innerWidth;")).intValue(), "the page is the screen's width");
            fits(b, size, "login");
            b.signIn(admin.email(), TestAccounts.PASSWORD, false);
            b.text("#live", "live");

            // Generate, after making an image (the queue is paused for the others: run this one alone).
            b.visible("#generate-form");
            b.await("the model offered", () -> b.find("#generate-form [name=model]").getText().contains("tiny-sd15"));
            b.type("#generate-form [name=prompt]", "a quiet harbour at dawn, oil painting");
            b.type("#generate-form [name=steps]", "6");
            b.type("#generate-form [name=width]", "256");
            b.type("#generate-form [name=height]", "256");
            assertTrue(b.box(b.find("#generate-form"))[2] <= width, "the Generate form fits the screen");
            b.click("#invoke");
            b.await("the image made", () -> !b.all("#progress-list .progress-item.completed").isEmpty());
            b.await("the result on the stage", () -> b.loaded(b.find("#stage-image")));
            b.await("the recent strip", () -> !b.all("#results img").isEmpty() && b.all("#results img").stream().allMatch(b::loaded));
            b.script("window.scrollTo(0, 0);");
            fits(b, size, "generate");

            // Gallery, with two images selected.
            b.click("a[data-view=gallery]");
            b.await("the board", () -> b.all("#board-list .board-button").stream()
                    .filter(e -> e.getText().contains("Landscapes")).findFirst().orElse(null)).click();
            b.await("nine thumbnails", () -> b.all("#image-grid img").size() == 9 && b.all("#image-grid img").stream().allMatch(b::loaded));
            new Actions(b.driver()).keyDown(Keys.CONTROL).click(b.all("#image-grid button").get(0))
                    .click(b.all("#image-grid button").get(2)).keyUp(Keys.CONTROL).perform();
            b.text("#selection-count", "2 selected");
            fits(b, size, "gallery");
            b.click("#bulk-clear");
            b.click("#image-grid button", 1);
            b.await("the full image", () -> b.loaded(b.visible("dialog.viewer .viewer-image img")));
            fits(b, size, "viewer");
            b.button("dialog.viewer", "✕").click();

            // Queue rows of every kind: finished ones, and (paused) waiting ones with long prompts.
            assertEquals(200, admin.client().put("/api/v1/queue/default/processor/pause", Map.of()).status());
            enqueue(maya, model, "a very long prompt that goes on and on about a castle on a hill above a misty valley at golden hour");
            enqueue(admin, model, "pencil sketch of a lighthouse");
            b.click("a[data-view=queue]");
            b.await("the queue rows", () -> b.all("#queue-rows tr.status-pending").size() >= 2);
            fits(b, size, "queue");

            b.click("a[data-view=models]");
            b.text("#model-rows", "tiny-sd15");
            fits(b, size, "models");

            b.click("a[data-view=users]");
            b.text("#user-rows", "maya.with.a.rather.long.address@example.com");
            b.await("the audit log", () -> !b.all("#audit-rows tr").isEmpty());
            fits(b, size, "users");

            b.click("a[data-view=profile]");
            b.visible("#profile-name");
            fits(b, size, "profile");

            // The light theme too, on the page people spend their time on.
            b.click("#theme-toggle");
            b.click("a[data-view=generate]");
            b.await("the recent strip", () -> !b.all("#results img").isEmpty() && b.all("#results img").stream().allMatch(b::loaded));
            fits(b, size, "generate-light");
            b.click("#theme-toggle");
            b.click("a[data-view=queue]");
            b.button("#view-queue", "Clear").click();
            Browser.buttonIn(b.dialog("Remove every item"), "Clear").click();
            b.text("#queue-empty", "The queue is empty.");
            assertEquals(200, admin.client().put("/api/v1/queue/default/processor/resume", Map.of()).status());
        }
    }

    /** A sanity check of the check itself: a page made wider than the screen is caught. */
    @ParameterizedTest(name = "{0}x{1}")
    @CsvSource({"390, 844, true"})
    void aPageWiderThanTheScreenIsCaught(int width, int height, boolean phone) {
        try (Browser b = Browser.sized(server.server().uri(), width, height, phone)) {
            b.go("").visible("#login-form");
            assertTrue(b.fitsWidth());
            WebElement wide = (WebElement) b.script("""
                    const wide = document.createElement('div');
                    wide.textContent = 'wide';
                    document.body.append(wide);
                    wide.style.width = (innerWidth + 40) + 'px';
                    return wide;""");
            assertTrue(b.box(wide)[2] > width);
            assertTrue(!b.fitsWidth(), "a wider page is noticed");
        }
    }
}
