package dev.switchboard.api;

import dev.switchboard.json.Json;
import io.javalin.http.Context;
import tools.jackson.databind.node.ObjectNode;

/** The single place where errors become HTTP responses. */
public final class ErrorResponses {
    private ErrorResponses() {}

    public static void render(Context ctx, ApiException e) {
        ObjectNode body = Json.object();
        body.put("message", e.getMessage());
        body.put("code", e.code());
        body.put("status", e.status());
        ObjectNode meta = body.putObject("meta");
        meta.put("requestId", RequestIds.of(ctx));
        e.meta().forEach((k, v) -> meta.set(k, Json.tree(v)));
        e.headers().forEach(ctx::header);
        ctx.status(e.status()).contentType("application/json").result(Json.write(body));
    }
}
