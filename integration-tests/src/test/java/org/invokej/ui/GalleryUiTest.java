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
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gallery: boards and what each user may do with them (private, shared, public), images as
 * thumbnails that load while scrolling, the image viewer's actions, upload, and "use these settings".
 */
class GalleryUiTest {

    @TempDir
    static Path root;
    @TempDir
    static Path files;
    private static TestServer server;
    private static Account admin;
    private static TestAccounts accounts;

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

    private static Browser signedIn(String email) {
        return Browser.open(server.server().uri()).go("").signIn(email, TestAccounts.PASSWORD, false);
    }

    private static Path png(String name, int width, int height) throws IOException {
        return Files.write(files.resolve(name), TestImages.png(width, height));
    }

    private static List<String> boardNames(Browser browser) {
        return browser.all("#board-list .board-name").stream().map(WebElement::getText).toList();
    }

    private static void selectBoard(Browser browser, String name) {
        // Clicked inside the wait: the list redraws when images change (an upload), so look again if it did.
        browser.await("board " + name + " clicked", () -> {
            WebElement board = browser.all("#board-list .board-button").stream()
                    .filter(b -> b.getText().contains(name)).findFirst().orElse(null);
            if (board == null) {
                return false;
            }
            board.click();
            return true;
        });
        browser.text("#board-title", name);
    }

    private static List<WebElement> thumbnails(Browser browser, int count) {
        return browser.await(count + " loaded thumbnails", () -> {
            List<WebElement> images = browser.all("#image-grid img");
            return images.size() == count && images.stream().allMatch(browser::loaded) ? images : null;
        });
    }

    /** Clicks a thumbnail once {@code count} have loaded, looking again when the grid redrew under the click. */
    private static void openThumbnail(Browser browser, int count, int index) {
        browser.await("thumbnail " + index + " of " + count + " clicked", () -> {
            List<WebElement> images = browser.all("#image-grid img");
            if (images.size() != count || !images.stream().allMatch(browser::loaded)) {
                return false;
            }
            images.get(index).click();
            return true;
        });
    }

    @Test
    void boardsAreSharedBetweenTwoUsersAsTheirVisibilitySays() throws IOException {
        Account alice = accounts.create(admin, "alice@example.com", "Alice", false);
        Account bob = accounts.create(admin, "bob@example.com", "Bob", false);
        try (Browser a = signedIn(alice.email()); Browser b = signedIn(bob.email())) {
            a.go("#gallery").type("#new-board [name=board_name]", "Trip").click("#new-board button");
            a.text("#board-title", "Trip");
            a.find("#upload").sendKeys(png("one.png", 64, 48) + "\n" + png("two.png", 48, 64));
            thumbnails(a, 2);
            a.screenshot("gallery-owner");

            b.go("#gallery").visible("#board-list");
            b.text("#board-list", "Uncategorized");
            assertFalse(boardNames(b).stream().anyMatch(n -> n.contains("Trip")), "a private board is Alice's alone");

            new Select(a.find("#board-actions select")).selectByValue("shared");
            a.text("#board-badges", "shared");
            b.go("#queue").go("#gallery");
            selectBoard(b, "Trip (shared)");
            thumbnails(b, 2);
            assertTrue(b.all("#board-actions > *").isEmpty(), "only the owner manages the board");
            assertFalse(b.find("#upload").findElement(By.xpath("..")).isDisplayed(), "nobody else adds to a shared board");
            b.click("#image-grid button", 0);
            WebElement viewer = b.visible("dialog.viewer");
            b.await("the full image", () -> b.loaded(viewer.findElement(By.cssSelector(".viewer-image img"))));
            assertTrue(viewer.findElements(By.xpath(".//button[normalize-space()='Delete image']")).isEmpty());
            assertTrue(viewer.findElements(By.xpath(".//button[normalize-space()='Move']")).isEmpty());
            b.screenshot("gallery-shared-with-another-user");
            b.button("dialog.viewer", "✕").click();

            new Select(a.find("#board-actions select")).selectByValue("public");
            a.text("#board-badges", "public");
            b.go("#queue").go("#gallery");
            selectBoard(b, "Trip (shared)");
            b.find("#upload").sendKeys(png("bobs.png", 32, 32).toString());
            thumbnails(b, 3);

            // The owner renames, archives and brings the board back.
            a.button("#board-actions", "Rename").click();
            WebElement rename = a.dialog("Rename board");
            WebElement name = rename.findElement(By.name("board_name"));
            name.clear();
            name.sendKeys("Summer trip");
            Browser.buttonIn(rename, "Rename").click();
            a.text("#board-title", "Summer trip");
            a.button("#board-actions", "Archive").click();
            a.await("the archived board to leave the list", () -> boardNames(a).stream().noneMatch(n -> n.contains("Summer trip")));
            a.click("#show-archived");
            selectBoard(a, "Summer trip");
            a.text("#board-badges", "archived");
            a.button("#board-actions", "Unarchive").click();
            a.await("the board to be current again", () -> !a.find("#board-badges").getText().contains("archived"));

            // Deleting with its images takes Alice's images only: Bob's upload survives, uncategorized.
            a.button("#board-actions", "Delete").click();
            Browser.buttonIn(a.dialog("Delete only the board"), "Delete board and images").click();
            Browser.buttonIn(a.dialog("deleted for good"), "Delete").click();
            a.text("#board-title", "Uncategorized");
            a.await("the board to be gone", () -> boardNames(a).stream().noneMatch(n -> n.contains("Summer trip")));
            JsonNode bobs = bob.client().get("/api/v1/images/?board_id=none&is_intermediate=false").json();
            assertEquals(1, bobs.path("total").asInt(), "Bob's image stays, uncategorized");
            a.screenshot("gallery-board-deleted");
        }
    }

