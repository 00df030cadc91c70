package org.invokej.launcher;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import javax.imageio.ImageIO;
import org.invokej.core.DomainException;
import org.invokej.core.models.ModelConfig;
import org.invokej.core.models.ModelService;
import org.invokej.core.models.ModelStorage;
import org.invokej.inference.onnx.DeviceUnavailableException;
import org.invokej.persistence.SqlModelRecords;
import org.invokej.persistence.SqlOnnxExportLinks;
import org.invokej.persistence.SqlTransactions;
import org.invokej.persistence.SqlUserRepository;
import org.invokej.inference.EngineSettings;
import org.invokej.inference.GeneratedImage;
import org.invokej.inference.GenerationCancelledException;
import org.invokej.inference.GenerationEngine;
import org.invokej.inference.GenerationHandle;
import org.invokej.inference.GenerationRequest;
import org.invokej.inference.lora.LoraStack;
import org.invokej.inference.InferenceException;
import org.invokej.inference.InvalidModelException;
import org.invokej.inference.onnx.OrtDevice;
import org.invokej.inference.Progress;
import org.invokej.inference.schedulers.SchedulerName;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code invokej generate}: one image from a prompt (or from an image and a prompt, or inpainting an image
 * through a mask, as the built-in UI's Generate page does) with an ONNX Stable Diffusion model folder, for
 * scripts and benchmarks. Progress and a summary of where the time went go to stderr; the written file's
 * path goes to stdout.
 */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Generate an image from a prompt with an ONNX Stable Diffusion model folder:",
                "text-to-image, image-to-image (--image) or inpainting (--image and --mask)."})
public final class GenerateCommand implements Callable<Integer> {
    private static final int BAR_WIDTH = 30;

