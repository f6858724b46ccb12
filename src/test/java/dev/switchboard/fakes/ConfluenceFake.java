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
 * Confluence Cloud REST v2 behind the Atlassian gateway (vendors.md section 5): {@code /ex/confluence/{cloudId}/wiki/api/v2},
 * {@code results} with the next page's relative URL in {@code _links.next} and the Link header (absent on the last
 * page), {@code {"errors": [{"status", "code", "title"}]}}, 429 with Retry-After.
 */
public final class ConfluenceFake extends VendorFake {
    public static final String CLOUD_ID = "11223344-a1b2-c3d4-e5f6-123456789abc";

    private final List<ObjectNode> spaces = new ArrayList<>();
    private final List<ObjectNode> pages = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong(98_000);

    public ConfluenceFake(int spaceCount, int pageCount) {
        for (int i = 1; i <= spaceCount; i++) {
            spaces.add(NODES.objectNode().put("id", String.valueOf(1000 + i)).put("key", "SP" + i).put("name", "Space " + i)
                    .put("type", "global").put("status", "current"));
        }
        for (int i = 1; i <= pageCount; i++) {
            pages.add(page(String.valueOf(ids.incrementAndGet()), "1001", "Page " + i, "<p>" + i + "</p>"));
        }
    }

    public List<ObjectNode> spaces() { return spaces; }
    public List<ObjectNode> pages() { return pages; }

    /** The gateway URL with the cloud id left as a placeholder, as an operator would configure it. */
    public String apiUrlTemplate() { return baseUrl() + "/ex/confluence/{cloudId}/wiki/api/v2"; }
    public String accessibleResourcesUrl() { return baseUrl() + "/oauth/token/accessible-resources"; }

    private ObjectNode page(String id, String spaceId, String title, String value) {
        ObjectNode page = NODES.objectNode().put("id", id).put("status", "current").put("title", title).put("spaceId", spaceId)
                .put("authorId", "5b10ac8d82e05b22cc7d4ef5").put("createdAt", tick());
        page.putObject("version").put("number", 1).put("minorEdit", false).put("createdAt", page.get("createdAt").asString());
        page.putObject("body").putObject("storage").put("representation", "storage").put("value", value);
        page.putObject("_links").put("webui", "/spaces/SP/pages/" + id);
        return page;
    }

    @Override
    protected void routes(RoutesConfig routes) {
        String base = "/ex/confluence/{cloudId}/wiki/api/v2";
        // The sites an OAuth token may reach (vendors.md section 5): what a connect reads the cloud id from.
        get(routes, "/oauth/token/accessible-resources", "accessibleResources", (ctx, body) -> {
            ArrayNode sites = NODES.arrayNode();
            ObjectNode site = sites.addObject().put("id", CLOUD_ID).put("url", "https://your-domain.atlassian.net")
                    .put("name", "your-domain").put("avatarUrl", "https://site-admin-avatar-cdn.prod.public.atl-paas.net/avatars/240/flag.png");
            site.putArray("scopes").add("read:confluence-space.summary").add("write:confluence-content");
            json(ctx, 200, sites);
        });
        get(routes, base + "/spaces", "spaces", (ctx, body) -> list(ctx, spaces, "spaces"));
        get(routes, base + "/pages", "pages", (ctx, body) -> {
            String spaceId = ctx.queryParam("space-id");
            list(ctx, spaceId == null ? pages : pages.stream().filter(p -> p.get("spaceId").asString().equals(spaceId)).toList(), "pages");
        });
        get(routes, base + "/spaces/{spaceId}/pages", "pages", (ctx, body) -> {
            String spaceId = ctx.pathParam("spaceId");
            list(ctx, sorted(pages.stream().filter(p -> p.get("spaceId").asString().equals(spaceId)).toList(), ctx.queryParam("sort")),
                    "spaces/" + spaceId + "/pages");
        });
        post(routes, base + "/pages", "createPage", this::createPage);
        get(routes, base + "/pages/{id}", "getPage", (ctx, body) -> {
            ObjectNode page = pageById(ctx.pathParam("id"));
            if (page == null) {
                error(ctx, new VendorError(404, "NOT_FOUND", "Page not found or no permission"));
                return;
            }
            ObjectNode answer = page.deepCopy();
            if (!"storage".equals(ctx.queryParam("body-format"))) {
                answer.remove("body"); // Confluence sends the body only in the format asked for
            }
            json(ctx, 200, answer);
        });
        put(routes, base + "/pages/{id}", "updatePage", this::updatePage);
    }

    private ObjectNode pageById(String id) {
        return pages.stream().filter(p -> p.get("id").asString().equals(id)).findFirst().orElse(null);
    }

