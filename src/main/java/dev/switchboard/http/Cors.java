package dev.switchboard.http;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;

/**
 * Cross-origin access for the endpoints a browser application calls with a user token (Paragon's Connect SDK calls
 * them from the application's own origin): any origin may call them, since they authenticate by the
 * {@code Authorization} header, never by cookies, so a page without the user's token can do nothing with them.
 * The admin API is not open to browsers. Preflights are answered here, before authentication.
 */
public final class Cors {
    private static final String EXPOSED = "X-Paragon-Credential, X-Request-Id, X-Switchboard-Ignored-Parameters, Retry-After, Server-Timing";

    private Cors() {}

    public static void apply(Context ctx) {
        String origin = ctx.header("Origin");
        if (origin == null || !forBrowsers(ctx.path())) {
            return;
        }
        ctx.header("Access-Control-Allow-Origin", origin).header("Vary", "Origin").header("Access-Control-Expose-Headers", EXPOSED);
        if (ctx.method() == HandlerType.OPTIONS && ctx.header("Access-Control-Request-Method") != null) {
            String requested = ctx.header("Access-Control-Request-Headers");
            ctx.header("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE, HEAD")
                    .header("Access-Control-Allow-Headers", requested == null || requested.isBlank()
                            ? "Authorization, Content-Type, Accept, X-Paragon-Credential, X-Paragon-SDK-Version" : requested)
                    .header("Access-Control-Max-Age", "600")
                    .status(204);
            ctx.skipRemainingHandlers();
        }
    }

    private static boolean forBrowsers(String path) {
        return path.startsWith("/projects/") || path.startsWith("/v2/projects/") || path.startsWith("/integrations/");
    }
}
