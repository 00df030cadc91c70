package org.invokej.ui;

import com.fasterxml.jackson.databind.JsonNode;
import org.invokej.testing.ModelInstalls;
import org.invokej.testing.TestAccounts;
import org.invokej.testing.TestAccounts.Account;
import org.invokej.testing.TestImages;
import org.invokej.testing.TestResponse;
import org.invokej.testing.TestServer;
import org.invokej.inference.testmodels.TinyLoras;
import org.invokej.inference.testmodels.TinyModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Generating from the browser with the tiny model: the web UI's enqueue_batch, live progress per item
 * (bar and preview from the Socket.IO events) to a finished image in the results and the gallery;
 * image-to-image from an uploaded initial image, and inpainting with an uploaded mask.
 */
class GenerateUiTest {

    @TempDir
    static Path root;
    @TempDir
    static Path files;
    private static TestServer server;
    private static TestAccounts accounts;
    private static Account admin;

    @BeforeAll
    static void start() {
        server = TestServer.start(root, Map.of("multiuser", "true", "bcrypt_cost", "4"));
        accounts = new TestAccounts(server);
        admin = accounts.setupAdmin("admin@example.com");
        ModelInstalls.installKey(admin.client(), TinyModels.sd15().writeTo(files.resolve("tiny-sd15")));
        TestResponse lora = ModelInstalls.start(admin.client(), TinyLoras.sd15(32).writeTo(files.resolve("fine-detail.safetensors")), false,
                Map.of("base", "sd-1"));
        assertEquals("completed", ModelInstalls.awaitJob(admin.client(), lora.json().path("id").asLong()).path("status").asText());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Browser signedIn(Account account) {
        Browser browser = Browser.open(server.server().uri()).go("").signIn(account.email(), TestAccounts.PASSWORD, false);
        browser.text("#live", "live");
        return browser;
    }

    private static void fill(Browser browser, String name, String value) {
        browser.type("#generate-form [name=" + name + "]", value);
    }

    /** Ctrl+Enter where the focus is, the Ctrl key held as a person holds it. */
    private static void ctrlEnter(Browser browser) {
        new Actions(browser.driver()).keyDown(Keys.CONTROL).sendKeys(Keys.ENTER).keyUp(Keys.CONTROL).perform();
    }

    /** How many images the account has in its gallery (uncategorized). */
    private static int images(Account account) {
        return account.client().get("/api/v1/images/?board_id=none&is_intermediate=false").json().path("total").asInt();
    }

    private static JsonNode item(Account account, long id) {
        return account.client().get("/api/v1/queue/default/i/" + id).json();
    }

    @Test
    void aUserGeneratesAndWatchesTheProgressToAFinishedImage() {
        Account mia = accounts.create(admin, "mia@example.com", "Mia", false);
        String board = TestImages.board(mia.client(), "Renders");
        try (Browser m = signedIn(mia)) {
            m.visible("#generate-form");
            m.await("the model offered", () -> m.find("#generate-form [name=model]").getText().contains("tiny-sd15"));
            m.await("the board offered", () -> m.find("#generate-form [name=board]").getText().contains("Renders"));
            fill(m, "prompt", "a red fox in the snow");
            fill(m, "negative_prompt", "blurry");
            // the engine's schedulers, with InvokeAI's labels, from the server's list; unimplemented ones not offered
            m.await("the schedulers offered", () -> m.find("#generate-form [name=scheduler]").getText()
                    .contains("DPM++ 3M Karras"));
            String offered = m.find("#generate-form [name=scheduler]").getText();
            assertFalse(offered.contains("ER-SDE"), offered);
            new Select(m.find("#generate-form [name=scheduler]")).selectByValue("euler_a");
            // Enough steps that the run can be watched while it happens.
            fill(m, "steps", "150");
            fill(m, "cfg_scale", "6");
            fill(m, "iterations", "2");
            m.click("#generate-form [name=random_seed]");
            fill(m, "seed", "4294967294");
            new Select(m.find("#generate-form [name=board]")).selectByValue(board);
            m.click("#generate-form button[type=submit]");

            // One look at the page, in one script: on a fast run denoising ends between two WebDriver calls. An item
            // part-way with its preview in the list, and the large preview with how far it is in the steps asked for.
            String step = m.await("an item part-way, its preview, and step N of 150 under the live stage", () -> (String) m.script("""
                    const running = [...document.querySelectorAll('#progress-list .progress-item')].some(row => {
                      const value = Number(row.querySelector('progress')?.getAttribute('value'));
                      const preview = row.querySelector('img.preview');
                      return value > 0 && value < 100 && preview !== null && preview.offsetParent !== null
                        && String(preview.getAttribute('src')).startsWith('data:image/') && row.textContent.includes('Denoising');
                    });
                    const step = document.querySelector('#stage-step').textContent.trim();
                    const live = String(document.querySelector('#stage-image').getAttribute('src')).startsWith('data:image/');
                    return running && live && /^Step \\d+ of 150$/.test(step) && step !== 'Step 150 of 150' ? step : null;
                    """));
            int n = Integer.parseInt(step.replaceAll("Step (\\d+) of 150", "$1"));
            assertTrue(n >= 1 && n < 150, step);
            WebElement stage = m.find("#stage-image");
            assertTrue(m.box(stage)[2] - m.box(stage)[0] >= 400, "large: " + (m.box(stage)[2] - m.box(stage)[0]) + " px wide");
            m.screenshot("generate-progress");

            m.await("both items done", () -> m.all("#progress-list .progress-item.completed").size() == 2);
            m.text("#stage-step", "Done");
            m.await("the finished image on the stage", () -> m.loaded(m.find("#stage-image"))
                    && String.valueOf(m.find("#stage-image").getDomAttribute("src")).endsWith("/full"));
            m.text("#recent-board", "Renders");
            List<WebElement> results = m.await("two results", () -> {
                List<WebElement> images = m.all("#results img");
                return images.size() == 2 && images.stream().allMatch(m::loaded) ? images : null;
            });
            m.script("arguments[0].scrollIntoView({block: 'center'});", m.find("#results"));
            m.screenshot("generate-done");

            // What was sent is the web UI's batch: prefixed node ids, prompts and seeds through batch data.
            List<Long> ids = new ArrayList<>();
            m.all("#progress-list .progress-item").forEach(row -> ids.add(Long.parseLong(row.getDomAttribute("data-item-id"))));
            JsonNode first = item(mia, ids.get(ids.size() - 1));
            assertEquals("generate", first.path("origin").asText());
            assertEquals("generate", first.path("destination").asText());
            List<String> prefixes = new ArrayList<>();
            first.path("session").path("graph").path("nodes").fieldNames().forEachRemaining(id -> prefixes.add(id.replaceAll(":.*", "")));
            assertTrue(prefixes.containsAll(List.of("seed", "positive_prompt", "negative_prompt", "sd1_model_loader", "clip_skip",
                    "pos_cond", "neg_cond", "pos_cond_collect", "neg_cond_collect", "noise", "denoise_latents", "canvas_output",
                    "core_metadata")), prefixes.toString());
            first.path("session").path("graph").path("nodes").fieldNames().forEachRemaining(id ->
                    assertTrue(id.matches("[a-z_0-9]+:[A-Za-z0-9_-]{10}"), id));
            List<String> seeds = new ArrayList<>();
            ids.forEach(id -> item(mia, id).path("field_values").forEach(value -> {
                if (value.path("node_path").asText().startsWith("seed:")) {
                    seeds.add(value.path("value").asText());
                }
            }));
            assertTrue(seeds.containsAll(List.of("4294967294", "0")), "seeds wrap at 4294967295: " + seeds);

            // The results are in the gallery, on the chosen board, with their settings.
            JsonNode onBoard = mia.client().get("/api/v1/images/?board_id=" + board + "&is_intermediate=false").json();
            assertEquals(2, onBoard.path("total").asInt());
            String image = onBoard.path("items").get(0).path("image_name").asText();
            JsonNode metadata = mia.client().get("/api/v1/images/i/" + image + "/metadata").json();
            assertEquals("a red fox in the snow", metadata.path("positive_prompt").asText());
            assertEquals(150, metadata.path("steps").asInt());
            assertEquals("euler_a", metadata.path("scheduler").asText());
            results.get(0).click();
            m.text("dialog.viewer", "a red fox in the snow");
            m.button("dialog.viewer", "✕").click();
            m.click("a[data-view=gallery]");
            m.await("the board with both", () -> m.find("#board-list").getText().contains("Renders\n2"));
        }
    }

    @Test
    void aLoraSwitchedOnWithItsWeightGoesIntoTheGraphAsTheWebUiAddsIt() {
        Account ivy = accounts.create(admin, "ivy@example.com", "Ivy", false);
        try (Browser i = signedIn(ivy)) {
            i.visible("#generate-form");
            i.await("the LoRA offered for the model's base", () -> i.find("#generate-form [data-lora-list]").getText().contains("fine-detail"));
            fill(i, "prompt", "a lighthouse, finely detailed");
            fill(i, "steps", "4");
            fill(i, "width", "64");
            fill(i, "height", "64");
            i.click("#generate-form [data-lora-list] [name=lora_enabled]");
            fill(i, "lora_weight", "0.6");
            i.screenshot("generate-lora");
            i.click("#generate-form button[type=submit]");
            i.await("the item done", () -> i.all("#progress-list .progress-item.completed").size() == 1);
            long id = Long.parseLong(i.find("#progress-list .progress-item").getDomAttribute("data-item-id"));
            JsonNode graph = item(ivy, id).path("session").path("graph");
            List<String> types = new ArrayList<>();
            graph.path("nodes").forEach(node -> {
                types.add(node.path("type").asText());
                if (node.path("type").asText().equals("lora_selector")) {
                    assertEquals("fine-detail", node.path("lora").path("name").asText());
                    assertEquals(0.6, node.path("weight").asDouble(), 1e-9);
                }
            });
            assertTrue(types.contains("lora_selector") && types.contains("lora_collection_loader"), types.toString());
            JsonNode images = ivy.client().get("/api/v1/images/?board_id=none&is_intermediate=false").json();
            JsonNode metadata = ivy.client().get("/api/v1/images/i/" + images.path("items").get(0).path("image_name").asText() + "/metadata").json();
            assertEquals(0.6, metadata.path("loras").get(0).path("weight").asDouble(), 1e-9, metadata.toString());

            // "Use these settings" switches the image's LoRAs back on, with their weights
            i.click("#generate-form [data-lora-list] [name=lora_enabled]");
            fill(i, "lora_weight", "1.5");
            i.await("the image in the recent strip", () -> !i.all("#results button").isEmpty());
            i.click("#results button", 0);
            i.button("dialog.viewer", "Use these settings").click();
            i.await("the LoRA switched on again", () -> i.find("#generate-form [data-lora-list] [name=lora_enabled]").isSelected());
            assertEquals("0.6", i.find("#generate-form [name=lora_weight]").getDomProperty("value"));
        }
    }

    @Test
    void anInitialImageMakesItImageToImage() throws Exception {
        Account noah = accounts.create(admin, "noah@example.com", "Noah", false);
        try (Browser n = signedIn(noah)) {
            n.visible("#generate-form");
            n.await("the model offered", () -> n.find("#generate-form [name=model]").getText().contains("tiny-sd15"));
            fill(n, "prompt", "the same, in watercolour");
            fill(n, "steps", "10");
            fill(n, "width", "256");
            fill(n, "height", "256");
            n.find("#generate-form [name=init_image]").sendKeys(Files.write(files.resolve("init.png"), TestImages.png(96, 64)).toString());
            n.await("the initial image shown", () -> n.loaded(n.find("#generate-form [data-init-img]")));
            n.script("const s = document.querySelector('#generate-form [name=strength]'); s.value = '0.6'; s.dispatchEvent(new Event('input'));");
            n.text("#generate-form [data-strength]", "0.6");
            n.screenshot("generate-image-to-image");
            n.click("#generate-form button[type=submit]");
            n.await("the item done", () -> n.all("#progress-list .progress-item.completed").size() == 1);
            long id = Long.parseLong(n.find("#progress-list .progress-item").getDomAttribute("data-item-id"));

            JsonNode graph = item(noah, id).path("session").path("graph");
            List<String> types = new ArrayList<>();
            graph.path("nodes").forEach(node -> types.add(node.path("type").asText()));
            assertTrue(types.contains("i2l") && types.contains("img_resize"), "resized to the requested size, then encoded: " + types);
            graph.path("nodes").forEach(node -> {
                if (node.path("type").asText().equals("denoise_latents")) {
                    assertEquals(0.4, node.path("denoising_start").asDouble(), 1e-9);
                }
            });
            JsonNode images = noah.client().get("/api/v1/images/?board_id=none&is_intermediate=false").json();
            assertEquals(1, images.path("total").asInt(), "the initial image stays out of the gallery");
            JsonNode metadata = noah.client().get("/api/v1/images/i/" + images.path("items").get(0).path("image_name").asText() + "/metadata").json();
            assertEquals("img2img", metadata.path("generation_mode").asText());
            assertEquals(0.6, metadata.path("strength").asDouble(), 1e-9);
        }
    }

    @Test
    void anInitialImageAndAMaskInpaintAndKeepTheWhitePartExactly() throws Exception {
        Account ines = accounts.create(admin, "ines@example.com", "Ines", false);
        byte[] initPng = TestImages.png(128, 128);
        java.awt.image.BufferedImage mask = new java.awt.image.BufferedImage(128, 128, java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = mask.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, 128, 128);
        g.setColor(java.awt.Color.BLACK);
        g.fillRect(80, 80, 32, 32);
        g.dispose();
        Path maskFile = files.resolve("mask.png");
        javax.imageio.ImageIO.write(mask, "png", maskFile.toFile());
        try (Browser b = signedIn(ines)) {
            b.visible("#generate-form");
            b.await("the model offered", () -> b.find("#generate-form [name=model]").getText().contains("tiny-sd15"));
            fill(b, "prompt", "a red door");
            fill(b, "steps", "8");
            fill(b, "width", "128");
            fill(b, "height", "128");
            b.find("#generate-form [name=init_image]").sendKeys(Files.write(files.resolve("inpaint-init.png"), initPng).toString());
            b.await("the initial image shown", () -> b.loaded(b.find("#generate-form [data-init-img]")));
            b.find("#generate-form [name=mask_image]").sendKeys(maskFile.toString());
            b.await("the mask shown", () -> b.loaded(b.find("#generate-form [data-mask-img]")));
            b.screenshot("generate-inpaint");
            b.click("#generate-form button[type=submit]");
            b.await("the item done", () -> b.all("#progress-list .progress-item.completed").size() == 1);
            long id = Long.parseLong(b.find("#progress-list .progress-item").getDomAttribute("data-item-id"));

            List<String> types = new ArrayList<>();
            item(ines, id).path("session").path("graph").path("nodes").forEach(node -> types.add(node.path("type").asText()));
            assertTrue(types.contains("create_gradient_mask") && types.contains("invokeai_img_blend"), types.toString());
            JsonNode images = ines.client().get("/api/v1/images/?board_id=none&is_intermediate=false").json();
            assertEquals(1, images.path("total").asInt(), "one image in the gallery: " + images);
            String name = images.path("items").get(0).path("image_name").asText();
            assertEquals("inpaint", ines.client().get("/api/v1/images/i/" + name + "/metadata").json().path("generation_mode").asText());
            java.awt.image.BufferedImage out = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(
                    ines.client().get("/api/v1/images/i/" + name + "/full").body()));
            java.awt.image.BufferedImage init = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(initPng));
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 128; x++) {
                    assertEquals(init.getRGB(x, y) | 0xFF000000, out.getRGB(x, y) | 0xFF000000, "kept pixel " + x + "," + y);
                }
            }
            boolean repainted = false;
            for (int y = 84; y < 108 && !repainted; y++) {
                for (int x = 84; x < 108; x++) {
                    repainted |= init.getRGB(x, y) != out.getRGB(x, y);
                }
            }
            assertTrue(repainted, "the black square is painted anew");

            // invokej generate --mask with the same settings makes the same image, pixel for pixel
            JsonNode metadata = ines.client().get("/api/v1/images/i/" + name + "/metadata").json();
            Path cli = files.resolve("cli-inpainted.png");
            java.io.StringWriter err = new java.io.StringWriter();
            picocli.CommandLine line = org.invokej.launcher.GenerateCommand.commandLine();
            line.setOut(new java.io.PrintWriter(new java.io.StringWriter()));
            line.setErr(new java.io.PrintWriter(err));
            int exit = line.execute("--model", files.resolve("tiny-sd15").toString(), "--device", "cpu",
                    "--prompt", metadata.path("positive_prompt").asText(), "--negative", metadata.path("negative_prompt").asText(),
                    "--steps", metadata.path("steps").asText(), "--cfg", metadata.path("cfg_scale").asText(),
                    "--scheduler", metadata.path("scheduler").asText(), "--seed", metadata.path("seed").asText(),
                    "--strength", metadata.path("strength").asText(), "--width", "128", "--height", "128",
                    "--image", files.resolve("inpaint-init.png").toString(), "--mask", maskFile.toString(), "--out", cli.toString());
            assertEquals(0, exit, err.toString());
            java.awt.image.BufferedImage fromCli = javax.imageio.ImageIO.read(cli.toFile());
            for (int y = 0; y < 128; y++) {
                for (int x = 0; x < 128; x++) {
                    assertEquals(out.getRGB(x, y), fromCli.getRGB(x, y), "the command line's pixel " + x + "," + y);
                }
            }
        }
    }

    @Test
    void theInvokeButtonIsAlwaysInReachAndCtrlEnterInvokesFromAnywhere() {
        Account lena = accounts.create(admin, "lena@example.com", "Lena", false);
        // A short window, so that the page scrolls on a desktop too.
        try (Browser d = Browser.sized(server.server().uri(), 1400, 640, false)) {
            d.go("").signIn(lena.email(), TestAccounts.PASSWORD, false);
            d.text("#live", "live");
            d.await("the model offered", () -> d.find("#generate-form [name=model]").getText().contains("tiny-sd15"));
            fill(d, "prompt", "a paper boat");
            fill(d, "steps", "20");
            fill(d, "width", "128");
            fill(d, "height", "128");
            d.script("window.scrollTo(0, document.scrollingElement.scrollHeight);");
            assertTrue(((Number) d.script("return window.scrollY;")).doubleValue() > 0, "the page scrolled");
            assertTrue(d.inReach(d.find("#invoke")), "the Invoke button at the bottom of the page");
            // Ctrl+Enter from a field far from the button (the seed's checkbox, then the board).
            d.find("#generate-form [name=random_seed]").click();
            ctrlEnter(d);
            d.await("an image made by Ctrl+Enter", () -> images(lena) == 1);
            // The preview stays on screen while the settings scroll by.
            d.await("the result on the stage", () -> d.loaded(d.find("#stage-image")));
            assertTrue(d.inReach(d.find(".stage-figure")), "the preview is in view at the bottom of the page");
            d.script("window.scrollTo(0, 0);");
            assertTrue(d.inReach(d.find("#invoke")) && d.inReach(d.find(".stage-figure")), "and at the top");
            d.screenshot("generate-ctrl-enter");
            d.find("#generate-form [name=prompt]").click();
            ctrlEnter(d);
            d.await("a second image, from the prompt", () -> images(lena) == 2);
            assertEquals("a paper boat", d.find("#generate-form [name=prompt]").getDomProperty("value"), "no new line typed");
        }
        try (Browser p = Browser.sized(server.server().uri(), 390, 844, true)) {
            p.go("").signIn(lena.email(), TestAccounts.PASSWORD, false);
            p.text("#live", "live");
            p.await("the model offered", () -> p.find("#generate-form [name=model]").getText().contains("tiny-sd15"));
            assertTrue(p.box(p.find("#generate-form"))[2] <= 390, "the form fits a 390 px phone");
            assertTrue(p.inReach(p.find("#invoke")), "Invoke at the top of the page");
            p.script("window.scrollTo(0, document.scrollingElement.scrollHeight);");
            assertTrue(((Number) p.script("return window.scrollY;")).doubleValue() > 0, "the page scrolled");
            assertTrue(p.inReach(p.find("#invoke")), "and at the bottom");
            fill(p, "prompt", "a paper boat on a phone");
            fill(p, "steps", "4");
            p.find("#invoke").click();
            p.await("the item done", () -> p.all("#progress-list .progress-item.completed").size() == 1);
            p.await("the result on the stage", () -> p.loaded(p.find("#stage-image")));
            assertTrue(p.fitsWidth(), p.overflowing());
            p.screenshot("generate-phone");
        }
    }
}
