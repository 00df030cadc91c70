package org.invokej.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.invokej.inference.testmodels.TinyModels;
import org.invokej.testing.ModelInstalls;
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
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * InvokeAI 6.14's canvas inpaint and outpaint batches (SD 1.5, SDXL, and an inpainting UNet), as its web UI
 * sends them, through {@code enqueue_batch} on the real server: the canvas composite and mask uploaded by
 * the owner, the staged output read back over HTTP and checked pixel by pixel.
 */
class CanvasQueueTest {

    @TempDir
    static Path root;
    @TempDir
    static Path sources;

    private static QueueWorld world;
    private static JsonNode sd15;
    private static JsonNode sdxl;
    private static JsonNode inpaint;

    @BeforeAll
    static void start() {
        world = new QueueWorld(root, sources, Map.of());
        sd15 = world.admin.client().get("/api/v2/models/i/" + world.modelKey).json();
        sdxl = installed(TinyModels.sdxl(), "tiny-sdxl");
        inpaint = installed(TinyModels.sd15().inpaint(), "tiny-inpaint");
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    private static JsonNode installed(TinyModels model, String name) {
        JsonNode job = ModelInstalls.install(world.admin.client(), model.writeTo(sources.resolve(name)));
        assertEquals("completed", job.path("status").asText(), job.toString());
        return job.path("config_out");
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

    private static BufferedImage picture(boolean transparentRight) {
        BufferedImage image = new BufferedImage(128, 128, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 128; y++) {
            for (int x = 0; x < 128; x++) {
                boolean clear = transparentRight && x >= 96;
                image.setRGB(x, y, clear ? 0 : 0xFF000000 | (x * 2) << 16 | (y * 2) << 8 | (x ^ y) & 0xff);
            }
        }
        return image;
    }

    /** The canvas's grey mask composite: white, with the painted inpaint mask black. */
    private static BufferedImage mask(boolean withSquare) {
        BufferedImage mask = new BufferedImage(128, 128, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = mask.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 128, 128);
        if (withSquare) {
            g.setColor(Color.BLACK);
            g.fillRect(80, 80, 32, 32);
        }
        g.dispose();
        return mask;
    }

    /** The web UI's batch for {@code resource}, for {@code model}, on the composite and mask the owner uploaded. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> batch(String resource, JsonNode model, String composite, String mask) {
        Map<String, Object> body = StandardGraphs.webUiBatch(resource, Map.of("MODEL_KEY", model.path("key").asText(),
                "MODEL_HASH", model.path("hash").asText(), "MODEL_NAME", model.path("name").asText(), "IMAGE_NAME", composite,
                "MASK_NAME", mask));
        return (Map<String, Object>) body.get("batch");
    }

    @SuppressWarnings("unchecked")
    private static String nodeId(Map<String, Object> batch, String prefix) {
        Map<String, Object> nodes = (Map<String, Object>) ((Map<String, Object>) batch.get("graph")).get("nodes");
        return nodes.keySet().stream().filter(id -> id.startsWith(prefix + ":")).findFirst().orElseThrow();
    }

    private static JsonNode run(Map<String, Object> batch) {
        TestResponse enqueued = world.enqueue(world.alice.client(), batch);
        assertEquals(200, enqueued.status(), enqueued.toString());
        JsonNode item = world.awaitFinished(enqueued.json().path("item_ids").get(0).asLong());
        assertEquals("completed", item.path("status").asText(), item.toString());
        return item;
    }

    /** The image {@code node} stored, read back by its owner. */
    private static BufferedImage image(JsonNode item, String node) throws IOException {
        JsonNode session = item.path("session");
        String prepared = session.path("source_prepared_mapping").path(node).get(0).asText();
        String name = session.path("results").path(prepared).path("image").path("image_name").asText();
        TestResponse full = world.alice.client().get("/api/v1/images/i/" + name + "/full");
        assertEquals(200, full.status());
        return ImageIO.read(new ByteArrayInputStream(full.body()));
    }

    @Test
    void anSd15InpaintPastedBackKeepsTheCanvasOutsideTheMask() throws IOException {
        BufferedImage composite = picture(false);
        Map<String, Object> batch = batch("sd15-canvas-inpaint-whole-image", sd15, upload(world.alice.client(), composite),
                upload(world.alice.client(), mask(true)));
        JsonNode item = run(batch);
        BufferedImage out = image(item, nodeId(batch, "canvas_output"));
        assertEquals(128, out.getWidth());
        assertEquals(128, out.getHeight());
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 128; x++) {
                assertEquals(composite.getRGB(x, y), out.getRGB(x, y), "kept pixel " + x + "," + y);
            }
        }
        BufferedImage generated = image(item, nodeId(batch, "l2i"));
        for (int y = 84; y < 108; y++) {
            for (int x = 84; x < 108; x++) {
                assertEquals(generated.getRGB(x, y) | 0xFF000000, out.getRGB(x, y) | 0xFF000000, "repainted pixel " + x + "," + y);
            }
        }
        assertNotEquals(composite.getRGB(96, 96), out.getRGB(96, 96));
    }

