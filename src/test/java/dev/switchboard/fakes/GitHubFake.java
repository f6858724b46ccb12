package dev.switchboard.fakes;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * GitHub's REST API for one repository ({@value #OWNER}/{@value #REPO}), written from GitHub's REST reference (no
 * usable copy of its OpenAPI description is stored): issues filtered by assignee, creator, mentioned and labels and
 * paged by page/per_page with a Link header, releases by id and by tag, pull requests, file contents in base64 with
 * their sha (a write without the current sha is refused 422), branches as refs; errors as {@code {"message",
 * "documentation_url"}}; the primary rate limit as 403 "API rate limit exceeded" with X-RateLimit-Reset.
 */
public final class GitHubFake extends VendorFake {
    public static final String OWNER = "octocat";
    public static final String REPO = "hello-world";
    public static final String LOGIN = "octocat";

    private final List<ObjectNode> issues = new CopyOnWriteArrayList<>();
    private final Map<Long, ObjectNode> releases = new ConcurrentHashMap<>();
    private final Map<String, ObjectNode> files = new ConcurrentHashMap<>();
    private final Map<String, String> refs = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong(1);

    public GitHubFake(int issueCount) {
        for (int i = 1; i <= issueCount; i++) {
            String now = tick();
            ObjectNode issue = NODES.objectNode().put("id", 1000 + i).put("number", i).put("title", "Issue " + i).put("state", "open").put("locked", false)
                    .put("created_at", now).put("updated_at", now);
            issue.putObject("user").put("login", i % 2 == 0 ? "hubot" : "octocat");
            issue.putArray("assignees").addObject().put("login", i % 3 == 0 ? "monalisa" : "octocat");
            issue.putArray("labels").addObject().put("name", i % 2 == 0 ? "bug" : "enhancement");
            issues.add(issue);
        }
        refs.put("refs/heads/main", "6dcb09b5b57875f334f61aebed695e2e4193db5e");
    }

    public List<ObjectNode> issues() {
        return issues;
    }

    public Map<String, ObjectNode> files() {
        return files;
    }

    public Map<String, String> refs() {
        return refs;
    }

    /** The next instant of the fake's clock, as GitHub writes times (whole seconds). */
    private String tick() {
        return nextWrite().toString();
    }

    /** GitHub's order of an issue list: by created (the default), updated or comments, descending unless asked otherwise. */
    private static java.util.Comparator<ObjectNode> order(String sort, String direction) {
        String field = "updated".equals(sort) ? "updated_at" : "created_at";
        java.util.Comparator<ObjectNode> by = "comments".equals(sort)
                ? java.util.Comparator.comparingInt(i -> i.path("comments").asInt())
                : java.util.Comparator.comparing(i -> i.path(field).asString(""));
        by = by.thenComparingInt(i -> i.get("number").asInt());
        return "asc".equals(direction) ? by : by.reversed();
    }

