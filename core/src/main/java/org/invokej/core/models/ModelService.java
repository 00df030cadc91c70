package org.invokej.core.models;

import org.invokej.core.Actor;
import org.invokej.core.DomainException;
import org.invokej.core.store.Transactions;
import org.invokej.core.store.Tx;
import org.invokej.core.users.UserRepository;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Installed models: who may see, change and use them, and the bookkeeping of their files. Everyone
 * signed in lists and reads models; administrators change and delete them. Beyond InvokeAI, a model may
 * carry an allow-list of users who may generate with it ({@link #requireUsable}, the queue's check);
 * administrators always may.
 */
public final class ModelService {

    /** InvokeAI's {@code UnknownModelException} text, which its routes return with 404. */
    static final String NOT_FOUND = "model not found";
    private static final int SCAN_DEPTH = 6;

    /** A model the caller may generate with, and the folder the inference engine loads. */
    public record UsableModel(ModelConfig config, Path folder) {
    }

    /** One find of {@code scan_folder}. */
    public record ScannedModel(String path, boolean isInstalled) {
    }

    private final Transactions transactions;
    private final ModelRecords records;
    private final UserRepository users;
    private final ModelStorage storage;
    private final SchedulerNames schedulers;
    private final CoverImages covers;
    private final OnnxExportLinks exports;

    public ModelService(Transactions transactions, ModelRecords records, UserRepository users, ModelStorage storage,
                        SchedulerNames schedulers, OnnxExportLinks exports) {
        this.transactions = transactions;
        this.records = records;
        this.users = users;
        this.storage = storage;
        this.schedulers = schedulers;
        this.covers = new CoverImages(storage);
        this.exports = exports;
    }

    public ModelStorage storage() {
        return storage;
    }

    public List<ModelConfig> list(ModelQuery query) {
        return transactions.read(tx -> {
            Map<String, String> links = exports.all(tx);
            return records.list(tx, query).stream().map(config -> config.withOnnxExport(links.get(config.key()))).toList();
        }).stream().map(this::withCover).toList();
    }

    public Optional<ModelConfig> find(String key) {
        return transactions.read(tx -> find(tx, key)).map(this::withCover);
    }

    /** The model as read, with its link to an ONNX export if it has one. */
    Optional<ModelConfig> find(Tx tx, String key) {
        return records.find(tx, key).map(config -> config.withOnnxExport(exports.find(tx, key).orElse(null)));
    }

    /** The model, or 404 {@code model not found}. */
    public ModelConfig get(String key) {
        return find(key).orElseThrow(() -> DomainException.notFound(NOT_FOUND));
    }

    public ModelConfig getByAttributes(String name, String type, String base) {
        return transactions.read(tx -> records.findByAttributes(tx, name, type, base)
                        .map(config -> config.withOnnxExport(exports.find(tx, config.key()).orElse(null)))).map(this::withCover)
                .orElseThrow(() -> DomainException.notFound("No model found with these attributes"));
    }

    public ModelConfig getByHash(String hash) {
        return transactions.read(tx -> records.findByHash(tx, hash).stream().findFirst()
                        .map(config -> config.withOnnxExport(exports.find(tx, config.key()).orElse(null)))).map(this::withCover)
                .orElseThrow(() -> DomainException.notFound("No model found with hash " + hash));
    }

    /** Models whose folder (or file) is gone. */
    public List<ModelConfig> missing() {
        return list(ModelQuery.ALL).stream().filter(config -> !Files.exists(runFolderOf(config))).toList();
    }

    /** An administrator renames a model or changes its description, default settings or trigger phrases. */
    public ModelConfig update(Actor actor, String key, ModelChanges changes) {
        requireAdmin(actor);
        String scheduler = changes.defaultSettings() == null ? null
                : changes.defaultSettings().map(DefaultSettings::scheduler).orElse(null);
        if (scheduler != null && !schedulers.names().contains(scheduler)) {
            throw DefaultSettings.invalid("scheduler", "must be one of " + String.join(", ", schedulers.names()));
        }
        ModelConfig updated = transactions.write(tx -> {
            ModelConfig current = find(tx, key).orElseThrow(() -> DomainException.notFound(NOT_FOUND));
            requireOurs(current, "changed");
            ModelConfig changed = current.with(changes);
            if (!changed.name().equals(current.name())) {
                requireFreeName(tx, changed);
            }
            records.update(tx, changed);
            return changed;
        });
        return withCover(updated);
    }

    /**
     * An administrator deletes a model: its record, its allow-list and cover image, and its files when
     * they live inside the models folder (an in-place install's files are left alone). The folder is first
     * moved aside, so a failure leaves either the whole model or none of it.
     */
    public void delete(Actor actor, String key) {
        requireAdmin(actor);
        ModelConfig config = transactions.read(tx -> find(tx, key)).orElseThrow(() -> DomainException.notFound(NOT_FOUND));
        requireOurs(config, "deleted");
        Path folder = storage.folderOf(config);
        if (config.isLora() && folder.getParent() != null && folder.getParent().equals(storage.installFolder(config.key()))) {
            folder = folder.getParent(); // an installed LoRA is the one file of models/<key>/
        }
        Path aside = null;
        if (storage.isInside(folder) && Files.exists(folder)) {
            aside = storage.newWorkFolder().resolve("deleted");
            ModelStorage.moveInto(folder, aside);
        }
        try {
            boolean deleted = transactions.write(tx -> records.delete(tx, key));
            if (!deleted) {
                throw DomainException.notFound(NOT_FOUND);
            }
        } catch (RuntimeException e) {
            if (aside != null) {
                ModelStorage.moveInto(aside, folder);
                ModelStorage.deleteTree(aside.getParent());
            }
            throw e;
        }
        if (aside != null) {
            ModelStorage.deleteTree(aside.getParent());
        }
        covers.delete(key);
    }

    /**
     * An administrator deletes several models (InvokeAI's {@code bulk_delete}): each as {@link #delete}
     * does, one after the other, so a model that cannot be deleted leaves the others deleted.
     */
    public BulkOutcome deleteAll(Actor actor, List<String> keys) {
        requireAdmin(actor);
        requireKeys(keys);
        List<String> deleted = new ArrayList<>();
        List<BulkOutcome.Failure> failed = new ArrayList<>();
        for (String key : keys) {
            try {
                delete(actor, key);
                deleted.add(key);
            } catch (DomainException e) {
                failed.add(new BulkOutcome.Failure(key, e.getMessage()));
            }
        }
        return new BulkOutcome(deleted, failed);
    }

    /** Refuses a missing or malformed list of model keys. */
    static void requireKeys(List<String> keys) {
        if (keys == null || keys.stream().anyMatch(key -> key == null || key.isBlank())) {
            throw DomainException.unprocessable("keys must be a list of model keys");
        }
    }

    /** Records what a new look at a model's files found (its base, prediction type and variant); the rest stays. */
    ModelConfig replaceFacts(String key, ModelFacts facts) {
        ModelConfig updated = transactions.write(tx -> {
            ModelConfig current = find(tx, key).orElseThrow(() -> DomainException.notFound(NOT_FOUND));
            ModelConfig changed = current.withFacts(facts);
            if (!changed.base().equals(current.base())) {
                requireFreeName(tx, changed);
            }
            records.update(tx, changed);
            return changed;
        });
        return withCover(updated);
    }

    /** A model this server manages (installed by it, runnable as it is), or 404/409 as {@link #delete} refuses. */
    ModelConfig requireOurs(String key, String what) {
        ModelConfig config = get(key);
        requireOurs(config, what);
        return config;
    }

    /** An administrator lists the model folders and archives under {@code scanPath} (InvokeAI's {@code scan_folder}). */
    public List<ScannedModel> scanFolder(Actor actor, String scanPath) {
        requireAdmin(actor);
        String refusal = "The search path '" + scanPath + "' could not be scanned";
        if (scanPath == null || scanPath.isBlank()) {
            throw DomainException.invalid("The search path '' could not be scanned");
        }
        List<Path> found;
        try {
            Path folder = Path.of(scanPath).toAbsolutePath().normalize();
            if (!Files.isDirectory(folder)) {
                throw DomainException.invalid(refusal);
            }
            found = ModelStorage.findModels(folder, SCAN_DEPTH);
        } catch (IOException | UncheckedIOException | java.nio.file.InvalidPathException e) {
            throw DomainException.invalid(refusal);
        }
        List<ModelConfig> installed = list(ModelQuery.ALL);
        Set<String> known = new TreeSet<>();
        installed.forEach(config -> {
            known.add(config.source());
            known.add(storage.folderOf(config).toString());
        });
        return found.stream().map(path -> new ScannedModel(path.toString(), known.contains(path.toString()))).toList();
    }

    /**
     * The queue's check before it runs a graph: the model exists (else 404), the actor may use it (else
     * 403 naming the model), and its files are there (else 422).
     */
    public UsableModel requireUsable(Actor actor, String key) {
        ModelConfig config = transactions.read(tx -> find(tx, key))
                .orElseThrow(() -> DomainException.notFound("Unknown model '" + key + "'"));
        if (!config.runnable()) {
            throw DomainException.unprocessable("Model '" + config.name() + "' cannot be used: " + config.unsupportedReason());
        }
        if (!actor.admin()) {
            Set<String> allowed = transactions.read(tx -> records.allowedUsers(tx, key));
            if (!allowed.isEmpty() && !allowed.contains(actor.userId())) {
                throw DomainException.forbidden("You may not generate with model '" + config.name() + "'");
            }
        }
        Path folder = runFolderOf(config);
        if (config.isLora() ? !Files.isRegularFile(folder) : !Files.isDirectory(folder)) {
            throw DomainException.unprocessable("Model '" + config.name() + "' is missing its files"
                    + (config.linked() ? " (its ONNX export " + folder + " is gone); an administrator must link it again"
                    : "; an administrator must reinstall it"));
        }
        return new UsableModel(config, folder);
    }

    /** {@link #requireUsable} as the queue asks it: what kind of model it is, for the check that LoRAs fit. */
    public org.invokej.core.queue.ModelUsage.Used usage(Actor actor, String key) {
        ModelConfig config = requireUsable(actor, key).config();
        return new org.invokej.core.queue.ModelUsage.Used(config.name(), config.type(), config.base());
    }

    /**
     * Models this engine cannot run came with an InvokeAI root; they are kept, unchanged, for InvokeAI
     * (whose records and files they are), so they are neither changed nor deleted here.
     */
    private static void requireOurs(ModelConfig config, String what) {
        if (config.linked()) {
            throw DomainException.conflict("Model '" + config.name() + "' is kept as InvokeAI installed it and cannot be "
                    + what + " by InvokeJ (it runs here through its linked ONNX export); manage it with InvokeAI");
        }
        if (!config.runnable()) {
            throw DomainException.conflict("Model '" + config.name() + "' is kept as InvokeAI installed it and cannot be "
                    + what + " by InvokeJ (" + config.unsupportedReason() + "); manage it with InvokeAI");
        }
    }

    /** Where a model's record says its files are (InvokeAI's files for a model it installed). */
    public Path folderOf(ModelConfig config) {
        return storage.folderOf(config);
    }

    /** The folder the inference engine loads for a model: its linked ONNX export, else its own folder. */
    public Path runFolderOf(ModelConfig config) {
        return config.linked() ? storage.folderOf(config.onnxExport()) : storage.folderOf(config);
    }

    /** Who besides administrators may generate with a model; empty when everyone may. */
    public Set<String> allowedUsers(Actor actor, String key) {
        requireAdmin(actor);
        return transactions.read(tx -> {
            records.find(tx, key).orElseThrow(() -> DomainException.notFound(NOT_FOUND));
            return records.allowedUsers(tx, key);
        });
    }

    /** Replaces a model's allow-list; an empty one lets everyone use the model. Every id must be a user's. */
    public Set<String> setAllowedUsers(Actor actor, String key, Set<String> userIds) {
        requireAdmin(actor);
        return transactions.write(tx -> {
            records.find(tx, key).orElseThrow(() -> DomainException.notFound(NOT_FOUND));
            Map<String, ?> found = users.findAll(tx, userIds);
            Set<String> unknown = new TreeSet<>(userIds);
            unknown.removeAll(found.keySet());
            if (!unknown.isEmpty()) {
                throw DomainException.unprocessable("No such user: " + String.join(", ", unknown));
            }
            records.setAllowedUsers(tx, key, userIds);
            return records.allowedUsers(tx, key);
        });
    }

    /** The cover image file of a model, if it has one. */
    public Optional<Path> coverImage(String key) {
        return covers.find(key);
    }

    /** An administrator sets a model's cover image (PNG, JPEG, GIF or BMP; stored as a PNG of at most 256x256). */
    public ModelConfig setCoverImage(Actor actor, String key, byte[] image) {
        requireAdmin(actor);
        get(key);
        covers.store(key, image);
        return get(key);
    }

    public void deleteCoverImage(Actor actor, String key) {
        requireAdmin(actor);
        get(key);
        if (!covers.delete(key)) {
            throw DomainException.notFound("Model image not found");
        }
    }

    /**
     * Refuses a source that is already installed: a folder installed in place, or a folder or archive
     * installed (copied) from that same path before. The refusal names the installed model.
     */
    void requireNotInstalledFrom(Path source) {
        transactions.read(tx -> {
            requireNotInstalledFrom(tx, source.toString(), storage.recordedPath(source));
            return null;
        });
    }

    private void requireNotInstalledFrom(Tx tx, String source, String recordedPath) {
        records.list(tx, ModelQuery.ALL).stream()
                .filter(config -> config.path().equals(recordedPath) || source.equals(config.source()))
                .findFirst()
                .ifPresent(existing -> {
                    throw DomainException.conflict(source + " is already installed as '" + existing.name() + "' (key "
                            + existing.key() + ")");
                });
    }

    /** Records an installed model, refusing a name already used by a model of the same base and type. */
    ModelConfig register(ModelConfig config) {
        return transactions.write(tx -> {
            // Checked again under the write lock: two installs of one folder may have raced.
            requireNotInstalledFrom(tx, config.source(), config.path());
            requireFreeName(tx, config);
            records.insert(tx, config);
            return config;
        });
    }

    /** Refuses a name that another model of the same base and type has (InvokeAI's UNIQUE(name, base, type)). */
    void requireFreeName(Tx tx, ModelConfig config) {
        Optional<ModelConfig> other = records.findByAttributes(tx, config.name(), config.type(), config.base());
        if (other.isPresent() && !other.get().key().equals(config.key())) {
            throw DomainException.conflict("A " + config.base() + " " + config.type() + " model named '" + config.name()
                    + "' is already installed (key " + other.get().key() + ")");
        }
    }

    private ModelConfig withCover(ModelConfig config) {
        return covers.find(config.key()).isPresent()
                ? config.withCoverImage("api/v2/models/i/" + config.key() + "/image?" + UUID.randomUUID())
                : config;
    }

    static void requireAdmin(Actor actor) {
        if (!actor.admin()) {
            throw DomainException.forbidden("Admin privileges required");
        }
    }
}
