package org.invokej.testing;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Model installs through the real API, and zips of model folders, for tests. */
public final class ModelInstalls {

    private ModelInstalls() {
    }

    /** {@code POST /api/v2/models/install} as it answered. */
    public static TestResponse start(TestClient admin, Path source, boolean inplace, Object overrides) {
        return admin.post("/api/v2/models/install?source=" + URLEncoder.encode(source.toString(), StandardCharsets.UTF_8)
                + "&inplace=" + inplace, overrides == null ? Map.of() : overrides);
    }

    /** The job once it has completed, failed or been cancelled (waits up to a minute). */
    public static JsonNode awaitJob(TestClient admin, long id) {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
        while (true) {
            TestResponse response = admin.get("/api/v2/models/install/" + id);
            if (response.status() != 200) {
                throw new AssertionError("GET install job " + id + " -> " + response);
            }
            JsonNode job = response.json();
            String status = job.path("status").asText();
            if (status.equals("completed") || status.equals("error") || status.equals("cancelled")) {
                return job;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("Install job " + id + " did not finish: " + job);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Installs (copying) and waits; returns the finished job. */
    public static JsonNode install(TestClient admin, Path source) {
        TestResponse started = start(admin, source, false, null);
        if (started.status() != 201) {
            throw new AssertionError("install " + source + " -> " + started);
        }
        return awaitJob(admin, started.json().path("id").asLong());
    }

    /** Installs and returns the new model's key; fails the test if the install does not complete. */
    public static String installKey(TestClient admin, Path source) {
        JsonNode job = install(admin, source);
        if (!job.path("status").asText().equals("completed")) {
            throw new AssertionError("install " + source + " did not complete: " + job);
        }
        return job.path("config_out").path("key").asText();
    }

    /** Zips a folder; with {@code topFolder} its entries are inside a folder of its name, else at the top. */
    public static Path zip(Path folder, Path zipFile, boolean topFolder) {
        String prefix = topFolder ? folder.getFileName() + "/" : "";
        try (OutputStream file = Files.newOutputStream(zipFile); ZipOutputStream zip = new ZipOutputStream(file);
             Stream<Path> paths = Files.walk(folder)) {
            for (Path path : (Iterable<Path>) paths.sorted()::iterator) {
                if (Files.isRegularFile(path)) {
                    zip.putNextEntry(new ZipEntry(prefix + folder.relativize(path).toString().replace('\\', '/')));
                    Files.copy(path, zip);
                    zip.closeEntry();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return zipFile;
    }
}
