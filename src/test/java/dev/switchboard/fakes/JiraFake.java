package dev.switchboard.fakes;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Jira Cloud's REST API v3 as one site answers it through Atlassian's gateway ({@code /ex/jira/{cloudId}/rest/api/3}),
 * written from Atlassian's reference (the conformance check reads its description): the enhanced search
 * ({@code POST /search/jql}) paging by {@code nextPageToken}, absent on the last page, and refusing an unbounded query;
 * projects paging by {@code startAt} with {@code total}; issues by key; comments whose body must be an Atlassian
 * document; errors as {@code {"errorMessages": [...], "errors": {}}}; 429 with Retry-After. Searches match the few
 * JQL forms the tests send (a project, a status, an ORDER BY).
 */
public final class JiraFake extends VendorFake {
    public static final String CLOUD_ID = "11223344-a1b2-3b33-c444-def123456789";

    private final Map<String, ObjectNode> issues = new java.util.LinkedHashMap<>();
    private final List<ObjectNode> projects = new CopyOnWriteArrayList<>();
    private final Map<String, List<JsonNode>> comments = new ConcurrentHashMap<>();

    public JiraFake(int issueCount, int projectCount) {
        for (int p = 1; p <= projectCount; p++) {
            projects.add(NODES.objectNode().put("id", String.valueOf(10_000 + p)).put("key", "P" + p).put("name", "Project " + p));
        }
        for (int i = 1; i <= issueCount; i++) {
            ObjectNode issue = NODES.objectNode().put("id", String.valueOf(20_000 + i)).put("key", "TEST-" + i);
            ObjectNode fields = issue.putObject("fields").put("summary", "Issue " + i);
            fields.putObject("status").put("name", i % 2 == 0 ? "Done" : "To Do");
            fields.putObject("project").put("key", "TEST");
            issues.put(issue.get("key").asString(), issue);
        }
    }

    public String apiUrl() {
        return baseUrl() + "/ex/jira/" + CLOUD_ID + "/rest/api/3";
    }

    public java.util.Set<String> issueKeys() {
        return java.util.Set.copyOf(issues.keySet());
    }

    public Map<String, List<JsonNode>> comments() {
        return comments;
    }

    @Override
    protected void routes(RoutesConfig routes) {
        String api = "/ex/jira/{cloudId}/rest/api/3";
        post(routes, api + "/search/jql", "search", (ctx, body) -> {
            String jql = body.path("jql").asString("").strip();
            if (jql.isEmpty() || jql.toUpperCase(java.util.Locale.ROOT).startsWith("ORDER BY")) {
                error(ctx, new VendorError(400, null, "Unbounded JQL queries are not allowed here. Please add a search restriction to your query."));
                return;
            }
            List<ObjectNode> found = new ArrayList<>();
            for (ObjectNode issue : issues.values()) {
                if (matches(issue, jql)) found.add(issue);
            }
            int size = body.path("maxResults").asInt(50);
            int start = body.has("nextPageToken") ? Integer.parseInt(body.get("nextPageToken").asString().substring("tok-".length())) : 0;
            ObjectNode answer = NODES.objectNode();
            ArrayNode page = answer.putArray("issues");
            found.subList(Math.min(start, found.size()), Math.min(found.size(), start + size)).forEach(page::add);
            boolean last = start + size >= found.size();
            answer.put("isLast", last);
            if (!last) answer.put("nextPageToken", "tok-" + (start + size));
            json(ctx, 200, answer);
        });
        get(routes, api + "/project/search", "projects", (ctx, body) -> {
            int start = intParam(ctx, "startAt", 0);
            int size = intParam(ctx, "maxResults", 50);
            ObjectNode answer = NODES.objectNode().put("startAt", start).put("maxResults", size).put("total", projects.size())
                    .put("isLast", start + size >= projects.size());
            answer.putArray("values").addAll(projects.subList(Math.min(start, projects.size()), Math.min(projects.size(), start + size)));
            json(ctx, 200, answer);
        });
        get(routes, api + "/issue/{key}", "getIssue", (ctx, body) -> withIssue(ctx, issue -> json(ctx, 200, issue)));
        delete(routes, api + "/issue/{key}", "deleteIssue", (ctx, body) -> withIssue(ctx, issue -> {
            issues.remove(issue.get("key").asString());
            ctx.status(204);
        }));
        post(routes, api + "/issue/{key}/comment", "addComment", (ctx, body) -> withIssue(ctx, issue -> {
            if (!"doc".equals(body.path("body").path("type").asString())) {
                json(ctx, 400, NODES.objectNode().putArray("errorMessages").add("Comment body is not valid!"));
                return;
            }
            comments.computeIfAbsent(issue.get("key").asString(), k -> new CopyOnWriteArrayList<>()).add(body.get("body"));
            json(ctx, 201, NODES.objectNode().put("id", "100" + comments.size()).set("body", body.get("body")));
        }));
    }

    /** The JQL forms the tests send: {@code project = X}, {@code status = "Y"}, joined by AND, with an ORDER BY. */
    private static boolean matches(ObjectNode issue, String jql) {
        String where = jql.replaceAll("(?i)\\s+ORDER BY.*$", "");
        for (String clause : where.split("(?i)\\s+AND\\s+")) {
            String[] parts = clause.strip().replaceAll("^\\(|\\)$", "").split("\\s*=\\s*", 2);
            if (parts.length != 2) return false;
            String value = parts[1].replaceAll("^\"|\"$", "");
            String actual = switch (parts[0].strip()) {
                case "project" -> issue.at("/fields/project/key").asString();
                case "status" -> issue.at("/fields/status/name").asString();
                default -> null;
            };
            if (!value.equals(actual)) return false;
        }
        return true;
    }

    private void withIssue(Context ctx, java.util.function.Consumer<ObjectNode> then) {
        ObjectNode issue = issues.get(ctx.pathParam("key"));
        if (issue == null) {
            error(ctx, new VendorError(404, null, "Issue does not exist or you do not have permission to see it."));
            return;
        }
        then.accept(issue);
    }

    @Override
    protected void rejectCredential(Context ctx) {
        json(ctx, 401, NODES.objectNode().put("code", 401).put("message", "Unauthorized"));
    }

    @Override
    protected void rateLimit(Context ctx, int retryAfterSeconds) {
        ctx.header("Retry-After", String.valueOf(retryAfterSeconds)).header("RateLimit-Reason", "jira-burst-based");
        error(ctx, new VendorError(429, null, "Rate limit exceeded."));
    }

    @Override
    protected void error(Context ctx, VendorError error) {
        ObjectNode body = NODES.objectNode();
        body.putArray("errorMessages").add(error.message());
        body.putObject("errors");
        json(ctx, error.status(), body);
    }
}
