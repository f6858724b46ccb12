package dev.switchboard.fakes;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Zoho CRM API v8 (vendors.md section 8): {@code Authorization: Zoho-oauthtoken}, {@code page}/{@code per_page} with
 * {@code info.more_records}, 204 for an empty page, {@code {"code", "details", "message", "status": "error"}},
 * 401 INVALID_TOKEN, 429 without Retry-After.
 */
public final class ZohoCrmFake extends VendorFake {
    private final Map<String, List<ObjectNode>> modules = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong(3_652_397_000_000_624_000L);

    public ZohoCrmFake(int leadCount) {
        List<ObjectNode> leads = new ArrayList<>();
        for (int i = 1; i <= leadCount; i++) {
            leads.add(NODES.objectNode().put("id", String.valueOf(ids.incrementAndGet())).put("Last_Name", "Lead " + i)
                    .put("Email", "lead" + i + "@example.com").put("Company", "Company " + i));
        }
        modules.put("Leads", leads);
        modules.put("Contacts", new ArrayList<>());
    }

    public List<ObjectNode> module(String name) { return modules.get(name); }
    public String apiUrl() { return baseUrl() + "/crm/v8"; }

    @Override
    protected void routes(RoutesConfig routes) {
        get(routes, "/crm/v8/{module}", "records", this::records);
        post(routes, "/crm/v8/{module}", "create", this::create);
    }

    private void records(Context ctx, JsonNode body) {
        List<ObjectNode> records = modules.get(ctx.pathParam("module"));
        if (records == null) {
            error(ctx, new VendorError(400, "INVALID_MODULE", "the module name given seems to be invalid"));
            return;
        }
        String fields = ctx.queryParam("fields");
        if (fields == null) {
            error(ctx, new VendorError(400, "REQUIRED_PARAM_MISSING", "One of the expected parameter is missing"));
            return;
        }
        int perPage = intParam(ctx, "per_page", 200);
        int page = intParam(ctx, "page", 1);
        if (perPage > 200) {
            error(ctx, new VendorError(400, "INVALID_DATA", "per_page must be at most 200"));
            return;
        }
        int start = (page - 1) * perPage;
        if (start >= records.size()) {
            ctx.status(204);
            return;
        }
        int end = Math.min(records.size(), start + perPage);
        ObjectNode answer = NODES.objectNode();
        ArrayNode data = answer.putArray("data");
        List<String> wanted = List.of(fields.split(","));
        for (ObjectNode record : records.subList(start, end)) {
            ObjectNode projected = data.addObject().put("id", record.get("id").asString());
            wanted.forEach(f -> { if (record.has(f)) projected.set(f, record.get(f)); });
        }
        answer.putObject("info").put("per_page", perPage).put("count", end - start).put("page", page)
                .put("sort_by", "id").put("sort_order", "desc").put("more_records", end < records.size())
                .putNull("next_page_token").putNull("previous_page_token").putNull("page_token_expiry");
        json(ctx, 200, answer);
    }

    private void create(Context ctx, JsonNode body) {
        List<ObjectNode> records = modules.get(ctx.pathParam("module"));
        if (records == null) {
            error(ctx, new VendorError(400, "INVALID_MODULE", "the module name given seems to be invalid"));
            return;
        }
        JsonNode data = body.get("data");
        if (data == null || !data.isArray() || data.isEmpty()) {
            error(ctx, new VendorError(400, "INVALID_DATA", "invalid data"));
            return;
        }
        ObjectNode answer = NODES.objectNode();
        ArrayNode results = answer.putArray("data");
        boolean anyFailed = false;
        for (JsonNode input : data) {
            if (!input.has("Last_Name")) {
                anyFailed = true;
                ObjectNode failed = results.addObject().put("code", "MANDATORY_NOT_FOUND").put("message", "required field not found").put("status", "error");
                failed.putObject("details").put("api_name", "Last_Name");
                continue;
            }
            ObjectNode record = ((ObjectNode) input.deepCopy()).put("id", String.valueOf(ids.incrementAndGet()));
            records.add(record);
            ObjectNode ok = results.addObject().put("code", "SUCCESS").put("message", "record added").put("status", "success");
            ok.putObject("details").put("id", record.get("id").asString()).put("Created_Time", "2026-11-29T10:00:00+00:00");
        }
        json(ctx, anyFailed ? 400 : 201, answer);
    }

    @Override
    protected String credentialOf(Context ctx) {
        return bearer(ctx, "Zoho-oauthtoken");
    }

    @Override
    protected void rejectCredential(Context ctx) {
        error(ctx, new VendorError(401, "INVALID_TOKEN", "invalid oauth token"));
    }

    @Override
    protected void rateLimit(Context ctx, int retryAfterSeconds) {
        error(ctx, new VendorError(429, "TOO_MANY_REQUESTS", "The number of API requests has exceeded the limit"));
    }

    @Override
    protected void error(Context ctx, VendorError error) {
        ObjectNode body = NODES.objectNode().put("code", error.code()).put("message", error.message()).put("status", "error");
        body.putObject("details");
        json(ctx, error.status(), body);
    }
}
