package dev.switchboard.fakes;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Asana's REST API 1.0 on the wire (vendors.md section 2): bodies wrapped in {@code data}, {@code limit} plus an
 * opaque {@code offset} token with {@code next_page} null on the last page, {@code {"errors": [{"message"}]}},
 * 401 for a bad token, 429 with Retry-After.
 */
public final class AsanaFake extends VendorFake {
    private final List<ObjectNode> projects = new ArrayList<>();
    private final List<ObjectNode> tasks = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong(1_200_000_000_000_000L);

    public AsanaFake(int projectCount, int taskCount) {
        for (int i = 1; i <= projectCount; i++) {
            projects.add(NODES.objectNode().put("gid", String.valueOf(ids.incrementAndGet())).put("resource_type", "project").put("name", "Project " + i));
        }
        for (int i = 1; i <= taskCount; i++) {
            String now = tick();
            tasks.add(NODES.objectNode().put("gid", String.valueOf(ids.incrementAndGet())).put("resource_type", "task").put("name", "Task " + i)
                    .put("created_at", now).put("modified_at", now));
        }
    }

    public List<ObjectNode> projects() { return projects; }
    public List<ObjectNode> tasks() { return tasks; }
    public String apiUrl() { return baseUrl() + "/api/1.0"; }


    /** The next instant of the fake's clock, as Asana writes times. */
    private String tick() {
        return nextWrite().toString().replace("Z", ".000Z");
    }

    @Override
    protected void routes(RoutesConfig routes) {
        get(routes, "/api/1.0/projects", "projects", (ctx, body) -> page(ctx, projects, "/projects"));
        get(routes, "/api/1.0/tasks", "tasks", (ctx, body) -> {
            if (ctx.queryParam("project") == null && ctx.queryParam("section") == null
                    && (ctx.queryParam("assignee") == null || ctx.queryParam("workspace") == null)) {
                error(ctx, new VendorError(400, null, "Must specify exactly one of project, tag, section, user task list, or assignee + workspace"));
                return;
            }
            String since = ctx.queryParam("modified_since");
            java.time.Instant modifiedSince = since == null ? null : java.time.OffsetDateTime.parse(since).toInstant();
            page(ctx, tasks.stream().filter(t -> modifiedSince == null
                    || !java.time.Instant.parse(t.path("modified_at").asString()).isBefore(modifiedSince)).toList(), "/tasks");
        });
        post(routes, "/api/1.0/tasks", "createTask", this::createTask);
        put(routes, "/api/1.0/tasks/{task}", "updateTask", (ctx, body) -> {
            ObjectNode task = tasks.stream().filter(t -> t.get("gid").asString().equals(ctx.pathParam("task"))).findFirst().orElse(null);
            if (task == null) {
                error(ctx, new VendorError(404, null, "task: Not a recognized ID: " + ctx.pathParam("task")));
                return;
            }
            body.path("data").properties().forEach(e -> task.set(e.getKey(), e.getValue()));
            task.put("modified_at", tick());
            ObjectNode answer = NODES.objectNode();
            answer.set("data", task);
            json(ctx, 200, answer);
        });
    }

    private void page(Context ctx, List<ObjectNode> items, String path) {
        ObjectNode answer = NODES.objectNode();
        ArrayNode data = answer.putArray("data");
        String limitParam = ctx.queryParam("limit");
        if (limitParam == null) {
            items.forEach(data::add); // "pagination is not enabled by default on grandfathered endpoints"
            json(ctx, 200, answer);
            return;
        }
        int limit = Integer.parseInt(limitParam);
        if (limit < 1 || limit > 100) {
            error(ctx, new VendorError(400, null, "limit: Must be between 1 and 100"));
            return;
        }
        int start = 0;
        String offset = ctx.queryParam("offset");
        if (offset != null) {
            try {
                String[] token = new String(Base64.getUrlDecoder().decode(offset), StandardCharsets.UTF_8).split(":");
                if (!token[0].equals(path)) throw new IllegalArgumentException();
                start = Integer.parseInt(token[1]);
            } catch (RuntimeException e) {
                error(ctx, new VendorError(400, null, "offset: Your pagination token is invalid."));
                return;
            }
        }
        int end = Math.min(items.size(), start + limit);
        items.subList(start, end).forEach(data::add);
        if (end < items.size()) {
            String token = Base64.getUrlEncoder().withoutPadding().encodeToString((path + ":" + end).getBytes(StandardCharsets.UTF_8));
            answer.putObject("next_page").put("offset", token).put("path", path + "?limit=" + limit + "&offset=" + token)
                    .put("uri", apiUrl() + path + "?limit=" + limit + "&offset=" + token);
        } else {
            answer.putNull("next_page");
        }
        json(ctx, 200, answer);
    }

    private void createTask(Context ctx, JsonNode body) {
        JsonNode data = body.get("data");
        if (data == null || !data.isObject()) {
            error(ctx, new VendorError(400, null, "data: Missing input"));
            return;
        }
        if (!data.has("workspace") && !data.has("projects") && !data.has("parent")) {
            error(ctx, new VendorError(400, null, "workspace: Missing input"));
            return;
        }
        String gid = String.valueOf(ids.incrementAndGet());
        ObjectNode task = NODES.objectNode().put("gid", gid).put("resource_type", "task")
                .put("name", data.path("name").asString("")).put("notes", data.path("notes").asString(""))
                .put("completed", false).put("due_on", data.path("due_on").asString(null))
                .put("permalink_url", "https://app.asana.com/1/12345/task/" + gid);
        String now = tick();
        task.put("created_at", now).put("modified_at", now);
        tasks.add(task);
        ObjectNode answer = NODES.objectNode();
        answer.set("data", task);
        json(ctx, 201, answer);
    }


    @Override
    protected void rejectCredential(Context ctx) {
        error(ctx, new VendorError(401, null, "Not Authorized"));
    }

    @Override
    protected void rateLimit(Context ctx, int retryAfterSeconds) {
        ctx.header("Retry-After", String.valueOf(retryAfterSeconds));
        error(ctx, new VendorError(429, null, "You've made too many requests and hit a rate limit. Please retry after the given amount of time."));
    }

    @Override
    protected void error(Context ctx, VendorError error) {
        ObjectNode body = NODES.objectNode();
        body.putArray("errors").addObject().put("message", error.message())
                .put("help", "For more information on API status codes and how to handle them, read the docs on errors: https://developers.asana.com/docs/errors");
        json(ctx, error.status(), body);
    }
}
