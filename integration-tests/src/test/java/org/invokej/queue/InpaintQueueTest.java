package org.invokej.queue;

import com.fasterxml.jackson.databind.JsonNode;
import org.invokej.testing.StandardGraphs;
import org.invokej.testing.TestClient;
import org.invokej.testing.TestImages;
import org.invokej.testing.TestResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Inpainting through {@code enqueue_batch}: an uploaded image and mask, {@code create_gradient_mask} feeding
 * {@code denoise_latents.denoise_mask}, the images read with the owner's rights.
 */
class InpaintQueueTest {

    @TempDir
    static Path root;
    @TempDir
    static Path sources;

    private static QueueWorld world;

    @BeforeAll
    static void start() {
        world = new QueueWorld(root, sources, Map.of());
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    private static String upload(TestClient client, BufferedImage image) {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", png);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        TestResponse response = TestImages.upload(client, png.toByteArray(), "image/png",
                "image_category=general&is_intermediate=true", new LinkedHashMap<>());
        assertEquals(201, response.status(), response.toString());
        return response.json().path("image_name").asText();
    }

    /** White on the left half (kept), black on the right (painted anew). */
    private static BufferedImage mask() {
        BufferedImage mask = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = mask.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 32, 64);
        g.dispose();
        return mask;
    }

    private static Map<String, Object> inpaint(String image, String mask) {
        Map<String, Object> graph = StandardGraphs.headlessTextToImage(world.modelKey, "a red ball", 4, 64, 4, "euler");
        StandardGraphs.set(graph, "d", "denoising_start", 0.25);
        StandardGraphs.add(graph, "i", "i2l", Map.of("image", Map.of("image_name", image)));
        StandardGraphs.add(graph, "gm", "create_gradient_mask", Map.of("mask", Map.of("image_name", mask), "edge_radius", 8,
                "minimum_denoise", 0.3));
        StandardGraphs.connect(graph, "m", "vae", "i", "vae");
        StandardGraphs.connect(graph, "m", "vae", "gm", "vae");
        StandardGraphs.connect(graph, "m", "unet", "gm", "unet");
        StandardGraphs.connect(graph, "i", "latents", "d", "latents");
        StandardGraphs.connect(graph, "gm", "denoise_mask", "d", "denoise_mask");
        Map<String, Object> batch = new LinkedHashMap<>();
        batch.put("graph", graph);
        batch.put("runs", 1);
        return batch;
    }

    @Test
    void anInpaintGraphRunsAndStoresTheRepaintedAreaForItsOwner() throws Exception {
        String image = upload(world.alice.client(), ImageIO.read(new ByteArrayInputStream(TestImages.png(64, 64))));
        String mask = upload(world.alice.client(), mask());
        TestResponse enqueued = world.enqueue(world.alice.client(), inpaint(image, mask));
        assertEquals(200, enqueued.status(), enqueued.toString());
        JsonNode item = world.awaitFinished(enqueued.json().path("item_ids").get(0).asLong());
        assertEquals("completed", item.path("status").asText(), item.toString());
        JsonNode session = item.path("session");
        String gm = session.path("source_prepared_mapping").path("gm").get(0).asText();
        JsonNode result = session.path("results").path(gm);
        assertEquals("gradient_mask_output", result.path("type").asText(), result.toString());
        assertTrue(result.path("denoise_mask").path("gradient").asBoolean());
        String area = result.path("expanded_mask_area").path("image_name").asText();
        JsonNode areaDto = world.alice.client().get("/api/v1/images/i/" + area).json();
        assertTrue(areaDto.path("is_intermediate").asBoolean(), areaDto.toString());
        assertEquals(403, world.bob.client().get("/api/v1/images/i/" + area + "/full").status());
        String output = session.path("results").path(session.path("source_prepared_mapping").path("o").get(0).asText())
                .path("image").path("image_name").asText();
        assertEquals(200, world.alice.client().get("/api/v1/images/i/" + output + "/full").status());
    }

    @Test
    void aMaskTheOwnerMayNotReadFailsTheItem() throws Exception {
        String image = upload(world.alice.client(), ImageIO.read(new ByteArrayInputStream(TestImages.png(64, 64))));
        String bobsMask = upload(world.bob.client(), mask());
        TestResponse enqueued = world.enqueue(world.alice.client(), inpaint(image, bobsMask));
        assertEquals(200, enqueued.status(), enqueued.toString());
        JsonNode item = world.awaitFinished(enqueued.json().path("item_ids").get(0).asLong());
        assertEquals("failed", item.path("status").asText(), item.toString());
        assertTrue(item.path("error_message").asText().length() > 0 || item.path("error_traceback").asText().length() > 0);
    }

    @Test
    void aNegativeEdgeRadiusIsRefusedAtEnqueue() {
        Map<String, Object> batch = inpaint("x.png", "y.png");
        @SuppressWarnings("unchecked")
        Map<String, Object> graph = (Map<String, Object>) batch.get("graph");
        StandardGraphs.set(graph, "gm", "edge_radius", -1);
        TestResponse refused = world.enqueue(world.alice.client(), batch);
        assertEquals(422, refused.status(), refused.toString());
        assertTrue(refused.detail().contains("gm") && refused.detail().contains("edge_radius"), refused.detail());
    }
}
