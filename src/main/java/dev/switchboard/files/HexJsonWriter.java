package dev.switchboard.files;

import dev.switchboard.json.Json;
import java.io.OutputStream;
import java.io.Reader;
import java.util.List;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;

/**
 * Writes a result to the caller, File bytes as hex generated while they are written: a 5 MB download never
 * becomes a 10 MB string in memory.
 */
public final class HexJsonWriter {
    private HexJsonWriter() {}

    public static void write(JsonNode node, OutputStream out) {
        try (JsonGenerator generator = Json.MAPPER.createGenerator(out)) {
            write(node, generator);
        }
    }

    private static void write(JsonNode node, JsonGenerator generator) {
        FileBytes bytes = FileObjects.bytesOf(node);
        if (bytes != null) {
            generator.writeString(new HexReader(bytes), (int) (bytes.length() * 2));
        } else if (node.isObject()) {
            generator.writeStartObject();
            node.properties().forEach(field -> {
                generator.writeName(field.getKey());
                write(field.getValue(), generator);
            });
            generator.writeEndObject();
        } else if (node.isArray()) {
            generator.writeStartArray();
            node.forEach(item -> write(item, generator));
            generator.writeEndArray();
        } else {
            generator.writeTree(node);
        }
    }

    /** The hex text of file bytes, produced as it is read. */
    private static final class HexReader extends Reader {
        private static final char[] DIGITS = "0123456789abcdef".toCharArray();
        private final List<byte[]> chunks;
        private int chunk;
        private int index;
        private boolean lowNibbleNext;

        HexReader(FileBytes bytes) {
            this.chunks = bytes.chunks();
        }

        @Override
        public int read(char[] buffer, int offset, int length) {
            int written = 0;
            while (written < length) {
                while (chunk < chunks.size() && index >= chunks.get(chunk).length) {
                    chunk++;
                    index = 0;
                }
                if (chunk >= chunks.size()) {
                    break;
                }
                int b = chunks.get(chunk)[index] & 0xff;
                if (lowNibbleNext) {
                    buffer[offset + written++] = DIGITS[b & 0x0f];
                    index++;
                } else {
                    buffer[offset + written++] = DIGITS[b >>> 4];
                }
                lowNibbleNext = !lowNibbleNext;
            }
            return written == 0 && length > 0 ? -1 : written;
        }

        @Override
        public void close() {
        }
    }
}
