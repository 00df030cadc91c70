package org.invokej.core.models;

import org.invokej.core.store.StagedBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The models folder of a root ({@code models/} by default): installed models in {@code <key>/}, cover
 * images in {@code .images/<key>.png}, and work folders ({@code .install-<pid>-<id>}) where a copy or an
 * unpacked archive is checked before it is moved into place, so that {@code <key>/} only ever holds a
 * complete model. Work folders left by a process that died are removed at start (another host's, on a
 * shared folder, only once they are an hour old: see {@link StagedBy}).
 */
public final class ModelStorage {

    private static final Logger LOG = Logger.getLogger(ModelStorage.class.getName());
    private static final String WORK_PREFIX = ".install-";

    private final Path modelsDir;

    public ModelStorage(Path modelsDir) {
        this.modelsDir = modelsDir.toAbsolutePath().normalize();
    }

    public Path modelsDir() {
        return modelsDir;
    }

    /** The absolute folder of a model. */
    public Path folderOf(ModelConfig config) {
        return folderOf(config.path());
    }

    /** The absolute folder of a recorded path (see {@link #recordedPath}). */
    public Path folderOf(String recordedPath) {
        Path path = Path.of(recordedPath);
        return path.isAbsolute() ? path.normalize() : modelsDir.resolve(path).normalize();
    }

    /** How a model folder is recorded: relative to the models folder when inside it, else absolute. */
    public String recordedPath(Path folder) {
        Path absolute = folder.toAbsolutePath().normalize();
        return isInside(absolute) ? modelsDir.relativize(absolute).toString() : absolute.toString();
    }

    /** Whether {@code path} lies inside the models folder (and is not the folder itself). */
    public boolean isInside(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        return absolute.startsWith(modelsDir) && !absolute.equals(modelsDir);
    }

    /** Where an installed copy of model {@code key} goes. */
    public Path installFolder(String key) {
        return modelsDir.resolve(key);
    }

    public Path coverImage(String key) {
        return modelsDir.resolve(".images").resolve(key + ".png");
    }

    /** A new, empty work folder inside the models folder (so the final move is a rename). */
    public Path newWorkFolder() {
        Path folder = modelsDir.resolve(WORK_PREFIX + StagedBy.thisProcess().tag() + "-" + UUID.randomUUID());
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a work folder in " + modelsDir + ": " + e.getMessage(), e);
        }
        return folder;
    }

    /**
     * Whether a work folder's install is over: named {@code .install-<pid>-h<host>-<uuid>} ({@link StagedBy}),
     * or {@code .install-<pid>-<uuid>} before the host was in the name; another host's only when it is old.
     */
    private static boolean abandoned(Path entry) throws IOException {
        String rest = entry.getFileName().toString().substring(WORK_PREFIX.length());
        Matcher tag = Pattern.compile("(\\d{1,18}(?:-h\\p{XDigit}{8})?)-.*").matcher(rest);
        Optional<StagedBy> writer = tag.matches() ? StagedBy.parse(tag.group(1)) : Optional.empty();
        return writer.isEmpty() || writer.get().abandoned(Files.getLastModifiedTime(entry).toInstant(), Instant.now());
    }

    /** Deletes work folders whose process is gone (the server or a command that died mid-install). */
    public void removeStaleWorkFolders() {
        if (!Files.isDirectory(modelsDir)) {
            return;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(modelsDir, WORK_PREFIX + "*")) {
            for (Path entry : entries) {
                if (abandoned(entry)) {
                    LOG.info(() -> "Removing " + entry + ", left by an install that did not finish");
                    deleteTree(entry);
                }
            }
        } catch (IOException e) {
            LOG.warning(() -> "Cannot look for unfinished installs in " + modelsDir + ": " + e.getMessage());
        }
    }

    /** Bytes of the regular files under {@code folder} (links followed, as a copy would). */
    public static long sizeOf(Path folder) {
        try (Stream<Path> files = Files.walk(folder, FileVisitOption.FOLLOW_LINKS)) {
            return files.filter(Files::isRegularFile).mapToLong(file -> {
                try {
                    return Files.size(file);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + folder + ": " + e.getMessage(), e);
        }
    }

    /** Copies the tree {@code from} into the empty folder {@code to}, following links (a Hugging Face cache has them). */
    public static void copyTree(Path from, Path to, ByteProgress progress) {
        try (Stream<Path> paths = Files.walk(from, FileVisitOption.FOLLOW_LINKS)) {
            for (Path source : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else if (Files.isRegularFile(source)) {
                    copyFile(source, target, progress);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot copy " + from + " to " + to + ": " + e.getMessage(), e);
        }
    }

    private static void copyFile(Path source, Path target, ByteProgress progress) throws IOException {
        try (InputStream in = Files.newInputStream(source);
             OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW)) {
            byte[] buffer = new byte[1 << 20];
            int read;
            while ((read = in.read(buffer)) >= 0) {
                out.write(buffer, 0, read);
                progress.advance(read);
            }
        }
    }

    /** Moves a checked folder into its final place (a rename: both are inside the models folder). */
    public static void moveInto(Path folder, Path destination) {
        try {
            Files.move(folder, destination, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot move " + folder + " to " + destination + ": " + e.getMessage(), e);
        }
    }

    /** Deletes a file or a tree (links are removed, never followed); a missing one is fine. */
    public static void deleteTree(Path path) {
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Files.walkFileTree(path, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    if (e != null && !(e instanceof NoSuchFileException)) {
                        throw e;
                    }
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + path + ": " + e.getMessage(), e);
        }
    }

    /** The model folders (with a {@code model_index.json}) and model archives under {@code folder}, a few levels deep. */
    public static List<Path> findModels(Path folder, int depth) throws IOException {
        try (Stream<Path> paths = Files.walk(folder, depth)) {
            return paths.filter(path -> Files.isRegularFile(path.resolve("model_index.json"))
                            || (Files.isRegularFile(path) && ModelArchive.isArchiveName(path)))
                    .sorted()
                    .toList();
        }
    }
}
