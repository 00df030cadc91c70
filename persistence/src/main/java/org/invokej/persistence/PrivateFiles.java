package org.invokej.persistence;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Owner-only modes for the files that hold secrets: the database (its {@code jwt_secret} lets anyone who
 * reads it mint an administrator's token, and it holds every password hash), its WAL and shared-memory
 * files, its backups and the folder holding them. New ones are created owner-only; existing ones that
 * others may read are tightened with a log line; a file or folder that others may <em>write</em> is
 * refused, since someone else may already have changed it. Only POSIX file systems have these modes.
 */
public final class PrivateFiles {

    private static final Logger LOG = Logger.getLogger(PrivateFiles.class.getName());
    private static final Set<PosixFilePermission> OWNER_FOLDER = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OTHERS_READ = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_EXECUTE);
    private static final Set<PosixFilePermission> OTHERS_WRITE = EnumSet.of(PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.OTHERS_WRITE);

    private PrivateFiles() {
    }

    /** Whether this file system has POSIX modes (else nothing here can be checked). */
    public static boolean supported() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    /** Creates {@code folder} owner-only if missing; else refuses it when others may write it, and tightens it when they may read it. */
    public static void folder(Path folder) {
        try {
            if (Files.notExists(folder)) {
                Files.createDirectories(folder.getParent());
                if (supported()) {
                    Files.createDirectory(folder, PosixFilePermissions.asFileAttribute(OWNER_FOLDER));
                } else {
                    Files.createDirectory(folder);
                }
                return;
            }
            secure(folder, OWNER_FOLDER);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create or check " + folder + ": " + e.getMessage(), e);
        }
    }

    /** Refuses an existing {@code file} others may write, and tightens it when they may read it; does nothing if it is missing. */
    public static void existing(Path file) {
        if (Files.exists(file)) {
            try {
                secure(file, OWNER_FILE);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot check the mode of " + file + ": " + e.getMessage(), e);
            }
        }
    }

    /** Creates {@code file} empty and owner-only; throws {@link java.nio.file.FileAlreadyExistsException} if it exists. */
    public static void createNew(Path file) throws IOException {
        if (supported()) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_FILE));
        } else {
            Files.createFile(file);
        }
    }

    /** Creates {@code file} empty and owner-only if it is missing. */
    public static void create(Path file) {
        try {
            createNew(file);
        } catch (java.nio.file.FileAlreadyExistsException raced) {
            existing(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + file + ": " + e.getMessage(), e);
        }
    }

    /** Makes a file this process just wrote owner-only. */
    public static void ownerOnly(Path file) {
        if (!supported()) {
            return;
        }
        try {
            Files.setPosixFilePermissions(file, OWNER_FILE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot make " + file + " owner-only: " + e.getMessage(), e);
        }
    }

    private static void secure(Path path, Set<PosixFilePermission> ownerOnly) throws IOException {
        if (!supported()) {
            LOG.warning(() -> "The file system of " + path + " has no POSIX modes: InvokeJ cannot check who may read it");
            return;
        }
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(path);
        if (mode.stream().anyMatch(OTHERS_WRITE::contains)) {
            throw new DatabaseUnusableException(path + " is writable by other users (mode " + PosixFilePermissions.toString(mode)
                    + "), so it may have been changed by someone else. Check it, then make it owner-only: chmod "
                    + (ownerOnly == OWNER_FOLDER ? "700 " : "600 ") + path);
        }
        if (mode.stream().anyMatch(OTHERS_READ::contains)) {
            Set<PosixFilePermission> tightened = EnumSet.copyOf(mode);
            tightened.retainAll(ownerOnly);
            Files.setPosixFilePermissions(path, tightened);
            LOG.info(() -> "Made " + path + " owner-only (was " + PosixFilePermissions.toString(mode)
                    + "): it holds password hashes and the token secret");
        }
    }
}
