package org.invokej.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.invokej.core.content.PngFile;
import org.invokej.inference.testmodels.TinyLoras;
import org.invokej.inference.testmodels.TinyModels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code invokej generate} in-process, with its output streams captured. */
class GenerateCommandTest {
    @TempDir
    static Path folder;

    private static Path model;

    @BeforeAll
    static void models() {
        model = TinyModels.sd15().writeTo(folder.resolve("tiny"));
    }

    private record Run(int exit, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    private static Run run(String... args) {
        CommandLine line = GenerateCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        line.setOut(new PrintWriter(out));
        line.setErr(new PrintWriter(err));
        int exit = line.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private static String[] args(String... extra) {
        List<String> all = new ArrayList<>(List.of("--model", model.toString(), "--prompt", "猫 café 🎨",
                "--steps", "4", "--width", "64", "--height", "48", "--device", "cpu"));
        all.addAll(List.of(extra));
        return all.toArray(String[]::new);
    }

    private static JsonNode metadata(Path png) throws Exception {
        try (InputStream in = Files.newInputStream(png)) {
            return new ObjectMapper().readTree(PngFile.readText(in).get("invokeai_metadata"));
        }
    }

    /** A refusal: exit 1 and exactly one line on stderr, with no stack trace. */
    private static String refusal(Run run) {
        assertEquals(1, run.exit(), run.err());
        assertEquals(1, run.errLines().size(), run.err());
        assertFalse(run.err().contains("Exception") || run.err().contains("\tat "), run.err());
        assertTrue(run.err().startsWith("invokej generate: "), run.err());
        return run.err().strip();
    }

    @Test
    void writesAPngWithMetadataAndReportsWhereTheTimeWent() throws Exception {
        Path out = folder.resolve("fox.png");
        Run run = run(args("--negative", "blurry", "--seed", "42", "--cfg", "6", "--scheduler", "dpmpp_2m_k",
                "--out", out.toString(), "--timings"));
        assertEquals(0, run.exit(), run.err());
        assertEquals(out.toAbsolutePath().toString(), run.out().strip());
        BufferedImage image = ImageIO.read(out.toFile());
        assertEquals(64, image.getWidth());
        assertEquals(48, image.getHeight());
        JsonNode metadata = metadata(out);
        assertEquals("猫 café 🎨", metadata.get("positive_prompt").asText());
        assertEquals("blurry", metadata.get("negative_prompt").asText());
        assertEquals(42, metadata.get("seed").asLong());
        assertEquals(4, metadata.get("steps").asInt());
        assertEquals(6.0, metadata.get("cfg_scale").asDouble());
        assertEquals("dpmpp_2m_k", metadata.get("scheduler").asText());
        assertEquals("txt2img", metadata.get("generation_mode").asText());
        assertEquals("tiny", metadata.get("model").get("name").asText());
        assertFalse(run.err().contains("4/4") || run.err().contains("\r"), "no progress bar without a terminal: " + run.err());
        for (String stage : new String[] {"model load", "text encoding", "denoising", "ms/step", "decoding", "total",
            "outside ORT run"}) {
            assertTrue(run.err().contains(stage), "summary lacks " + stage + ": " + run.err());
        }
    }

    @Test
    void loraOptionsMakeTheImageOfTheModelWithTheirDeltaBakedIn() throws Exception {
        Path lora = TinyLoras.sd15(32).writeTo(folder.resolve("detail.safetensors"));
        Path baked = TinyLoras.sd15(32).bakedCopy(model, folder.resolve("baked"), 0.6);
        Path withLora = folder.resolve("with-lora.png");
        Path plain = folder.resolve("plain-for-lora.png");
        Path fromBaked = folder.resolve("baked.png");
        assertEquals(0, run(args("--seed", "9", "--lora", lora + ":0.6", "--out", withLora.toString())).exit());
        assertEquals(0, run(args("--seed", "9", "--out", plain.toString())).exit());
        List<String> bakedArgs = new ArrayList<>(List.of(args("--seed", "9", "--out", fromBaked.toString())));
        bakedArgs.set(1, baked.toString());
        assertEquals(0, run(bakedArgs.toArray(String[]::new)).exit());
        assertTrue(java.util.Arrays.equals(pixels(fromBaked), pixels(withLora)), "the LoRA at 0.6 is the baked model");
        assertFalse(java.util.Arrays.equals(pixels(plain), pixels(withLora)), "the LoRA changes the image");
        Path twice = folder.resolve("twice.png");
        // two halves of one LoRA add up to it whole (up to rounding, so compared loosely)
        assertEquals(0, run(args("--seed", "9", "--lora", lora + ":0.3", "--lora", lora + ":0.3", "--out", twice.toString())).exit());
        assertTrue(meanDifference(pixels(twice), pixels(withLora)) < 0.5);
    }

    @Test
    void aLoraThatIsMissingOrForAnotherModelIsOneLine() {
        assertTrue(refusal(run(args("--lora", folder.resolve("none.safetensors") + ":0.5", "--out", folder.resolve("x.png").toString())))
                .contains("no such file"));
        Path wide = TinyLoras.sd15(768).writeTo(folder.resolve("wide.safetensors"));
        assertTrue(refusal(run(args("--lora", wide.toString(), "--out", folder.resolve("y.png").toString())))
                .contains("another base model"));
    }

    private static int[] pixels(Path png) throws java.io.IOException {
        BufferedImage image = ImageIO.read(png.toFile());
        return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    }

    private static double meanDifference(int[] a, int[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            for (int shift = 0; shift <= 16; shift += 8) {
                sum += Math.abs(((a[i] >> shift) & 0xff) - ((b[i] >> shift) & 0xff));
            }
        }
        return sum / (a.length * 3.0);
    }

    @Test
    void withoutTimingsItPrintsOneSummaryLine() {
        Path out = folder.resolve("plain.png");
        Run run = run(args("--seed", "7", "--out", out.toString()));
        assertEquals(0, run.exit(), run.err());
        assertEquals(List.of("text-to-image, 64x48, euler, 4 steps, seed 7"), run.errLines(), "no developer table, no bar");
    }

    @Test
    void theSameSeedWritesTheSameImage() throws Exception {
        Path first = folder.resolve("one.png");
        Path second = folder.resolve("two.png");
        assertEquals(0, run(args("--seed", "7", "--out", first.toString())).exit());
        assertEquals(0, run(args("--seed", "7", "--out", second.toString())).exit());
        BufferedImage a = ImageIO.read(first.toFile());
        BufferedImage b = ImageIO.read(second.toFile());
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                assertEquals(a.getRGB(x, y), b.getRGB(x, y));
            }
        }
    }