    @Test
    void theViewerStarsMovesAndDeletesAndUsesAnImagesSettings() {
        Account carol = accounts.create(admin, "carol@example.com", "Carol", false);
        String board = TestImages.board(carol.client(), "Portraits");
        Map<String, String> texts = new LinkedHashMap<>();
        texts.put("metadata", """
                {"positive_prompt":"a lighthouse at dusk","negative_prompt":"blurry","seed":1234,"steps":12,
                 "cfg_scale":6.5,"scheduler":"euler_a","width":256,"height":320,"generation_mode":"txt2img"}""");
        assertEquals(201, TestImages.upload(carol.client(), TestImages.png(40, 40), "image/png",
                "image_category=general&is_intermediate=false&board_id=" + board, texts).status());
        TestImages.uploadPng(carol.client(), board);
        // Straight to the gallery: the Generate page is set up only when "Use these settings" leads there.
        try (Browser c = Browser.open(server.server().uri()).go("#gallery").signIn(carol.email(), TestAccounts.PASSWORD, false)) {
            selectBoard(c, "Portraits");
            thumbnails(c, 2);
            // Newest first: the plain upload, then the one with settings.
            c.click("#image-grid button", 1);
            WebElement viewer = c.text("dialog.viewer", "a lighthouse at dusk");
            assertTrue(viewer.getText().contains("1234"));
            c.screenshot("image-viewer");

            c.button("dialog.viewer", "☆ Star").click();
            c.button("dialog.viewer", "★ Starred");
            c.button("dialog.viewer", "✕").click();
            c.await("the starred image first", () -> c.all("#image-grid button").get(0).getAttribute("class").contains("starred"));

            c.click("#image-grid button", 0);
            c.button("dialog.viewer", "Use these settings").click();
            c.visible("#view-generate");
            WebElement form = c.find("#generate-form");
            c.await("the prompt copied", () -> "a lighthouse at dusk".equals(form.findElement(By.name("prompt")).getDomProperty("value")));
            assertEquals("blurry", form.findElement(By.name("negative_prompt")).getDomProperty("value"));
            assertEquals("1234", form.findElement(By.name("seed")).getDomProperty("value"));
            assertFalse(form.findElement(By.name("random_seed")).isSelected(), "the image's seed, not a random one");
            assertEquals("12", form.findElement(By.name("steps")).getDomProperty("value"));
            assertEquals("6.5", form.findElement(By.name("cfg_scale")).getDomProperty("value"));
            assertEquals("euler_a", form.findElement(By.name("scheduler")).getDomProperty("value"));
            assertEquals("256", form.findElement(By.name("width")).getDomProperty("value"));
            assertEquals("320", form.findElement(By.name("height")).getDomProperty("value"));
            c.screenshot("use-these-settings");

            c.go("#gallery");
            selectBoard(c, "Portraits");
            openThumbnail(c, 2, 0);
            c.button("dialog.viewer", "Use as initial image").click();
            c.visible("#view-generate");
            c.await("the image as the initial image", () -> c.loaded(c.find("#generate-form [data-init-img]")));
            assertEquals("40", form.findElement(By.name("width")).getDomProperty("value"), "its size, to a multiple of 8");
            c.button("#generate-form", "Remove initial image").click();
            assertFalse(c.find("#generate-form [data-init-preview]").isDisplayed());

            c.go("#gallery");
            selectBoard(c, "Portraits");
            openThumbnail(c, 2, 1);
            WebElement move = c.visible("dialog.viewer");
            new Select(move.findElement(By.cssSelector("select"))).selectByValue("none");
            Browser.buttonIn(move, "Move").click();
            thumbnails(c, 1);
            c.click("#image-grid button", 0);
            c.button("dialog.viewer", "Delete image").click();
            Browser.buttonIn(c.dialog("Delete this image for good?"), "Delete").click();
            c.await("an empty board", () -> c.all("#image-grid li").isEmpty());
            assertEquals(1, carol.client().get("/api/v1/images/?board_id=none&is_intermediate=false").json().path("total").asInt(),
                    "the moved image is uncategorized");
        }
    }

