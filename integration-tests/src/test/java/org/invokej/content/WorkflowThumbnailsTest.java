package org.invokej.content;

import com.fasterxml.jackson.databind.JsonNode;
import org.invokej.testing.TestClient;
import org.invokej.testing.TestImages;
import org.invokej.testing.TestResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code PUT|GET|DELETE /api/v1/workflows/i/{id}/thumbnail}: set by the owner or an administrator, seen by whoever may read the workflow. */
class WorkflowThumbnailsTest {

    @TempDir
    static Path root;
    private static ContentWorld world;

    @BeforeAll
    static void start() {
        world = new ContentWorld(root);
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    private static TestResponse put(TestClient client, String id, byte[] image, String contentType) {
        TestImages.Form form = TestImages.form("image", image, contentType, Map.of());
        return client.send("PUT", "/api/v1/workflows/i/" + id + "/thumbnail", form.contentType(), form.body());
    }

    @Test
    void theOwnerSetsItReadersSeeItAndTheListShowsIt() throws IOException {
        String id = WorkflowsTest.create(world.user1.client(), "With thumbnail");
        assertNull(world.user1.client().get("/api/v1/workflows/i/" + id).json().path("thumbnail_url").textValue());
        TestResponse set = put(world.user1.client(), id, TestImages.png(640, 320), "image/png");
        assertEquals(200, set.status(), set.toString());
        String url = "api/v1/workflows/i/" + id + "/thumbnail";
        assertEquals(url, set.json().path("thumbnail_url").asText());

        TestResponse image = world.user1.client().get("/" + url);
        assertEquals(200, image.status());
        assertEquals("image/png", image.header("Content-Type").orElse(""));
        BufferedImage thumbnail = ImageIO.read(new ByteArrayInputStream(image.body()));
        assertEquals(256, thumbnail.getWidth(), "shrunk to thumbnail size");
        assertEquals(128, thumbnail.getHeight());

        boolean listed = false;
        for (JsonNode item : world.user1.client().get("/api/v1/workflows/?categories=user").json().path("items")) {
            if (item.path("workflow_id").asText().equals(id)) {
                listed = url.equals(item.path("thumbnail_url").asText());
            }
        }
        assertTrue(listed, "the library list carries the thumbnail's URL");

        assertEquals(403, world.user2.client().get("/" + url).status(), "a private workflow's thumbnail is private");
        world.user1.client().patch("/api/v1/workflows/i/" + id + "/is_public", Map.of("is_public", true));
        assertEquals(200, world.user2.client().get("/" + url).status());
        TestResponse refused = put(world.user2.client(), id, TestImages.png(8, 8), "image/png");
        assertEquals(403, refused.status());
        assertEquals("Not authorized to update this workflow", refused.detail());
        assertEquals(403, world.user2.client().delete("/" + url).status());
        assertEquals(401, world.anonymous().get("/" + url).status());

        assertEquals(200, world.admin.client().delete("/" + url).status());
        assertEquals(404, world.user1.client().get("/" + url).status());
        assertNull(world.user1.client().get("/api/v1/workflows/i/" + id).json().path("thumbnail_url").textValue());
    }

    @Test
    void badUploadsAreRefused() {
        String id = WorkflowsTest.create(world.user1.client(), "Bad thumbnails");
        assertEquals(415, put(world.user1.client(), id, "text".getBytes(StandardCharsets.UTF_8), "text/plain").status());
        assertEquals(415, put(world.user1.client(), id, "not a png".getBytes(StandardCharsets.UTF_8), "image/png").status());
        assertEquals(404, put(world.user1.client(), "no-such-workflow", TestImages.png(8, 8), "image/png").status());
        TestImages.Form noImage = TestImages.form("other", TestImages.png(8, 8), "image/png", Map.of());
        assertEquals(422, world.user1.client().send("PUT", "/api/v1/workflows/i/" + id + "/thumbnail", noImage.contentType(),
                noImage.body()).status());
        assertEquals(404, world.user1.client().get("/api/v1/workflows/i/" + id + "/thumbnail").status());
    }
}
