package org.invokej.content;

import org.invokej.core.events.Audience;
import org.invokej.core.events.ServerEvent;
import org.invokej.testing.TestAccounts;
import org.invokej.testing.TestClient;
import org.invokej.testing.TestImages;
import org.invokej.testing.TestPayload;
import org.invokej.testing.TestResponse;
import org.invokej.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code /api/v1/images/download}: InvokeAI's bulk download (its TestBulkDownloadAccessControl and the zip itself). */
class BulkDownloadTest {

    @TempDir
    static Path root;
    private static TestServer server;
    private static TestAccounts.Account admin;
    private static TestAccounts.Account user1;
    private static TestAccounts.Account user2;
    private static final BlockingQueue<ServerEvent> EVENTS = new LinkedBlockingQueue<>();

    @BeforeAll
    static void start() {
        server = TestServer.start(root, Map.of("multiuser", "true", "bcrypt_cost", "4"), event -> {
            if (event.name().startsWith("bulk_download")) {
                EVENTS.add(event);
            }
        });
        TestAccounts accounts = new TestAccounts(server);
        admin = accounts.setupAdmin("admin@test.com");
        user1 = accounts.create(admin, "user1@test.com", "User One", false);
        user2 = accounts.create(admin, "user2@test.com", "User Two", false);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static ServerEvent next() throws InterruptedException {
        ServerEvent event = EVENTS.poll(30, TimeUnit.SECONDS);
        assertNotNull(event, "a bulk_download event");
        return event;
    }

    private static List<String> entries(byte[] zip) throws IOException {
        List<String> names = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                names.add(entry.getName());
            }
        }
        return names;
    }

    @Test
    void theRequesterGetsTheZipOnceAndEventsSayWhenItIsReady() throws Exception {
        TestClient client = user1.client();
        String first = TestImages.uploadPng(client, null);
        String second = TestImages.uploadPng(client, null);
        EVENTS.clear();
        TestResponse started = client.post("/api/v1/images/download", Map.of("image_names", List.of(first, second)));
        assertEquals(202, started.status(), started.toString());
        String item = started.json().path("bulk_download_item_name").asText();
        assertTrue(item.matches("[0-9a-f-]{36}\\.zip"), item);
        assertTrue(started.json().has("response"));

        ServerEvent begun = next();
        assertEquals("bulk_download_started", begun.name());
        ServerEvent done = next();
        assertEquals("bulk_download_complete", done.name());
        assertEquals(item, TestPayload.json(done).path("bulk_download_item_name").asText());
        assertEquals("default", TestPayload.json(done).path("bulk_download_id").asText());
        assertEquals(item.replace(".zip", ""), TestPayload.json(done).path("bulk_download_item_id").asText());
        assertEquals(user1.userId(), TestPayload.json(done).path("user_id").asText());
        assertTrue(TestPayload.json(done).path("error").isMissingNode(), "only bulk_download_error has an error");
        assertEquals(new Audience.UserAndAdmins(user1.userId()), done.audience());

        assertEquals(403, user2.client().get("/api/v1/images/download/" + item).status(), "only the requester");
        TestResponse zip = client.get("/api/v1/images/download/" + item);
        assertEquals(200, zip.status(), zip.toString());
        assertEquals("application/zip", zip.header("Content-Type").orElse(""));
        assertEquals(List.of(first, second), entries(zip.body()));
        byte[] stored = client.get("/api/v1/images/i/" + first + "/full").body();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip.body()))) {
            in.getNextEntry();
            assertArrayEquals(stored, in.readAllBytes(), "the image file as stored");
        }
        assertEquals(404, client.get("/api/v1/images/download/" + item).status(), "deleted once served");
        try (var left = Files.list(root.resolve("outputs/bulk_downloads"))) {
            assertEquals(0, left.count(), "nothing left on disk");
        }
    }

    @Test
    void aBoardCanBeDownloadedByWhoeverMayReadIt() throws Exception {
        String board = TestImages.board(user1.client(), "shared");
        String image = TestImages.uploadPng(user1.client(), board);
        assertEquals(403, user2.client().post("/api/v1/images/download", Map.of("board_id", board)).status(), "private board");
        TestImages.visibility(user1.client(), board, "shared");
        EVENTS.clear();
        TestResponse started = user2.client().post("/api/v1/images/download/", Map.of("board_id", board));
        assertEquals(202, started.status(), started.toString());
        next();
        assertEquals("bulk_download_complete", next().name());
        TestResponse zip = user2.client().get("/api/v1/images/download/" + started.json().path("bulk_download_item_name").asText());
        assertEquals(List.of(image), entries(zip.body()));
    }

    @Test
    void refusalsAreClearAndStartNothing() throws Exception {
        String mine = TestImages.uploadPng(user1.client(), null);
        EVENTS.clear();
        assertEquals(403, user2.client().post("/api/v1/images/download", Map.of("image_names", List.of(mine))).status());
        TestResponse none = user1.client().post("/api/v1/images/download", Map.of());
        assertEquals(400, none.status());
        assertEquals("No images or board id specified.", none.detail());
        assertEquals(400, user1.client().post("/api/v1/images/download", Map.of("image_names", List.of())).status());
        assertEquals(404, user1.client().post("/api/v1/images/download", Map.of("image_names", List.of("nope.png"))).status());
        assertEquals(422, user1.client().post("/api/v1/images/download", Map.of("image_names", "x")).status());
        assertEquals(404, user1.client().get("/api/v1/images/download/../../databases/invokeai.db").status());
        assertEquals(404, user1.client().get("/api/v1/images/download/" + java.util.UUID.randomUUID() + ".zip").status());
        assertEquals(401, server.client().post("/api/v1/images/download", Map.of("image_names", List.of(mine))).status());
    }

    @Test
    void anAdministratorMayDownloadAnyonesImages() throws Exception {
        String image = TestImages.uploadPng(user2.client(), null);
        EVENTS.clear();
        TestResponse started = admin.client().post("/api/v1/images/download", Map.of("image_names", List.of(image)));
        assertEquals(202, started.status());
        next();
        next();
        assertEquals(200, admin.client().get("/api/v1/images/download/" + started.json().path("bulk_download_item_name").asText()).status());
    }
}
