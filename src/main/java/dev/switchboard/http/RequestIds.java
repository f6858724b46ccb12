package dev.switchboard.http;

import dev.switchboard.outbound.TraceHeaders;
import io.javalin.http.Context;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.slf4j.MDC;

/**
 * Gives each request an id, returned in the {@code X-Request-Id} header, every error body, its run and every log line
 * written while it is served. A caller's own {@code X-Request-Id} is kept when it is a plain token of at most 64
 * characters; a W3C {@code traceparent} is kept too. Both are passed on to the vendor calls the request makes.
 */
public final class RequestIds {
    public static final String HEADER = "X-Request-Id";
    private static final String ATTRIBUTE = "switchboard.requestId";
    private static final Pattern CALLER_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    // version 00: trace id and parent id not all zeros (W3C Trace Context, section 3.2).
    private static final Pattern TRACEPARENT = Pattern.compile("00-(?!0{32})([0-9a-f]{32})-(?!0{16})[0-9a-f]{16}-([0-9a-f]{2})");

    private RequestIds() {}

    public static void assign(Context ctx) {
        String id = idFor(ctx.header(HEADER));
        ctx.attribute(ATTRIBUTE, id);
        ctx.header(HEADER, id);
        MDC.put(TraceHeaders.REQUEST_ID, id);
        String traceparent = ctx.header("traceparent");
        var trace = traceparent == null ? null : TRACEPARENT.matcher(traceparent.strip());
        if (trace != null && trace.matches()) {
            MDC.put(TraceHeaders.TRACE_ID, trace.group(1));
            MDC.put(TraceHeaders.TRACE_FLAGS, trace.group(2));
        }
    }

    /** The request's id: the caller's {@code X-Request-Id} when it is one we keep, else a new one. */
    public static String idFor(String callerHeader) {
        return callerHeader != null && CALLER_ID.matcher(callerHeader).matches() ? callerHeader : newId();
    }

    /** After the request: the thread may serve another. */
    public static void release() {
        MDC.remove(TraceHeaders.REQUEST_ID);
        MDC.remove(TraceHeaders.TRACE_ID);
        MDC.remove(TraceHeaders.TRACE_FLAGS);
    }

    public static String newId() {
        // An id correlates log lines; it guards nothing, so it needs no SecureRandom (which takes a lock per call).
        return "req_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    }

    public static String of(Context ctx) {
        String id = ctx.attribute(ATTRIBUTE);
        return id == null ? "none" : id;
    }
}
