package dev.switchboard.api;

import io.javalin.http.Context;
import java.security.SecureRandom;
import java.util.HexFormat;

/** Gives each request an id, returned in the {@code X-Request-Id} header, every error body and the log line. */
public final class RequestIds {
    public static final String HEADER = "X-Request-Id";
    private static final String ATTRIBUTE = "switchboard.requestId";
    private static final SecureRandom RANDOM = new SecureRandom();

    private RequestIds() {}

    public static void assign(Context ctx) {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        String id = "req_" + HexFormat.of().formatHex(bytes);
        ctx.attribute(ATTRIBUTE, id);
        ctx.header(HEADER, id);
    }

    public static String of(Context ctx) {
        String id = ctx.attribute(ATTRIBUTE);
        return id == null ? "none" : id;
    }
}
