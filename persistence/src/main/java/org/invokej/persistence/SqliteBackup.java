package org.invokej.persistence;

import org.sqlite.SQLiteConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Backups of a SQLite database. The snapshot is SQLite's {@code VACUUM INTO}: one read transaction, so
 * it is consistent while the server writes (WAL mode lets writers go on), and compact. A restore copies the
 * backup beside the database, flushes it and renames it into place; the database it replaces is renamed
 * to {@code invokeai_before_restore_<time>.db} with its WAL, so nothing is lost by a restore either.
 */
public final class SqliteBackup implements DatabaseBackup {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final Path database;
    private final Clock clock;

    public SqliteBackup(Path database, Clock clock) {
        this.database = database.toAbsolutePath().normalize();
        this.clock = clock;
    }

    @Override
    public String extension() {
        return ".db";
    }

    @Override
    public void snapshot(Path target) {
        if (!Files.isRegularFile(database)) {
            throw new BackupException("No database to back up at " + database + " (check --root)");
        }
        try (Connection connection = open(database);
             PreparedStatement vacuum = connection.prepareStatement("VACUUM INTO ?")) {
            vacuum.setString(1, target.toString());
            vacuum.execute();
        } catch (SQLException e) {
            throw new BackupException("Cannot back up " + database + ": " + e.getMessage(), e);
        }
        PrivateFiles.ownerOnly(target);
    }

    @Override
    public int check(Path copy) {
        if (!Files.isRegularFile(copy)) {
            throw new BackupException("No such file: " + copy);
        }
        try (Connection connection = open(copy); Statement statement = connection.createStatement()) {
            List<String> problems = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery("PRAGMA integrity_check")) {
                while (rows.next()) {
                    problems.add(rows.getString(1));
                }
            }
            if (!problems.equals(List.of("ok"))) {
                throw new BackupException(copy + " is damaged: PRAGMA integrity_check says " + String.join("; ", problems));
            }
            int tables = 0;
            boolean ours = false;
            try (ResultSet rows = statement.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
                while (rows.next()) {
                    tables++;
                    String name = rows.getString(1);
                    ours |= name.equals("flyway_schema_history") || name.equals("migrations");
                }
            }
            if (!ours) {
                throw new BackupException(copy + " is an SQLite database, but not InvokeJ's or InvokeAI's (it has no schema history)");
            }
            return tables;
        } catch (SQLException e) {
            throw new BackupException(copy + " is not a usable SQLite database: " + e.getMessage(), e);
        }
    }

    @Override
    public List<String> imageFiles(Path copy) {
        List<String> files = new ArrayList<>();
        try (Connection connection = open(copy); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT image_name, image_subfolder FROM images ORDER BY image_name")) {
            while (rows.next()) {
                String subfolder = rows.getString(2);
                files.add(subfolder == null || subfolder.isEmpty() ? rows.getString(1) : subfolder + "/" + rows.getString(1));
            }
        } catch (SQLException e) {
            throw new BackupException("Cannot read the images of " + copy + ": " + e.getMessage(), e);
        }
        return files;
    }

    @Override
    public Path restore(Path copy, boolean force) {
        Path aside = null;
        try {
            Files.createDirectories(database.getParent());
            if (Files.exists(database)) {
                if (!force) {
                    throw new BackupException(database + " exists; add --force to replace it (it is then kept as "
                            + "invokeai_before_restore_<time>.db beside it)");
                }
                aside = database.resolveSibling("invokeai_before_restore_" + STAMP.format(clock.instant()) + ".db");
                // the WAL goes with its database, under the matching name, so the kept copy is whole
                for (String suffix : List.of("-wal", "-shm", "")) {
                    Path file = Path.of(database + suffix);
                    if (Files.exists(file)) {
                        Files.move(file, Path.of(aside + suffix), StandardCopyOption.ATOMIC_MOVE);
                    }
                }
            }
            Path incoming = database.resolveSibling("." + database.getFileName() + ".restore.tmp");
            Files.deleteIfExists(incoming);
            PrivateFiles.createNew(incoming);
            Files.copy(copy, incoming, StandardCopyOption.REPLACE_EXISTING);
            PrivateFiles.ownerOnly(incoming);
            try (FileChannel channel = FileChannel.open(incoming, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(incoming, database, StandardCopyOption.ATOMIC_MOVE);
            return aside;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot restore " + copy + " to " + database + ": " + e.getMessage(), e);
        }
    }

    private static Connection open(Path file) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(30_000);
        config.setOpenMode(org.sqlite.SQLiteOpenMode.NOMUTEX);
        return config.createConnection("jdbc:sqlite:" + file);
    }
}
