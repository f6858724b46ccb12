package dev.switchboard.outbound;

import dev.switchboard.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * A vendor's answer, with the pipeline's reading of it once {@link ClassifyInterceptor} has seen it. Its body
 * is either read into memory or, for streamed calls, an open stream that the caller must {@link #close()}.
 */
public final class VendorResponse implements AutoCloseable {
    private static final byte[] NONE = new byte[0];

    private final int status;
    private final Map<String, List<String>> headers;
    private final byte[] body;
    private final InputStream stream;
    private final Classification classification;
    private JsonNode json;

    public VendorResponse(int status, Map<String, List<String>> headers, byte[] body) {
        this(status, headers, body, null, null);
    }

    /** An answer whose body has not been read. */
    public static VendorResponse streamed(int status, Map<String, List<String>> headers, InputStream stream) {
        return new VendorResponse(status, headers, NONE, stream, null);
    }

    private VendorResponse(int status, Map<String, List<String>> headers, byte[] body, InputStream stream, Classification classification) {
        this.status = status;
        this.headers = headers;
        this.body = body;
        this.stream = stream;
        this.classification = classification;
    }

    public VendorResponse classified(Classification classification) {
        VendorResponse copy = new VendorResponse(status, headers, body, stream, classification);
        copy.json = json;
        return copy;
    }

    /** The unread body of a streamed answer, or null. */
    public InputStream stream() {
        return stream;
    }

    public Map<String, List<String>> headers() {
        return headers;
    }

    @Override
    public void close() {
        if (stream != null) {
            try {
                stream.close();
            } catch (IOException ignored) {
                // the connection is discarded either way
            }
        }
    }

    public int status() { return status; }
    public byte[] body() { return body; }
    public Classification classification() { return classification; }

    /** The same answer with another body (a protocol's JSON reading of it). */
    public VendorResponse withBody(byte[] newBody) {
        return new VendorResponse(status, headers, newBody, null, classification);
    }

    public String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The body as JSON, or null when it is empty or not JSON. */
    public JsonNode json() {
        if (json == null && body.length > 0) {
            try {
                json = Json.MAPPER.readTree(body);
            } catch (JacksonException e) {
                return null;
            }
        }
        return json;
    }
}
