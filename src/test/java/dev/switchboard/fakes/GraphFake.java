package dev.switchboard.fakes;

import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What Microsoft Graph's APIs share on the wire: bearer tokens, {@code {"error": {"code", "message", "innerError"}}}
 * errors, 401 InvalidAuthenticationToken, 429 with Retry-After, and lists as {@code {"value": [...],
 * "@odata.nextLink": "<absolute URL>"}} whose link carries the page's position as Graph writes it
 * ({@code %24skip} or {@code %24skiptoken}), absent on the last page.
 */
public abstract class GraphFake extends VendorFake {
    public String graphUrl() {
        return baseUrl() + "/v1.0";
    }

    public String meUrl() {
        return baseUrl() + "/v1.0/me";
    }

    /**
     * A page of {@code $top} records (default {@code defaultTop}) from the position in {@code positionParam}
     * ({@code $skip}, or {@code $skiptoken} as an opaque token), with the next page's link.
     */
    protected void list(Context ctx, List<? extends JsonNode> records, String positionParam, int defaultTop) {
        int top = intParam(ctx, "$top", defaultTop);
        String position = ctx.queryParam(positionParam);
        int start = position == null ? 0 : Integer.parseInt(positionParam.equals("$skiptoken") ? position.substring("RFNwdAIAAQAAAD".length()) : position);
        int end = Math.min(records.size(), start + top);
        ObjectNode answer = NODES.objectNode().put("@odata.context", graphUrl() + "/$metadata#collection");
        ArrayNode value = answer.putArray("value");
        records.subList(Math.min(start, records.size()), end).forEach(value::add);
        if (end < records.size()) {
            StringBuilder link = new StringBuilder(baseUrl() + ctx.path() + "?");
            ctx.queryParamMap().forEach((k, v) -> {
                if (!k.equals(positionParam)) {
                    link.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=').append(URLEncoder.encode(v.get(0), StandardCharsets.UTF_8)).append('&');
                }
            });
            link.append(URLEncoder.encode(positionParam, StandardCharsets.UTF_8)).append('=')
                    .append(positionParam.equals("$skiptoken") ? "RFNwdAIAAQAAAD" + end : String.valueOf(end));
            answer.put("@odata.nextLink", link.toString());
        }
        json(ctx, 200, answer);
    }

    protected void notFound(Context ctx) {
        error(ctx, new VendorError(404, "NotFound", "The requested resource was not found."));
    }

    @Override
    protected void rejectCredential(Context ctx) {
        error(ctx, new VendorError(401, "InvalidAuthenticationToken", "Lifetime validation failed, the token is expired."));
    }

    @Override
    protected void rateLimit(Context ctx, int retryAfterSeconds) {
        ctx.header("Retry-After", String.valueOf(retryAfterSeconds));
        error(ctx, new VendorError(429, "TooManyRequests", "Too many requests, please retry after the time in Retry-After."));
    }

    @Override
    protected void error(Context ctx, VendorError error) {
        ObjectNode body = NODES.objectNode();
        body.putObject("error").put("code", error.code()).put("message", error.message())
                .putObject("innerError").put("date", "2026-12-02T04:00:00").put("request-id", "9f3c5e2a-0000-4000-8000-000000000000");
        json(ctx, error.status(), body);
    }
}
