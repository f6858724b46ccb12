package dev.switchboard.api;

import dev.switchboard.json.Json;
import io.javalin.http.Context;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/** The single place where errors become HTTP responses. */
public final class ErrorResponses {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);

    private ErrorResponses() {}

    public static void render(Context ctx, ApiException e) {
        e.headers().forEach(ctx::header);
        ctx.status(e.status()).contentType("application/json").result(Json.write(body(e, RequestIds.of(ctx))));
    }

    /** The SPEC 4 body: {@code {"message", "code", "status", "meta": {"requestId", ...}}}. */
    static ObjectNode body(ApiException e, String requestId) {
        ObjectNode body = Json.object();
        body.put("message", e.getMessage());
        body.put("code", e.code());
        body.put("status", e.status());
        ObjectNode meta = body.putObject("meta");
        meta.put("requestId", requestId);
        e.meta().forEach((k, v) -> meta.set(k, Json.tree(v)));
        return body;
    }

    /**
     * Jetty's own answers, for requests it refuses before any route sees them (a malformed URI or header): the
     * same JSON shape instead of Jetty's HTML page.
     */
    public static final class JettyErrors extends ErrorHandler {
        @Override
        protected void generateResponse(Request request, Response response, int status, String message, Throwable cause,
                                        Callback callback) {
            String what = request.getMethod() + " " + request.getHttpURI().getPath() + " refused by the HTTP layer";
            response.write(true, refusal(status, message, response.getHeaders(), what), callback);
        }

        @Override
        public ByteBuffer badMessageError(int status, String message, HttpFields.Mutable fields) {
            return refusal(status, message, fields, "unreadable request");
        }

        /** The JSON body, with a new request id in the headers, the body and the log line. */
        private static ByteBuffer refusal(int status, String message, HttpFields.Mutable headers, String what) {
            String requestId = RequestIds.newId();
            LOG.info("{} {} -> {}: {}", requestId, what, status, message);
            headers.put(HttpHeader.CONTENT_TYPE, "application/json");
            headers.put(RequestIds.HEADER, requestId);
            ApiException e = new ApiException(status, status >= 500 ? "internal_error" : "bad_request", describe(status, message));
            return ByteBuffer.wrap(Json.write(body(e, requestId)).getBytes(StandardCharsets.UTF_8));
        }

        private static String describe(int status, String message) {
            String reason = HttpStatus.getMessage(status);
            return message == null || message.isBlank() || message.equals(reason)
                    ? "The request was refused: " + reason + "."
                    : "The request was refused: " + reason + " (" + message + ").";
        }
    }
}
