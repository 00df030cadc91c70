package org.invokej.launcher;

import org.invokej.core.Actor;
import org.invokej.core.DomainException;
import org.invokej.core.events.EventSink;
import org.invokej.core.events.ServerEvent;
import org.invokej.core.models.InstallEvents;
import org.invokej.core.models.InstallJob;
import org.invokej.core.models.InstallOverrides;
import org.invokej.core.models.ModelConfig;
import org.invokej.core.models.ModelQuery;
import org.invokej.core.models.ModelService;
import org.invokej.inference.testmodels.TinyModels;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code invokej models list|install|delete}: the model manager for administrators at the server's
 * console. It works on the root directly (the same database and migrations as the server, also while
 * the server runs), as the built-in administrator.
 */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = {"List, install and delete models (for administrators, on the server's machine).",
                "make-test writes a tiny model to try things with."},
        subcommands = {ModelsCommand.ListModels.class, ModelsCommand.InstallModel.class, ModelsCommand.DeleteModel.class,
                ModelsCommand.LinkModel.class, ModelsCommand.UnlinkModel.class, ModelsCommand.MakeTestModel.class})
final class ModelsCommand implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The options every models command takes, and the root it opens. */
    abstract static class OnRoot implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = {"--root", "-r"}, paramLabel = "DIR",
                description = "Root directory (default: $INVOKEAI_ROOT, else the parent of $VIRTUAL_ENV, else ~/invokeai).")
        String root;

        @Override
        public Integer call() {
            ConsoleLogging.configure("warning");
            Clock clock = Clock.systemUTC();
            try (LocalRoot local = LocalRoot.open(Optional.ofNullable(root), note -> err().println(note), createsRoot());
                 ModelParts models = ModelParts.assemble(local.root(), local.config(), Repositories.of(local.database()),
                         progressBar(), clock)) {
                return run(models);
            } catch (DomainException e) {
                err().println("invokej models " + spec.name() + ": " + e.getMessage());
                return 1;
            }
        }

        abstract int run(ModelParts models);

        /** Whether a missing root is made (installing into a new root); the others refuse a missing root. */
        boolean createsRoot() {
            return false;
        }

        Actor actor() {
            return LocalRoot.commandLineActor("models " + spec.name());
        }

        /** Where install progress goes; only installs draw a bar. */
        EventSink progressBar() {
            return EventSink.NONE;
        }

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        PrintWriter err() {
            return spec.commandLine().getErr();
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the installed models.")
    static final class ListModels extends OnRoot {
        @Override
        int run(ModelParts models) {
            List<ModelConfig> all = models.service().list(ModelQuery.ALL);
            if (all.isEmpty()) {
                err().println("No models are installed.");
                return 0;
            }
            out().printf("%-36s  %-24s  %-4s  %-7s  %s%n", "KEY", "NAME", "BASE", "STATUS", "PATH");
            for (ModelConfig model : all) {
                Path folder = models.service().runFolderOf(model);
                String status = !Files.exists(folder) ? "missing" : model.linked() ? "linked" : model.runnable() ? "ok" : "cannot";
                out().printf("%-36s  %-24s  %-4s  %-7s  %s%n", model.key(), model.name(), model.base(), status, folder);
            }
            out().flush();
            return 0;
        }
    }

    @Command(name = "install", mixinStandardHelpOptions = true,
            description = {"Installs an ONNX Stable Diffusion model (diffusers/optimum layout) from a folder or a .zip of one,",
                    "or a LoRA from a .safetensors file.",
                    "It is checked fully (every graph loaded), hashed and copied to models/<key>/; its key is printed."})
    static final class InstallModel extends OnRoot {
        private static final int BAR_WIDTH = 30;

        @Parameters(paramLabel = "SOURCE", description = "The model folder, .zip file or LoRA .safetensors file.")
        String source;

        @Option(names = "--base", paramLabel = "BASE",
                description = "sd-1, sd-2 or sdxl: the base, when what the model's files show is not enough (a LoRA whose layers do not tell).")
        String base;

        @Option(names = "--inplace", description = "Leave a folder where it is instead of copying it into the models folder.")
        boolean inplace;

        @Option(names = "--name", paramLabel = "NAME", description = "The model's name (default: the folder's or file's name).")
        String name;

        @Option(names = "--description", paramLabel = "TEXT", description = "The model's description.")
        String description;

        @Override
        boolean createsRoot() {
            return true;
        }

        @Override
        int run(ModelParts models) {
            Path folder = RootDirectory.expandHome(source).toAbsolutePath().normalize();
            InstallJob job = models.installer().install(actor(), folder.toString(), inplace,
                    new InstallOverrides(name, description, base, null, null, null));
            Thread cancelOnInterrupt = new Thread(() -> {
                models.installer().close();
            }, "invokej-install-cancel");
            Runtime.getRuntime().addShutdownHook(cancelOnInterrupt);
            InstallJob.View done;
            try {
                done = job.finished().join();
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(cancelOnInterrupt);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is already running: it cancels the install
                }
            }
            err().println();
            if (done.status() != InstallJob.Status.COMPLETED) {
                err().println("invokej models install: " + (done.error() != null ? done.error() : "cancelled"));
                return 1;
            }
            ModelConfig model = done.config();
            err().printf("Installed '%s' (%s, %s) in %s%n", model.name(), model.base(), model.hash(), models.service().folderOf(model));
            out().println(model.key());
            out().flush();
            return 0;
        }

        @Override
        EventSink progressBar() {
            return this::draw;
        }

        private void draw(ServerEvent event) {
            if (!(event.payload() instanceof InstallEvents.DownloadProgress progress)) {
                return;
            }
            long bytes = progress.bytes();
            long total = Math.max(1, progress.totalBytes());
            int filled = (int) Math.min(BAR_WIDTH, bytes * BAR_WIDTH / total);
            err().printf("\r[%s%s] %3d%% %,d / %,d MB", "#".repeat(filled), "-".repeat(BAR_WIDTH - filled),
                    bytes * 100 / total, bytes >> 20, total >> 20);
            err().flush();
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Deletes a model: its record, and its files when they are inside the models folder.")
    static final class DeleteModel extends OnRoot {

        @Parameters(paramLabel = "MODEL", description = "The model's key, or its name when no other model has that name.")
        String model;

        @Option(names = {"--yes", "-y", "--force", "-f"}, description = "Delete without asking for confirmation")
        boolean yes;

        @Override
        int run(ModelParts models) {
            ModelConfig target = ModelsCommand.find(models.service(), model);
            if (!yes) {
                Path folder = models.service().folderOf(target);
                out().println("About to delete '" + target.name() + "' (" + target.key() + ")"
                        + (models.service().storage().isInside(folder) ? " and its files in " + folder : "; its files in " + folder + " stay"));
                boolean sure = new Prompter(out()).askYesNo("Delete this model? (yes/no): ")
                        .orElseThrow(() -> DomainException.invalid("Nobody answered the confirmation (no terminal, or end of input); "
                                + "nothing was deleted. Use --yes to delete without asking."));
                if (!sure) {
                    err().println("Deletion cancelled.");
                    return 1;
                }
            }
            models.service().delete(actor(), target.key());
            err().println("Deleted '" + target.name() + "' (" + target.key() + ")");
            return 0;
        }

    }

    @Command(name = "link", mixinStandardHelpOptions = true,
            description = {"Links a main model InvokeAI installed (a diffusers folder, a checkpoint) to an ONNX export of it,",
                    "which then runs under the model's own key and name. Without --onnx, the export beside the model",
                    "(<model>-onnx next to it, or onnx/ inside a diffusers folder) is used."})
    static final class LinkModel extends OnRoot {

        @Parameters(paramLabel = "MODEL", description = "The model's key, or its name when no other model has that name.")
        String model;

        @Option(names = "--onnx", paramLabel = "DIR", description = "The ONNX export's folder (optimum layout).")
        String onnx;

        @Override
        int run(ModelParts models) {
            ModelConfig target = ModelsCommand.find(models.service(), model);
            String folder = onnx == null ? null : RootDirectory.expandHome(onnx).toAbsolutePath().normalize().toString();
            ModelConfig linked = models.exports().link(actor(), target.key(), folder);
            err().println("Linked '" + linked.name() + "' (" + linked.key() + ") to its ONNX export in "
                    + models.service().runFolderOf(linked));
            return 0;
        }
    }

    @Command(name = "unlink", mixinStandardHelpOptions = true,
            description = "Unlinks a model from its ONNX export (the export's files stay); it is listed as not runnable again.")
    static final class UnlinkModel extends OnRoot {

        @Parameters(paramLabel = "MODEL", description = "The model's key, or its name when no other model has that name.")
        String model;

        @Override
        int run(ModelParts models) {
            ModelConfig target = ModelsCommand.find(models.service(), model);
            models.exports().unlink(actor(), target.key());
            err().println("Unlinked '" + target.name() + "' (" + target.key() + ") from its ONNX export");
            return 0;
        }
    }

    @Command(name = "make-test", mixinStandardHelpOptions = true,
            description = {"Writes a tiny SD 1.5 (or, with --sdxl, SDXL) model in the real ONNX layout to try InvokeJ with"
                    + " (it draws noise, in well under a second).",
                    "Install it with: invokej models install DIR"})
    static final class MakeTestModel implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "DIR", description = "A new (or empty) folder to write the model to.")
        String folder;

        @CommandLine.Option(names = "--sdxl", description = "Write an SDXL model (two text encoders) instead of an SD 1.5 one.")
        boolean sdxl;

        @Override
        public Integer call() throws java.io.IOException {
            Path target = RootDirectory.expandHome(folder).toAbsolutePath().normalize();
            if (Files.exists(target) && !(Files.isDirectory(target) && isEmpty(target))) {
                spec.commandLine().getErr().println("invokej models make-test: " + target + " already exists and is not an empty folder");
                return 1;
            }
            (sdxl ? TinyModels.sdxl() : TinyModels.sd15()).writeTo(target);
            spec.commandLine().getErr().println("Wrote a tiny " + (sdxl ? "SDXL" : "SD 1.5") + " test model (it draws noise) to " + target
                    + "; install it with: bin/invokej models install " + target);
            spec.commandLine().getOut().println(target);
            spec.commandLine().getOut().flush();
            return 0;
        }

        private static boolean isEmpty(Path folder) throws java.io.IOException {
            try (var entries = Files.list(folder)) {
                return entries.findAny().isEmpty();
            }
        }
    }

    /** The model with key {@code model}, else the one model named {@code model}. */
    static ModelConfig find(ModelService models, String model) {
        return models.find(model).orElseGet(() -> {
            List<ModelConfig> named = models.list(new ModelQuery(List.of(), null, model, null, "name", false));
            List<ModelConfig> exact = named.stream().filter(config -> config.name().equals(model)).toList();
            List<ModelConfig> matches = exact.isEmpty() ? named : exact;
            if (matches.isEmpty()) {
                throw DomainException.notFound("no model has the key or name '" + model + "' (see invokej models list)");
            }
            if (matches.size() > 1) {
                throw DomainException.conflict(matches.size() + " models are named '" + model + "'; give the key (see invokej models list)");
            }
            return matches.getFirst();
        });
    }
}
