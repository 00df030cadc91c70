package org.invokej.launcher;

import org.invokej.testing.Scripts;
import org.invokej.inference.testmodels.TinyModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code bin/invokej models …} and {@code bin/invokej generate} with installed models, as real processes. */
class ModelsScriptTest {

    @TempDir
    Path root;
    @TempDir
    Path sources;

    private Scripts.Result invokej(String stdin, Map<String, String> environment, String... args) {
        return Scripts.run("invokej", List.of(args), environment, stdin, Duration.ofMinutes(3));
    }

    private Scripts.Result invokej(String stdin, String... args) {
        return invokej(stdin, Map.of(), args);
    }

    private Scripts.Result ok(String stdin, String... args) {
        Scripts.Result result = invokej(stdin, args);
        assertEquals(0, result.exitCode(), result.toString());
        return result;
    }

    /** Exit 1 with one line on stderr that contains {@code expected}. */
    private static void refused(Scripts.Result result, String expected) {
        assertEquals(1, result.exitCode(), result.toString());
        List<String> lines = result.stderr().lines().filter(line -> !line.isBlank()).toList();
        assertEquals(1, lines.size(), result.toString());
        assertTrue(lines.get(0).contains(expected), "expected '" + expected + "' in\n" + result);
    }

    private String install(Path model, String... extra) {
        List<String> args = new ArrayList<>(List.of("models", "install", model.toString(), "--root", root.toString()));
        args.addAll(List.of(extra));
        return ok(null, args.toArray(String[]::new)).stdout().strip();
    }

    @Test
    void makeTestWritesATinyModelThatInstallsAndGenerates() throws Exception {
        Path folder = sources.resolve("made");
        Scripts.Result made = ok(null, "models", "make-test", folder.toString());
        assertEquals(folder.toString(), made.stdout().strip());
        assertTrue(made.stderr().contains("install it with: bin/invokej models install " + folder), made.toString());
        for (String part : List.of("model_index.json", "tokenizer/vocab.json", "tokenizer/merges.txt", "text_encoder/model.onnx",
                "unet/model.onnx", "vae_decoder/model.onnx", "vae_encoder/model.onnx", "scheduler/scheduler_config.json")) {
            assertTrue(Files.isRegularFile(folder.resolve(part)), part + " in the optimum layout");
        }
        refused(invokej(null, "models", "make-test", folder.toString()), folder + " already exists and is not an empty folder");

        install(folder);
        Path png = sources.resolve("made.png");
        ok(null, "generate", "--root", root.toString(), "--model", "made", "--prompt", "noise", "--steps", "2", "--width", "64",
                "--height", "64", "--device", "cpu", "--out", png.toString());
        assertEquals(64, ImageIO.read(png.toFile()).getHeight());
    }

    @Test
    void makeTestWritesATinySdxlModelThatInstallsAsSdxlAndGenerates() throws Exception {
        Path folder = sources.resolve("made-xl");
        Scripts.Result made = ok(null, "models", "make-test", "--sdxl", folder.toString());
        assertTrue(made.stderr().contains("Wrote a tiny SDXL test model"), made.toString());
        for (String part : List.of("tokenizer_2/vocab.json", "text_encoder_2/model.onnx", "unet/model.onnx")) {
            assertTrue(Files.isRegularFile(folder.resolve(part)), part + " in the optimum layout");
        }
        install(folder, "--name", "Tiny XL");
        String listed = ok(null, "models", "list", "--root", root.toString()).stdout();
        assertTrue(listed.lines().anyMatch(line -> line.contains("Tiny XL") && line.contains("sdxl")), listed);
        Path png = sources.resolve("made-xl.png");
        ok(null, "generate", "--root", root.toString(), "--model", "Tiny XL", "--prompt", "noise", "--steps", "2", "--width", "64",
                "--height", "48", "--device", "cpu", "--out", png.toString());
        assertEquals(48, ImageIO.read(png.toFile()).getHeight());
    }

    @Test
    void generateInpaintsThroughAMaskKeepingItsWhitePartExactly() throws Exception {
        install(TinyModels.sd15().writeTo(sources.resolve("tiny")), "--name", "Tiny Inpainter");
        BufferedImage picture = new BufferedImage(128, 96, BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = picture.createGraphics();
        g.setColor(java.awt.Color.ORANGE);
        g.fillRect(0, 0, 128, 96);
        g.setColor(java.awt.Color.BLUE);
        g.fillOval(4, 8, 112, 80);
        g.dispose();
        Path image = sources.resolve("picture.png");
        ImageIO.write(picture, "png", image.toFile());
        BufferedImage maskImage = new BufferedImage(128, 96, BufferedImage.TYPE_INT_RGB);
        g = maskImage.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, 96, 96); // kept; the right quarter stays black: painted anew
        g.dispose();
        Path mask = sources.resolve("mask.png");
        ImageIO.write(maskImage, "png", mask.toFile());

        Path out = sources.resolve("inpainted.png");
        Scripts.Result result = ok(null, "generate", "--root", root.toString(), "--model", "Tiny Inpainter", "--prompt", "a red ball",
                "--steps", "3", "--seed", "8", "--device", "cpu", "--image", image.toString(), "--mask", mask.toString(),
                "--out", out.toString());
        assertEquals(out.toAbsolutePath().toString(), result.stdout().strip());
        assertTrue(result.stderr().contains("inpainting, 128x96"), result.toString());
        BufferedImage inpainted = ImageIO.read(out.toFile());
        boolean changed = false;
        for (int y = 0; y < 96; y++) {
            for (int x = 0; x < 128; x++) {
                if (x < 96 - 42) { // beyond the edge's 24-pixel blur and the 16-pixel fade
                    assertEquals(picture.getRGB(x, y), inpainted.getRGB(x, y), "kept pixel " + x + "," + y);
                } else if (x >= 96) {
                    changed |= picture.getRGB(x, y) != inpainted.getRGB(x, y);
                }
            }
        }
        assertTrue(changed, "the black part of the mask is painted anew");

        refused(invokej(null, "generate", "--root", root.toString(), "--model", "Tiny Inpainter", "--prompt", "x", "--device", "cpu",
                "--mask", mask.toString(), "--out", sources.resolve("never.png").toString()), "--mask needs the image to paint into: add --image");
        assertFalse(Files.exists(sources.resolve("never.png")));
    }