    @Test
    void thumbnailsLoadPageByPageWhileScrolling() {
        Account dave = accounts.create(admin, "dave@example.com", "Dave", false);
        String board = TestImages.board(dave.client(), "Many");
        for (int i = 0; i < 150; i++) {
            TestImages.uploadPng(dave.client(), board);
        }
        try (Browser d = signedIn(dave.email())) {
            d.go("#gallery");
            selectBoard(d, "Many");
            d.text("#image-count", "150 images");
            int first = d.await("a first page", () -> d.all("#image-grid li").size() > 0 ? d.all("#image-grid li").size() : null);
            assertTrue(first < 150, "not everything at once: " + first);
            d.script("document.getElementById('image-sentinel').scrollIntoView();");
            d.await("more thumbnails after scrolling", () -> d.all("#image-grid li").size() > first);
            d.await("all 150 thumbnails, a page at a time", () -> {
                d.script("document.getElementById('image-sentinel').scrollIntoView();");
                return d.all("#image-grid li").size() == 150;
            });
            d.screenshot("gallery-infinite-scroll");
        }
    }

    @Test
    void theGalleryWorksFromTheKeyboard() {
        Account kim = accounts.create(admin, "kim@example.com", "Kim", false);
        String board = TestImages.board(kim.client(), "Keys");
        TestImages.uploadPng(kim.client(), board);
        TestImages.uploadPng(kim.client(), board);
        try (Browser k = Browser.open(server.server().uri())) {
            k.go("").visible("#login-form");
            k.find("#login-form [name=email]").sendKeys(kim.email(), Keys.TAB, TestAccounts.PASSWORD, Keys.ENTER);
            k.visible("#app");
            k.click("a[data-view=gallery]");
            selectBoard(k, "Keys");
            thumbnails(k, 2);
            WebElement first = k.all("#image-grid button").get(0);
            k.await("the first thumbnail focused by Tab", () -> {
                if (first.equals(k.focused())) {
                    return true;
                }
                k.press(Keys.TAB);
                return false;
            });
            k.press(Keys.ENTER);
            String name = k.await("the viewer's image", () -> k.all("dialog.viewer .viewer-image img").stream().findFirst()
                    .map(img -> img.getDomAttribute("src")).orElse(null));
            k.press(Keys.ARROW_RIGHT);
            k.await("the next image", () -> !name.equals(k.find("dialog.viewer .viewer-image img").getDomAttribute("src")));
            k.press(Keys.ESCAPE);
            k.await("the viewer closed", () -> k.all("dialog[open]").isEmpty());
            assertEquals(first, k.focused(), "focus returns to the thumbnail");
        }
    }