    @Spec
    private CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL",
            description = {"An installed model's name or key (see invokej models list),",
                    "or a model folder in diffusers ONNX layout (model_index.json, unet/, ...)."})
    private String model;

    @Option(names = {"--root", "-r"}, paramLabel = "DIR",
            description = "Root whose installed models --model names (default: $INVOKEAI_ROOT, else the parent of $VIRTUAL_ENV, else ~/invokeai).")
    private String root;

    @Option(names = "--prompt", required = true, paramLabel = "TEXT", description = "What to draw.")
    private String prompt;

    @Option(names = "--negative", defaultValue = "", paramLabel = "TEXT", description = "What to avoid.")
    private String negative;

    @Option(names = "--steps", defaultValue = "20", paramLabel = "N", description = "Denoising steps (default: ${DEFAULT-VALUE}).")
    private int steps;

    @Option(names = "--cfg", defaultValue = "7.5", paramLabel = "X", description = "Guidance scale, >= 1 (default: ${DEFAULT-VALUE}).")
    private double cfg;

    @Option(names = "--scheduler", defaultValue = "euler", paramLabel = "NAME",
            completionCandidates = SchedulerNames.class,
            description = "One of: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    private String scheduler;

    @Option(names = "--seed", paramLabel = "N", description = "Noise seed, taken modulo 2^32 (default: random).")
    private Long seed;

    @Option(names = "--width", paramLabel = "W", description = "Multiple of 8 (default: 512, or --image's).")
    private Integer width;

    @Option(names = "--height", paramLabel = "H", description = "Multiple of 8 (default: 512, or --image's).")
    private Integer height;

    @Option(names = {"--image", "--init-image"}, paramLabel = "FILE", description = "Start from this image (image-to-image).")
    private Path initImage;

    @Option(names = "--mask", paramLabel = "FILE",
            description = "With --image: inpaint through this mask, an image the size of --image: white comes back exactly"
                    + " as --image has it, black is painted anew, grey is repainted less; the edge is blended over 16 pixels,"
                    + " as the built-in UI's Generate page does.")
    private Path mask;

    @Option(names = "--strength", defaultValue = "0.75", paramLabel = "S",
            description = "With --image: how much to change it (with --mask: its black part), 0..1 (default: ${DEFAULT-VALUE}).")
    private double strength;

    @Option(names = "--lora", paramLabel = "NAME[:WEIGHT]",
            description = {"Apply a LoRA: an installed LoRA's name or key, or a .safetensors file; WEIGHT defaults to 0.75.",
                    "Repeat for several."})
    private List<String> loras = new ArrayList<>();

    @Option(names = "--device", defaultValue = "auto", paramLabel = "D", description = "auto, cpu, cuda or cuda:N (default: ${DEFAULT-VALUE}).")
    private String device;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N",
            description = "ONNX Runtime intra-op threads; 0 = one per core (default: ${DEFAULT-VALUE}).")
    private int threads;

    @Option(names = "--out", required = true, paramLabel = "FILE.png", description = "Where to write the PNG.")
    private Path out;

    @Option(names = "--timings", description = "Also print where the time went, stage by stage (for developers).")
    private boolean timings;

    /**
     * A command line for this command alone, whose bad-argument and failure handling print one line
     * on stderr and exit with 1 (picocli's default is the usage text and 2).
     */
    public static CommandLine commandLine() {
        CommandLine line = new CommandLine(new GenerateCommand());
        // scripts may append an option to override an earlier one; the last one wins
        line.setOverwrittenOptionsAllowed(true);
        line.setParameterExceptionHandler((e, args) -> {
            e.getCommandLine().getErr().println("invokej generate: " + e.getMessage()
                    + " (see invokej generate --help)");
            return 1;
        });
        return line;
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        try {
            return generate(err);
        } catch (IllegalArgumentException | InvalidModelException | DeviceUnavailableException
                | InferenceException e) {
            err.println("invokej generate: " + e.getMessage());
            return 1;
        } catch (IOException | ConfigException e) {
            err.println("invokej generate: " + e.getMessage());
            return 1;
        } catch (GenerationCancelledException e) {
            err.println("invokej generate: cancelled");
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("invokej generate: interrupted");
            return 1;
        }
    }

    private int generate(PrintWriter err) throws IOException, InterruptedException {
        SchedulerName schedulerName = SchedulerName.parse(scheduler);
        OrtDevice ortDevice = OrtDevice.parse(device);
        if (threads < 0) {
            throw new IllegalArgumentException("--threads must not be negative");
        }
        Path outFile = out.toAbsolutePath();
        if (outFile.getParent() != null && !Files.isDirectory(outFile.getParent())) {
            throw new IllegalArgumentException("cannot write " + out + ": folder " + outFile.getParent()
                    + " does not exist");
        }
        if (mask != null && initImage == null) {
            throw new IllegalArgumentException("--mask needs the image to paint into: add --image FILE");
        }
        BufferedImage init = initImage == null ? null : readImage("--image", initImage);
        BufferedImage maskImage = mask == null ? null : readImage("--mask", mask);
        if (maskImage != null && (maskImage.getWidth() != init.getWidth() || maskImage.getHeight() != init.getHeight())) {
            throw new IllegalArgumentException("--mask " + mask + " is " + maskImage.getWidth() + " x " + maskImage.getHeight()
                    + " but --image is " + init.getWidth() + " x " + init.getHeight() + "; they must be the same size");
        }
        int w = width != null ? width : init != null ? init.getWidth() / 8 * 8 : 512;
        int h = height != null ? height : init != null ? init.getHeight() / 8 * 8 : 512;
        long actualSeed = seed != null ? seed : ThreadLocalRandom.current().nextLong(1L << 32);
        Path modelFolder = modelFolder();
        GenerationRequest request = new GenerationRequest(modelFolder, prompt, negative, schedulerName, steps, cfg,
                actualSeed, w, h, init, strength, loraStack(), maskImage);

        EngineSettings settings = new EngineSettings(ortDevice, 0, threads, Integer.MAX_VALUE);
        GeneratedImage image;
        try (GenerationEngine engine = new GenerationEngine(settings)) {
            // A bar of carriage returns is noise in a log file or a pipe.
            boolean drawBar = Prompter.onTerminal();
            GenerationHandle<GeneratedImage> handle = engine.submit(request, progress -> {
                if (drawBar) {
                    bar(err, progress);
                }
            });
            image = handle.await();
        }
        try (OutputStream stream = Files.newOutputStream(outFile)) {
            image.writePng(stream);
        }
        err.printf("%s, %dx%d, %s, %d steps, seed %d%n", request.isInpainting() ? "inpainting"
                        : request.isImageToImage() ? "image-to-image" : "text-to-image",
                w, h, schedulerName.invokeName(), steps, request.seed());
        if (timings) {
            err.print(image.timings().summary());
        }
        err.flush();
        spec.commandLine().getOut().println(outFile);
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** An image file an option names, or a one-line refusal. */
    private static BufferedImage readImage(String option, Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(option + " " + file + ": no such file");
        }
        BufferedImage image;
        try {
            image = ImageIO.read(file.toFile());
        } catch (IOException e) {
            // a file that starts like an image but is broken (ImageIO answers null only for unknown formats)
            throw new IllegalArgumentException(option + " " + file + ": a broken image file ("
                    + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()) + ")");
        }
        if (image == null) {
            throw new IllegalArgumentException(option + " " + file + ": not an image format Java can read (PNG, JPEG, BMP, GIF)");
        }
        return image;
    }

    /**
     * The folder of {@code --model}: a folder as given (a leading {@code ~} is {@code $HOME}), else the
     * installed model of the root with that key or name.
     */
    private Path modelFolder() {
        Path folder = RootDirectory.expandHome(model);
        if (Files.isDirectory(folder)) {
            return folder;
        }
        boolean looksLikePath = model.contains("/") || model.contains(java.io.File.separator) || model.startsWith("~");
        Path rootDir = RootDirectory.resolve(java.util.Optional.ofNullable(root));
        if (looksLikePath || !Files.isDirectory(rootDir)) {
            throw new IllegalArgumentException("--model " + model + ": no such folder"
                    + (looksLikePath ? "" : ", and no root at " + rootDir + " whose installed models could have that name"));
        }
        ConsoleLogging.configure("warning"); // the database's start-up lines are not for this command's stderr
        try (LocalRoot local = LocalRoot.open(java.util.Optional.of(rootDir.toString()), note -> { }, false)) {
            ModelService models = new ModelService(new SqlTransactions(local.database()), new SqlModelRecords(),
                    new SqlUserRepository(), new ModelStorage(local.config().modelsPath(local.root())), SchedulerName::invokeNames,
                    new SqlOnnxExportLinks());
            ModelConfig config;
            try {
                config = ModelsCommand.find(models, model);
            } catch (DomainException e) {
                throw new IllegalArgumentException("--model " + model + ": no such folder, and " + e.getMessage()
                        + " in " + rootDir);
            }
            Path installed = models.folderOf(config);
            if (!Files.isDirectory(installed)) {
                throw new IllegalArgumentException("--model " + model + ": the installed model's folder " + installed + " is missing");
            }
            return installed;
        }
    }

    /** The {@code --lora} options: each a file or an installed LoRA, with its weight. */
    private LoraStack loraStack() {
        List<LoraStack.Applied> applied = new ArrayList<>();
        for (String option : loras) {
            String name = option;
            double weight = 0.75;
            int colon = option.lastIndexOf(':');
            if (colon > 0) {
                try {
                    weight = Double.parseDouble(option.substring(colon + 1));
                    name = option.substring(0, colon);
                } catch (NumberFormatException e) {
                    // a colon inside the name or path: no weight given
                }
            }
            if (!Double.isFinite(weight)) {
                throw new IllegalArgumentException("--lora " + option + ": the weight must be a number");
            }
            applied.add(new LoraStack.Applied(loraFile(name), weight));
        }
        return new LoraStack(applied);
    }

    /** A {@code .safetensors} file as given, else the installed LoRA of the root with that key or name. */
    private Path loraFile(String name) {
        Path file = RootDirectory.expandHome(name);
        if (Files.isRegularFile(file)) {
            return file;
        }
        Path rootDir = RootDirectory.resolve(java.util.Optional.ofNullable(root));
        if (name.contains("/") || name.contains(java.io.File.separator) || !Files.isDirectory(rootDir)) {
            throw new IllegalArgumentException("--lora " + name + ": no such file");
        }
        ConsoleLogging.configure("warning");
        try (LocalRoot local = LocalRoot.open(java.util.Optional.of(rootDir.toString()), note -> { }, false)) {
            ModelService models = new ModelService(new SqlTransactions(local.database()), new SqlModelRecords(),
                    new SqlUserRepository(), new ModelStorage(local.config().modelsPath(local.root())), SchedulerName::invokeNames,
                    new SqlOnnxExportLinks());
            ModelConfig config;
            try {
                config = ModelsCommand.find(models, name);
            } catch (DomainException e) {
                throw new IllegalArgumentException("--lora " + name + ": no such file, and " + e.getMessage() + " in " + rootDir);
            }
            if (!config.isLora()) {
                throw new IllegalArgumentException("--lora " + name + ": model '" + config.name() + "' is a " + config.type()
                        + " model, not a LoRA");
            }
            Path installed = models.folderOf(config);
            if (!Files.isRegularFile(installed)) {
                throw new IllegalArgumentException("--lora " + name + ": the installed LoRA's file " + installed + " is missing");
            }
            return installed;
        }
    }

    private static void bar(PrintWriter err, Progress progress) {
        int filled = (int) Math.round(progress.fraction() * BAR_WIDTH);
        err.printf("\r[%s%s] %d/%d", "#".repeat(filled), "-".repeat(BAR_WIDTH - filled), progress.step(),
                progress.totalSteps());
        if (progress.step() == progress.totalSteps()) {
            err.println();
        }
        err.flush();
    }
}
