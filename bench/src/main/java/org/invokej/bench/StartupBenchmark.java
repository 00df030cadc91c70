package org.invokej.bench;

import org.invokej.testing.Scripts;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Time from starting {@code java -jar invokej.jar web} to its first 200 on {@code /api/v1/app/version}:
 * on a new root (creates and migrates the database) and on an existing one. The baseline is the time to
 * the JVM's own first output ({@code java -version}) in the same run, so the figure is also a ratio.
 */
public final class StartupBenchmark {

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path jar = Scripts.projectRoot().resolve("launcher/target/invokej.jar");
        List<Double> jvm = new ArrayList<>();
        List<Double> fresh = new ArrayList<>();
        List<Double> existing = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            jvm.add(javaVersion(java));
            Path root = Files.createTempDirectory("invokej-bench-startup");
            fresh.add(timeToFirst200(java, jar, root));
            existing.add(timeToFirst200(java, jar, root));
        }
        double baseline = median(jvm);
        System.out.printf("runs: %d%n", runs);
        System.out.printf("JVM start (java -version), median:        %7.0f ms%n", baseline);
        System.out.printf("first 200, new root (migrates), median:   %7.0f ms  (%.1fx JVM start)%n", median(fresh), median(fresh) / baseline);
        System.out.printf("first 200, existing root, median:         %7.0f ms  (%.1fx JVM start)%n", median(existing), median(existing) / baseline);
    }

    private static double javaVersion(Path java) throws Exception {
        long start = System.nanoTime();
        Process process = new ProcessBuilder(java.toString(), "-version").redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        process.waitFor();
        return (System.nanoTime() - start) / 1e6;
    }

    private static double timeToFirst200(Path java, Path jar, Path root) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(200)).build();
        HttpRequest version = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/app/version")).build();
        long start = System.nanoTime();
        Process process = new ProcessBuilder(java.toString(), "-jar", jar.toString(), "web",
                "--root", root.toString(), "--port", Integer.toString(port), "--log-level", "warning")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            while (true) {
                try {
                    if (client.send(version, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        return (System.nanoTime() - start) / 1e6;
                    }
                } catch (IOException notYet) {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("the server exited with " + process.exitValue());
                    }
                    Thread.sleep(5);
                }
            }
        } finally {
            process.toHandle().destroy();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
