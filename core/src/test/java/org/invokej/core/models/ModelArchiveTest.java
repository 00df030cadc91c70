package org.invokej.core.models;

import org.invokej.core.DomainException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Unpacking model archives: what a good zip gives, and the zips that must not get far. */
class ModelArchiveTest {

    @TempDir
    Path dir;

    private Path zip(String name, Map<String, byte[]> entries) throws IOException {
        Path file = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                zip.write(entry.getValue());
                zip.closeEntry();
            }
        }
        return file;
    }

    private Path target() throws IOException {
        return Files.createDirectories(dir.resolve("out-" + System.nanoTime()));
    }

    @Test
    void aGoodArchiveUnpacksWithItsFoldersAndCountsItsBytes() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("model/", new byte[0]);
        entries.put("model/model_index.json", "{}".getBytes());
        entries.put("model/unet/model.onnx", new byte[] {1, 2, 3});
        Path file = zip("good.zip", entries);
        ModelArchive archive = new ModelArchive(file, ModelArchive.Limits.DEFAULT);
        archive.checkLooksLikeModel();
        Path target = target();
        AtomicLong progress = new AtomicLong();
        assertEquals(5, archive.unpackInto(target, progress::addAndGet));
        assertEquals(5, progress.get());
        assertEquals("{}", Files.readString(target.resolve("model/model_index.json")));
        assertEquals(3, Files.size(target.resolve("model/unet/model.onnx")));
    }

    @Test
    void entriesThatWouldLeaveTheFolderAreRefused() throws IOException {
        for (String name : new String[] {"../escaped.txt", "model/../../escaped.txt", "/etc/escaped.txt", "C:/escaped.txt"}) {
            Path file = zip("slip.zip", Map.of(name, "x".getBytes()));
            DomainException e = assertThrows(DomainException.class,
                    () -> new ModelArchive(file, ModelArchive.Limits.DEFAULT).unpackInto(target(), ByteProgress.NONE), name);
            assertEquals(DomainException.Kind.UNSUPPORTED_MEDIA, e.kind());
            assertTrue(e.getMessage().contains(name), e.getMessage());
            Files.delete(file);
        }
        try (Stream<Path> all = Files.walk(dir.getParent(), 2)) {
            assertFalse(all.anyMatch(path -> path.getFileName().toString().equals("escaped.txt")));
        }
    }

    @Test
    void aZipBombStopsAtItsBudgetWhateverItsHeadersSay() throws IOException {
        Path file = zip("bomb.zip", Map.of("model_index.json", "{}".getBytes(), "zeros.bin", new byte[80 << 20]));
        assertTrue(Files.size(file) < 1 << 20, "80 MiB of zeros packs small");
        Path target = target();
        AtomicLong written = new AtomicLong();
        DomainException e = assertThrows(DomainException.class,
                () -> new ModelArchive(file, ModelArchive.Limits.DEFAULT).unpackInto(target, written::addAndGet));
        assertTrue(e.getMessage().contains("zip bomb"), e.getMessage());
        assertTrue(written.get() <= 64L << 20, "stopped at the 64 MiB floor of the budget: " + written.get());
    }

    @Test
    void tooManyEntriesAreRefused() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (int i = 0; i < 5; i++) {
            entries.put("f" + i, new byte[] {1});
        }
        Path file = zip("many.zip", entries);
        DomainException e = assertThrows(DomainException.class,
                () -> new ModelArchive(file, new ModelArchive.Limits(1 << 20, 4, 100)).unpackInto(target(), ByteProgress.NONE));
        assertTrue(e.getMessage().contains("more than 4 entries"), e.getMessage());
    }

    @Test
    void theQuickCheckWantsAReadableZipWithAModelIndex() throws IOException {
        Path notZip = Files.writeString(dir.resolve("text.zip"), "hello");
        assertTrue(assertThrows(DomainException.class, () -> new ModelArchive(notZip, ModelArchive.Limits.DEFAULT)
                .checkLooksLikeModel()).getMessage().contains("not a readable zip"));
        Path noIndex = zip("plain.zip", Map.of("readme.txt", "hi".getBytes()));
        assertTrue(assertThrows(DomainException.class, () -> new ModelArchive(noIndex, ModelArchive.Limits.DEFAULT)
                .checkLooksLikeModel()).getMessage().contains("model_index.json"));
    }
}
