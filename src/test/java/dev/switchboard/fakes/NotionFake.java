package dev.switchboard.fakes;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Notion's API as its reference describes it (developers.notion.com/reference), for what its simplified OpenAPI
 * document cannot check: a workspace of pages whose content is a tree of blocks, children nested in the type's
 * object on the way in and read one level at a time on the way out ({@code has_children}), the limits per request
 * (100 blocks per children array, two levels of nesting, 1,000 blocks, 2,000 characters per rich-text item), the
 * {@code Notion-Version} header, cursors ({@code start_cursor} in, {@code next_cursor} and {@code has_more} out), and
 * errors as {@code {"object": "error", "status", "code", "message"}}.
 */
public final class NotionFake extends VendorFake {
    public static final String WORKSPACE = "Ada's Workspace";
    private static final Set<String> BLOCK_TYPES = Set.of("paragraph", "heading_1", "heading_2", "heading_3", "bulleted_list_item",
            "numbered_list_item", "to_do", "toggle", "code", "quote", "callout", "divider", "table", "table_row", "image", "bookmark",
            "equation", "embed");

    private final Map<String, ObjectNode> pages = new LinkedHashMap<>();
    /** The fake's clock, a minute a write: Notion rounds created_time and last_edited_time down to the minute. */
    private final java.util.concurrent.atomic.AtomicLong minutes = new java.util.concurrent.atomic.AtomicLong(java.time.Instant.parse("2026-11-30T10:00:00Z").getEpochSecond() / 60);
    private final Map<String, ObjectNode> blocks = new LinkedHashMap<>();
    private final Map<String, List<String>> children = new LinkedHashMap<>();
    private final List<ObjectNode> users = new ArrayList<>();

    /** @param pageCount pages titled "Page 1".. shared with the connection; @param userCount people in the workspace */
    public NotionFake(int pageCount, int userCount) {
        for (int i = 1; i <= pageCount; i++) {
            addPage("Page " + i, NODES.objectNode().put("type", "workspace").put("workspace", true));
        }
        for (int i = 1; i <= userCount; i++) {
            ObjectNode user = NODES.objectNode();
            user.put("object", "user").put("id", UUID.nameUUIDFromBytes(("user" + i).getBytes()).toString()).put("type", "person")
                    .put("name", "Person " + i).putObject("person").put("email", "person" + i + "@example.com");
            users.add(user);
        }
        tokenAnswerExtras(NODES.objectNode().put("bot_id", "b0t-" + UUID.randomUUID()).put("workspace_name", WORKSPACE)
                .put("workspace_id", UUID.randomUUID().toString()).put("workspace_icon", (String) null));
    }

    public String apiUrl() {
        return baseUrl() + "/v1";
    }

    public List<ObjectNode> pages() {
        return List.copyOf(pages.values());
    }

    /** A page's blocks as stored, in order, each with its own children under {@code children} (for assertions). */
    public synchronized List<ObjectNode> tree(String parentId) {
        List<ObjectNode> tree = new ArrayList<>();
        for (String id : children.getOrDefault(parentId, List.of())) {
            ObjectNode block = blocks.get(id).deepCopy();
            if (!block.path("in_trash").asBoolean()) {
                if (block.path("has_children").asBoolean()) {
                    ArrayNode nested = block.putArray("children");
                    tree(id).forEach(nested::add);
                }
                tree.add(block);
            }
        }
        return tree;
    }

    /** The next minute of the fake's clock, as Notion writes times. */
    private String tick() {
        return java.time.Instant.ofEpochSecond(minutes.incrementAndGet() * 60).toString().replace("Z", ".000Z");
    }

    private synchronized ObjectNode addPage(String title, ObjectNode parent) {
        String id = UUID.randomUUID().toString();
        String now = tick();
        ObjectNode page = NODES.objectNode().put("object", "page").put("id", id).put("created_time", now).put("last_edited_time", now)
                .put("archived", false).put("in_trash", false).put("url", "https://www.notion.so/" + id.replace("-", ""));
        page.set("parent", parent);
        page.putObject("properties").putObject("title").put("id", "title").put("type", "title").putArray("title")
                .addObject().put("type", "text").put("plain_text", title).putObject("text").put("content", title);
        pages.put(id, page);
        children.put(id, new ArrayList<>());
        return page;
    }

