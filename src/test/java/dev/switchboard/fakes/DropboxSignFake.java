package dev.switchboard.fakes;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Dropbox Sign API v3 (vendors.md section 10): {@code page}/{@code page_size} with {@code list_info.num_pages},
 * {@code {"error": {"error_msg", "error_name"}}}, and rate limits told by {@code X-Ratelimit-Reset} (Unix time), not Retry-After.
 */
public final class DropboxSignFake extends VendorFake {
    private final List<ObjectNode> requests = new ArrayList<>();

    public DropboxSignFake(int requestCount) {
        for (int i = 1; i <= requestCount; i++) {
            requests.add(request(String.format("%040d", i), "Contract " + i, "signer" + i + "@example.com", "Signer " + i));
        }
    }

    public List<ObjectNode> requests() { return requests; }
    public String apiUrl() { return baseUrl() + "/v3"; }

    private static ObjectNode request(String id, String title, String email, String name) {
        ObjectNode request = NODES.objectNode().put("signature_request_id", id).put("title", title).put("subject", title)
                .put("is_complete", false).put("is_declined", false).put("has_error", false).put("test_mode", true);
        request.putArray("signatures").addObject().put("signature_id", UUID.randomUUID().toString().replace("-", ""))
                .put("signer_email_address", email).put("signer_name", name).put("status_code", "awaiting_signature");
        return request;
    }

    @Override
    protected void routes(RoutesConfig routes) {
        get(routes, "/v3/signature_request/list", "list", (ctx, body) -> {
            int pageSize = intParam(ctx, "page_size", 20);
            int page = intParam(ctx, "page", 1);
            if (pageSize < 1 || pageSize > 100) {
                error(ctx, new VendorError(400, "bad_request", "page_size must be between 1 and 100"));
                return;
            }
            int pages = Math.max(1, (requests.size() + pageSize - 1) / pageSize);
            ObjectNode answer = NODES.objectNode();
            answer.putObject("list_info").put("page", page).put("num_pages", pages).put("num_results", requests.size()).put("page_size", pageSize);
            ArrayNode list = answer.putArray("signature_requests");
            int start = (page - 1) * pageSize;
            if (start < requests.size()) requests.subList(start, Math.min(requests.size(), start + pageSize)).forEach(list::add);
            ctx.header("X-RateLimit-Limit", "100").header("X-RateLimit-Remaining", "99");
            json(ctx, 200, answer);
        });
        post(routes, "/v3/signature_request/send", "send", this::send);
    }

    private void send(Context ctx, JsonNode body) {
        if (!body.path("file_urls").isArray() || body.get("file_urls").isEmpty()) {
            error(ctx, new VendorError(400, "bad_request", "Must specify files or file_urls"));
            return;
        }
        JsonNode signers = body.path("signers");
        if (!signers.isArray() || signers.isEmpty()) {
            error(ctx, new VendorError(400, "bad_request", "Must specify at least one signer"));
            return;
        }
        ObjectNode created = request(UUID.randomUUID().toString().replace("-", ""), body.path("title").asString(""),
                signers.get(0).path("email_address").asString(), signers.get(0).path("name").asString());
        created.put("test_mode", body.path("test_mode").asBoolean(false));
        requests.add(created);
        ObjectNode answer = NODES.objectNode();
        answer.set("signature_request", created);
        json(ctx, 200, answer);
    }


    @Override
    protected void rejectCredential(Context ctx) {
        error(ctx, new VendorError(401, "unauthorized", "Unauthorized user. No credentials supplied."));
    }

    @Override
    protected void rateLimit(Context ctx, int retryAfterSeconds) {
        ctx.header("X-RateLimit-Limit", "100").header("X-RateLimit-Remaining", "0")
                .header("X-Ratelimit-Reset", String.valueOf(Instant.now().getEpochSecond() + retryAfterSeconds));
        error(ctx, new VendorError(429, "exceeded_rate", "Too many requests."));
    }

    @Override
    protected void error(Context ctx, VendorError error) {
        ObjectNode body = NODES.objectNode();
        body.putObject("error").put("error_msg", error.message()).put("error_name", error.code());
        json(ctx, error.status(), body);
    }
}
