package dev.switchboard.http;

import io.javalin.http.Context;

/**
 * The time Switchboard spent on a listing (the catalog's {@code GET /actions} and MCP {@code tools/list}), from the
 * route's start to the answer being ready, in a {@code Server-Timing: app;dur=<ms>} header (W3C Server Timing;
 * browsers' developer tools show it). Only there: a handler around every request cost the action path more than
 * it told.
 */
public final class ServerTiming {
    public static final String HEADER = "Server-Timing";

    private ServerTiming() {}

    /** @param startedNanos {@link System#nanoTime()} when the route began */
    public static void stamp(Context ctx, long startedNanos) {
        long hundredths = (System.nanoTime() - startedNanos) / 10_000; // of a millisecond; String.format costs a microsecond
        ctx.header(HEADER, "app;dur=" + hundredths / 100 + "." + (hundredths % 100 < 10 ? "0" : "") + hundredths % 100);
    }
}
