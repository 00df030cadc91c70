package org.invokej.launcher;

import org.invokej.persistence.DatabaseLocation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The images and models folders of processes that share one PostgreSQL database (web nodes, workers,
 * on one host or several): they must all see the same folders (NFS or similar), or images written by
 * one are missing on the others. At start each folder must be writable, and it must carry the marker
 * file {@value #MARKER} with the id kept in {@code app_settings} ({@value #KEY}): the first process to
 * start on a database makes the id and writes the marker into its folders; every later one finds it, or
 * stops with one line naming the folder. On SQLite (one host, one web node) only writability is checked.
 */
final class SharedFolders {

    static final String MARKER = ".invokej-shared-folder";
    static final String KEY = "shared_folder_id";

    private SharedFolders() {
    }

    /** Checks the images and models folders of {@code root}; a {@link ConfigException} says what is wrong. */
    static void check(Path root, InvokeConfig config, DatabaseLocation database, Repositories repositories) {
        Map<String, Path> folders = folders(root, config);
        if (!(database instanceof DatabaseLocation.PostgresServer)) {
            return;
        }
        String id = UUID.randomUUID().toString();
        boolean first = repositories.transactions().write(tx -> repositories.appSettings().putIfAbsent(tx, KEY, id));
        String expected = first ? id : repositories.transactions().read(tx -> repositories.appSettings().get(tx, KEY)).orElseThrow();
        folders.forEach((what, folder) -> requireMarker(what, folder, expected, first, database));
    }

    /**
     * After a restore: {@code root}'s images and models folders become the restored database's (its id,
     * or a new one when the backup predates the id), whatever marker they had. A restore moves a
     * deployment; the folders it restored into are the ones its processes must share from now on.
     * Returns the folders marked.
     */
    static List<Path> adopt(Path root, InvokeConfig config, DatabaseLocation database, Repositories repositories) {
        if (!(database instanceof DatabaseLocation.PostgresServer)) {
            return List.of();
        }
        Map<String, Path> folders = folders(root, config);
        String id = UUID.randomUUID().toString();
        repositories.transactions().write(tx -> repositories.appSettings().putIfAbsent(tx, KEY, id));
        String kept = repositories.transactions().read(tx -> repositories.appSettings().get(tx, KEY)).orElseThrow();
        folders.values().forEach(folder -> write(folder.resolve(MARKER), kept, database));
        return List.copyOf(folders.values());
    }

    /** The images and models folders, each checked writable. */
    private static Map<String, Path> folders(Path root, InvokeConfig config) {
        Map<String, Path> folders = new LinkedHashMap<>();
        folders.put("images", config.imagesDir(root));
        folders.put("models", config.modelsPath(root));
        folders.forEach(SharedFolders::requireWritable);
        return folders;
    }

    private static void requireWritable(String what, Path folder) {
        try {
            Files.createDirectories(folder);
            Path probe = Files.createTempFile(folder, ".invokej-write-check-", ".tmp");
            Files.delete(probe);
        } catch (IOException e) {
            String reason = e instanceof AccessDeniedException ? "permission denied" : e.getMessage();
            throw new ConfigException("The " + what + " folder " + folder + " is not writable by " + System.getProperty("user.name")
                    + " (" + reason + "): InvokeJ writes its files there");
        }
    }

    private static void requireMarker(String what, Path folder, String expected, boolean first, DatabaseLocation database) {
        Path marker = folder.resolve(MARKER);
        Optional<String> found = read(marker);
        // A process that started at the same moment may have made the id and not yet written its marker.
        for (int attempt = 0; found.isEmpty() && !first && attempt < 10; attempt++) {
            pause();
            found = read(marker);
        }
        if (found.isEmpty() && first) {
            write(marker, expected, database);
            return;
        }
        if (found.isPresent() && found.get().equals(expected)) {
            return;
        }
        String fix = "every web node and worker on " + database.describe() + " must mount the same " + what + " folder"
                + " (if this is that folder, moved or restored, put the line " + KEY + ": " + expected + " into " + marker + ")";
        throw new ConfigException(found.isEmpty()
                ? "The " + what + " folder " + folder + " is not the one the other processes on this database use (it has no "
                + MARKER + "): " + fix
                : "The " + what + " folder " + folder + " belongs to another database (its " + MARKER + " says " + found.get()
                + ", this database " + expected + "): " + fix);
    }

    private static void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The id in a marker file, empty when there is no marker. */
    private static Optional<String> read(Path marker) {
        if (!Files.exists(marker)) {
            return Optional.empty();
        }
        try {
            return Files.readAllLines(marker, StandardCharsets.UTF_8).stream()
                    .filter(line -> line.startsWith(KEY + ":"))
                    .map(line -> line.substring(KEY.length() + 1).strip())
                    .findFirst().or(() -> Optional.of(""));
        } catch (IOException e) {
            throw new ConfigException("Cannot read " + marker + ": " + e.getMessage());
        }
    }

    /** Written whole under a temporary name and renamed, so that a process starting meanwhile never reads half of it. */
    private static void write(Path marker, String id, DatabaseLocation database) {
        List<String> lines = List.of(
                "# InvokeJ: the files of the database " + database.describe() + ". Every web node and worker on that",
                "# database must see this folder (and this file); a process that sees another folder refuses to start.",
                KEY + ": " + id);
        try {
            Path partial = Files.createTempFile(marker.getParent(), MARKER + "-", ".tmp");
            Files.write(partial, lines, StandardCharsets.UTF_8);
            Files.move(partial, marker, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new ConfigException("Cannot write " + marker + ": " + e.getMessage());
        }
    }
}
