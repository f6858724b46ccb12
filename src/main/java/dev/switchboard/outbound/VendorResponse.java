package dev.switchboard.outbound;

import dev.switchboard.json.Json;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** A vendor's answer, with the pipeline's reading of it once {@link ClassifyInterceptor} has seen it. */
public final class VendorResponse {
    private final int status;
    private final Map<String, List<String>> headers;
    private final byte[] body;
    private final Classification classification;
    private JsonNode json;

    public VendorResponse(int status, Map<String, List<String>> headers, byte[] body) {
        this(status, headers, body, null);
    }

    private VendorResponse(int status, Map<String, List<String>> headers, byte[] body, Classification classification) {
        this.status = status;
        this.headers = headers;
        this.body = body;
        this.classification = classification;
    }

    public VendorResponse classified(Classification classification) {
        VendorResponse copy = new VendorResponse(status, headers, body, classification);
        copy.json = json;
        return copy;
    }

    public int status() { return status; }
    public byte[] body() { return body; }
    public Classification classification() { return classification; }

    /** The same answer with another body (a protocol's JSON reading of it). */
    public VendorResponse withBody(byte[] newBody) {
        return new VendorResponse(status, headers, newBody, classification);
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
