package org.invokej.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import org.invokej.core.content.PngFile;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** PNG text in iTXt chunks keeps every character; InvokeAI's metadata keeps its field names. */
class PngFileTest {
    private static final String PROMPT = "猫 café 🎨 \"quoted\" \\ new\nline";

    @Test
    void nonLatinTextRoundTripsExactly() throws Exception {
        BufferedImage image = new BufferedImage(16, 8, BufferedImage.TYPE_INT_RGB);
        image.setRGB(3, 4, 0x123456);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Map<String, String> text = new LinkedHashMap<>();
        text.put("invokeai_metadata", "{\"positive_prompt\": \"" + PROMPT + "\"}");
        text.put("comment", PROMPT);
        PngFile.write(image, text, out);
        Map<String, String> read = PngFile.readText(new ByteArrayInputStream(out.toByteArray()));
        assertEquals(text, read);
        BufferedImage back = ImageIO.read(new ByteArrayInputStream(out.toByteArray()));
        assertEquals(0x123456, back.getRGB(3, 4) & 0xffffff);
    }

    @Test
    void generatedImagesCarryInvokeAiMetadata() throws Exception {
        GenerationMetadata metadata = new GenerationMetadata("img2img", PROMPT, "blurry", 42, 20, 7.5, "euler_a", 512,
                768, Map.of("name", "sd15", "type", "main"), 0.7);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new GeneratedImage(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), metadata,
                new GenerationTimings(0, 0, 0, 0, 0, 0, 0, 0, 0, 0)).writePng(out);
        String json = PngFile.readText(new ByteArrayInputStream(out.toByteArray())).get("invokeai_metadata");
        JsonNode node = new ObjectMapper().readTree(json);
        assertEquals(PROMPT, node.get("positive_prompt").asText());
        assertEquals("blurry", node.get("negative_prompt").asText());
        assertEquals(42, node.get("seed").asLong());
        assertEquals(20, node.get("steps").asInt());
        assertEquals(7.5, node.get("cfg_scale").asDouble());
        assertEquals("euler_a", node.get("scheduler").asText());
        assertEquals(512, node.get("width").asInt());
        assertEquals(768, node.get("height").asInt());
        assertEquals("sd15", node.get("model").get("name").asText());
        assertEquals("img2img", node.get("generation_mode").asText());
        assertEquals(0.7, node.get("strength").asDouble());
    }
}
