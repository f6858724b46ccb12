package dev.switchboard.files;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.node.ObjectNode;

/**
 * Multipart upload bodies, built as a list of byte chunks around the file's own chunks (no copy of the file):
 * {@code multipart/related} with a JSON metadata part then the media (Google Drive's multipart upload), or
 * {@code multipart/form-data} with named parts (Box's upload: {@code attributes} then {@code file}).
 */
public final class Multipart {
    /** One part: JSON metadata or the file's bytes. */
    public record Part(String name, ObjectNode json, FileBytes file, String fileName, String mimeType) {
        public static Part json(String name, ObjectNode json) {
            return new Part(name, json, null, null, null);
        }

        public static Part file(String name, FileBytes bytes, String fileName, String mimeType) {
            return new Part(name, null, bytes, fileName, mimeType);
        }
    }

    /** The body's chunks and its Content-Type header value. */
    public record Body(List<byte[]> chunks, String contentType) {}

    private Multipart() {}

    /** @param type {@code related} or {@code form-data} */
    public static Body build(String type, List<Part> parts) {
        String boundary = "switchboard-" + UUID.randomUUID();
        List<byte[]> chunks = new ArrayList<>();
        for (Part part : parts) {
            StringBuilder head = new StringBuilder("--").append(boundary).append("\r\n");
            if (type.equals("form-data")) {
                head.append("Content-Disposition: form-data; name=\"").append(quoted(part.name())).append('"');
                if (part.file() != null) {
                    head.append("; filename=\"").append(quoted(part.fileName() == null ? "file" : part.fileName())).append('"');
                }
                head.append("\r\n");
            }
            head.append("Content-Type: ").append(part.file() != null ? part.mimeType() : "application/json; charset=UTF-8").append("\r\n\r\n");
            chunks.add(head.toString().getBytes(StandardCharsets.UTF_8));
            if (part.file() != null) {
                chunks.addAll(part.file().chunks());
            } else {
                chunks.add(part.json().toString().getBytes(StandardCharsets.UTF_8));
            }
            chunks.add("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        chunks.add(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return new Body(chunks, "multipart/" + type + "; boundary=" + boundary);
    }

    /** Quotes for a header parameter: no quote, backslash or line break may end it early. */
    private static String quoted(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\r", " ").replace("\n", " ");
    }
}
