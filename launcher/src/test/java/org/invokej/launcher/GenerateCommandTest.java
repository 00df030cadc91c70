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
            "--seed", "--width", "--height", "--init-image", "--strength", "--device", "--out"}) {
            assertTrue(run.out().contains(option), option);
        }
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