    @Test
    void anSd15InpaintOfOnlyTheMaskedRegionIsTransparentElsewhere() throws IOException {
        Map<String, Object> batch = batch("sd15-canvas-inpaint", sd15, upload(world.alice.client(), picture(false)),
                upload(world.alice.client(), mask(true)));
        JsonNode item = run(batch);
        BufferedImage out = image(item, nodeId(batch, "canvas_output"));
        assertEquals(0, out.getRGB(10, 10) >>> 24);
        assertEquals(255, out.getRGB(96, 96) >>> 24);
        String name = item.path("session").path("results").path(item.path("session").path("source_prepared_mapping")
                .path(nodeId(batch, "canvas_output")).get(0).asText()).path("image").path("image_name").asText();
        assertTrue(world.alice.client().get("/api/v1/images/i/" + name).json().path("is_intermediate").asBoolean(),
                "the canvas stages its output");
    }

    @Test
    void anSd15OutpaintFillsTheTransparentSideWithTileInfill() throws IOException {
        BufferedImage composite = picture(true);
        Map<String, Object> batch = batch("sd15-canvas-outpaint", sd15, upload(world.alice.client(), composite),
                upload(world.alice.client(), mask(false)));
        JsonNode item = run(batch);
        BufferedImage out = image(item, nodeId(batch, "canvas_output"));
        assertEquals(128, out.getWidth());
        for (int y = 0; y < 128; y++) {
            for (int x = 0; x < 128; x++) {
                assertEquals(255, out.getRGB(x, y) >>> 24, "opaque at " + x + "," + y);
            }
            for (int x = 0; x < 40; x++) {
                assertEquals(composite.getRGB(x, y), out.getRGB(x, y), "kept pixel " + x + "," + y);
            }
        }
        BufferedImage infilled = image(item, "infill_tile");
        assertEquals(255, infilled.getRGB(110, 60) >>> 24, "the infill made the transparent side opaque");
    }

    @Test
    void anSdxlInpaintScaledBeforeProcessingComesBackAtTheBoxSize() throws IOException {
        Map<String, Object> batch = batch("sdxl-canvas-inpaint", sdxl, upload(world.alice.client(), picture(false)),
                upload(world.alice.client(), mask(true)));
        JsonNode item = run(batch);
        assertEquals(192, image(item, nodeId(batch, "l2i")).getWidth());
        BufferedImage out = image(item, nodeId(batch, "canvas_output"));
        assertEquals(128, out.getWidth());
        assertEquals(128, out.getHeight());
        assertEquals(0, out.getRGB(10, 10) >>> 24);
        assertEquals(255, out.getRGB(96, 96) >>> 24);
    }

    @Test
    void anInpaintingModelIsInstalledAsSuchAndGetsTheMaskedImage() throws IOException {
        assertEquals("inpaint", inpaint.path("variant").asText(), inpaint.toString());
        assertEquals("normal", sd15.path("variant").asText(), sd15.toString());
        BufferedImage composite = picture(false);
        Map<String, Object> batch = batch("sd15-canvas-inpaint-whole-image", inpaint, upload(world.alice.client(), composite),
                upload(world.alice.client(), mask(true)));
        JsonNode item = run(batch);
        JsonNode session = item.path("session");
        String gradient = session.path("source_prepared_mapping").path(nodeId(batch, "create_gradient_mask")).get(0).asText();
        assertTrue(session.path("results").path(gradient).path("denoise_mask").path("masked_latents_name").isTextual(),
                session.path("results").path(gradient).toString());
        BufferedImage out = image(item, nodeId(batch, "canvas_output"));
        for (int x = 0; x < 128; x++) {
            assertEquals(composite.getRGB(x, 5), out.getRGB(x, 5), "kept pixel " + x + ",5");
        }
    }

    @Test
    void anotherUsersCompositeCannotBeOutpainted() {
        Map<String, Object> batch = batch("sd15-canvas-outpaint", sd15, upload(world.bob.client(), picture(true)),
                upload(world.alice.client(), mask(false)));
        TestResponse enqueued = world.enqueue(world.alice.client(), batch);
        assertEquals(200, enqueued.status(), enqueued.toString());
        JsonNode item = world.awaitFinished(enqueued.json().path("item_ids").get(0).asLong());
        assertEquals("failed", item.path("status").asText(), "the composite is read with the owner's rights: " + item);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theCanvasDefaultLamaInfillIsRefusedAtEnqueueNamingWhatToUse() throws IOException {
        Map<String, Object> tile = batch("sd15-canvas-outpaint", sd15, "composite.png", "mask.png");
        ObjectMapper mapper = new ObjectMapper();
        Map<String, Object> lama = mapper.readValue(mapper.writeValueAsString(tile).replace("\"infill_tile\"", "\"infill_lama\""), Map.class);
        int before = world.alice.client().get("/api/v1/queue/default/status").json().path("queue").path("total").asInt();
        TestResponse refused = world.enqueue(world.alice.client(), lama);
        assertEquals(422, refused.status(), refused.toString());
        assertTrue(refused.detail().contains("infill_lama") && refused.detail().contains("infill_tile"), refused.detail());
        assertEquals(before, world.alice.client().get("/api/v1/queue/default/status").json().path("queue").path("total").asInt());
    }

    @Test
    @SuppressWarnings("unchecked")
    void aBlendModeThisServerDoesNotOfferIsRefusedAtEnqueue() {
        Map<String, Object> batch = batch("sd15-canvas-inpaint-whole-image", sd15, "composite.png", "mask.png");
        StandardGraphs.set((Map<String, Object>) batch.get("graph"), nodeId(batch, "canvas_output"), "blend_mode", "Multiply");
        TestResponse refused = world.enqueue(world.alice.client(), batch);
        assertEquals(422, refused.status(), refused.toString());
        assertTrue(refused.detail().contains("blend_mode"), refused.detail());
    }
}
