package org.invokej.core.models;

import org.invokej.core.Actor;
import org.invokej.core.DomainException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Model files in the models folder that no installed model uses (InvokeAI's {@code sync/orphaned}):
 * left behind when a record went but its files stayed. They are grouped by the top folder (or file)
 * of the models folder that holds them, which is what an administrator may then delete. Hidden entries
 * (the cover images, unfinished installs) are never listed, and only what is listed may be deleted.
 */
public final class OrphanedModelFolders {

    private static final Set<String> MODEL_EXTENSIONS = Set.of(".safetensors", ".ckpt", ".pt", ".pth", ".bin", ".onnx", ".gguf");
    private static final int MAX_DEPTH = 12;

    /** One orphaned top entry of the models folder (InvokeAI's {@code OrphanedModelInfo}). */
    public record Orphan(String path, String absolutePath, List<String> files, long sizeBytes) {
    }

    /** What a delete did: the paths deleted, and for each other path why not. */
    public record Deletion(List<String> deleted, Map<String, String> errors) {
    }

    private final ModelService models;

    public OrphanedModelFolders(ModelService models) {
        this.models = models;
    }

    /** An administrator lists the orphaned entries, by name. */
    public List<Orphan> find(Actor actor) {
        ModelService.requireAdmin(actor);
        return orphans().values().stream().toList();
    }

    /** An administrator deletes orphaned entries named by their path relative to the models folder. */
    public Deletion delete(Actor actor, List<String> paths) {
        ModelService.requireAdmin(actor);
        if (paths == null || paths.stream().anyMatch(path -> path == null || path.isBlank())) {
            throw DomainException.unprocessable("paths must be a list of paths relative to the models folder");
        }
        Map<String, Orphan> orphans = orphans();
        List<String> deleted = new ArrayList<>();
        Map<String, String> errors = new LinkedHashMap<>();
        for (String path : paths) {
            Orphan orphan = orphans.get(path);
            if (orphan == null) {
                errors.put(path, "error: not an orphaned model folder of the models directory");
                continue;
            }
            try {
                ModelStorage.deleteTree(Path.of(orphan.absolutePath()));
                deleted.add(path);
            } catch (UncheckedIOException e) {
                errors.put(path, "error: " + e.getMessage());
            }
        }
        return new Deletion(deleted, errors);
    }

    /** The orphaned top entries of the models folder, by their relative path, in name order. */
    private Map<String, Orphan> orphans() {
        ModelStorage storage = models.storage();
        Path root = storage.modelsDir();
        Set<Path> used = new HashSet<>();
        for (ModelConfig config : models.list(ModelQuery.ALL)) {
            used.add(topOf(root, storage.folderOf(config)));
            if (config.onnxExport() != null) {
                used.add(topOf(root, storage.folderOf(config.onnxExport())));
            }
        }
        Map<String, Orphan> orphans = new LinkedHashMap<>();
        if (!Files.isDirectory(root)) {
            return orphans;
        }
        List<Path> tops = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            entries.forEach(tops::add);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the models folder " + root + ": " + e.getMessage(), e);
        }
        tops.sort(null);
        for (Path top : tops) {
            if (top.getFileName().toString().startsWith(".") || used.contains(top)) {
                continue;
            }
            List<Path> files = modelFiles(top);
            if (files.isEmpty()) {
                continue;
            }
            long size = files.stream().mapToLong(OrphanedModelFolders::size).sum();
            List<String> names = files.stream().map(file -> Files.isDirectory(top) ? top.relativize(file).toString()
                    : file.getFileName().toString()).sorted().toList();
            String path = root.relativize(top).toString();
            orphans.put(path, new Orphan(path, top.toString(), names, size));
        }
        return orphans;
    }

    /** The top entry of the models folder that holds {@code folder}; the folder itself when outside. */
    private static Path topOf(Path root, Path folder) {
        Path absolute = folder.toAbsolutePath().normalize();
        return absolute.startsWith(root) && !absolute.equals(root) ? root.resolve(root.relativize(absolute).getName(0)) : absolute;
    }

    private static List<Path> modelFiles(Path top) {
        try (Stream<Path> walk = Files.walk(top, MAX_DEPTH)) {
            return walk.filter(Files::isRegularFile).filter(OrphanedModelFolders::isModelFile).toList();
        } catch (IOException | UncheckedIOException e) {
            return List.of();
        }
    }

    private static boolean isModelFile(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        return dot >= 0 && MODEL_EXTENSIONS.contains(name.substring(dot));
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }
}
