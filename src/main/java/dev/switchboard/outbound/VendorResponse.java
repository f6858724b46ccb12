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

    /**
     * The value at a JSON pointer of the body, or a missing node. A large body is not made into a tree for it: it is
     * read as a stream and only the value asked for is kept, so that classifying answers (Slack's {@code ok}) does not
     * build the trees of large answers before they have a place in memory ({@link AnswerMemory}).
     */
    public JsonNode at(String pointer) {
        if (json != null || body.length <= AnswerMemory.LARGE) {
            JsonNode tree = json();
            return tree == null ? tools.jackson.databind.node.MissingNode.getInstance() : tree.at(pointer);
        }
        try (tools.jackson.core.JsonParser parser = Json.MAPPER.createParser(body)) {
            parser.nextToken();
            return valueAt(parser, tools.jackson.core.JsonPointer.compile(pointer));
        } catch (JacksonException notJson) {
            return tools.jackson.databind.node.MissingNode.getInstance();
        }
    }

    /** The value at the pointer, the parser at the start of the value the pointer is relative to. */
    private static JsonNode valueAt(tools.jackson.core.JsonParser parser, tools.jackson.core.JsonPointer pointer) {
        if (pointer.matches()) {
            return parser.readValueAsTree();
        }
        tools.jackson.core.JsonToken token = parser.currentToken();
        if (token == tools.jackson.core.JsonToken.START_OBJECT) {
            while (parser.nextToken() == tools.jackson.core.JsonToken.PROPERTY_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                if (name.equals(pointer.getMatchingProperty())) {
                    return valueAt(parser, pointer.tail());
                }
                parser.skipChildren();
            }
        } else if (token == tools.jackson.core.JsonToken.START_ARRAY) {
            for (int index = 0; parser.nextToken() != tools.jackson.core.JsonToken.END_ARRAY; index++) {
                if (index == pointer.getMatchingIndex()) {
                    return valueAt(parser, pointer.tail());
                }
                parser.skipChildren();
            }
        }
        return tools.jackson.databind.node.MissingNode.getInstance();
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
