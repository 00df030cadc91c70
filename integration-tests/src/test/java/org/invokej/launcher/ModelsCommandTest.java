package org.invokej.launcher;

import org.invokej.testing.TestServer;
import org.invokej.inference.testmodels.TinyLoras;
import org.invokej.inference.testmodels.TinyModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code invokej models list|install|delete} in-process, on a root a running server also serves. */
class ModelsCommandTest {

    @TempDir
    Path root;
    @TempDir
    Path sources;

    private record Run(int exit, String out, String err) {
    }

    private Run run(String... args) {
        CommandLine line = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        line.setOut(new PrintWriter(out));
        line.setErr(new PrintWriter(err));
        return new Run(line.execute(args), out.toString(), err.toString());
    }

    @Test
    void anAdministratorInstallsListsAndDeletesWhileTheServerRuns() {
        Path model = TinyModels.sd15().writeTo(sources.resolve("cli-tiny"));
        try (TestServer server = TestServer.start(root, Map.of())) {
            Run install = run("models", "install", model.toString(), "--root", root.toString());
            assertEquals(0, install.exit(), install.err());
            String key = install.out().strip();
            assertTrue(key.matches("[0-9a-f-]{36}"), install.out());
            assertTrue(install.err().contains("100%") && install.err().contains("Installed 'cli-tiny' (sd-1, blake3:"), install.err());
            assertTrue(Files.isRegularFile(root.resolve("models").resolve(key).resolve("model_index.json")));
            assertEquals("cli-tiny", server.client().get("/api/v2/models/i/" + key).json().path("name").asText(),
                    "the running server sees what the command installed");

            Run list = run("models", "list", "-r", root.toString());
            assertEquals(0, list.exit(), list.err());
            assertTrue(list.out().lines().anyMatch(line -> line.startsWith(key) && line.contains("cli-tiny")
                    && line.contains("sd-1") && line.contains(" ok ")), list.out());

            Run delete = run("models", "delete", "cli-tiny", "--root", root.toString(), "--yes");
            assertEquals(0, delete.exit(), delete.err());
            assertFalse(Files.exists(root.resolve("models").resolve(key)));
            assertEquals(404, server.client().get("/api/v2/models/i/" + key).status());
            assertEquals("No models are installed.", run("models", "list", "--root", root.toString()).err().strip());
        }
    }

    @Test
    void aLoraInstalledWithItsBaseIsAppliedByNameWhenGenerating() throws Exception {
        Path model = TinyModels.sd15().writeTo(sources.resolve("lora-base-model"));
        Path lora = TinyLoras.sd15(32).writeTo(sources.resolve("crisp.safetensors"));
        Run refused = run("models", "install", lora.toString(), "--root", root.toString());
        assertEquals(1, refused.exit());
        assertTrue(refused.err().strip().lines().count() == 1 && refused.err().contains("cannot tell which base model"), refused.err());
        assertEquals(0, run("models", "install", model.toString(), "--root", root.toString()).exit());
        Run installed = run("models", "install", lora.toString(), "--base", "sd-1", "--root", root.toString());
        assertEquals(0, installed.exit(), installed.err());
        assertTrue(installed.err().contains("Installed 'crisp' (sd-1"), installed.err());

        Path withLora = sources.resolve("crisp.png");
        Path baked = sources.resolve("crisp-baked.png");
        Run generated = run("generate", "--root", root.toString(), "--model", "lora-base-model", "--lora", "crisp:0.6", "--prompt", "a fox",
                "--seed", "3", "--steps", "4", "--width", "64", "--height", "64", "--device", "cpu", "--out", withLora.toString());
        assertEquals(0, generated.exit(), generated.err());
        Path bakedModel = TinyLoras.sd15(32).bakedCopy(model, sources.resolve("crisp-baked-model"), 0.6);
        assertEquals(0, run("generate", "--model", bakedModel.toString(), "--prompt", "a fox", "--seed", "3", "--steps", "4", "--width", "64",
                "--height", "64", "--device", "cpu", "--out", baked.toString()).exit());
        java.awt.image.BufferedImage a = javax.imageio.ImageIO.read(withLora.toFile());
        java.awt.image.BufferedImage b = javax.imageio.ImageIO.read(baked.toFile());
        org.junit.jupiter.api.Assertions.assertArrayEquals(b.getRGB(0, 0, 64, 64, null, 0, 64), a.getRGB(0, 0, 64, 64, null, 0, 64));
        Run notALora = run("generate", "--root", root.toString(), "--model", "lora-base-model", "--lora", "lora-base-model", "--prompt", "x",
                "--device", "cpu", "--out", sources.resolve("no.png").toString());
        assertEquals(1, notALora.exit());
        assertTrue(notALora.err().contains("not a LoRA"), notALora.err());
    }

    @Test
    void refusalsAreOneLineAndExitOne() throws Exception {
        Path broken = TinyModels.sd15().writeTo(sources.resolve("broken"));
        Files.delete(broken.resolve("vae_decoder/model.onnx"));
        Run install = run("models", "install", broken.toString(), "--root", root.toString());
        assertEquals(1, install.exit());
        assertEquals(1, install.err().strip().lines().count(), install.err());
        assertTrue(install.err().startsWith("invokej models install: ") && install.err().contains("vae_decoder/model.onnx"),
                install.err());

        Path garbled = TinyModels.sd15().writeTo(sources.resolve("garbled"));
        Files.writeString(garbled.resolve("text_encoder/model.onnx"), "not onnx");
        install = run("models", "install", garbled.toString(), "--root", root.toString());
        assertEquals(1, install.exit());
        assertTrue(install.err().strip().lines().reduce((first, second) -> second).orElseThrow()
                .startsWith("invokej models install: "), install.err());
        try (var left = Files.list(root.resolve("models"))) {
            assertTrue(left.findAny().isEmpty(), "a failed install leaves nothing in models/");
        }

        Run delete = run("models", "delete", "nothing", "--root", root.toString());
        assertEquals(1, delete.exit());
        assertEquals("invokej models delete: no model has the key or name 'nothing' (see invokej models list)", delete.err().strip());
    }
}
