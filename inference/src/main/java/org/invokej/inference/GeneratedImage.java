package org.invokej.inference;

import org.invokej.core.content.PngFile;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

/** A finished image with the metadata to store with it and where the time went. */
public record GeneratedImage(BufferedImage image, GenerationMetadata metadata, GenerationTimings timings) {

    /** Writes the image as PNG with the metadata in an {@code invokeai_metadata} iTXt chunk. */
    public void writePng(OutputStream out) throws IOException {
        PngFile.write(image, Map.of(GenerationMetadata.PNG_KEYWORD, metadata.toJson()), out);
    }
}
