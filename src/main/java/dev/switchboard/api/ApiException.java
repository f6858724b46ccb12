package dev.switchboard.api;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Every error a caller can see. Rendered in one place ({@link ErrorResponses}) into the ActionKit shape
 * {@code {"message", "code", "status", "meta": {"requestId", ...}}}.
 */
public final class ApiException extends RuntimeException {
    public static final int MAX_INTEGRATION_TEXT = 2000;
    private final int status;
    private final String code;
    private final Map<String, Object> meta = new LinkedHashMap<>();
    private final Map<String, String> headers = new LinkedHashMap<>();

    public ApiException(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public static ApiException badRequest(String code, String message) {
        return new ApiException(400, code, message);
    }

    public static ApiException unauthorized() {
        // One message for every token problem: the caller learns nothing about which check failed.
        return new ApiException(401, "unauthorized", "Invalid or missing user token.");
    }

    public static ApiException forbidden(String message) {
        return new ApiException(403, "forbidden", message);
    }

    public static ApiException notFound(String code, String message) {
        return new ApiException(404, code, message);
    }

    public static ApiException notConnected() {
        // ActionKit clients match on this exact text.
        return badRequest("integration_not_connected", "Integration not enabled for user.");
    }

    public ApiException withMeta(String key, Object value) {
        meta.put(key, value);
        return this;
    }

    /**
     * Marks this error as the vendor's answer (SPEC 4): its status, and its body as JSON, or else as text (at
     * most the first 2000 bytes).
     */
    public ApiException fromIntegration(int vendorStatus, JsonNode json, byte[] body) {
        return withMeta("isIntegrationError", true)
                .withMeta("integrationStatus", vendorStatus)
                .withMeta("integrationResponse", json != null ? json
                        : new String(body, 0, Math.min(body.length, MAX_INTEGRATION_TEXT), StandardCharsets.UTF_8));
    }

    public ApiException withHeader(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public int status() { return status; }
    public String code() { return code; }
    public Map<String, Object> meta() { return meta; }
    public Map<String, String> headers() { return headers; }
}
