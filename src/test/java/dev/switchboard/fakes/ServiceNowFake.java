package dev.switchboard.fakes;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * ServiceNow Table API (vendors.md section 11): {@code sysparm_limit}/{@code sysparm_offset}, a {@code Link} header
 * with {@code rel="next"} while more remain and {@code X-Total-Count}, {@code {"error": {"message", "detail"}, "status": "failure"}},
 * 429 with Retry-After. Records an ACL hides are left out of a page, so pages can be short before the end,
 * as on a real instance.
 */
public final class ServiceNowFake extends VendorFake {
    private final Map<String, List<ObjectNode>> tables = new ConcurrentHashMap<>();
    private final Set<Integer> hiddenByAcl;

    public ServiceNowFake(int incidentCount, Set<Integer> hiddenPositions) {
        List<ObjectNode> incidents = new ArrayList<>();
        for (int i = 1; i <= incidentCount; i++) {
            incidents.add(NODES.objectNode().put("sys_id", UUID.nameUUIDFromBytes(("inc" + i).getBytes()).toString().replace("-", ""))
                    .put("number", String.format("INC%07d", i)).put("short_description", "Incident " + i).put("active", "true"));
        }
        tables.put("incident", incidents);
        this.hiddenByAcl = hiddenPositions;
    }

    public List<ObjectNode> table(String name) { return tables.get(name); }
    public Set<Integer> hiddenByAcl() { return hiddenByAcl; }
    public String apiUrl() { return baseUrl() + "/api/now"; }

    @Override
    protected void routes(RoutesConfig routes) {
        get(routes, "/api/now/table/{table}", "list", this::list);
        post(routes, "/api/now/table/{table}", "create", this::create);
    }

    private void list(Context ctx, JsonNode body) {
        String table = ctx.pathParam("table");
        List<ObjectNode> records = tables.get(table);
        if (records == null) {
            error(ctx, new VendorError(400, null, "Invalid table " + table));
            return;
        }
        int limit = intParam(ctx, "sysparm_limit", 10000);
        int offset = intParam(ctx, "sysparm_offset", 0);
        int end = Math.min(records.size(), offset + limit);
        ObjectNode answer = NODES.objectNode();
        ArrayNode result = answer.putArray("result");
        for (int i = offset; i < end; i++) {
            if (!hiddenByAcl.contains(i)) {
                result.add(records.get(i));
            }
        }
        String self = apiUrl() + "/table/" + table + "?sysparm_limit=" + limit + "&sysparm_offset=";
        StringBuilder link = new StringBuilder("<" + self + "0>;rel=\"first\"");
        if (end < records.size()) {
            link.append(",<").append(self).append(end).append(">;rel=\"next\"");
        }
        link.append(",<").append(self).append(Math.max(0, records.size() - limit)).append(">;rel=\"last\"");
        ctx.header("Link", link.toString()).header("X-Total-Count", String.valueOf(records.size()));
        json(ctx, 200, answer);
    }

    private void create(Context ctx, JsonNode body) {
        String table = ctx.pathParam("table");
        List<ObjectNode> records = tables.get(table);
        if (records == null) {
            error(ctx, new VendorError(400, null, "Invalid table " + table));
            return;
        }
        ObjectNode record = body.deepCopy() instanceof ObjectNode object ? object : NODES.objectNode();
        record.put("sys_id", UUID.randomUUID().toString().replace("-", "")).put("number", String.format("INC%07d", records.size() + 1));
        records.add(record);
        ObjectNode answer = NODES.objectNode();
        answer.set("result", record);
        json(ctx, 201, answer);
    }


    @Override
    protected void rejectCredential(Context ctx) {
        ObjectNode body = NODES.objectNode().put("status", "failure");
        body.putObject("error").put("message", "User Not Authenticated").put("detail", "Required to provide Auth information");
        json(ctx, 401, body);
    }

    @Override
    protected void rateLimit(Context ctx, int retryAfterSeconds) {
        ctx.header("Retry-After", String.valueOf(retryAfterSeconds)).header("X-RateLimit-Limit", "100")
                .header("X-RateLimit-Rule", "b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6");
        error(ctx, new VendorError(429, null, "Too many requests"));
    }

    @Override
    protected void error(Context ctx, VendorError error) {
        ObjectNode body = NODES.objectNode();
        body.putObject("error").put("message", error.message()).putNull("detail");
        body.put("status", "failure");
        json(ctx, error.status(), body);
    }
}
