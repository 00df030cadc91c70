package org.invokej.persistence;

import java.nio.file.Path;
import java.util.List;

/**
 * Copies of the database for {@code invokej backup} and {@code invokej restore}: a consistent snapshot
 * taken while the server runs, its check, and putting one back with the server stopped. One
 * implementation per kind of database ({@link SqliteBackup}; a PostgreSQL one would run {@code pg_dump}
 * and {@code pg_restore}), so the commands do not care which it is.
 */
public interface DatabaseBackup {

    /** The file name ending of this database's backups, e.g. {@code .db}. */
    String extension();

    /** Writes a consistent snapshot of the live database to {@code target} (a new, owner-only file). */
    void snapshot(Path target);

    /**
     * Checks a copy: it is this kind of database, InvokeJ's or InvokeAI's, and intact; else a
     * {@link BackupException} naming what is wrong. Returns the number of tables it holds.
     */
    int check(Path copy);

    /** The image files (relative to the images folder: {@code [subfolder/]name}) a copy's rows name. */
    List<String> imageFiles(Path copy);

    /**
     * Puts {@code copy} in place of the database, the server being stopped. An existing database is
     * replaced only when {@code force}, and is then kept beside it; returns where (null when there was none).
     */
    Path restore(Path copy, boolean force);
}
