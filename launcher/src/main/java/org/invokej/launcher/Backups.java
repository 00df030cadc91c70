package org.invokej.launcher;

import org.invokej.persistence.BackupException;
import org.invokej.persistence.DatabaseBackup;
import org.invokej.persistence.DatabaseLocation;
import org.invokej.persistence.PostgresBackup;
import org.invokej.persistence.PostgresTools;
import org.invokej.persistence.SqliteBackup;
import org.invokej.persistence.PrivateFiles;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * The backup files of a root: {@code invokej-backup-<time>.db} (the database), or, with images,
 * {@code invokej-backup-<time>.zip} holding {@code databases/invokeai.db} and the files of the images its
 * rows name under {@code images/} (PNGs are compressed already: they are stored as they are). Names sort
 * by time, which is what rotation keeps by.
 */
final class Backups {

    /** The database's entry in a zip, without its ending (the database's own: {@code .db}, {@code .pgdump}). */
    static final String DATABASE_ENTRY = "databases/invokeai";
    static final String IMAGES_ENTRY = "images/";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS").withZone(ZoneOffset.UTC);
    private static final Pattern NAME = Pattern.compile("invokej-backup-\\d{8}-\\d{6}-\\d{3}\\.(db|pgdump|zip)");

    /** What one backup wrote. */
    record Written(Path file, int tables, int images, int missingImages) {
    }

    private final DatabaseBackup database;
    private final Path imagesDir;
    private final Clock clock;

    Backups(DatabaseBackup database, Path imagesDir, Clock clock) {
        this.database = database;
        this.imagesDir = imagesDir;
        this.clock = clock;
    }

    /** Writes a backup into {@code folder}; {@code progress} hears about image files (done, total). */
    Written write(Path folder, boolean withImages, PrintWriter progress) {
        if (Files.exists(folder) && !Files.isDirectory(folder)) {
            throw new BackupException(folder + " is not a folder (give --to a folder for the backups)");
        }
        PrivateFiles.folder(folder);
        String name = "invokej-backup-" + STAMP.format(clock.instant());
        Path snapshot = folder.resolve("." + name + database.extension() + ".partial");
        try {
            database.snapshot(snapshot);
            int tables = database.check(snapshot);
            if (!withImages) {
                Path file = folder.resolve(name + database.extension());
                Files.move(snapshot, file, StandardCopyOption.ATOMIC_MOVE);
                return new Written(file, tables, 0, 0);
            }
            Path partial = folder.resolve("." + name + ".zip.partial");
            int[] counts = zip(snapshot, partial, progress);
            Path file = folder.resolve(name + ".zip");
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
            return new Written(file, tables, counts[0], counts[1]);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the backup in " + folder + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(snapshot);
            deleteQuietly(folder.resolve("." + name + ".zip.partial"));
        }
    }

