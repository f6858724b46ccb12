package dev.switchboard.fakes;

import io.javalin.http.Context;
import tools.jackson.databind.node.ObjectNode;

/**
 * What Google's APIs share on the wire: bearer tokens, {@code {"error": {"code", "message", "errors": [{"domain",
 * "reason", "message"}]}}} errors, 401 {@code authError}, 429 {@code rateLimitExceeded}.
 */
public abstract class GoogleFake extends VendorFake {
    @Override
    protected void rejectCredential(Context ctx) {
        error(ctx, new VendorError(401, "authError", "Request had invalid authentication credentials."));
    }

    @Override
    protected void rateLimit(Context ctx, int retryAfterSeconds) {
        error(ctx, new VendorError(429, "rateLimitExceeded", "Rate Limit Exceeded"));
    }

    @Override
    protected void error(Context ctx, VendorError error) {
        ObjectNode body = NODES.objectNode();
        ObjectNode inner = body.putObject("error").put("code", error.status()).put("message", error.message());
        inner.putArray("errors").addObject().put("domain", "global").put("reason", error.code()).put("message", error.message());
        json(ctx, error.status(), body);
    }
}