    @Test
    void imageToImageTakesTheInitImagesSizeByDefault() throws Exception {
        Path init = folder.resolve("init.png");
        ImageIO.write(new BufferedImage(100, 60, BufferedImage.TYPE_INT_RGB), "png", init.toFile());
        Path out = folder.resolve("again.png");
        Run run = run("--model", model.toString(), "--prompt", "a cat", "--steps", "4", "--device", "cpu",
                "--init-image", init.toString(), "--strength", "0.5", "--out", out.toString());
        assertEquals(0, run.exit(), run.err());
        BufferedImage image = ImageIO.read(out.toFile());
        assertEquals(96, image.getWidth());
        assertEquals(56, image.getHeight());
        JsonNode metadata = metadata(out);
        assertEquals("img2img", metadata.get("generation_mode").asText());
        assertEquals(0.5, metadata.get("strength").asDouble());
    }

    /** An orange picture with a blue oval, written as a PNG. */
    private static Path picture(String name, int width, int height) throws java.io.IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = image.createGraphics();
        g.setColor(java.awt.Color.ORANGE);
        g.fillRect(0, 0, width, height);
        g.setColor(java.awt.Color.BLUE);
        g.fillOval(4, 8, width - 16, height - 16);
        g.dispose();
        Path file = folder.resolve(name);
        ImageIO.write(image, "png", file.toFile());
        return file;
    }

    /** A mask keeping (white) the left three quarters and repainting (black) the rest, written as a PNG. */
    private static Path leftKept(String name, int width, int height) throws java.io.IOException {
        BufferedImage mask = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = mask.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, width * 3 / 4, height);
        g.dispose();
        Path file = folder.resolve(name);
        ImageIO.write(mask, "png", file.toFile());
        return file;
    }

    /**
     * An inpainting run: the pixels the mask keeps (white, beyond the reach of the edge's 24-pixel blur and the
     * 16-pixel fade the UI's graph applies) are the image's own exactly, the black part is painted anew.
     */
    private static JsonNode inpaints(Path modelFolder, String label) throws Exception {
        Path image = picture(label + "-image.png", 128, 96);
        Path mask = leftKept(label + "-mask.png", 128, 96);
        Path out = folder.resolve(label + "-inpainted.png");
        Run run = run("--model", modelFolder.toString(), "--prompt", "a red ball", "--steps", "4", "--device", "cpu", "--seed", "5",
                "--image", image.toString(), "--mask", mask.toString(), "--strength", "0.8", "--out", out.toString());
        assertEquals(0, run.exit(), run.err());
        assertEquals(List.of("inpainting, 128x96, euler, 4 steps, seed 5"), run.errLines());
        int[] before = pixels(image);
        int[] after = pixels(out);
        assertEquals(before.length, after.length);
        boolean changed = false;
        for (int y = 0; y < 96; y++) {
            for (int x = 0; x < 128; x++) {
                int i = y * 128 + x;
                if (x < 96 - 42) {
                    assertEquals(before[i], after[i], label + ": kept pixel " + x + "," + y);
                } else if (x >= 96) {
                    changed |= before[i] != after[i];
                }
            }
        }
        assertTrue(changed, label + ": the black part of the mask is painted anew");
        JsonNode metadata = metadata(out);
        assertEquals(0.8, metadata.get("strength").asDouble());
        return metadata;
    }

    @Test
    void aMaskInpaintsKeepingItsWhitePartExactly() throws Exception {
        assertEquals("inpaint", inpaints(model, "sd15").get("generation_mode").asText());
    }

    @Test
    void anInpaintingUnetInpaintsThroughTheMaskToo() throws Exception {
        Path inpaintModel = TinyModels.sd15().inpaint().writeTo(folder.resolve("tiny-inpaint"));
        assertEquals("inpaint", inpaints(inpaintModel, "sd15-inpaint").get("generation_mode").asText());
    }

    @Test
    void anSdxlModelInpaintsThroughTheMask() throws Exception {
        Path sdxl = TinyModels.sdxl().writeTo(folder.resolve("tiny-sdxl"));
        assertEquals("sdxl_inpaint", inpaints(sdxl, "sdxl").get("generation_mode").asText());
    }

    @Test
    void aMaskWithoutAnImageOrOfAnotherSizeOrUnreadableIsOneLine() throws Exception {
        String out = folder.resolve("refused.png").toString();
        Path mask = leftKept("refused-mask.png", 64, 48);
        assertEquals("invokej generate: --mask needs the image to paint into: add --image FILE",
                refusal(run(args("--mask", mask.toString(), "--out", out))));
        Path image = picture("refused-image.png", 64, 64);
        assertEquals("invokej generate: --mask " + mask + " is 64 x 48 but --image is 64 x 64; they must be the same size",
                refusal(run(args("--image", image.toString(), "--mask", mask.toString(), "--out", out))));
        Path text = folder.resolve("notes.png");
        Files.writeString(text, "not a picture");
        assertEquals("invokej generate: --mask " + text + ": not an image format Java can read (PNG, JPEG, BMP, GIF)",
                refusal(run(args("--image", image.toString(), "--mask", text.toString(), "--out", out))));
        Path broken = folder.resolve("broken.png");
        byte[] png = Files.readAllBytes(image);
        Files.write(broken, java.util.Arrays.copyOf(png, 60));
        assertTrue(refusal(run(args("--image", image.toString(), "--mask", broken.toString(), "--out", out)))
                .startsWith("invokej generate: --mask " + broken + ": a broken image file ("));
        assertTrue(refusal(run(args("--image", image.toString(), "--mask", folder.resolve("none.png").toString(), "--out", out)))
                .endsWith("none.png: no such file"));
        assertFalse(Files.exists(Path.of(out)), "nothing is written");
    }

    @Test
    void badArgumentsAreOneLineAndExitOne() {
        String out = folder.resolve("x.png").toString();
        assertEquals("invokej generate: width 100 is not a positive multiple of 8",
                refusal(run(args("--width", "100", "--out", out))));
        assertTrue(refusal(run(args("--scheduler", "fastest", "--out", out))).contains("unknown scheduler 'fastest'"));
        assertTrue(refusal(run(args("--scheduler", "er_sde", "--out", out))).contains("not implemented"));
        assertTrue(refusal(run(args("--device", "gpu", "--out", out))).contains("auto, cpu, cuda, cuda:N"));
        assertTrue(refusal(run(args("--cfg", "0.5", "--out", out))).contains("cfg scale"));
        assertTrue(refusal(run(args("--steps", "many", "--out", out))).contains("--steps"));
        assertTrue(refusal(run("--model", model.toString(), "--out", out)).contains("--prompt"));
        assertTrue(refusal(run(args("--out", folder.resolve("no/such/dir/x.png").toString())))
                .contains("does not exist"));
        assertTrue(refusal(run(args("--init-image", folder.resolve("none.png").toString(), "--out", out)))
                .contains("no such file"));
    }

    @Test
    void helpListsTheOptions() {
        Run run = run("--help");
        assertEquals(0, run.exit());
        for (String option : new String[] {"--model", "--prompt", "--negative", "--steps", "--cfg", "--scheduler",
            "--seed", "--width", "--height", "--image", "--init-image", "--mask", "--strength", "--device", "--out"}) {
            assertTrue(run.out().contains(option), option);
        }
        // the mask's convention, said in words
        String help = run.out().replaceAll("\\s+", " ");
        assertTrue(help.contains("white comes back exactly as --image has it, black is painted anew"), run.out());
        // the engine's schedulers, from SchedulerName (help text may wrap between names)
        String flat = run.out().replaceAll("\\s+", " ");
        assertTrue(flat.contains("dpmpp_3m_k") && flat.contains("unipc_k") && !flat.contains("er_sde"), run.out());
    }

    @Test
    void anUnusableDeviceIsOneLineSayingWhatToDo() {
        String message = refusal(run(args("--device", "cuda", "--out", folder.resolve("x.png").toString())));
        assertTrue(message.contains("--device cpu"), message);
    }

    @Test
    void aBadModelFolderIsOneLineNamingTheFile() throws Exception {
        Path broken = TinyModels.sd15().writeTo(folder.resolve("broken"));
        Files.delete(broken.resolve("unet/model.onnx"));
        String message = refusal(run("--model", broken.toString(), "--prompt", "x", "--device", "cpu", "--out",
                folder.resolve("x.png").toString()));
        assertTrue(message.contains("unet/model.onnx") && message.contains("missing"), message);
        assertTrue(refusal(run("--model", folder.resolve("nothing").toString(), "--prompt", "x", "--device", "cpu",
                "--out", folder.resolve("x.png").toString())).contains("no such folder"));
    }
}
