package dev.switchboard.outbound;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.MDC;

/**
 * What ties a vendor call to the request that made it: the request id and, when the caller sent a W3C
 * {@code traceparent}, its trace. Both live in the logging MDC of the thread serving the request (so every log
 * line carries them), and every vendor call made on that thread sends them on.
 */
public final class TraceHeaders {
    /** MDC key of the request id. */
    public static final String REQUEST_ID = "requestId";
    /** MDC key of the caller's W3C trace id (32 hex digits). */
    public static final String TRACE_ID = "traceId";
    /** MDC key of the caller's trace flags (2 hex digits). */
    public static final String TRACE_FLAGS = "traceFlags";

    private TraceHeaders() {}

    public static String requestId() {
        return MDC.get(REQUEST_ID);
    }

    /**
     * The {@code traceparent} for a vendor call: the caller's trace, with this call as a new span of it; null when the
     * caller sent none.
     */
    public static String traceparent() {
        String traceId = MDC.get(TRACE_ID);
        if (traceId == null) {
            return null;
        }
        String spanId = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong() | 1L); // never all zeros
        return "00-" + traceId + "-" + spanId + "-" + MDC.get(TRACE_FLAGS);
    }
}