    @Override
    protected void routes(RoutesConfig routes) {
        String repo = "/repos/{owner}/{repo}";
        get(routes, "/user", "user", (ctx, body) -> json(ctx, 200, NODES.objectNode().put("login", LOGIN).put("id", 1)));
        get(routes, repo + "/issues", "listIssues", (ctx, body) -> {
            if (!known(ctx)) return;
            String state = ctx.queryParam("state") == null ? "open" : ctx.queryParam("state");
            List<ObjectNode> found = issues.stream()
                    .filter(i -> state.equals("all") || i.get("state").asString().equals(state))
                    .filter(i -> ctx.queryParam("creator") == null || i.at("/user/login").asString().equals(ctx.queryParam("creator")))
                    .filter(i -> ctx.queryParam("assignee") == null || i.at("/assignees/0/login").asString().equals(ctx.queryParam("assignee")))
                    .filter(i -> ctx.queryParam("labels") == null || i.at("/labels/0/name").asString().equals(ctx.queryParam("labels")))
                    .sorted(order(ctx.queryParam("sort"), ctx.queryParam("direction")))
                    .toList();
            page(ctx, found);
        });
        post(routes, repo + "/issues", "createIssue", (ctx, body) -> {
            if (!known(ctx)) return;
            if (!body.path("title").isString()) {
                error(ctx, new VendorError(422, "Validation Failed", "Validation Failed"));
                return;
            }
            String now = tick();
            ObjectNode issue = ((ObjectNode) body.deepCopy()).put("id", 1000 + issues.size() + 1).put("number", issues.size() + 1)
                    .put("state", "open").put("locked", false).put("created_at", now).put("updated_at", now);
            issue.putObject("user").put("login", LOGIN);
            ArrayNode assignees = NODES.arrayNode();
            body.path("assignees").forEach(a -> assignees.addObject().put("login", a.asString()));
            issue.set("assignees", assignees);
            issues.add(issue);
            json(ctx, 201, issue);
        });
        get(routes, repo + "/issues/{number}", "getIssue", (ctx, body) -> withIssue(ctx, issue -> json(ctx, 200, issue)));
        patch(routes, repo + "/issues/{number}", "updateIssue", (ctx, body) -> withIssue(ctx, issue -> {
            body.properties().forEach(e -> {
                if (!e.getKey().equals("assignees")) issue.set(e.getKey(), e.getValue());
            });
            issue.put("updated_at", tick());
            json(ctx, 200, issue);
        }));
        put(routes, repo + "/issues/{number}/lock", "lockIssue", (ctx, body) -> withIssue(ctx, issue -> {
            issue.put("locked", true).put("active_lock_reason", body.path("lock_reason").asString(null)).put("updated_at", tick());
            ctx.status(204);
        }));
        post(routes, repo + "/releases", "createRelease", (ctx, body) -> {
            if (!known(ctx)) return;
            String tag = body.path("tag_name").asString("");
            if (releases.values().stream().anyMatch(r -> r.get("tag_name").asString().equals(tag))) {
                error(ctx, new VendorError(422, "already_exists", "Validation Failed"));
                return;
            }
            long id = ids.incrementAndGet();
            ObjectNode release = ((ObjectNode) body.deepCopy()).put("id", id).put("draft", body.path("draft").asBoolean(false))
                    .put("prerelease", body.path("prerelease").asBoolean(false));
            releases.put(id, release);
            json(ctx, 201, release);
        });
        get(routes, repo + "/releases/tags/{tag}", "releaseByTag", (ctx, body) -> {
            ObjectNode release = releases.values().stream().filter(r -> r.get("tag_name").asString().equals(ctx.pathParam("tag"))).findFirst().orElse(null);
            if (release == null) {
                notFound(ctx);
                return;
            }
            json(ctx, 200, release);
        });
        get(routes, repo + "/releases/{id}", "getRelease", (ctx, body) -> withRelease(ctx, release -> json(ctx, 200, release)));
        patch(routes, repo + "/releases/{id}", "updateRelease", (ctx, body) -> withRelease(ctx, release -> {
            body.properties().forEach(e -> release.set(e.getKey(), e.getValue()));
            json(ctx, 200, release);
        }));
        delete(routes, repo + "/releases/{id}", "deleteRelease", (ctx, body) -> withRelease(ctx, release -> {
            releases.remove(release.get("id").asLong());
            ctx.status(204);
        }));
        get(routes, repo + "/contents/<path>", "getContents", (ctx, body) -> {
            ObjectNode file = files.get(ctx.pathParam("path"));
            if (file == null) {
                notFound(ctx);
                return;
            }
            json(ctx, 200, file);
        });
        put(routes, repo + "/contents/<path>", "putContents", (ctx, body) -> {
            String path = ctx.pathParam("path");
            ObjectNode existing = files.get(path);
            if (existing != null && !existing.get("sha").asString().equals(body.path("sha").asString(""))) {
                error(ctx, new VendorError(409, "conflict", path + " does not match " + body.path("sha").asString("(no sha given)")));
                return;
            }
            byte[] content = Base64.getDecoder().decode(body.path("content").asString(""));
            String sha = sha256(content).substring(0, 40);
            ObjectNode file = NODES.objectNode().put("type", "file").put("name", path.substring(path.lastIndexOf('/') + 1)).put("path", path)
                    .put("sha", sha).put("encoding", "base64").put("content", Base64.getMimeEncoder().encodeToString(content));
            files.put(path, file);
            ObjectNode answer = NODES.objectNode();
            answer.set("content", file);
            answer.putObject("commit").put("message", body.path("message").asString());
            json(ctx, existing == null ? 201 : 200, answer);
        });
        post(routes, repo + "/git/refs", "createRef", (ctx, body) -> {
            String ref = body.path("ref").asString("");
            if (!ref.startsWith("refs/") || refs.containsKey(ref)) {
                error(ctx, new VendorError(422, "Reference already exists", "Reference already exists"));
                return;
            }
            refs.put(ref, body.path("sha").asString());
            json(ctx, 201, NODES.objectNode().put("ref", ref).set("object", NODES.objectNode().put("sha", body.path("sha").asString()).put("type", "commit")));
        });
    }

