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
 * as on a real instance. One record by sys_id: {@code GET}, {@code PATCH} (200 with the record) and {@code DELETE}
 * (204 without a body); an unknown sys_id is 404 "No Record found". Tables: incident, change_request, sys_user,
 * kb_knowledge.
 */
public final class ServiceNowFake extends VendorFake {
    private final Map<String, List<ObjectNode>> tables = new ConcurrentHashMap<>();
    private final Set<Integer> hiddenByAcl;

    public ServiceNowFake(int incidentCount, Set<Integer> hiddenPositions) {
        List<ObjectNode> incidents = new ArrayList<>();
        for (int i = 1; i <= incidentCount; i++) {
            incidents.add(NODES.objectNode().put("sys_id", UUID.nameUUIDFromBytes(("inc" + i).getBytes()).toString().replace("-", ""))
                    .put("number", String.format("INC%07d", i)).put("short_description", "Incident " + i).put("active", "true"));
            stamp(incidents.getLast());
        }
        tables.put("incident", incidents);
        for (String table : List.of("change_request", "sys_user", "kb_knowledge")) {
            tables.put(table, new java.util.concurrent.CopyOnWriteArrayList<>());
        }
        this.hiddenByAcl = hiddenPositions;
    }

    public List<ObjectNode> table(String name) { return tables.get(name); }
    public Set<Integer> hiddenByAcl() { return hiddenByAcl; }
    public String apiUrl() { return baseUrl() + "/api/now"; }

    @Override
    protected void routes(RoutesConfig routes) {
        get(routes, "/api/now/table/{table}", "list", this::list);
        post(routes, "/api/now/table/{table}", "create", this::create);
        get(routes, "/api/now/table/{table}/{sysId}", "read", (ctx, body) -> withRecord(ctx, (records, record) -> {
            ObjectNode answer = NODES.objectNode();
            answer.set("result", record);
            json(ctx, 200, answer);
        }));
        patch(routes, "/api/now/table/{table}/{sysId}", "update", (ctx, body) -> withRecord(ctx, (records, record) -> {
            // Journal fields (comments, work_notes) are appended to the activity log, not stored in the record.
            body.properties().forEach(field -> {
                if (!field.getKey().equals("comments") && !field.getKey().equals("work_notes")) {
                    record.set(field.getKey(), field.getValue());
                }
            });
            record.put("sys_updated_on", tick()).put("sys_mod_count", String.valueOf(record.path("sys_mod_count").asInt() + 1));
            ObjectNode answer = NODES.objectNode();
            answer.set("result", record);
            json(ctx, 200, answer);
        }));
        delete(routes, "/api/now/table/{table}/{sysId}", "delete", (ctx, body) -> withRecord(ctx, (records, record) -> {
            records.remove(record);
            ctx.status(204);
        }));
    }

    /** Runs the action on the record named by the path, or answers as ServiceNow does when there is none. */
    private void withRecord(Context ctx, java.util.function.BiConsumer<List<ObjectNode>, ObjectNode> action) {
        List<ObjectNode> records = tables.get(ctx.pathParam("table"));
        if (records == null) {
            error(ctx, new VendorError(400, null, "Invalid table " + ctx.pathParam("table")));
            return;
        }
        ObjectNode record = records.stream().filter(r -> r.path("sys_id").asString("").equals(ctx.pathParam("sysId"))).findFirst().orElse(null);
        if (record == null) {
            ObjectNode answer = NODES.objectNode();
            answer.putObject("error").put("message", "No Record found").put("detail", "Record doesn't exist or ACL restricts the record retrieval");
            answer.put("status", "failure");
            json(ctx, 404, answer);
            return;
        }
        action.accept(records, record);
    }

    /** A new record's system fields: created and updated now, never modified. */
    private void stamp(ObjectNode record) {
        String now = tick();
        record.put("sys_created_on", now).put("sys_updated_on", now).put("sys_mod_count", "0");
    }

    /** The next instant of the fake's clock, as ServiceNow writes times (GMT, whole seconds). */
    private String tick() {
        return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
                .format(nextWrite().atOffset(java.time.ZoneOffset.UTC));
    }

    /**
     * The records in the encoded query's order (its last ORDERBY or ORDERBYDESC term; the fake's times have one
     * width, so text order is time order), as stored when it has none. Its conditions are not looked at.
     */
    private static List<ObjectNode> ordered(List<ObjectNode> records, String query) {
        String order = null;
        for (String term : String.valueOf(query).split("\\^")) {
            if (term.startsWith("ORDERBY")) order = term;
        }
        if (order == null) {
            return records;
        }
        boolean descending = order.startsWith("ORDERBYDESC");
        String field = order.substring(descending ? "ORDERBYDESC".length() : "ORDERBY".length());
        List<ObjectNode> positions = List.copyOf(records);
        java.util.Comparator<ObjectNode> by = java.util.Comparator.<ObjectNode, String>comparing(r -> r.path(field).asString(""))
                .thenComparingInt(positions::indexOf); // ties in the order they were stored
        return records.stream().sorted(descending ? by.reversed() : by).toList();
    }

    private void list(Context ctx, JsonNode body) {
        String table = ctx.pathParam("table");
        List<ObjectNode> stored = tables.get(table);
        if (stored == null) {
            error(ctx, new VendorError(400, null, "Invalid table " + table));
            return;
        }
        List<ObjectNode> records = ordered(stored, ctx.queryParam("sysparm_query"));
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
        stamp(record);
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
