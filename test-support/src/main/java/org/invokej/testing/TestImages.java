package org.invokej.testing;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import javax.imageio.ImageIO;

/** Images for tests: small pictures in any format, multipart upload bodies, and uploads through the API. */
public final class TestImages {

    private TestImages() {
    }

    /** A {@code width}x{@code height} image with a colour gradient, encoded as {@code format} (png, jpg, gif, bmp). */
    public static byte[] encoded(int width, int height, String format) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, ((x * 255 / Math.max(1, width - 1)) << 16) | ((y * 255 / Math.max(1, height - 1)) << 8) | 0x40);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalArgumentException("no writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static byte[] png(int width, int height) {
        return encoded(width, height, "png");
    }

    /** A multipart/form-data body: the parts in order, each a file part {@code (contentType, bytes)} or a text part (String). */
    public record Form(String contentType, byte[] body) {
    }

    /** A form with one file part {@code file} of the given content type, and text parts. */
    public static Form form(byte[] file, String fileContentType, Map<String, String> texts) {
        return form("file", file, fileContentType, texts);
    }

    /** A form with one file part named {@code field} (e.g. a model's cover {@code image}), and text parts. */
    public static Form form(String field, byte[] file, String fileContentType, Map<String, String> texts) {
        String boundary = "----invokej" + UUID.randomUUID().toString().replace("-", "");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\"upload.bin\"\r\n"
                    + (fileContentType == null ? "" : "Content-Type: " + fileContentType + "\r\n") + "\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.write(file);
            out.write("\r\n".getBytes(StandardCharsets.UTF_8));
            for (Map.Entry<String, String> text : texts.entrySet()) {
                out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + text.getKey() + "\"\r\n\r\n"
                        + text.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
            }
            out.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Form("multipart/form-data; boundary=" + boundary, out.toByteArray());
    }

    /** Uploads {@code bytes} as {@code contentType} with {@code query} (e.g. {@code image_category=general&is_intermediate=false}). */
    public static TestResponse upload(TestClient client, byte[] bytes, String contentType, String query, Map<String, String> texts) {
        Form form = form(bytes, contentType, texts);
        return client.send("POST", "/api/v1/images/upload?" + query, form.contentType(), form.body());
    }

    /** Uploads a small PNG as a general, non-intermediate image (on {@code boardId} when not null); returns its name. */
    public static String uploadPng(TestClient client, String boardId) {
        TestResponse response = upload(client, png(24, 16), "image/png",
                "image_category=general&is_intermediate=false" + (boardId == null ? "" : "&board_id=" + boardId), new LinkedHashMap<>());
        if (response.status() != 201) {
            throw new IllegalStateException("upload failed: " + response);
        }
        return response.json().path("image_name").asText();
    }

    /** Creates a board through the API; returns its id. */
    public static String board(TestClient client, String name) {
        TestResponse response = client.post("/api/v1/boards/?board_name=" + java.net.URLEncoder.encode(name, StandardCharsets.UTF_8), null);
        if (response.status() != 201) {
            throw new IllegalStateException("board creation failed: " + response);
        }
        return response.json().path("board_id").asText();
    }

    /** Sets a board's visibility through the API. */
    public static void visibility(TestClient client, String boardId, String visibility) {
        TestResponse response = client.patch("/api/v1/boards/" + boardId, Map.of("board_visibility", visibility));
        if (response.status() != 201) {
            throw new IllegalStateException("visibility change failed: " + response);
        }
    }
}
