package dev.switchboard.http;

import dev.switchboard.json.Json;
import dev.switchboard.outcomes.Failure;
import io.javalin.http.Context;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Pattern;
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

/** The single place where failures become HTTP responses: a status, headers, and the SPEC 4 error body. */
public final class ErrorResponses {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);

    private ErrorResponses() {}

    /** The HTTP status a caller sees for a failure. */
    public static int status(Failure failure) {
        return switch (failure.kind()) {
            case INVALID_INPUT, NOT_CONNECTED -> 400;
            case UNAUTHENTICATED -> 401;
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case TOO_LARGE -> 413;
            case UNSUPPORTED_MEDIA_TYPE -> 415;
            case CREDENTIAL_INVALID -> 424;
            case RATE_LIMITED -> 429;
            case INTERNAL -> 500;
            case VENDOR_FAILED, UNREACHABLE -> 502;
            case BUSY -> 503;
            case TIMEOUT -> 504;
            // The vendor's own 4xx, except 401 and 403: ActionKit's SDK logs its user out on those.
            case VENDOR_REFUSED -> {
                int vendor = failure.vendorAnswer() == null ? 400 : failure.vendorAnswer().status();
                yield vendor >= 400 && vendor < 500 && vendor != 401 && vendor != 403 ? vendor : 400;
            }
        };
    }

    public static void render(Context ctx, Failure failure) {
        if (failure.kind() == Failure.Kind.UNAUTHENTICATED) {
            LOG.info("401 {} {}: {}", ctx.method(), ctx.path(), failure.logReason() != null ? failure.logReason() : failure.getMessage());
        }
        Answer answer = answer(failure, RequestIds.of(ctx));
        for (int i = 0; i < answer.headers().size(); i += 2) {
            ctx.header(answer.headers().get(i), answer.headers().get(i + 1));
        }
        ctx.status(answer.status()).contentType("application/json").result(answer.body());
    }

    /** A failure's answer, for a route served outside Javalin (the event loop's). */
    public record Answer(int status, java.util.List<String> headers, byte[] body) {}

    /** @param requestId the request's id, for the body's {@code meta} */
    public static Answer answer(Failure failure, String requestId) {
        java.util.List<String> headers = new java.util.ArrayList<>();
        if (failure.retryAfter() != null) {
            headers.addAll(java.util.List.of("Retry-After", String.valueOf(wholeSeconds(failure.retryAfter()))));
        }
        if (failure.credentialId() != null) {
            headers.addAll(java.util.List.of("X-Paragon-Credential", failure.credentialId()));
        }
        if (failure.kind() == Failure.Kind.TOO_LARGE) {
            headers.addAll(java.util.List.of("Connection", "close")); // the rest of the body is not read
        }
        int status = status(failure);
        byte[] body = Json.write(body(status, failure.code(), failure.getMessage(), meta(failure), requestId))
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return new Answer(status, headers, body);
    }

    public static void render(Context ctx, int status, String code, String message, ObjectNode meta) {
        ctx.status(status).contentType("application/json").result(Json.write(body(status, code, message, meta, RequestIds.of(ctx))));
    }

    /** Retry-After in whole seconds, at least 1, rounded up. */
    private static long wholeSeconds(Duration wait) {
        return Math.max(1, wait.getSeconds() + (wait.getNano() > 0 ? 1 : 0));
    }

    private static ObjectNode meta(Failure failure) {
        ObjectNode meta = Json.object();
        failure.details().forEach((k, v) -> meta.set(k, Json.tree(v)));
        Failure.VendorAnswer vendor = failure.vendorAnswer();
        if (vendor != null) {
            meta.put("isIntegrationError", true);
            meta.put("integrationStatus", vendor.status());
            meta.set("integrationResponse", vendor.json() != null ? vendor.json() : Json.tree(vendor.text()));
        }
        return meta;
    }

    /** The SPEC 4 body: {@code {"message", "code", "status", "meta": {"requestId", ...}}}. */
    static ObjectNode body(int status, String code, String message, ObjectNode details, String requestId) {
        ObjectNode body = Json.object();
        body.put("message", message);
        body.put("code", code);
        body.put("status", status);
        ObjectNode meta = body.putObject("meta");
        meta.put("requestId", requestId);
        if (details != null) {
            meta.setAll(details);
        }
        return body;
    }

    /**
     * Jetty's own answers, for requests it refuses before any route sees them (a malformed URI or header): the
     * same JSON shape instead of Jetty's HTML page.
     */
    public static final class JettyErrors extends ErrorHandler {
        /**
         * Jetty's detail is passed on only when it is a plain phrase ("Ambiguous URI path separator"): never one
         * naming its classes, an exception or this node's socket addresses.
         */
        private static final Pattern PLAIN_DETAIL = Pattern.compile("(?!.*(?:Exception|eclipse|java\\.|@|\\d+\\.\\d+\\.\\d+))[A-Za-z0-9 :;,.'()=_-]{1,160}");

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
            org.slf4j.MDC.put(dev.switchboard.outbound.TraceHeaders.REQUEST_ID, requestId);
            try {
                LOG.info("{} -> {}: {}", what, status, message);
            } finally {
                org.slf4j.MDC.remove(dev.switchboard.outbound.TraceHeaders.REQUEST_ID);
            }
            headers.put(HttpHeader.CONTENT_TYPE, "application/json");
            headers.put(RequestIds.HEADER, requestId);
            String code = status >= 500 ? "internal_error" : "bad_request";
            return ByteBuffer.wrap(Json.write(body(status, code, describe(status, message), null, requestId)).getBytes(StandardCharsets.UTF_8));
        }

        private static String describe(int status, String message) {
            String reason = HttpStatus.getMessage(status);
            return message == null || message.isBlank() || message.equals(reason) || !PLAIN_DETAIL.matcher(message).matches()
                    ? "The request was refused: " + reason + "."
                    : "The request was refused: " + reason + " (" + message + ").";
        }
    }
}
