package org.invokej.bench;

import org.invokej.core.models.ByteProgress;
import org.invokej.core.models.HashAlgorithm;
import org.invokej.core.models.ModelHasher;
import org.invokej.core.models.ModelStorage;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Model hashing throughput: InvokeJ's hashing ({@link ModelHasher}) against {@code b3sum} and
 * {@code sha256sum} on the same file (1 GiB of random bytes by default) in the same run, the file
 * warm in the page cache, median of 3 rounds. Also {@code blake3_multi} against {@code blake3_single}
 * on a folder of 4 files of a quarter of the size each. Checks that the digests agree with the tools'.
 *
 * <p>Usage: {@code bench/run HashBenchmark [MiB]}
 */
public final class HashBenchmark {

    private static final int ROUNDS = 3;

    public static void main(String[] args) throws Exception {
        int mib = args.length > 0 ? Integer.parseInt(args[0]) : 1024;
        Path dir = Files.createTempDirectory("invokej-bench-hash");
        try {
            Path file = dir.resolve("weights.bin");
            write(file, (long) mib << 20, 1);
            Path folder = Files.createDirectories(dir.resolve("model"));
            for (int i = 0; i < 4; i++) {
                write(folder.resolve("part" + i + ".onnx"), (long) mib << 18, i + 2);
            }
            long bytes = Files.size(file);
            warm(file);
            warm(folder);

            Map<String, Double> rates = new LinkedHashMap<>();
            boolean b3sum = available("b3sum");
            if (b3sum) {
                String ours = new ModelHasher(HashAlgorithm.BLAKE3_SINGLE).hash(file, ByteProgress.NONE);
                String theirs = "blake3:" + run("b3sum", "--no-names", file.toString()).strip();
                check(ours, theirs);
                rates.put("b3sum (all cores, SIMD)", rate(bytes, () -> run("b3sum", "--no-names", file.toString())));
                rates.put("b3sum --num-threads 1", rate(bytes, () -> run("b3sum", "--no-names", "--num-threads", "1", file.toString())));
            }
            String sha = new ModelHasher(HashAlgorithm.SHA256).hash(file, ByteProgress.NONE);
            check(sha, "sha256:" + run("sha256sum", file.toString()).split(" ")[0]);
            rates.put("sha256sum", rate(bytes, () -> run("sha256sum", file.toString())));
            rates.put("InvokeJ blake3_single", rate(bytes, () -> new ModelHasher(HashAlgorithm.BLAKE3_SINGLE).hash(file, ByteProgress.NONE)));
            rates.put("InvokeJ sha256", rate(bytes, () -> new ModelHasher(HashAlgorithm.SHA256).hash(file, ByteProgress.NONE)));
            long folderBytes = ModelStorage.sizeOf(folder);
            double single = rate(folderBytes, () -> new ModelHasher(HashAlgorithm.BLAKE3_SINGLE).hash(folder, ByteProgress.NONE));
            double multi = rate(folderBytes, () -> new ModelHasher(HashAlgorithm.BLAKE3_MULTI).hash(folder, ByteProgress.NONE));

            System.out.printf("file: %d MiB of random bytes, warm in the page cache; %d cores; median of %d rounds%n",
                    mib, Runtime.getRuntime().availableProcessors(), ROUNDS);
            rates.forEach((name, rate) -> System.out.printf("%-28s %8.0f MB/s%n", name, rate));
            if (b3sum) {
                System.out.printf("ratio InvokeJ blake3_single / b3sum:               %.2f%n",
                        rates.get("InvokeJ blake3_single") / rates.get("b3sum (all cores, SIMD)"));
                System.out.printf("ratio InvokeJ blake3_single / b3sum 1 thread:      %.2f%n",
                        rates.get("InvokeJ blake3_single") / rates.get("b3sum --num-threads 1"));
            } else {
                System.out.println("(b3sum not installed: apt-get install b3sum to compare BLAKE3)");
            }
            System.out.printf("ratio InvokeJ sha256 / sha256sum:                  %.2f%n",
                    rates.get("InvokeJ sha256") / rates.get("sha256sum"));
            System.out.printf("folder of 4 x %d MiB: blake3_single %.0f MB/s, blake3_multi %.0f MB/s, ratio %.2f%n",
                    mib / 4, single, multi, multi / single);
        } finally {
            ModelStorage.deleteTree(dir);
        }
    }

    /** Bytes per second (in MB/s) of the median round. */
    private static double rate(long bytes, Supplier<?> work) {
        List<Double> rates = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            long start = System.nanoTime();
            work.get();
            rates.add(bytes / 1e6 / ((System.nanoTime() - start) / 1e9));
        }
        return StartupBenchmark.median(rates);
    }

    private static void write(Path file, long size, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] chunk = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long written = 0; written < size; written += chunk.length) {
                for (int i = 0; i < chunk.length; i += 8) {
                    long value = random.nextLong();
                    for (int b = 0; b < 8; b++) {
                        chunk[i + b] = (byte) (value >>> (8 * b));
                    }
                }
                out.write(chunk, 0, (int) Math.min(chunk.length, size - written));
            }
        }
    }

    private static void warm(Path path) {
        new ModelHasher(HashAlgorithm.SHA1).hash(path, ByteProgress.NONE);
    }

    private static void check(String ours, String theirs) {
        if (!ours.equals(theirs)) {
            throw new IllegalStateException("digests differ: InvokeJ " + ours + ", tool " + theirs);
        }
    }

    private static boolean available(String tool) {
        try {
            return new ProcessBuilder(tool, "--version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String run(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed");
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
