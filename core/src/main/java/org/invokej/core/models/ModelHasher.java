package org.invokej.core.models;

import org.apache.commons.codec.binary.Hex;
import org.apache.commons.codec.digest.Blake3;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * A model's content hash, computed as InvokeAI's {@code ModelHash} does: a file's hash is the hex digest
 * of its bytes; a folder's is BLAKE3 over the concatenated lower-case hex digests (UTF-8) of its weight
 * files sorted by path, whatever the algorithm; the result is {@code <prefix>:<hex>}.
 *
 * <p>One deliberate difference: InvokeAI's weight files are {@code .ckpt .safetensors .bin .pt .pth},
 * so every ONNX folder would hash to BLAKE3 of nothing and all ONNX models would share one hash. InvokeJ
 * also counts the ONNX graphs and their external weights ({@code .onnx .onnx_data .pb}); for folders
 * without those the hash is InvokeAI's.
 */
public final class ModelHasher {

    /** Suffixes of the files a folder's hash covers. */
    public static final List<String> WEIGHT_SUFFIXES =
            List.of(".ckpt", ".safetensors", ".bin", ".pt", ".pth", ".onnx", ".onnx_data", ".pb");

    private static final int BUFFER = 1 << 20;

    private final HashAlgorithm algorithm;
    private final int threads;

    /**
     * @param threads how many files {@link HashAlgorithm#BLAKE3_MULTI} hashes at once (others use one)
     */
    public ModelHasher(HashAlgorithm algorithm, int threads) {
        this.algorithm = algorithm;
        this.threads = Math.max(1, threads);
    }

    public ModelHasher(HashAlgorithm algorithm) {
        this(algorithm, Runtime.getRuntime().availableProcessors());
    }

    public HashAlgorithm algorithm() {
        return algorithm;
    }

    /** The files a hash of {@code path} reads, in hashing order (the path itself if it is a file). */
    public static List<Path> hashedFiles(Path path) {
        if (!Files.isDirectory(path)) {
            return List.of(path);
        }
        try (Stream<Path> files = Files.walk(path)) {
            return files.filter(Files::isRegularFile)
                    .filter(file -> WEIGHT_SUFFIXES.stream().anyMatch(suffix ->
                            file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(suffix)))
                    .sorted(byParts(path))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many bytes hashing {@code path} reads (0 for {@link HashAlgorithm#RANDOM}). */
    public long bytesToHash(Path path) {
        if (algorithm == HashAlgorithm.RANDOM) {
            return 0;
        }
        long total = 0;
        for (Path file : hashedFiles(path)) {
            try {
                total += Files.size(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return total;
    }

    /** The hash of a file or a model folder, as {@code <prefix>:<hex>}; reports bytes read to {@code progress}. */
    public String hash(Path path, ByteProgress progress) {
        if (algorithm == HashAlgorithm.RANDOM) {
            return "random:" + blake3Hex(UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
        }
        String hex;
        if (Files.isDirectory(path)) {
            StringBuilder joined = new StringBuilder();
            fileHashes(hashedFiles(path), progress).forEach(joined::append);
            hex = blake3Hex(joined.toString().getBytes(StandardCharsets.UTF_8));
        } else {
            hex = hashFile(path, progress);
        }
        return algorithm.prefix() + ":" + hex;
    }

    private List<String> fileHashes(List<Path> files, ByteProgress progress) {
        if (algorithm != HashAlgorithm.BLAKE3_MULTI || files.size() < 2 || threads < 2) {
            return files.stream().map(file -> hashFile(file, progress)).toList();
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, files.size()),
                Thread.ofPlatform().name("invokej-hash-", 0).daemon().factory())) {
            List<Future<String>> futures = new ArrayList<>();
            for (Path file : files) {
                futures.add(pool.submit(() -> hashFile(file, progress)));
            }
            List<String> hashes = new ArrayList<>();
            for (Future<String> future : futures) {
                hashes.add(future.get());
            }
            return hashes;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while hashing", e);
        }
    }

    private String hashFile(Path file, ByteProgress progress) {
        Blake3 blake3 = algorithm.isBlake3() ? Blake3.initHash() : null;
        MessageDigest digest = algorithm.isBlake3() ? null : messageDigest();
        byte[] bytes = new byte[BUFFER];
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            int read;
            while ((read = channel.read(buffer.clear())) >= 0) {
                if (blake3 != null) {
                    blake3.update(bytes, 0, read);
                } else {
                    digest.update(bytes, 0, read);
                }
                progress.advance(read);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
        }
        return Hex.encodeHexString(blake3 != null ? blake3.doFinalize(32) : digest.digest());
    }

    private MessageDigest messageDigest() {
        try {
            return MessageDigest.getInstance(algorithm.jdkName());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("This JDK has no " + algorithm.jdkName(), e);
        }
    }

    private static String blake3Hex(byte[] data) {
        return Hex.encodeHexString(Blake3.hash(data));
    }

    /** Python's path order: part by part, so {@code a/x} comes before {@code a-b/x}. */
    private static Comparator<Path> byParts(Path base) {
        return (left, right) -> {
            Path a = base.relativize(left);
            Path b = base.relativize(right);
            for (int i = 0; i < Math.min(a.getNameCount(), b.getNameCount()); i++) {
                int order = a.getName(i).toString().compareTo(b.getName(i).toString());
                if (order != 0) {
                    return order;
                }
            }
            return Integer.compare(a.getNameCount(), b.getNameCount());
        };
    }
}