    @Override
    protected void routes(RoutesConfig routes) {
        post(routes, "/v1/pages", "createPage", this::createPage);
        get(routes, "/v1/pages/{id}", "getPage", (ctx, body) -> withPage(ctx, page -> json(ctx, 200, page)));
        patch(routes, "/v1/pages/{id}", "updatePage", (ctx, body) -> withPage(ctx, page -> {
            if (body.has("properties")) {
                page.set("properties", merge((ObjectNode) page.get("properties"), body.get("properties")));
            }
            for (String field : List.of("icon", "cover")) {
                if (body.has(field)) page.set(field, body.get(field));
            }
            if (body.has("archived") || body.has("in_trash")) {
                boolean trashed = body.path("in_trash").asBoolean(body.path("archived").asBoolean());
                page.put("archived", trashed).put("in_trash", trashed);
            }
            page.put("last_edited_time", tick());
            json(ctx, 200, page);
        }));
        post(routes, "/v1/search", "search", (ctx, body) -> {
            String query = body.path("query").asString("").toLowerCase(java.util.Locale.ROOT);
            List<JsonNode> found = new ArrayList<>();
            synchronized (this) {
                // most recently edited first unless sort says ascending (the only timestamp search sorts by); ties newest page first
                java.util.Comparator<ObjectNode> edited = java.util.Comparator.<ObjectNode, String>comparing(p -> p.path("last_edited_time").asString(""));
                List<ObjectNode> all = new ArrayList<>(pages.values());
                java.util.Comparator<ObjectNode> byEdit = edited.thenComparingInt(all::indexOf);
                pages.values().stream().filter(p -> !p.path("in_trash").asBoolean())
                        .filter(p -> title(p).toLowerCase(java.util.Locale.ROOT).contains(query))
                        .sorted("ascending".equals(body.at("/sort/direction").asString("")) ? byEdit : byEdit.reversed()).forEach(found::add);
            }
            list(ctx, found, body.path("start_cursor").asString(null), body.path("page_size").asInt(100), "page_or_database");
        });
        get(routes, "/v1/blocks/{id}/children", "listChildren", (ctx, body) -> {
            List<JsonNode> level = new ArrayList<>();
            synchronized (this) {
                List<String> ids = children.get(ctx.pathParam("id"));
                if (ids == null) {
                    notFound(ctx);
                    return;
                }
                ids.stream().map(blocks::get).filter(b -> !b.path("in_trash").asBoolean()).forEach(level::add);
            }
            list(ctx, level, ctx.queryParam("start_cursor"), intParam(ctx, "page_size", 100), "block");
        });
        patch(routes, "/v1/blocks/{id}/children", "appendChildren", this::appendChildren);
        get(routes, "/v1/blocks/{id}", "getBlock", (ctx, body) -> withBlock(ctx, block -> json(ctx, 200, block)));
        patch(routes, "/v1/blocks/{id}", "updateBlock", (ctx, body) -> withBlock(ctx, block -> {
            String type = block.get("type").asString();
            if (body.has(type)) {
                block.set(type, merge((ObjectNode) block.get(type), body.get(type)));
            }
            if (body.has("archived") || body.has("in_trash")) {
                boolean trashed = body.path("in_trash").asBoolean(body.path("archived").asBoolean());
                block.put("archived", trashed).put("in_trash", trashed);
            }
            json(ctx, 200, block);
        }));
        delete(routes, "/v1/blocks/{id}", "deleteBlock", (ctx, body) -> withBlock(ctx, block -> {
            block.put("archived", true).put("in_trash", true);
            json(ctx, 200, block);
        }));
        get(routes, "/v1/users", "listUsers", (ctx, body) -> list(ctx, new ArrayList<>(users), ctx.queryParam("start_cursor"),
                intParam(ctx, "page_size", 100), "user"));
        post(routes, "/v1/comments", "createComment", (ctx, body) -> {
            if (!pages.containsKey(body.at("/parent/page_id").asString(""))) {
                notFound(ctx);
                return;
            }
            ObjectNode comment = NODES.objectNode().put("object", "comment").put("id", UUID.randomUUID().toString())
                    .put("discussion_id", UUID.randomUUID().toString());
            comment.set("parent", body.get("parent"));
            comment.set("rich_text", body.get("rich_text"));
            json(ctx, 200, comment);
        });
    }

