package dev.switchboard.http;

import dev.switchboard.files.FileObjects;
import dev.switchboard.json.Json;
import dev.switchboard.outcomes.Echo;
import dev.switchboard.outcomes.Failure;
import io.javalin.config.Key;
import io.javalin.http.Context;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Reads JSON request bodies under the node's limit ({@code max-body-bytes}, 10 MiB unless configured). A declared
 * length over the limit is refused before a byte is read; an undeclared (chunked) one is refused as soon as it
 * passes the limit.
 */
public final class JsonBodies {
    /** The limit, in the app's data: set once from the node's configuration. */
    public static final Key<Long> MAX_BYTES = new Key<>("switchboard.maxBodyBytes");

    private JsonBodies() {}

    /** A JSON body, read strictly; File objects in it stay as they were sent. */
    public static JsonNode read(Context ctx) {
        return read(ctx, false);
    }

    /** An action's body: File objects' hex is decoded into bytes while it is read, so the text is never held. */
    public static JsonNode readAction(Context ctx) {
        return read(ctx, true);
    }

    /** The body's bytes as they came (a signed request is checked against exactly these), within the size limit. */
    public static byte[] rawBytes(Context ctx) {
        long limit = ctx.appData(MAX_BYTES);
        if (ctx.req().getContentLengthLong() > limit) {
            throw tooLarge(limit);
        }
        try (InputStream in = new LimitedInputStream(ctx.req().getInputStream(), limit)) {
            return in.readAllBytes();
        } catch (IllegalStateException | IOException e) {
            if (causedByLimit(e)) {
                throw tooLarge(limit);
            }
            throw Failure.invalidInput("invalid_request", "The request body could not be read.");
        }
    }

    private static JsonNode read(Context ctx, boolean decodeFiles) {
        String contentType = ctx.contentType();
        if (contentType == null || !contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw new Failure(Failure.Kind.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", "Send the body as JSON with Content-Type: application/json.");
        }
        long limit = ctx.appData(MAX_BYTES);
        if (ctx.req().getContentLengthLong() > limit) {
            throw tooLarge(limit);
        }
        try (InputStream in = new LimitedInputStream(ctx.req().getInputStream(), limit)) {
            JsonNode body = FileObjects.read(in, decodeFiles);
            if (body == null || body.isMissingNode()) {
                throw Failure.invalidInput("invalid_json", "The request body is empty; send a JSON object.");
            }
            return body;
        } catch (JacksonException | IllegalStateException e) {
            if (causedByLimit(e)) {
                throw tooLarge(limit);
            }
            String reason = e instanceof JacksonException jackson ? jackson.getOriginalMessage() : e.getMessage();
            throw Failure.invalidInput("invalid_json", "The request body is not valid JSON: " + reason);
        } catch (IOException e) {
            if (causedByLimit(e)) {
                throw tooLarge(limit);
            }
            throw Failure.invalidInput("invalid_json", "The request body could not be read.");
        }
    }

    /** Binds a JSON object to a typed body, naming the first field that does not fit. */
    public static <T> T bind(JsonNode body, Class<T> type) {
        if (!body.isObject()) {
            throw Failure.invalidInput("invalid_request", "The request body must be a JSON object.");
        }
        try {
            return Json.MAPPER.treeToValue(body, type);
        } catch (UnrecognizedPropertyException e) {
            throw Failure.invalidInput("invalid_request", "Unknown field " + Echo.quote(e.getPropertyName()) + "; known fields: "
                    + e.getKnownPropertyIds());
        } catch (JacksonException e) {
            String field = e.getPath().isEmpty() ? "body" : e.getPath().get(e.getPath().size() - 1).getPropertyName();
            throw Failure.invalidInput("invalid_request", "Field " + Echo.quote(field) + " has the wrong type.");
        }
    }

    private static Failure tooLarge(long limit) {
        return new Failure(Failure.Kind.TOO_LARGE, "payload_too_large", "The request body is larger than " + limit
                + " bytes. Send large files through the Proxy API (/projects/{projectId}/sdk/proxy/{integration}/...), "
                + "which streams bodies of any size.");
    }

    private static boolean causedByLimit(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof LimitExceeded) {
                return true;
            }
        }
        return false;
    }

    private static final class LimitExceeded extends IOException {
        LimitExceeded() {
            super("body limit exceeded", null);
        }
    }

    private static final class LimitedInputStream extends FilterInputStream {
        private long remaining;

        LimitedInputStream(InputStream in, long limit) {
            super(in);
            this.remaining = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0 && --remaining < 0) {
                throw new LimitExceeded();
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, (int) Math.min(length, remaining + 1));
            if (n > 0) {
                remaining -= n;
                if (remaining < 0) {
                    throw new LimitExceeded();
                }
            }
            return n;
        }
    }
}
