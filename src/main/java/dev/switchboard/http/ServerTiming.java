package dev.switchboard.http;

import io.javalin.http.Context;

/**
 * The time Switchboard spent on a request, from its arrival at the routes to the answer being ready, in a
 * {@code Server-Timing: app;dur=<ms>} header (W3C Server Timing; browsers' developer tools show it). Streamed answers,
 * already on their way when the handler ends, carry none.
 */
public final class ServerTiming {
    public static final String HEADER = "Server-Timing";
    private static final String ATTRIBUTE = "switchboard.startedNanos";

    private ServerTiming() {}

    public static void start(Context ctx) {
        ctx.attribute(ATTRIBUTE, System.nanoTime());
    }

    public static void stamp(Context ctx) {
        Long started = ctx.attribute(ATTRIBUTE);
        if (started != null && !ctx.res().isCommitted()) {
            long hundredths = (System.nanoTime() - started) / 10_000; // of a millisecond; String.format costs a microsecond
            ctx.header(HEADER, "app;dur=" + hundredths / 100 + "." + (hundredths % 100 < 10 ? "0" : "") + hundredths % 100);
        }
    }
}
