package org.invokej.adoption;

import com.fasterxml.jackson.databind.JsonNode;
import org.invokej.testing.TestAccounts;
import org.invokej.testing.TestClient;
import org.invokej.testing.TestResponse;
import org.invokej.testing.TestServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An InvokeAI root opened by InvokeJ, checked through the API against what its database held before:
 * the copy of the original database, its facts, and the checks each user's view must pass.
 */
final class AdoptedRoot {

    final Path root;
    final Path database;
    /** A copy of the database as InvokeAI left it, never opened by InvokeJ. */
    final Path original;
    final DatabaseFacts before;

    /** Copies {@code source} (an InvokeAI root) to {@code workDir}/root and reads its facts from a second copy. */
    static AdoptedRoot copyOf(Path source, Path workDir) {
        Path root = workDir.resolve("root");
        copyTree(source, root);
        return new AdoptedRoot(root, workDir);
    }

    /** An InvokeAI root already at {@code workDir}/root. */
    static AdoptedRoot at(Path workDir) {
        return new AdoptedRoot(workDir.resolve("root"), workDir);
    }

    private AdoptedRoot(Path root, Path workDir) {
        this.root = root;
        this.database = root.resolve("databases").resolve("invokeai.db");
        this.original = workDir.resolve("original-invokeai.db");
        try {
            Files.copy(database, original);
            // the facts are read from a copy of the copy: even reading may leave SQLite's side files
            Path scratch = workDir.resolve("facts.db");
            Files.copy(database, scratch);
            this.before = DatabaseFacts.read(scratch);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    TestServer start(Map<String, String> settings) {
        Map<String, String> all = new LinkedHashMap<>(Map.of("bcrypt_cost", "4"));
        all.putAll(settings);
        return TestServer.start(root, all);
    }

    /** The one backup InvokeJ wrote beside the database (InvokeAI's own older ones excluded). */
    Path ourBackup(Set<String> invokeAiBackups) {
        try (Stream<Path> files = Files.list(database.getParent())) {
            var ours = files.filter(file -> file.getFileName().toString().startsWith("invokeai_backup_"))
                    .filter(file -> !invokeAiBackups.contains(file.getFileName().toString())).toList();
            assertEquals(1, ours.size(), "one backup written by InvokeJ: " + ours);
            return ours.getFirst();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void assertBackupIdenticalToOriginal(Path backup) {
        try {
            assertArrayEquals(Files.readAllBytes(original), Files.readAllBytes(backup),
                    "the backup " + backup + " is byte-identical to the database as InvokeAI left it");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Every table InvokeAI had keeps its rows, the file passes SQLite's integrity check; prints the
     * counts before and after.
     */
    void assertRowsKept(String label) {
        Map<String, Long> after = DatabaseFacts.rowCounts(database);
        System.out.println("[adoption " + label + "] integrity_check before=" + before.integrity() + " after="
                + DatabaseFacts.integrity(database));
        System.out.println("[adoption " + label + "] rows per table (before -> after):");
        Set<String> tables = new TreeSet<>(before.rowCounts().keySet());
        tables.addAll(after.keySet());
        for (String table : tables) {
            System.out.println("[adoption " + label + "]   " + table + ": "
                    + before.rowCounts().getOrDefault(table, null) + " -> " + after.getOrDefault(table, null));
        }
        assertEquals("ok", DatabaseFacts.integrity(database));
        before.rowCounts().forEach((table, rows) -> {
            if (table.equals("client_state") && !after.containsKey(table)) {
                return;
            }
            if (!table.equals("client_state")) {
                assertEquals(rows, after.get(table), "rows of " + table);
            }
        });
    }

    /** A user's view through the API matches the original database under the multi-user rules. */
    void assertViewOf(TestClient client, String userId, boolean admin) {
        String who = userId + (admin ? " (admin)" : "");
        TestResponse boards = client.get("/api/v1/boards/?all=true&include_archived=true");
        assertEquals(200, boards.status(), boards.toString());
        assertEquals(new TreeSet<>(before.boardsVisibleTo(userId, admin)), ids(boards.json(), "board_id"), "boards of " + who);

        TestResponse images = client.get("/api/v1/images/?limit=1000");
        assertEquals(200, images.status(), images.toString());
        assertEquals(new TreeSet<>(before.galleryOf(userId, admin)), ids(images.json().path("items"), "image_name"),
                "gallery of " + who);
        for (JsonNode image : images.json().path("items")) {
            DatabaseFacts.Image fact = before.images().stream()
                    .filter(i -> i.imageName().equals(image.path("image_name").asText())).findFirst().orElseThrow();
            assertEquals(fact.starred(), image.path("starred").asBoolean(), "starred " + fact.imageName());
            assertEquals(fact.intermediate(), image.path("is_intermediate").asBoolean(), "intermediate " + fact.imageName());
            assertEquals(String.valueOf(fact.boardId()), image.path("board_id").isNull() ? "null" : image.path("board_id").asText(),
                    "board of " + fact.imageName());
        }

        TestResponse workflows = client.get("/api/v1/workflows/?per_page=1000");
        assertEquals(200, workflows.status(), workflows.toString());
        assertEquals(new TreeSet<>(before.workflowsListedFor(userId, admin)), ids(workflows.json().path("items"), "workflow_id"),
                "workflows of " + who);
        TestResponse shared = client.get("/api/v1/workflows/?per_page=1000&categories=user&is_public=true");
        assertEquals(200, shared.status(), shared.toString());
        assertEquals(new TreeSet<>(before.publicWorkflows()), ids(shared.json().path("items"), "workflow_id"),
                "public workflows seen by " + who);

        TestResponse queue = client.get("/api/v1/queue/default/list_all");
        assertEquals(200, queue.status(), queue.toString());
        Map<String, String> statuses = new LinkedHashMap<>();
        queue.json().forEach(item -> statuses.put(item.path("item_id").asText(), item.path("status").asText()));
        assertEquals(before.queueStatuses(), statuses, "queue history seen by " + who);
        if (admin) {
            for (String itemId : statuses.keySet()) {
                TestResponse item = client.get("/api/v1/queue/default/i/" + itemId);
                assertEquals(200, item.status(), item.toString());
                assertEquals(before.queueStatuses().get(itemId), item.json().path("status").asText());
            }
        }

        TestResponse models = client.get("/api/v2/models/");
        assertEquals(200, models.status(), models.toString());
        Set<String> keys = new TreeSet<>();
        for (JsonNode model : models.json().path("models")) {
            keys.add(model.path("key").asText());
            DatabaseFacts.Model fact = before.models().stream().filter(m -> m.key().equals(model.path("key").asText()))
                    .findFirst().orElseThrow();
            // ONNX main models run here, and single-file LoRAs for them are applied
            boolean runnable = (fact.type().equals("main") && fact.format().equals("onnx")
                    || fact.type().equals("lora") && fact.format().equals("lycoris"))
                    && (fact.base().equals("sd-1") || fact.base().equals("sd-2") || fact.base().equals("sdxl"));
            assertEquals(runnable, model.path("runnable").asBoolean(), "runnable " + model);
            if (!runnable) {
                assertTrue(model.path("unsupported_reason").asText().matches("Not (runnable|usable) by this engine.*"), model.toString());
            } else {
                assertTrue(model.path("unsupported_reason").isNull(), model.toString());
            }
            assertEquals(fact.format(), model.path("format").asText());
        }
        assertEquals(new TreeSet<>(before.models().stream().map(DatabaseFacts.Model::key).toList()), keys, "models seen by " + who);
    }

    /** The owner's images and thumbnails are served from InvokeAI's files, in place. */
    void assertFilesServed(TestClient owner, String userId, boolean admin) {
        Path images = root.resolve("outputs").resolve("images");
        for (String name : before.galleryOf(userId, admin)) {
            DatabaseFacts.Image fact = before.images().stream().filter(i -> i.imageName().equals(name)).findFirst().orElseThrow();
            Path file = images.resolve(fact.subfolder()).resolve(name);
            TestResponse full = owner.get("/api/v1/images/i/" + name + "/full");
            if (!Files.exists(file)) {
                assertEquals(404, full.status(), full.toString());
                continue;
            }
            assertEquals(200, full.status(), full.toString());
            assertArrayEquals(read(file), full.body(), "full-size bytes of " + name);
            String stem = name.substring(0, name.length() - 4);
            Path webp = images.resolve("thumbnails").resolve(fact.subfolder()).resolve(stem + ".webp");
            TestResponse thumbnail = owner.get("/api/v1/images/i/" + name + "/thumbnail");
            if (Files.exists(webp)) {
                assertEquals(200, thumbnail.status(), thumbnail.toString());
                assertEquals("image/webp", thumbnail.header("Content-Type").orElse(""));
                assertArrayEquals(read(webp), thumbnail.body(), "thumbnail of " + name);
            }
        }
    }

    static TestAccounts.Account login(TestServer server, String email, String password) {
        return new TestAccounts(server).login(email, password);
    }

    static Set<String> ids(JsonNode items, String field) {
        Set<String> ids = new TreeSet<>();
        items.forEach(item -> ids.add(item.path(field).asText()));
        return ids;
    }

    static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Set<String> fileNames(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            Set<String> names = new LinkedHashSet<>();
            files.forEach(file -> names.add(file.getFileName().toString()));
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void copyTree(Path source, Path target) {
        try (Stream<Path> paths = Files.walk(source)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Path to = target.resolve(source.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(path, to);
                    to.toFile().setWritable(true, true);
                }
            }
            try (Stream<Path> dirs = Files.walk(target)) {
                dirs.filter(Files::isDirectory).forEach(dir -> dir.toFile().setWritable(true, true));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void assertUnchanged(byte[] before, Path file, String what) {
        assertArrayEquals(before, read(file), what + " is unchanged");
        assertFalse(before.length == 0 && !Files.exists(file));
    }
}