    @Test
    void anAdministratorSeesEveryBoardWithItsOwnerAndAUserOnlyTheirOwn() {
        Account erin = accounts.create(admin, "erin@example.com", "Erin", false);
        Account frank = accounts.create(admin, "frank@example.com", "Frank", false);
        TestImages.board(erin.client(), "Erin's private");
        TestImages.uploadPng(erin.client(), null);
        try (Browser admins = signedIn(admin.email()); Browser f = signedIn(frank.email())) {
            admins.go("#gallery");
            admins.text("#board-list", "Erin's private (Erin)");
            admins.screenshot("gallery-admin");

            f.go("#gallery");
            f.text("#board-list", "Uncategorized");
            f.text("#image-count", "0 images");
            assertFalse(f.find("#board-list").getText().contains("Erin"), "Frank sees nothing of Erin's");
        }
    }

    private static int total(Account account, String boardId) {
        return account.client().get("/api/v1/images/?is_intermediate=false&board_id=" + boardId).json().path("total").asInt();
    }

    private static List<String> tileNames(Browser browser) {
        return browser.all("#image-grid li").stream().map(li -> li.getDomAttribute("data-name")).toList();
    }

    private static List<String> selectedNames(Browser browser) {
        return browser.all("#image-grid li.selected").stream().map(li -> li.getDomAttribute("data-name")).toList();
    }

    @Test
    void severalImagesAreSelectedThenMovedAndDeletedTogether() {
        Account gus = accounts.create(admin, "gus@example.com", "Gus", false);
        String pick = TestImages.board(gus.client(), "Pick");
        String keep = TestImages.board(gus.client(), "Keep");
        for (int i = 0; i < 5; i++) {
            TestImages.uploadPng(gus.client(), pick);
        }
        try (Browser g = signedIn(gus.email())) {
            g.go("#gallery");
            selectBoard(g, "Pick");
            thumbnails(g, 5);
            assertFalse(g.find("#selection-bar").isDisplayed(), "no selection yet");
            List<String> names = tileNames(g);

            // Ctrl-click picks images one by one (a plain click still opens the viewer).
            Actions ctrl = new Actions(g.driver()).keyDown(Keys.CONTROL);
            ctrl.click(g.all("#image-grid button").get(0)).click(g.all("#image-grid button").get(2)).keyUp(Keys.CONTROL).perform();
            g.text("#selection-count", "2 selected");
            assertEquals(List.of(names.get(0), names.get(2)), selectedNames(g));
            assertTrue(g.all("dialog[open]").isEmpty(), "a Ctrl-click selects, it does not open the image");
            // Shift-click adds the range from the last one picked.
            new Actions(g.driver()).keyDown(Keys.SHIFT).click(g.all("#image-grid button").get(4)).keyUp(Keys.SHIFT).perform();
            g.text("#selection-count", "4 selected");
            assertEquals(List.of(names.get(0), names.get(2), names.get(3), names.get(4)), selectedNames(g));
            // The tick on a tile does the same, for touch screens: untick the first.
            g.click("#image-grid .pick", 0);
            g.text("#selection-count", "3 selected");
            g.screenshot("gallery-multi-select");

            new Select(g.find("#bulk-board")).selectByVisibleText("Keep");
            g.click("#bulk-move");
            thumbnails(g, 2);
            assertEquals(List.of(names.get(0), names.get(1)), tileNames(g), "the three moved away");
            assertFalse(g.find("#selection-bar").isDisplayed(), "the selection is done with");
            assertEquals(3, total(gus, keep));
            assertEquals(2, total(gus, pick));

            // Select all takes every image of the board, and one Delete removes them after a question.
            selectBoard(g, "Keep");
            thumbnails(g, 3);
            g.click("#select-all");
            g.text("#selection-count", "3 selected");
            assertEquals(3, selectedNames(g).size());
            g.click("#bulk-delete");
            Browser.buttonIn(g.dialog("Delete the 3 images selected for good?"), "Delete").click();
            g.await("an empty board", () -> g.all("#image-grid li").isEmpty());
            assertEquals(0, total(gus, keep));
            assertEquals(2, total(gus, pick), "only the selected images are gone");
        }
    }