    /** PUT /pages/{id} ("updatePage"): id, status, title, body and version are required; the version must be the next one. */
    private void updatePage(Context ctx, JsonNode body) {
        ObjectNode page = pageById(ctx.pathParam("id"));
        if (page == null) {
            error(ctx, new VendorError(404, "NOT_FOUND", "Page not found or no permission"));
            return;
        }
        for (String field : List.of("id", "status", "title", "body", "version")) {
            if (!body.has(field)) {
                error(ctx, new VendorError(400, "INVALID_REQUEST_PARAMETER", field + " is required"));
                return;
            }
        }
        if (!body.get("id").asString().equals(page.get("id").asString())) {
            error(ctx, new VendorError(400, "INVALID_REQUEST_PARAMETER", "The id in the body does not match the page"));
            return;
        }
        int next = page.at("/version/number").asInt() + 1;
        if (body.at("/version/number").asInt() != next) {
            error(ctx, new VendorError(409, "CONFLICT", "Version must be incremented when updating a page. Current Version: [" + (next - 1) + "]"));
            return;
        }
        page.put("title", body.get("title").asString());
        ((ObjectNode) page.get("version")).put("number", next).put("message", body.at("/version/message").asString("")).put("createdAt", tick());
        ((ObjectNode) page.at("/body/storage")).put("value", body.at("/body/value").asString());
        if (body.has("parentId")) page.put("parentId", body.get("parentId").asString());
        json(ctx, 200, page);
    }

    /** Someone else saves the page: its version moves on. */
    public void editElsewhere(String id) {
        ObjectNode page = pageById(id);
        ((ObjectNode) page.get("version")).put("number", page.at("/version/number").asInt() + 1).put("createdAt", tick());
    }

    /** The next instant of the fake's clock, as Confluence writes times. */
    private String tick() {
        return nextWrite().toString().replace("Z", ".000Z");
    }

    /**
     * The pages in a list's sort (created-date by the page's creation, modified-date by its version's; a leading minus
     * for descending), as stored when none is asked for.
     */
    private static List<ObjectNode> sorted(List<ObjectNode> pages, String sort) {
        if (sort == null) {
            return pages;
        }
        String key = sort.replaceFirst("^-", "");
        java.util.Comparator<ObjectNode> by = switch (key) {
            case "created-date" -> java.util.Comparator.comparing(p -> p.get("createdAt").asString());
            case "modified-date" -> java.util.Comparator.comparing(p -> p.at("/version/createdAt").asString());
            case "title" -> java.util.Comparator.comparing(p -> p.get("title").asString());
            default -> java.util.Comparator.comparing(p -> 0);
        };
        by = by.thenComparingLong(p -> Long.parseLong(p.get("id").asString()));
        return pages.stream().sorted(sort.startsWith("-") ? by.reversed() : by).toList();
    }

    private void list(Context ctx, List<ObjectNode> items, String resource) {
        if (!ctx.pathParam("cloudId").equals(CLOUD_ID)) {
            error(ctx, new VendorError(404, "NOT_FOUND", "Not Found"));
            return;
        }
        int limit = intParam(ctx, "limit", 25);
        int start = 0;
        String cursor = ctx.queryParam("cursor");
        if (cursor != null) {
            try {
                start = Integer.parseInt(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).replace("after:", ""));
            } catch (RuntimeException e) {
                error(ctx, new VendorError(400, "INVALID_REQUEST_PARAMETER", "Invalid cursor"));
                return;
            }
        }
        int end = Math.min(items.size(), start + limit);
        ObjectNode answer = NODES.objectNode();
        ArrayNode results = answer.putArray("results");
        items.subList(start, end).forEach(results::add);
        ObjectNode links = answer.putObject("_links").put("base", baseUrl() + "/wiki");
        if (end < items.size()) {
            String next = Base64.getUrlEncoder().withoutPadding().encodeToString(("after:" + end).getBytes(StandardCharsets.UTF_8));
            String url = "/wiki/api/v2/" + resource + "?cursor=" + next + "&limit=" + limit;
            links.put("next", url);
            ctx.header("Link", "<" + url + ">; rel=\"next\", <" + baseUrl() + "/wiki>; rel=\"base\"");
        }
        json(ctx, 200, answer);
    }

    private void createPage(Context ctx, JsonNode body) {
        String spaceId = body.path("spaceId").asString(null);
        if (spaceId == null || spaces.stream().noneMatch(s -> s.get("id").asString().equals(spaceId))) {
            error(ctx, new VendorError(404, "NOT_FOUND", "Space not found or no permission"));
            return;
        }
        String title = body.path("title").asString("");
        if (pages.stream().anyMatch(p -> p.get("title").asString().equals(title) && p.get("spaceId").asString().equals(spaceId))) {
            error(ctx, new VendorError(400, "INVALID_REQUEST_PARAMETER", "A page with this title already exists"));
            return;
        }
        ObjectNode created = page(String.valueOf(ids.incrementAndGet()), spaceId, title, body.at("/body/value").asString(""));
        created.put("status", body.path("status").asString("current"));
        if (body.has("parentId")) created.put("parentId", body.get("parentId").asString());
        pages.add(created);
        json(ctx, 200, created);
    }


    @Override
    protected void rejectCredential(Context ctx) {
        json(ctx, 401, NODES.objectNode().put("code", 401).put("message", "Unauthorized; scope does not match"));
    }

    @Override
    protected void rateLimit(Context ctx, int retryAfterSeconds) {
        ctx.header("Retry-After", String.valueOf(retryAfterSeconds));
        error(ctx, new VendorError(429, "TOO_MANY_REQUESTS", "Rate limit exceeded"));
    }

    @Override
    protected void error(Context ctx, VendorError error) {
        ObjectNode body = NODES.objectNode();
        body.putArray("errors").addObject().put("status", error.status()).put("code", error.code()).put("title", error.message()).putNull("detail");
        json(ctx, error.status(), body);
    }
}
