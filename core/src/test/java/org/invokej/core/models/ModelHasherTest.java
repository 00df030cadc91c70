package org.invokej.core.models;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Model hashes as InvokeAI's {@code ModelHash} makes them. The expected digests were computed with
 * {@code b3sum} and {@code sha256sum}, not with the library under test.
 */
class ModelHasherTest {

    @TempDir
    Path folder;

    @BeforeEach
    void files() throws IOException {
        Files.createDirectories(folder.resolve("a"));
        Files.createDirectories(folder.resolve("a-b"));
        Files.createDirectories(folder.resolve("unet"));
        Files.writeString(folder.resolve("a/x.onnx"), "first");
        Files.writeString(folder.resolve("a-b/x.onnx"), "second");
        Files.writeString(folder.resolve("unet/model.onnx_data"), "weights");
        Files.writeString(folder.resolve("model_index.json"), "{}");
    }

    @Test
    void aFileIsTheHexDigestOfItsBytes() throws IOException {
        Path file = Files.writeString(folder.resolve("abc.bin"), "abc");
        assertEquals("blake3:6437b3ac38465133ffb63b75273a8db548c558465d79db03fd359c6cd5bd9d85",
                new ModelHasher(HashAlgorithm.BLAKE3_SINGLE).hash(file, ByteProgress.NONE));
        assertEquals("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                new ModelHasher(HashAlgorithm.SHA256).hash(file, ByteProgress.NONE));
    }

    @Test
    void aFolderIsBlake3OfItsWeightFilesHashesInPythonsPathOrder() {
        // b3sum of each of a/x.onnx, a-b/x.onnx, unet/model.onnx_data (model_index.json is not a weight file),
        // the hex digests concatenated and hashed with b3sum again; a/x sorts before a-b/x part by part.
        String expected = "blake3:c5e6c794f078208e12c57f33bb17eb50b7034eae84b1206c99ad86b9c77ebd2b";
        assertEquals(expected, new ModelHasher(HashAlgorithm.BLAKE3_SINGLE).hash(folder, ByteProgress.NONE));
        assertEquals(expected, new ModelHasher(HashAlgorithm.BLAKE3_MULTI, 3).hash(folder, ByteProgress.NONE),
                "blake3_multi is the same digest, computed file by file in parallel");
    }

    @Test
    void otherAlgorithmsHashEachFileButCombineWithBlake3() {
        assertEquals("sha256:350a8490020b6f767495b77f99f04d707fc2dfedb068dee82590631fafc80a14",
                new ModelHasher(HashAlgorithm.SHA256).hash(folder, ByteProgress.NONE));
    }

    @Test
    void progressCountsEveryByteReadAndMayStopTheWork() {
        ModelHasher hasher = new ModelHasher(HashAlgorithm.BLAKE3_MULTI, 2);
        AtomicLong read = new AtomicLong();
        hasher.hash(folder, read::addAndGet);
        assertEquals(hasher.bytesToHash(folder), read.get());
        assertEquals("first".length() + "second".length() + "weights".length(), read.get());
        assertThrows(IllegalStateException.class, () -> hasher.hash(folder, bytes -> {
            throw new IllegalStateException("stop");
        }));
    }

    @Test
    void randomIsNotAContentHash() {
        ModelHasher random = new ModelHasher(HashAlgorithm.RANDOM);
        String first = random.hash(folder, ByteProgress.NONE);
        assertTrue(first.matches("random:[0-9a-f]{64}"), first);
        assertNotEquals(first, random.hash(folder, ByteProgress.NONE));
        assertEquals(0, random.bytesToHash(folder));
    }

    @Test
    void configNamesAreInvokeAis() {
        assertEquals(HashAlgorithm.BLAKE3_MULTI, HashAlgorithm.parse("blake3_multi"));
        assertEquals(HashAlgorithm.SHA3_256, HashAlgorithm.parse("SHA3_256"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HashAlgorithm.parse("blake2b"));
        assertTrue(e.getMessage().startsWith("expected one of blake3_single, blake3_multi, random"), e.getMessage());
    }
}