    @Test
    void anImageDraggedOntoABoardMovesThereWithTheRestOfTheSelection() {
        Account hana = accounts.create(admin, "hana@example.com", "Hana", false);
        String from = TestImages.board(hana.client(), "From");
        String to = TestImages.board(hana.client(), "To");
        for (int i = 0; i < 4; i++) {
            TestImages.uploadPng(hana.client(), from);
        }
        try (Browser b = signedIn(hana.email())) {
            b.go("#gallery");
            selectBoard(b, "From");
            thumbnails(b, 4);
            List<String> names = tileNames(b);
            WebElement target = b.await("the board To", () -> b.all("#board-list .board-button").stream()
                    .filter(e -> e.getText().contains("To")).findFirst().orElse(null));

            // A real drag with the mouse, from the first thumbnail onto the board "To".
            new Actions(b.driver()).dragAndDrop(b.all("#image-grid button").get(0), target).perform();
            thumbnails(b, 3);
            assertFalse(tileNames(b).contains(names.get(0)));
            assertEquals(1, total(hana, to));

            // Dragging one of the selected images takes them all.
            new Actions(b.driver()).keyDown(Keys.CONTROL).click(b.all("#image-grid button").get(0))
                    .click(b.all("#image-grid button").get(1)).keyUp(Keys.CONTROL).perform();
            b.text("#selection-count", "2 selected");
            WebElement board = b.await("the board To", () -> b.all("#board-list .board-button").stream()
                    .filter(e -> e.getText().contains("To")).findFirst().orElse(null));
            new Actions(b.driver()).dragAndDrop(b.all("#image-grid button").get(1), board).perform();
            thumbnails(b, 1);
            assertEquals(List.of(names.get(3)), tileNames(b));
            assertEquals(3, total(hana, to));
            assertEquals(1, total(hana, from));
            selectBoard(b, "To");
            thumbnails(b, 3);
        }
    }

    @Test
    void imageFilesDroppedOnThePageAreUploadedToTheBoardShown() throws IOException {
        Account ivan = accounts.create(admin, "ivan@example.com", "Ivan", false);
        String drops = TestImages.board(ivan.client(), "Drops");
        Path first = png("dropped-1.png", 40, 30);
        Path second = png("dropped-2.png", 30, 40);
        try (Browser v = signedIn(ivan.email())) {
            v.go("#gallery");
            selectBoard(v, "Drops");
            v.text("#image-count", "0 images");
            dropFiles(v, v.find("#image-grid"), first, second);
            thumbnails(v, 2);
            assertEquals(2, total(ivan, drops));
            v.screenshot("gallery-files-dropped");

            // On Generate they go to the board it saves to, and show in its recent strip.
            v.click("a[data-view=generate]");
            v.await("the board offered", () -> v.find("#generate-form [name=board]").getText().contains("Drops"));
            new Select(v.find("#generate-form [name=board]")).selectByVisibleText("Drops");
            v.text("#recent-board", "Drops");
            v.await("the two in the strip", () -> v.all("#results img").size() == 2);
            dropFiles(v, v.find(".stage"), png("dropped-3.png", 20, 20));
            v.await("three in the strip", () -> v.all("#results img").size() == 3 && v.all("#results img").stream().allMatch(v::loaded));
            assertEquals(3, total(ivan, drops));
            assertTrue(v.find("#drop-overlay").getDomAttribute("hidden") != null, "the drop hint is gone");
        }
    }

    /** Drops files from outside the browser onto an element, as the browser's own drag and drop does (DevTools' input events). */
    private static void dropFiles(Browser browser, WebElement onto, Path... paths) {
        double[] box = browser.box(onto);
        double x = (box[0] + box[2]) / 2;
        double y = Math.min((box[1] + box[3]) / 2, box[1] + 20);
        Map<String, Object> data = Map.of("items", List.of(), "files", java.util.Arrays.stream(paths).map(Path::toString).toList(),
                "dragOperationsMask", 1);
        for (String type : List.of("dragEnter", "dragOver", "drop")) {
            browser.driver().executeCdpCommand("Input.dispatchDragEvent", Map.of("type", type, "x", x, "y", y, "data", data));
        }
    }
}