    private void list(Context ctx, List<JsonNode> records, String cursor, int pageSize, String type) {
        if (pageSize < 1 || pageSize > 100) {
            error(ctx, new VendorError(400, "validation_error", "page_size should be ≤ 100."));
            return;
        }
        int start = cursor == null ? 0 : Integer.parseInt(cursor.substring("cursor-".length()));
        int end = Math.min(records.size(), start + pageSize);
        ObjectNode answer = NODES.objectNode().put("object", "list");
        ArrayNode results = answer.putArray("results");
        records.subList(start, end).forEach(results::add);
        answer.put("next_cursor", end < records.size() ? "cursor-" + end : null).put("has_more", end < records.size()).put("type", type);
        answer.putObject(type);
        json(ctx, 200, answer);
    }

    private synchronized void createPage(Context ctx, JsonNode body) {
        String parentId = body.at("/parent/page_id").asString(null);
        if (parentId == null || !pages.containsKey(parentId)) {
            error(ctx, new VendorError(404, "object_not_found", "Could not find page with ID: " + parentId + "."));
            return;
        }
        JsonNode title = body.at("/properties/title/0/text/content");
        if (!title.isString()) {
            error(ctx, new VendorError(400, "validation_error", "body.properties.title should be defined."));
            return;
        }
        String problem = problem(body.path("children"), "body.children", 1, new int[] {0});
        if (problem != null) {
            error(ctx, new VendorError(400, "validation_error", problem));
            return;
        }
        ObjectNode page = addPage(title.asString(), NODES.objectNode().put("type", "page_id").put("page_id", parentId));
        for (String field : List.of("icon", "cover")) {
            if (body.has(field)) page.set(field, body.get(field));
        }
        store(page.get("id").asString(), body.path("children"), "page_id");
        json(ctx, 200, page);
    }

    private synchronized void appendChildren(Context ctx, JsonNode body) {
        String parentId = ctx.pathParam("id");
        if (!children.containsKey(parentId)) {
            notFound(ctx);
            return;
        }
        String problem = !body.path("children").isArray() || body.path("children").isEmpty() ? "body.children should be defined."
                : problem(body.path("children"), "body.children", 1, new int[] {0});
        if (problem != null) {
            error(ctx, new VendorError(400, "validation_error", problem));
            return;
        }
        int at = children.get(parentId).size();
        if (body.has("after")) {
            at = children.get(parentId).indexOf(body.get("after").asString()) + 1;
        }
        List<String> created = store(parentId, body.path("children"), pages.containsKey(parentId) ? "page_id" : "block_id");
        if (pages.containsKey(parentId)) {
            pages.get(parentId).put("last_edited_time", tick()); // new content edits the page
        }
        List<String> level = children.get(parentId);
        level.removeAll(created);
        level.addAll(at, created);
        ObjectNode answer = NODES.objectNode().put("object", "list");
        ArrayNode results = answer.putArray("results");
        created.forEach(id -> results.add(blocks.get(id)));
        answer.put("next_cursor", (String) null).put("has_more", false).put("type", "block").putObject("block");
        json(ctx, 200, answer);
    }

