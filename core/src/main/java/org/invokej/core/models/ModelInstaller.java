package org.invokej.core.models;

import org.invokej.core.Actor;
import org.invokej.core.DomainException;
import org.invokej.core.events.Audience;
import org.invokej.core.events.EventPayload;
import org.invokej.core.events.EventSink;
import org.invokej.core.events.ServerEvent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Installs models from local folders and {@code .zip} archives, one at a time on a thread of its own,
 * and tells administrators how it goes with InvokeAI's {@code model_install_*} events.
 *
 * <p>An install checks the quick things while the request waits (the source is an absolute path to a
 * folder with the parts of a model, or to a zip with a {@code model_index.json}; an in-place folder is
 * not installed yet), then in the background: copies or unpacks into a work folder inside the models
 * folder, inspects the result fully (every graph loaded, as generation will), hashes it, moves it to
 * {@code models/<key>/} and records it in one short transaction. Any failure or a cancel removes what
 * was written, and nothing is recorded.
 */
public final class ModelInstaller implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ModelInstaller.class.getName());
    private static final long PROGRESS_INTERVAL_NANOS = 250_000_000L;

    private final ModelService models;
    private final ModelInspector inspector;
    private final ModelHasher hasher;
    private final ModelArchive.Limits archiveLimits;
    private final EventSink events;
    private final Clock clock;
    private final ExecutorService worker =
            Executors.newSingleThreadExecutor(Thread.ofPlatform().name("invokej-model-install").daemon().factory());
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, InstallJob> jobs = new LinkedHashMap<>();

    public ModelInstaller(ModelService models, ModelInspector inspector, ModelHasher hasher, ModelArchive.Limits archiveLimits,
                          EventSink events, Clock clock) {
        this.models = models;
        this.inspector = inspector;
        this.hasher = hasher;
        this.archiveLimits = archiveLimits;
        this.events = events;
        this.clock = clock;
    }

    /**
     * An administrator installs the model at {@code source}: the quick checks now, the rest in the
     * background. {@code inplace} leaves a folder where it is; an archive is always unpacked into the models folder.
     */
    public InstallJob install(Actor actor, String source, boolean inplace, InstallOverrides overrides) {
        ModelService.requireAdmin(actor);
        Path path = localSource(source);
        models.requireNotInstalledFrom(path);
        if (Files.isDirectory(path)) {
            inspector.checkLayout(path);
        } else if (!isLoraFile(path)) {
            new ModelArchive(path, archiveLimits).checkLooksLikeModel();
        }
        InstallJob job = new InstallJob(ids.incrementAndGet(), path, inplace && (Files.isDirectory(path) || isLoraFile(path)), overrides);
        synchronized (jobs) {
            jobs.put(job.id(), job);
        }
        try {
            worker.execute(() -> run(job));
        } catch (RejectedExecutionException e) {
            job.fail("RuntimeError", "The server is shutting down");
        }
        return job;
    }

    /** The path of a local folder or zip; anything else is InvokeAI's 409 {@code Unsupported model source}. */
    private static Path localSource(String source) {
        DomainException unsupported = DomainException.conflict("Unsupported model source: '" + source + "'");
        if (source == null || source.isBlank()) {
            throw DomainException.unprocessable("Query parameter 'source' is required");
        }
        Path path;
        try {
            path = Path.of(source);
        } catch (InvalidPathException e) {
            throw unsupported;
        }
        // Relative paths would depend on where the server was started; URLs and Hugging Face ids need downloads.
        if (!path.isAbsolute()) {
            throw unsupported;
        }
        if (!Files.exists(path)) {
            throw DomainException.conflict("No such folder: '" + source + "'");
        }
        if (!(Files.isDirectory(path) || (Files.isRegularFile(path) && (ModelArchive.isArchiveName(path) || isLoraFile(path))))) {
            throw unsupported;
        }
        return path.normalize();
    }

    public List<InstallJob> jobs(Actor actor) {
        ModelService.requireAdmin(actor);
        synchronized (jobs) {
            return List.copyOf(jobs.values());
        }
    }

    /** The job, or 404. */
    public InstallJob job(Actor actor, long id) {
        ModelService.requireAdmin(actor);
        synchronized (jobs) {
            InstallJob job = jobs.get(id);
            if (job == null) {
                throw DomainException.notFound("No such job");
            }
            return job;
        }
    }

    /** Cancels a job that has not finished; InvokeAI answers an unknown id with 415 {@code No such job}. */
    public void cancel(Actor actor, long id) {
        ModelService.requireAdmin(actor);
        InstallJob job;
        synchronized (jobs) {
            job = jobs.get(id);
        }
        if (job == null) {
            throw DomainException.of(DomainException.Kind.UNSUPPORTED_MEDIA, "No such job");
        }
        if (job.requestCancel()) {
            publish("model_install_cancelled", new InstallEvents.Cancelled(now(), job.id(), source(job)));
        }
    }

    /** Forgets finished jobs. */
    public void prune(Actor actor) {
        ModelService.requireAdmin(actor);
        synchronized (jobs) {
            jobs.values().removeIf(InstallJob::isFinished);
        }
    }

    private void run(InstallJob job) {
        if (!job.start()) {
            return;
        }
        publish("model_install_started", new InstallEvents.Started(now(), job.id(), source(job)));
        try {
            ModelConfig config = install(job);
            job.complete(config);
            publish("model_install_complete", new InstallEvents.Complete(now(), job.id(), source(job), config.key(),
                    config.fileSize(), config));
            LOG.info(() -> "Installed model '" + config.name() + "' (" + config.base() + ", " + config.hash() + ") as " + config.key());
        } catch (Cancelled e) {
            job.cancelled();
            publish("model_install_cancelled", new InstallEvents.Cancelled(now(), job.id(), source(job)));
        } catch (RuntimeException | IOException e) {
            String type = errorType(e);
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            job.fail(type, message);
            publish("model_install_error", new InstallEvents.Error(now(), job.id(), source(job), type, message));
            LOG.log(e instanceof DomainException ? Level.INFO : Level.WARNING,
                    "Model install from " + job.source() + " failed: " + message, e instanceof DomainException ? null : e);
        }
    }

    /** A LoRA: one {@code .safetensors} file (checkpoints of main models are not installed; they are not ONNX). */
    private static boolean isLoraFile(Path path) {
        return Files.isRegularFile(path) && path.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".safetensors");
    }

    /**
     * Installs a LoRA file as the folder flow does a model: copied into a work folder, read whole, hashed, moved to
     * {@code models/<key>/<file>} and recorded with the base its layers show (or the one given, when they do not tell).
     */
    private ModelConfig installLora(InstallJob job, Progress progress) throws IOException {
        Path work = null;
        Path installed = null;
        try {
            Path source = job.source();
            Path file = source;
            if (!job.inplace()) {
                work = models.storage().newWorkFolder();
                Files.createDirectories(work.resolve("lora"));
                file = work.resolve("lora").resolve(source.getFileName().toString());
                progress.expect(Files.size(source));
                ModelStorage.copyTree(source, file, progress);
            }
            job.requireNotCancelled();
            String base = loraBase(inspector.inspectLora(file).base(), job.overrides().base(), file);
            job.requireNotCancelled();
            progress.expect(hasher.bytesToHash(file));
            String hash = hasher.hash(file, progress);
            progress.publishNow();
            String key = UUID.randomUUID().toString();
            if (!job.inplace()) {
                installed = models.storage().installFolder(key);
                ModelStorage.moveInto(file.getParent(), installed);
                file = installed.resolve(file.getFileName().toString());
            }
            InstallOverrides overrides = job.overrides();
            String name = overrides.name() != null ? overrides.name() : stem(source);
            String description = overrides.description() != null ? overrides.description() : base + " LoRA " + name;
            ModelConfig config = models.register(ModelConfig.installedLora(key, hash, models.storage().recordedPath(file),
                    Files.size(file), name, description, source.toString(), base, overrides.triggerPhrases()));
            installed = null;
            return config;
        } finally {
            discardLeftovers(installed, work);
        }
    }

    /** The LoRA's base: what its layers show; a given base must agree with it, and is needed when they show none. */
    private static String loraBase(String detected, String given, Path file) {
        if (detected == null && given == null) {
            throw DomainException.of(DomainException.Kind.UNSUPPORTED_MEDIA, file.getFileName() + ": cannot tell which base model"
                    + " this LoRA is for from its layers; install it with a base (sd-1, sd-2 or sdxl)");
        }
        if (detected != null && given != null && !detected.equals(given)) {
            throw DomainException.unprocessable("base " + given + " does not fit the LoRA: its layers are for " + detected);
        }
        return detected != null ? detected : given;
    }

    private static String stem(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /** Does the install; on any failure what it wrote is gone before the exception leaves (so a finished job has cleaned up). */
    private ModelConfig install(InstallJob job) throws IOException {
        if (isLoraFile(job.source())) {
            return installLora(job, new Progress(job));
        }
        Path work = null;
        Path installed = null;
        try {
            Progress progress = new Progress(job);
            Path folder;
            Path source = job.source();
            if (job.inplace()) {
                folder = source;
            } else {
                work = models.storage().newWorkFolder();
                folder = work.resolve("model");
                if (Files.isDirectory(source)) {
                    progress.expect(ModelStorage.sizeOf(source));
                    ModelStorage.copyTree(source, folder, progress);
                } else {
                    ModelArchive archive = new ModelArchive(source, archiveLimits);
                    progress.expect(archive.declaredSize());
                    archive.unpackInto(work.resolve("unpacked"), progress);
                    folder = modelRoot(work.resolve("unpacked"));
                }
            }
            job.requireNotCancelled();
            ModelFacts facts = job.overrides().apply(inspector.inspect(folder));
            job.requireNotCancelled();
            progress.expect(hasher.bytesToHash(folder));
            String hash = hasher.hash(folder, progress);
            progress.publishNow();
            String key = UUID.randomUUID().toString();
            if (!job.inplace()) {
                installed = models.storage().installFolder(key);
                ModelStorage.moveInto(folder, installed);
                folder = installed;
            }
            ModelConfig config = models.register(newConfig(job, key, folder, hash, facts));
            installed = null;
            return config;
        } finally {
            discardLeftovers(installed, work);
        }
    }

    private ModelConfig newConfig(InstallJob job, String key, Path folder, String hash, ModelFacts facts) {
        InstallOverrides overrides = job.overrides();
        String name = overrides.name() != null ? overrides.name() : defaultName(job.source());
        String description = overrides.description() != null ? overrides.description()
                : facts.base() + " " + ModelConfig.TYPE_MAIN + " model " + name;
        return ModelConfig.installed(key, hash, models.storage().recordedPath(folder), ModelStorage.sizeOf(folder), name,
                description, job.source().toString(), facts, overrides.triggerPhrases(), overrides.defaultSettings());
    }

    private static String defaultName(Path source) {
        String name = source.getFileName() == null ? "model" : source.getFileName().toString();
        return ModelArchive.isArchiveName(source) ? name.substring(0, name.length() - 4) : name;
    }

    /** The model folder of an unpacked archive: its top, or the one folder at its top. */
    private static Path modelRoot(Path unpacked) throws IOException {
        if (Files.isRegularFile(unpacked.resolve("model_index.json"))) {
            return unpacked;
        }
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> children = Files.newDirectoryStream(unpacked)) {
            children.forEach(entries::add);
        }
        if (entries.size() == 1 && Files.isRegularFile(entries.getFirst().resolve("model_index.json"))) {
            return entries.getFirst();
        }
        throw DomainException.of(DomainException.Kind.UNSUPPORTED_MEDIA,
                "The archive has no model_index.json at its top or in its one top folder");
    }

    private static String errorType(Exception e) {
        if (e instanceof DomainException domain) {
            return switch (domain.kind()) {
                case UNSUPPORTED_MEDIA, UNPROCESSABLE, INVALID -> "InvalidModelException";
                case CONFLICT -> "DuplicateModelException";
                default -> "ValueError";
            };
        }
        return e instanceof IOException || e instanceof UncheckedIOException ? "OSError" : e.getClass().getSimpleName();
    }

    private long now() {
        return clock.instant().getEpochSecond();
    }

    private void publish(String name, EventPayload payload) {
        try {
            events.publish(new ServerEvent(name, payload, new Audience.Admins()));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not publish " + name, e);
        }
    }

    /**
     * An administrator has a model's files looked at again (InvokeAI's {@code reidentify}): the full check
     * of the ONNX export (of a LoRA, its layers), and its base, prediction type and variant recorded as found; name, description,
     * settings and trigger phrases stay. Models kept as InvokeAI installed them are not ours to re-probe.
     */
    public ModelConfig reidentify(Actor actor, String key) {
        ModelService.requireAdmin(actor);
        ModelConfig config = models.requireOurs(key, "reidentified");
        Path files = models.folderOf(config);
        if (config.isLora() ? !Files.isRegularFile(files) : !Files.isDirectory(files)) {
            throw DomainException.conflict("Model '" + config.name() + "' is missing its files (" + files + "); reinstall it");
        }
        if (config.isLora()) {
            // A LoRA whose layers do not tell its base keeps the base it was installed with.
            ModelFacts found = inspector.inspectLora(files);
            return found.base() == null ? config : models.replaceFacts(key, found);
        }
        return models.replaceFacts(key, inspector.inspect(files));
    }

    /** What a failed install leaves: the model folder moved into place (null once registered) and the work folder. */
    private static void discardLeftovers(Path installed, Path work) {
        if (installed != null) {
            ModelStorage.deleteTree(installed);
        }
        if (work != null) {
            ModelStorage.deleteTree(work);
        }
    }

    /** {@link #reidentify} of several models, each on its own (InvokeAI's {@code bulk_reidentify}). */
    public BulkOutcome reidentifyAll(Actor actor, List<String> keys) {
        ModelService.requireAdmin(actor);
        ModelService.requireKeys(keys);
        List<String> done = new ArrayList<>();
        List<BulkOutcome.Failure> failed = new ArrayList<>();
        for (String key : keys) {
            try {
                reidentify(actor, key);
                done.add(key);
            } catch (DomainException e) {
                failed.add(new BulkOutcome.Failure(key, e.getMessage()));
            }
        }
        return new BulkOutcome(done, failed);
    }

    /** InvokeAI's {@code LocalModelSource} of a job. */
    public static InstallEvents.LocalSource source(InstallJob job) {
        return new InstallEvents.LocalSource(job.source().toString(), job.inplace(), "local");
    }

    /** Counts bytes copied, unpacked and hashed against the total expected so far; stops a cancelled job. */
    private final class Progress implements ByteProgress {
        private final InstallJob job;
        private final AtomicLong done = new AtomicLong();
        private final AtomicLong total = new AtomicLong();
        private volatile long lastPublished = System.nanoTime();

        Progress(InstallJob job) {
            this.job = job;
        }

        void expect(long bytes) {
            total.addAndGet(bytes);
            job.progress(done.get(), total.get());
        }

        @Override
        public void advance(long bytes) {
            job.requireNotCancelled();
            long now = done.addAndGet(bytes);
            job.progress(now, Math.max(now, total.get()));
            if (System.nanoTime() - lastPublished >= PROGRESS_INTERVAL_NANOS) {
                publishNow();
            }
        }

        synchronized void publishNow() {
            lastPublished = System.nanoTime();
            InstallJob.View view = job.view();
            publish("model_install_download_progress", new InstallEvents.DownloadProgress(now(), job.id(), source(job),
                    job.source().toString(), view.bytes(), view.totalBytes(), List.of()));
        }
    }

    /** A cancel noticed while working. */
    static final class Cancelled extends RuntimeException {
        Cancelled() {
            super("cancelled", null, false, false);
        }
    }

    /** Cancels unfinished installs (a running one stops at its next step and removes what it wrote) and waits for the worker. */
    @Override
    public void close() {
        synchronized (jobs) {
            jobs.values().forEach(InstallJob::requestCancel);
        }
        worker.shutdown();
        try {
            if (!worker.awaitTermination(1, TimeUnit.MINUTES)) {
                worker.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
