package org.invokej.core.content;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOInvalidTreeException;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.w3c.dom.Node;

/**
 * PNG files with text metadata in {@code iTXt} chunks, which hold UTF-8 (the {@code tEXt} chunk is
 * Latin-1 and would mangle prompts in other scripts). InvokeAI keeps its metadata JSON under the
 * keyword {@code invokeai_metadata}.
 */
public final class PngFile {
    private static final String FORMAT = "javax_imageio_png_1.0";

    private PngFile() {
    }

    /** Writes the image as PNG with one uncompressed {@code iTXt} chunk per entry. */
    public static void write(BufferedImage image, Map<String, String> text, OutputStream out) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        // In memory: ImageIO's default stream caches through a temporary file.
        try (ImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(stream);
            IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image),
                    writer.getDefaultWriteParam());
            IIOMetadataNode root = new IIOMetadataNode(FORMAT);
            IIOMetadataNode chunk = new IIOMetadataNode("iTXt");
            for (Map.Entry<String, String> entry : text.entrySet()) {
                IIOMetadataNode item = new IIOMetadataNode("iTXtEntry");
                item.setAttribute("keyword", entry.getKey());
                item.setAttribute("compressionFlag", "FALSE");
                item.setAttribute("compressionMethod", "0");
                item.setAttribute("languageTag", "");
                item.setAttribute("translatedKeyword", "");
                item.setAttribute("text", entry.getValue());
                chunk.appendChild(item);
            }
            root.appendChild(chunk);
            try {
                metadata.mergeTree(FORMAT, root);
            } catch (IIOInvalidTreeException e) {
                throw new IOException("PNG metadata rejected: " + e.getMessage(), e);
            }
            writer.write(new IIOImage(image, null, metadata));
        } finally {
            writer.dispose();
        }
    }

    /** The {@code iTXt} and {@code tEXt} entries of a PNG, keyword to text. */
    public static Map<String, String> readText(InputStream in) throws IOException {
        try (ImageInputStream stream = new MemoryCacheImageInputStream(in)) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(stream);
            if (!readers.hasNext()) {
                throw new IOException("not an image");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(stream);
                IIOMetadata metadata = reader.getImageMetadata(0);
                if (!FORMAT.equals(metadata.getNativeMetadataFormatName())) {
                    throw new IOException("not a PNG");
                }
                return text(metadata);
            } finally {
                reader.dispose();
            }
        }
    }

    /** The text entries of an image's metadata, keyword to text; none unless it is a PNG's. */
    static Map<String, String> text(IIOMetadata metadata) {
        Map<String, String> text = new LinkedHashMap<>();
        if (metadata == null || !FORMAT.equals(metadata.getNativeMetadataFormatName())) {
            return text;
        }
        Node root = metadata.getAsTree(FORMAT);
        for (Node chunk = root.getFirstChild(); chunk != null; chunk = chunk.getNextSibling()) {
            String chunkName = chunk.getNodeName();
            if (!chunkName.equals("iTXt") && !chunkName.equals("tEXt")) {
                continue;
            }
            for (Node entry = chunk.getFirstChild(); entry != null; entry = entry.getNextSibling()) {
                IIOMetadataNode node = (IIOMetadataNode) entry;
                String value = chunkName.equals("iTXt") ? node.getAttribute("text") : node.getAttribute("value");
                text.put(node.getAttribute("keyword"), value);
            }
        }
        return text;
    }
}