    private boolean known(Context ctx) {
        if (!OWNER.equals(ctx.pathParam("owner")) || !REPO.equals(ctx.pathParam("repo"))) {
            notFound(ctx);
            return false;
        }
        return true;
    }

    /** A page of per_page (default 30) records, with GitHub's Link header naming the next and last pages. */
    private void page(Context ctx, List<ObjectNode> records) {
        int perPage = intParam(ctx, "per_page", 30);
        int page = intParam(ctx, "page", 1);
        int start = (page - 1) * perPage;
        ArrayNode answer = NODES.arrayNode();
        records.subList(Math.min(start, records.size()), Math.min(records.size(), start + perPage)).forEach(answer::add);
        int last = Math.max(1, (records.size() + perPage - 1) / perPage);
        if (page < last) {
            String base = baseUrl() + ctx.path() + "?per_page=" + perPage;
            ctx.header("Link", "<" + base + "&page=" + (page + 1) + ">; rel=\"next\", <" + base + "&page=" + last + ">; rel=\"last\"");
        }
        json(ctx, 200, answer);
    }

    private void withIssue(Context ctx, java.util.function.Consumer<ObjectNode> action) {
        if (!known(ctx)) return;
        int number = Integer.parseInt(ctx.pathParam("number"));
        ObjectNode issue = issues.stream().filter(i -> i.get("number").asInt() == number).findFirst().orElse(null);
        if (issue == null) {
            notFound(ctx);
        } else {
            action.accept(issue);
        }
    }

    private void withRelease(Context ctx, java.util.function.Consumer<ObjectNode> action) {
        if (!known(ctx)) return;
        ObjectNode release = releases.get(Long.parseLong(ctx.pathParam("id")));
        if (release == null) {
            notFound(ctx);
        } else {
            action.accept(release);
        }
    }

    private void notFound(Context ctx) {
        error(ctx, new VendorError(404, "Not Found", "Not Found"));
    }

    @Override
    protected void rejectCredential(Context ctx) {
        error(ctx, new VendorError(401, "Bad credentials", "Bad credentials"));
    }

    @Override
    protected void rateLimit(Context ctx, int retryAfterSeconds) {
        ctx.header("X-RateLimit-Remaining", "0").header("X-RateLimit-Reset", String.valueOf(System.currentTimeMillis() / 1000 + retryAfterSeconds));
        error(ctx, new VendorError(403, "rate", "API rate limit exceeded for user ID 1."));
    }

    @Override
    protected void error(Context ctx, VendorError error) {
        json(ctx, error.status(), NODES.objectNode().put("message", error.message())
                .put("documentation_url", "https://docs.github.com/rest").put("status", String.valueOf(error.status())));
    }
}