    /** What Notion refuses in a children array, or null: the limits of one request, unknown types, over-long text. */
    private static String problem(JsonNode list, String where, int depth, int[] count) {
        if (list.isMissingNode()) {
            return null;
        }
        if (list.size() > 100) {
            return where + ".length should be ≤ `100`, instead was `" + list.size() + "`.";
        }
        if (depth > 2) {
            return where + " should not be present: at most two levels of nesting are allowed in one request.";
        }
        for (int i = 0; i < list.size(); i++) {
            JsonNode block = list.get(i);
            String at = where + "[" + i + "]";
            String type = block.path("type").asString("");
            if (!BLOCK_TYPES.contains(type) || !block.path(type).isObject()) {
                return at + "." + type + " should be defined, instead was `undefined`.";
            }
            if (++count[0] > 1000) {
                return "body: a request may create at most 1000 blocks.";
            }
            for (JsonNode item : block.path(type).path("rich_text")) {
                if (item.at("/text/content").asString("").length() > 2000) {
                    return at + "." + type + ".rich_text[].text.content.length should be ≤ `2000`.";
                }
            }
            if (type.equals("table") && block.path("table").path("children").isEmpty()) {
                return at + ".table.children should be defined: a table is created with its rows.";
            }
            String nested = problem(block.path(type).path("children"), at + "." + type + ".children", depth + 1, count);
            if (nested != null) {
                return nested;
            }
        }
        return null;
    }

    /** Stores blocks under a parent as Notion keeps them: children apart, the parent marked has_children. */
    private List<String> store(String parentId, JsonNode list, String parentType) {
        List<String> ids = new ArrayList<>();
        for (JsonNode given : list) {
            ObjectNode block = (ObjectNode) given.deepCopy();
            String type = block.get("type").asString();
            JsonNode nested = ((ObjectNode) block.get(type)).remove("children");
            String id = UUID.randomUUID().toString();
            block.put("object", "block").put("id", id).put("created_time", "2026-11-30T10:00:00.000Z").put("archived", false)
                    .put("in_trash", false).put("has_children", false);
            block.putObject("parent").put("type", parentType).put(parentType, parentId);
            blocks.put(id, block);
            children.put(id, new ArrayList<>());
            children.get(parentId).add(id);
            ids.add(id);
            if (nested != null && !nested.isEmpty()) {
                store(id, nested, "block_id");
            }
        }
        if (!ids.isEmpty() && blocks.containsKey(parentId)) {
            blocks.get(parentId).put("has_children", true);
        }
        return ids;
    }

    private static ObjectNode merge(ObjectNode into, JsonNode changes) {
        changes.properties().forEach(e -> into.set(e.getKey(), e.getValue()));
        return into;
    }

    private static String title(JsonNode page) {
        return page.at("/properties/title/title/0/text/content").asString("");
    }

    private synchronized void withPage(Context ctx, java.util.function.Consumer<ObjectNode> action) {
        ObjectNode page = pages.get(ctx.pathParam("id"));
        if (page == null) {
            notFound(ctx);
        } else {
            action.accept(page);
        }
    }

    private synchronized void withBlock(Context ctx, java.util.function.Consumer<ObjectNode> action) {
        ObjectNode block = blocks.get(ctx.pathParam("id"));
        if (block == null) {
            notFound(ctx);
        } else {
            action.accept(block);
        }
    }

    private void notFound(Context ctx) {
        error(ctx, new VendorError(404, "object_not_found", "Could not find block with ID: " + ctx.pathParam("id")
                + ". Make sure the relevant pages and databases are shared with your integration."));
    }

    @Override
    protected Operation handle(String operation, Operation action) {
        Operation handled = super.handle(operation, action);
        return (ctx, body) -> {
            if (ctx.header("Notion-Version") == null) {
                error(ctx, new VendorError(400, "missing_version", "Notion-Version header failed validation: Notion-Version header should be defined."));
                return;
            }
            handled.answer(ctx, body);
        };
    }

    @Override
    protected void rejectCredential(Context ctx) {
        error(ctx, new VendorError(401, "unauthorized", "API token is invalid."));
    }

    @Override
    protected void rateLimit(Context ctx, int retryAfterSeconds) {
        ctx.header("Retry-After", String.valueOf(retryAfterSeconds));
        error(ctx, new VendorError(429, "rate_limited", "You have been rate limited. Please try again in a few minutes."));
    }

    @Override
    protected void error(Context ctx, VendorError error) {
        json(ctx, error.status(), NODES.objectNode().put("object", "error").put("status", error.status()).put("code", error.code())
                .put("message", error.message()).put("request_id", UUID.randomUUID().toString()));
    }
}
