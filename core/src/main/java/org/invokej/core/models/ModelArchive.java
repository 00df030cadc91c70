package org.invokej.core.models;

import org.invokej.core.DomainException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Enumeration;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * A {@code .zip} of a model folder, unpacked safely: no entry may land outside the target folder
 * (zip-slip), and the bytes actually written (not the sizes the archive claims) are held to a limit,
 * so that a zip bomb stops early instead of filling the disk.
 */
public final class ModelArchive {

    /** What unpacking may take. */
    public record Limits(long maxBytes, int maxEntries, long maxExpansion) {
        /** Up to 64 GiB, 10,000 entries, and at most 100 bytes written per byte of archive (ONNX weights hardly compress). */
        public static final Limits DEFAULT = new Limits(64L << 30, 10_000, 100);
    }

    private final Path file;
    private final Limits limits;

    public ModelArchive(Path file, Limits limits) {
        this.file = file;
        this.limits = limits;
    }

    /** Whether {@code path} names a zip archive by its name. */
    public static boolean isArchiveName(Path path) {
        return path.getFileName() != null && path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".zip");
    }

    /** The quick check: the file is a readable zip with a {@code model_index.json} in it. */
    public void checkLooksLikeModel() {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            boolean found = zip.stream().anyMatch(entry -> !entry.isDirectory()
                    && (entry.getName().equals("model_index.json") || entry.getName().endsWith("/model_index.json")));
            if (!found) {
                throw refused("has no model_index.json; expected a zip of an ONNX Stable Diffusion export in diffusers layout");
            }
        } catch (ZipException e) {
            throw refused("is not a readable zip archive (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw refused("cannot be read (" + e.getMessage() + ")");
        }
    }

    /** The bytes the entries say they unpack to (only an estimate for progress: {@link #unpackInto} trusts no header). */
    public long declaredSize() {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            return zip.stream().mapToLong(entry -> Math.max(0, entry.getSize())).sum();
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * Unpacks into {@code target} (an empty folder). On a refusal or an error, what was written stays in
     * {@code target} for the caller to delete.
     *
     * @return the bytes written
     */
    public long unpackInto(Path target, ByteProgress progress) {
        Path root = target.toAbsolutePath().normalize();
        long budget;
        try {
            budget = Math.min(limits.maxBytes(), Math.max(64L << 20, Files.size(file) * limits.maxExpansion()));
        } catch (IOException e) {
            throw refused("cannot be read (" + e.getMessage() + ")");
        }
        long written = 0;
        int entries = 0;
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Enumeration<? extends ZipEntry> all = zip.entries();
            while (all.hasMoreElements()) {
                ZipEntry entry = all.nextElement();
                if (++entries > limits.maxEntries()) {
                    throw refused("has more than " + limits.maxEntries() + " entries");
                }
                Path destination = destination(root, entry.getName(), entry.isDirectory());
                if (entry.isDirectory()) {
                    Files.createDirectories(destination);
                    continue;
                }
                Files.createDirectories(destination.getParent());
                try (InputStream in = zip.getInputStream(entry);
                     OutputStream out = Files.newOutputStream(destination, StandardOpenOption.CREATE_NEW)) {
                    byte[] buffer = new byte[1 << 16];
                    int read;
                    while ((read = in.read(buffer)) >= 0) {
                        written += read;
                        if (written > budget) {
                            throw refused("unpacks to more than " + budget + " bytes (a zip bomb, or a limit of "
                                    + limits.maxExpansion() + "x the archive's size)");
                        }
                        out.write(buffer, 0, read);
                        progress.advance(read);
                    }
                }
            }
        } catch (ZipException e) {
            throw refused("is not a readable zip archive (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot unpack " + file + ": " + e.getMessage(), e);
        }
        return written;
    }

    /** Where an entry goes; refuses names that would leave {@code root}. */
    private Path destination(Path root, String name, boolean directory) {
        if (name.isEmpty() || name.startsWith("/") || name.contains("\\") || name.contains("\0")
                || name.matches("^[A-Za-z]:.*")) {
            throw refused("has an entry with an unsafe name: " + name);
        }
        Path destination = root.resolve(name).normalize();
        if (!destination.startsWith(root) || (destination.equals(root) && !directory)) {
            throw refused("has an entry that would be written outside its folder: " + name);
        }
        return destination;
    }

    private DomainException refused(String why) {
        return DomainException.of(DomainException.Kind.UNSUPPORTED_MEDIA, file + " " + why);
    }
}