    private int[] zip(Path snapshot, Path target, PrintWriter progress) throws IOException {
        List<String> images = database.imageFiles(snapshot);
        int written = 0;
        int missing = 0;
        PrivateFiles.createNew(target);
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(target))) {
            zip.setLevel(Deflater.NO_COMPRESSION);
            add(zip, DATABASE_ENTRY + database.extension(), snapshot);
            for (int i = 0; i < images.size(); i++) {
                String image = images.get(i);
                Path full = imagesDir.resolve(image);
                if (Files.isRegularFile(full)) {
                    add(zip, IMAGES_ENTRY + image, full);
                    written++;
                } else {
                    missing++;
                }
                String thumbnail = "thumbnails/" + (image.endsWith(".png") ? image.substring(0, image.length() - 4) : image);
                for (String extension : List.of(".png", ".webp")) {
                    Path file = imagesDir.resolve(thumbnail + extension);
                    if (Files.isRegularFile(file)) {
                        add(zip, IMAGES_ENTRY + thumbnail + extension, file);
                    }
                }
                if ((i + 1) % 100 == 0 || i + 1 == images.size()) {
                    progress.printf("\rImages: %,d / %,d", i + 1, images.size());
                    progress.flush();
                }
            }
        }
        if (!images.isEmpty()) {
            progress.println();
        }
        return new int[] {written, missing};
    }

    private static void add(ZipOutputStream zip, String entry, Path file) throws IOException {
        zip.putNextEntry(new ZipEntry(entry));
        Files.copy(file, zip);
        zip.closeEntry();
    }

    /**
     * The backups of the root's database: SQLite's file, or the PostgreSQL database of {@code database_url}
     * through {@code pg_dump}/{@code pg_restore} (a replaced database is dumped into the database folder first).
     */
    static DatabaseBackup of(InvokeConfig config, Path root, Clock clock) {
        return switch (config.databaseLocation(root)) {
            case DatabaseLocation.SqliteFile sqlite -> new SqliteBackup(sqlite.file(), clock);
            case DatabaseLocation.PostgresServer postgres ->
                    new PostgresBackup(postgres, new PostgresTools(System.getenv()), root.resolve(config.dbDir()), clock);
        };
    }

    /** Deletes the oldest backups in {@code folder} beyond the newest {@code keep}; returns those deleted. */
    static List<Path> rotate(Path folder, int keep) {
        try (Stream<Path> files = Files.list(folder)) {
            List<Path> backups = files.filter(file -> NAME.matcher(file.getFileName().toString()).matches())
                    .sorted(Comparator.comparing((Path file) -> file.getFileName().toString()).reversed()).toList();
            List<Path> old = backups.stream().skip(keep).toList();
            for (Path file : old) {
                Files.delete(file);
            }
            return old;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot remove old backups in " + folder + ": " + e.getMessage(), e);
        }
    }

    /**
     * Puts a backup back: the database (an existing one only when {@code force}, kept beside it), and from
     * a {@code .zip} the image files that are not there (images never change under their name, so those
     * that are there are kept). Returns where the replaced database was kept, or null.
     */
    Path restore(Path file, boolean force, PrintWriter progress) {
        if (!Files.isRegularFile(file)) {
            throw new BackupException("No such file: " + file);
        }
        if (!file.getFileName().toString().endsWith(".zip")) {
            database.check(file);
            return database.restore(file, force);
        }
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry entry = zip.getEntry(DATABASE_ENTRY + database.extension());
            if (entry == null) {
                throw new BackupException(file + " has no " + DATABASE_ENTRY + database.extension() + ": it is not an InvokeJ backup, "
                        + "or one of another kind of database (SQLite .db, PostgreSQL .pgdump; `invokej db copy` moves between them)");
            }
            Path extracted = Files.createTempFile(file.toAbsolutePath().getParent(), ".restore-", database.extension());
            try {
                try (InputStream in = zip.getInputStream(entry)) {
                    Files.copy(in, extracted, StandardCopyOption.REPLACE_EXISTING);
                }
                database.check(extracted);
                List<ImageEntry> images = imageEntries(zip);
                Path aside = database.restore(extracted, force);
                restoreImages(zip, images, progress);
                return aside;
            } finally {
                deleteQuietly(extracted);
            }
        } catch (java.util.zip.ZipException e) {
            throw new BackupException(file + " is not a readable zip file: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private record ImageEntry(ZipEntry entry, Path target) {
    }

    /** The image files of a backup and where each goes; checked whole before anything is restored. */
    private List<ImageEntry> imageEntries(ZipFile zip) {
        Path base = imagesDir.toAbsolutePath().normalize();
        return zip.stream().filter(entry -> entry.getName().startsWith(IMAGES_ENTRY) && !entry.isDirectory()).map(entry -> {
            Path target = base.resolve(entry.getName().substring(IMAGES_ENTRY.length())).normalize();
            if (!target.startsWith(base) || target.equals(base)) {
                throw new BackupException("The backup names a file outside the images folder: " + entry.getName()
                        + "; nothing was restored");
            }
            return new ImageEntry(entry, target);
        }).map(ImageEntry.class::cast).toList();
    }

    private void restoreImages(ZipFile zip, List<ImageEntry> images, PrintWriter progress) throws IOException {
        int done = 0;
        for (ImageEntry image : images) {
            ZipEntry entry = image.entry();
            Path target = image.target();
            if (Files.notExists(target)) {
                Files.createDirectories(target.getParent());
                Path partial = target.resolveSibling("." + target.getFileName() + ".restore.tmp");
                try (InputStream in = zip.getInputStream(entry); OutputStream out = Files.newOutputStream(partial)) {
                    in.transferTo(out);
                }
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            }
            done++;
            if (done % 100 == 0 || done == images.size()) {
                progress.printf("\rImage files: %,d / %,d", done, images.size());
                progress.flush();
            }
        }
        if (!images.isEmpty()) {
            progress.println();
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a leftover partial file is harmless: its name is hidden and never matches a backup's
        }
    }
}
