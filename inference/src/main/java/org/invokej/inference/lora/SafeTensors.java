package org.invokej.inference.lora;

import org.invokej.inference.InvalidModelException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code .safetensors} format: an 8-byte little-endian header length, a JSON header naming each tensor's
 * dtype, shape and byte range, then the data. LoRA files are small (megabytes), so tensors are read whole as
 * float32; F32, F16, BF16 and F64 are read.
 */
public final class SafeTensors {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Real headers are kilobytes; a larger one is a damaged or hostile file. */
    private static final long MAX_HEADER = 64L << 20;

    private SafeTensors() {
    }

    /** One tensor as float32 values in row-major order. */
    public record Tensor(long[] shape, float[] values) {

        public Tensor {
            shape = shape.clone();
            if (count(shape) != values.length) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " does not hold " + values.length + " values");
            }
        }

        public long[] shape() {
            return shape.clone();
        }

        static long count(long[] shape) {
            long count = 1;
            for (long d : shape) {
                count *= d;
            }
            return count;
        }
    }

    /** Every tensor of the file by name, in the header's order; a malformed file is an {@link InvalidModelException}. */
    public static Map<String, Tensor> read(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, lengthBytes, 0);
            long headerLength = lengthBytes.flip().getLong();
            if (size < 8 || headerLength <= 0 || headerLength > MAX_HEADER || 8 + headerLength > size) {
                throw invalid(file, "its header length (" + headerLength + ") does not fit the file of " + size + " bytes");
            }
            ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
            readFully(channel, headerBytes, 8);
            JsonNode header = parseHeader(file, new String(headerBytes.array(), StandardCharsets.UTF_8));
            long dataStart = 8 + headerLength;
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> fields = header.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (!field.getKey().equals("__metadata__")) {
                    tensors.put(field.getKey(), tensor(file, channel, dataStart, size, field.getKey(), field.getValue()));
                }
            }
            return tensors;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    private static JsonNode parseHeader(Path file, String text) {
        try {
            JsonNode header = JSON.readTree(text);
            if (header == null || !header.isObject()) {
                throw invalid(file, "its header is not a JSON object");
            }
            return header;
        } catch (JsonProcessingException e) {
            throw invalid(file, "its header is not JSON (" + e.getOriginalMessage() + ")");
        }
    }

    private static Tensor tensor(Path file, FileChannel channel, long dataStart, long size, String name, JsonNode entry)
            throws IOException {
        String dtype = entry.path("dtype").asText("");
        int width = switch (dtype) {
            case "F32" -> 4;
            case "F16", "BF16" -> 2;
            case "F64" -> 8;
            default -> throw invalid(file, "tensor '" + name + "' has dtype '" + dtype + "'; LoRA weights are F32, F16, BF16 or F64");
        };
        JsonNode shapeNode = entry.path("shape");
        JsonNode offsets = entry.path("data_offsets");
        if (!shapeNode.isArray() || !offsets.isArray() || offsets.size() != 2) {
            throw invalid(file, "tensor '" + name + "' lacks a shape or data_offsets");
        }
        long[] shape = new long[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeNode.get(i).asLong(-1);
            if (shape[i] < 0) {
                throw invalid(file, "tensor '" + name + "' has a negative dimension");
            }
        }
        long count = Tensor.count(shape);
        long begin = offsets.get(0).asLong(-1);
        long end = offsets.get(1).asLong(-1);
        if (begin < 0 || end < begin || dataStart + end > size || end - begin != count * width || count > Integer.MAX_VALUE / 8) {
            throw invalid(file, "tensor '" + name + "' has data_offsets [" + begin + ", " + end + "] that do not fit its shape "
                    + Arrays.toString(shape) + " and dtype " + dtype + " within the file");
        }
        ByteBuffer data = ByteBuffer.allocate((int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, data, dataStart + begin);
        data.flip();
        float[] values = new float[(int) count];
        for (int i = 0; i < values.length; i++) {
            values[i] = switch (dtype) {
                case "F32" -> data.getFloat();
                case "F16" -> Float.float16ToFloat(data.getShort());
                case "BF16" -> Float.intBitsToFloat((data.getShort() & 0xFFFF) << 16);
                default -> (float) data.getDouble();
            };
        }
        return new Tensor(shape, values);
    }

    private static void readFully(FileChannel channel, ByteBuffer into, long position) throws IOException {
        long at = position;
        while (into.hasRemaining()) {
            int read = channel.read(into, at);
            if (read < 0) {
                throw new IOException("unexpected end of file");
            }
            at += read;
        }
    }

    /** Writes {@code tensors} as F32 (test LoRAs and tools). */
    public static void write(Path file, Map<String, Tensor> tensors) {
        ObjectNode header = JSON.createObjectNode();
        long offset = 0;
        for (Map.Entry<String, Tensor> entry : tensors.entrySet()) {
            ObjectNode node = header.putObject(entry.getKey());
            node.put("dtype", "F32");
            var shape = node.putArray("shape");
            for (long d : entry.getValue().shape) {
                shape.add(d);
            }
            long length = entry.getValue().values.length * 4L;
            node.putArray("data_offsets").add(offset).add(offset + length);
            offset += length;
        }
        byte[] headerBytes = header.toString().getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate((int) (8 + headerBytes.length + offset)).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(headerBytes.length).put(headerBytes);
        tensors.values().forEach(tensor -> {
            for (float v : tensor.values) {
                out.putFloat(v);
            }
        });
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, out.array());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }

    private static InvalidModelException invalid(Path file, String problem) {
        return new InvalidModelException(file + ": not a valid .safetensors file: " + problem);
    }
}