    @Test
    void aMissingFolderIsNamedAndAFolderInstalledTwiceIsRefusedWithItsName() {
        Path missing = sources.resolve("no-such-model");
        refused(invokej(null, "models", "install", missing.toString(), "--root", root.toString()),
                "invokej models install: No such folder: '" + missing + "'");

        Path model = TinyModels.sd15().writeTo(sources.resolve("tiny"));
        String key = install(model);
        refused(invokej(null, "models", "install", model.toString(), "--root", root.toString(), "--name", "Other"),
                model + " is already installed as 'tiny' (key " + key + ")");
        refused(invokej(null, "models", "install", model.toString(), "--root", root.toString(), "--inplace"),
                "is already installed as 'tiny'");
        assertEquals(1, ok(null, "models", "list", "--root", root.toString()).stdout().lines().skip(1).count(), "still one model");
    }

    @Test
    void aTildeInTheSourceFollowsHome(@TempDir Path home) {
        TinyModels.sd15().writeTo(home.resolve("exports/tilde"));
        Scripts.Result result = invokej(null, Map.of("HOME", home.toString()), "models", "install", "~/exports/tilde",
                "--root", root.toString());
        assertEquals(0, result.exitCode(), result.toString());
        assertTrue(result.stderr().contains("Installed 'tilde'"), result.toString());
    }

    @Test
    void deleteAsksFirstAndFailsClearlyWhenNobodyCanAnswer() {
        String key = install(TinyModels.sd15().writeTo(sources.resolve("doomed")));
        refused(invokej(null, "models", "delete", "doomed", "--root", root.toString()), "Use --yes to delete without asking");
        Scripts.Result no = invokej("no\n", "models", "delete", "doomed", "--root", root.toString());
        assertEquals(1, no.exitCode(), no.toString());
        assertTrue(no.stdout().contains("About to delete 'doomed' (" + key + ")"), no.toString());
        assertTrue(no.stderr().contains("Deletion cancelled."), no.toString());
        assertTrue(Files.isDirectory(root.resolve("models").resolve(key)), "kept");
        ok("yes\n", "models", "delete", "doomed", "--root", root.toString());
        assertFalse(Files.exists(root.resolve("models").resolve(key)));

        String other = install(TinyModels.sd15().writeTo(sources.resolve("quick")));
        ok(null, "models", "delete", other, "--root", root.toString(), "--yes");
        assertFalse(Files.exists(root.resolve("models").resolve(other)), "--yes deletes without asking");
    }

    @Test
    void listingAMissingRootSaysSoAndCreatesNothing() {
        Path missing = root.resolve("typo");
        refused(invokej(null, "models", "list", "--root", missing.toString()), "No such folder: " + missing);
        refused(invokej(null, "models", "delete", "x", "--yes", "--root", missing.toString()), "No such folder: " + missing);
        assertFalse(Files.exists(missing));
    }

    @Test
    void generateTakesAnInstalledModelsNameOrKey() throws Exception {
        String key = install(TinyModels.sd15().writeTo(sources.resolve("source-folder")), "--name", "Tiny One");
        Path byName = sources.resolve("by-name.png");
        Scripts.Result named = ok(null, "generate", "--root", root.toString(), "--model", "Tiny One", "--prompt", "a fox",
                "--steps", "2", "--width", "64", "--height", "64", "--device", "cpu", "--out", byName.toString());
        assertEquals(byName.toString(), named.stdout().strip());
        BufferedImage image = ImageIO.read(byName.toFile());
        assertEquals(64, image.getWidth());
        assertEquals(List.of("text-to-image, 64x64, euler, 2 steps, " + named.stderr().strip().replaceAll(".*, (seed \\d+)$", "$1")),
                named.stderr().lines().toList(), "one summary line: no timing table, and no progress bar off a terminal");

        Path byKey = sources.resolve("by-key.png");
        ok(null, "generate", "--root", root.toString(), "--model", key, "--prompt", "a fox", "--steps", "2", "--width", "64",
                "--height", "64", "--device", "cpu", "--out", byKey.toString(), "--timings");
        assertTrue(Files.isRegularFile(byKey));

        Scripts.Result unknown = invokej(null, "generate", "--root", root.toString(), "--model", "Nope", "--prompt", "x",
                "--device", "cpu", "--out", sources.resolve("x.png").toString());
        refused(unknown, "--model Nope: no such folder, and no model has the key or name 'Nope'");
    }
}
