package org.invokej.content;

import com.fasterxml.jackson.databind.JsonNode;
import org.invokej.core.content.PngFile;
import org.invokej.testing.TestClient;
import org.invokej.testing.TestImages;
import org.invokej.testing.TestResponse;
import org.invokej.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Uploads: formats, text chunks, thumbnails, and every bad upload refused cleanly with nothing left behind. */
class UploadTest {

    private static final String GENERAL = "image_category=general&is_intermediate=false";
    private static final String WORKFLOW = "{\"name\":\"wf\",\"author\":\"\",\"description\":\"\",\"version\":\"1.0.0\","
            + "\"contact\":\"\",\"tags\":\"\",\"notes\":\"\",\"exposedFields\":[],\"meta\":{\"version\":\"3.0.0\",\"category\":\"user\"},"
            + "\"nodes\":[],\"edges\":[]}";

    @TempDir
    static Path root;
    private static ContentWorld world;

    @BeforeAll
    static void start() {
        world = new ContentWorld(root, Map.of("max_upload_size", "1MiB", "max_image_pixels", "40000000"));
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    private static TestClient u1() {
        return world.user1.client();
    }

    private static long rows() {
        return world.admin.client().get("/api/v1/images/?limit=0").json().path("total").asLong();
    }

    private static List<Path> files() throws IOException {
        try (Stream<Path> walk = Files.walk(root.resolve("outputs/images"))) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }

    /** Uploads something bad and checks the refusal, and that no row and no file (not even a temporary one) was left. */
    private static TestResponse refused(int status, String detail, byte[] bytes, String contentType, String query) throws IOException {
        long rowsBefore = rows();
        List<Path> filesBefore = files();
        TestResponse response = TestImages.upload(u1(), bytes, contentType, query, Map.of());
        assertEquals(status, response.status(), response.toString());
        if (detail != null) {
            assertEquals(detail, response.detail());
        }
        assertEquals(rowsBefore, rows(), "no row left behind");
        assertEquals(filesBefore, files(), "no file left behind");
        return response;
    }

    @Test
    void whatIsNotAnImageIs415() throws IOException {
        refused(415, "Not an image", TestImages.png(8, 8), "text/plain", GENERAL);
        refused(415, "Not an image", TestImages.png(8, 8), null, GENERAL);
        refused(415, "Failed to read image", "hello, not a picture".getBytes(StandardCharsets.UTF_8), "image/png", GENERAL);
        refused(415, "Failed to read image", new byte[0], "image/png", GENERAL);
        assertEquals(415, u1().send("POST", "/api/v1/images/upload?" + GENERAL, "application/json", "{}".getBytes()).status());
    }

    @Test
    void aTruncatedPngIs415() throws IOException {
        byte[] png = TestImages.png(64, 64);
        refused(415, "Failed to read image", java.util.Arrays.copyOf(png, png.length / 2), "image/png", GENERAL);
        refused(415, "Failed to read image", java.util.Arrays.copyOf(png, 40), "image/png", GENERAL);
    }

    @Test
    void aPixelBombIsRefusedFromItsHeader() throws IOException {
        // 20000 x 10000 = 200 megapixels announced by a 60-byte file: decoding it would need 800 MB.
        TestResponse response = refused(413, null, pngHeaderOnly(20_000, 10_000), "image/png", GENERAL);
        assertTrue(response.detail().contains("20000x10000"), response.detail());
    }

    @Test
    void aBodyOverTheUploadLimitIs413() throws IOException {
        byte[] big = new byte[1100 * 1024];
        new java.util.Random(1).nextBytes(big);
        refused(413, null, big, "image/png", GENERAL);
    }

    @Test
    void missingOrBadParametersAre422() throws IOException {
        refused(422, null, TestImages.png(8, 8), "image/png", "is_intermediate=false");
        refused(422, null, TestImages.png(8, 8), "image/png", "image_category=general");
        refused(422, null, TestImages.png(8, 8), "image/png", "image_category=selfie&is_intermediate=false");
        TestImages.Form noFile = new TestImages.Form("multipart/form-data; boundary=x",
                "--x\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nv\r\n--x--\r\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(422, u1().send("POST", "/api/v1/images/upload?" + GENERAL, noFile.contentType(), noFile.body()).status());
        TestImages.Form broken = new TestImages.Form("multipart/form-data; boundary=x", "--x\r\nnonsense".getBytes(StandardCharsets.UTF_8));
        int status = u1().send("POST", "/api/v1/images/upload?" + GENERAL, broken.contentType(), broken.body()).status();
        assertTrue(status == 400 || status == 422, "a malformed form is the client's error: " + status);
    }

    @Test
    void namesThatAreNotOursAre404WithoutTouchingFiles() {
        for (String name : List.of("..%2F..%2Fdatabases%2Finvokeai.db", "%2Fetc%2Fpasswd", "invokeai.yaml", "ABC.png",
                "00000000-0000-0000-0000-00000000000G.png", "00000000-0000-0000-0000-000000000000.png%00.txt",
                "00000000-0000-0000-0000-000000000000.PNG")) {
            for (String suffix : List.of("", "/full", "/thumbnail", "/metadata")) {
                int status = u1().get("/api/v1/images/i/" + name + suffix).status();
                assertEquals(404, status, name + suffix);
            }
        }
        assertEquals(403, u1().get("/api/v1/images/i/00000000-0000-0000-0000-000000000000.png").status(),
                "an unknown name of our form is not revealed to users");
        assertEquals(404, world.admin.client().get("/api/v1/images/i/00000000-0000-0000-0000-000000000000.png").status());
    }

    @Test
    void otherFormatsAreStoredAsPngWithAThumbnail() throws IOException {
        for (String format : List.of("jpg", "gif", "bmp", "png")) {
            TestResponse response = TestImages.upload(u1(), TestImages.encoded(600, 300, format), "image/" + format, GENERAL, Map.of());
            assertEquals(201, response.status(), format + ": " + response);
            String name = response.json().path("image_name").asText();
            assertTrue(name.matches("[0-9a-f-]{36}\\.png"), name);
            assertEquals(600, response.json().path("width").asInt());
            BufferedImage full = ImageIO.read(new ByteArrayInputStream(u1().get("/api/v1/images/i/" + name + "/full").body()));
            assertEquals(600, full.getWidth());
            byte[] thumbBytes = u1().get("/api/v1/images/i/" + name + "/thumbnail").body();
            BufferedImage thumb = ImageIO.read(new ByteArrayInputStream(thumbBytes));
            assertEquals(256, thumb.getWidth(), format);
            assertEquals(128, thumb.getHeight(), format);
        }
        TestResponse small = TestImages.upload(u1(), TestImages.png(40, 20), "image/png", GENERAL, Map.of());
        BufferedImage thumb = ImageIO.read(new ByteArrayInputStream(
                u1().get("/api/v1/images/i/" + small.json().path("image_name").asText() + "/thumbnail").body()));
        assertEquals(40, thumb.getWidth(), "never enlarged");
    }

    @Test
    void invokeAiTextChunksAreKeptWhenValidAndUtf8Safe() throws IOException {
        Map<String, String> chunks = new LinkedHashMap<>();
        chunks.put("invokeai_metadata", "{\"positive_prompt\":\"猫 café 🎨\"}");
        chunks.put("invokeai_workflow", WORKFLOW);
        chunks.put("invokeai_graph", "{\"id\":\"g\",\"nodes\":{},\"edges\":[]}");
        TestResponse response = TestImages.upload(u1(), pngWith(chunks), "image/png", GENERAL, Map.of());
        assertEquals(201, response.status());
        String name = response.json().path("image_name").asText();
        assertTrue(response.json().path("has_workflow").asBoolean());
        assertEquals("猫 café 🎨", u1().get("/api/v1/images/i/" + name + "/metadata").json().path("positive_prompt").asText());
        JsonNode workflow = u1().get("/api/v1/images/i/" + name + "/workflow").json();
        assertEquals("wf", new com.fasterxml.jackson.databind.ObjectMapper().readTree(workflow.path("workflow").asText()).path("name").asText());
        assertTrue(workflow.path("graph").asText().contains("\"edges\""));
        Map<String, String> stored = PngFile.readText(new ByteArrayInputStream(u1().get("/api/v1/images/i/" + name + "/full").body()));
        assertEquals(chunks, stored);

        Map<String, String> bad = Map.of("invokeai_metadata", "[1, 2]", "invokeai_workflow", "{\"name\":\"no\"}",
                "invokeai_graph", "{\"nodes\":[]}");
        TestResponse dropped = TestImages.upload(u1(), pngWith(bad), "image/png", GENERAL, Map.of());
        String droppedName = dropped.json().path("image_name").asText();
        assertFalse(dropped.json().path("has_workflow").asBoolean());
        assertTrue(u1().get("/api/v1/images/i/" + droppedName + "/metadata").json().isNull());
        JsonNode none = u1().get("/api/v1/images/i/" + droppedName + "/workflow").json();
        assertTrue(none.path("workflow").isNull() && none.path("graph").isNull());

        TestResponse overridden = TestImages.upload(u1(), pngWith(chunks), "image/png", GENERAL, Map.of("metadata", "{\"from\":\"form\"}"));
        assertEquals("form", u1().get("/api/v1/images/i/" + overridden.json().path("image_name").asText() + "/metadata")
                .json().path("from").asText());
        assertEquals(422, TestImages.upload(u1(), TestImages.png(8, 8), "image/png", GENERAL, Map.of("metadata", "not json")).status());
    }

    @Test
    void aFailedFileWriteLeavesNoRow(@TempDir Path other) throws IOException {
        try (TestServer server = TestServer.start(other, Map.of())) {
            // A regular file where the thumbnails folder should be: the thumbnail cannot be written.
            Path thumbnails = other.resolve("outputs/images/thumbnails");
            Files.delete(thumbnails);
            Files.writeString(thumbnails, "in the way");
            TestResponse response = TestImages.upload(server.client(), TestImages.png(8, 8), "image/png", GENERAL, Map.of());
            assertEquals(500, response.status());
            assertEquals(0, server.client().get("/api/v1/images/?limit=0").json().path("total").asInt());
            try (Stream<Path> left = Files.list(other.resolve("outputs/images"))) {
                // On PostgreSQL the folder also holds the shared-folder marker, which is not the upload's.
                assertEquals(List.of(thumbnails), left.filter(file -> !file.getFileName().toString().equals(".invokej-shared-folder")).toList(),
                        "the full-size file was removed too");
            }
        }
    }

    /** A PNG whose header announces {@code width} x {@code height} but which holds no pixel data. */
    private static byte[] pngHeaderOnly(int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 2).put((byte) 0)
                .put((byte) 0).put((byte) 0);
        chunk(out, "IHDR", ihdr.array());
        chunk(out, "IDAT", new byte[] {0x78, (byte) 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01});
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(name);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    private static byte[] pngWith(Map<String, String> text) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PngFile.write(new BufferedImage(16, 16, BufferedImage.TYPE_INT_ARGB), text, out);
        return out.toByteArray();
    }
}
