package dev.switchboard.integrations.notion;

import dev.switchboard.programs.ActionProgram;
import dev.switchboard.json.Json;
import dev.switchboard.outcomes.Failure;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Notion's actions that take or give Markdown, as programs over its page and block actions: Markdown becomes blocks
 * ({@link NotionMarkdown}) written within Notion's limits per request, and a page's blocks, read level by level,
 * become Markdown.
 *
 * <p>Notion's limits on one request: at most 100 blocks in a {@code children} array, at most two levels of nesting,
 * at most 1,000 blocks in all. Blocks are sent in order in batches within them; children that cannot go with their
 * parent are appended to it once Notion has answered with its id.
 */
public final class NotionPrograms {
    static final int BLOCKS_PER_ARRAY = 100;
    static final int BLOCKS_PER_REQUEST = 1000;
    /** How deep a page is read: far beyond what people write, short of a loop of synced blocks. */
    static final int MAX_DEPTH = 20;

    static final String CREATE_PAGE = "NOTION_CREATE_PAGE";
    static final String APPEND = "NOTION_APPEND_BLOCK_CHILDREN";
    static final String CHILDREN = "NOTION_GET_PAGE_CONTENT";
    static final String DELETE = "NOTION_DELETE_BLOCK";

    private NotionPrograms() {}

    public static Map<String, ActionProgram> all() {
        return Map.of("notionCreatePageWithMarkdown", ActionProgram.of(false, Set.of(CREATE_PAGE, APPEND), NotionPrograms::createPage),
                "notionGetPageAsMarkdown", ActionProgram.of(true, Set.of(CHILDREN), NotionPrograms::getPage),
                "notionUpdatePageWithMarkdown", ActionProgram.of(false, Set.of(CHILDREN, APPEND, DELETE), NotionPrograms::updatePage));
    }

    /** A page made from Markdown: created with as many of its blocks as one request takes, the rest appended. */
    private static JsonNode createPage(JsonNode input, ActionProgram.Steps steps) {
        List<ObjectNode> blocks = NotionMarkdown.toBlocks(input.path("markdownContent").asString(""));
        String title = input.path("title").asString(null);
        if (title == null && !blocks.isEmpty() && blocks.getFirst().path("type").asString().equals("heading_1")) {
            title = NotionMarkdown.plain(blocks.removeFirst().at("/heading_1/rich_text")); // the document's own title
        }
        // The page is created with the leading blocks that need no later request; the answer has no block ids.
        int first = 0;
        int count = 0;
        while (first < blocks.size() && first < BLOCKS_PER_ARRAY && deferred(blocks.get(first)).isEmpty()
                && count + size(blocks.get(first)) <= BLOCKS_PER_REQUEST) {
            count += size(blocks.get(first));
            first++;
        }
        ObjectNode page = Json.object();
        page.set("parent", input.get("parent"));
        ObjectNode properties = input.get("properties") instanceof ObjectNode given ? given.deepCopy() : Json.object();
        if (title != null) {
            properties.putArray("title").addObject().put("type", "text").putObject("text").put("content", title);
        }
        page.set("properties", properties);
        ArrayNode children = page.putArray("children");
        blocks.subList(0, first).forEach(children::add);
        for (String optional : List.of("icon", "cover")) {
            if (input.has(optional)) {
                page.set(optional, input.get(optional));
            }
        }
        JsonNode created = steps.run(CREATE_PAGE, page);
        append(steps, created.path("id").asString(), blocks.subList(first, blocks.size()));
        return created;
    }

    /** A page's content as Markdown: its blocks read level by level, every page of each. */
    private static JsonNode getPage(JsonNode input, ActionProgram.Steps steps) {
        String pageId = input.path("pageId").asString();
        String markdown = NotionMarkdown.toMarkdown(readTree(steps, pageId, 0));
        return Json.object().put("pageId", pageId).put("markdownContent", markdown);
    }

    /**
     * A page's content replaced by (or, with {@code replaceExisting} false, followed by) Markdown. The new blocks are
     * written before the old ones go, so that a failure part way leaves the old content in place.
     */
    private static JsonNode updatePage(JsonNode input, ActionProgram.Steps steps) {
        String pageId = input.path("pageId").asString();
        boolean replace = input.path("replaceExisting").asBoolean(false);
        List<String> old = new ArrayList<>();
        if (replace) {
            for (JsonNode block : readLevel(steps, pageId)) {
                // Child pages and databases are pages of their own, not this page's text: they stay.
                if (!Set.of("child_page", "child_database").contains(block.path("type").asString())) {
                    old.add(block.path("id").asString());
                }
            }
        }
        List<ObjectNode> blocks = NotionMarkdown.toBlocks(input.path("markdownContent").asString(""));
        int written = append(steps, pageId, blocks);
        for (String id : old) {
            steps.run(DELETE, Json.object().put("blockId", id));
        }
        return Json.object().put("pageId", pageId).put("blocksWritten", written).put("blocksRemoved", old.size());
    }

    /** Writes blocks under a parent, in order, in requests within Notion's limits; answers how many blocks it wrote. */
    static int append(ActionProgram.Steps steps, String parentId, List<ObjectNode> blocks) {
        int written = 0;
        for (int start = 0; start < blocks.size(); ) {
            List<ObjectNode> batch = new ArrayList<>();
            List<List<ObjectNode>> later = new ArrayList<>();
            int count = 0;
            while (start < blocks.size() && batch.size() < BLOCKS_PER_ARRAY) {
                ObjectNode block = blocks.get(start).deepCopy();
                List<ObjectNode> rest = deferred(block);
                int size = size(withoutDeferred(block, rest));
                if (!batch.isEmpty() && count + size > BLOCKS_PER_REQUEST) {
                    break;
                }
                batch.add(block);
                later.add(rest);
                count += size;
                start++;
            }
            ArrayNode children = Json.MAPPER.createArrayNode();
            batch.forEach(children::add);
            JsonNode answer = steps.run(APPEND, Json.object().put("blockId", parentId).set("children", children));
            written += count;
            JsonNode results = answer.path("results");
            for (int i = 0; i < later.size(); i++) {
                if (!later.get(i).isEmpty()) {
                    String id = results.path(i).path("id").asString(null);
                    if (id == null) {
                        throw new Failure(Failure.Kind.VENDOR_FAILED, "integration_response_unreadable",
                                "Notion's answer to appending blocks does not list the block to add children to.");
                    }
                    written += append(steps, id, later.get(i));
                }
            }
        }
        return written;
    }

    /**
     * The children of a block that cannot be sent with it, which are removed from it: those of a block whose
     * children have children of their own (a third level), or more than a hundred of them. A table keeps its first
     * hundred rows, since Notion makes a table with its rows.
     */
    private static List<ObjectNode> deferred(ObjectNode block) {
        JsonNode children = content(block).get("children");
        if (children == null || children.isEmpty()) {
            return List.of();
        }
        boolean table = block.path("type").asString().equals("table");
        boolean deep = false;
        for (JsonNode child : children) {
            deep |= content(child).has("children");
        }
        int kept = table ? Math.min(BLOCKS_PER_ARRAY, children.size()) : deep || children.size() > BLOCKS_PER_ARRAY ? 0 : children.size();
        List<ObjectNode> rest = new ArrayList<>();
        for (int i = kept; i < children.size(); i++) {
            rest.add((ObjectNode) children.get(i));
        }
        return rest;
    }

    private static ObjectNode withoutDeferred(ObjectNode block, List<ObjectNode> deferred) {
        if (!deferred.isEmpty()) {
            ArrayNode children = (ArrayNode) content(block).get("children");
            int kept = children.size() - deferred.size();
            while (children.size() > kept) {
                children.remove(children.size() - 1);
            }
            if (children.isEmpty()) {
                content(block).remove("children");
            }
        }
        return block;
    }

    /** The block and the children it carries. */
    private static int size(JsonNode block) {
        int size = 1;
        for (JsonNode child : content(block).path("children")) {
            size += size(child);
        }
        return size;
    }

    private static ObjectNode content(JsonNode block) {
        JsonNode content = block.get(block.path("type").asString());
        return content instanceof ObjectNode object ? object : Json.object();
    }

    /** A block's children, every page of them, each with its own children (read the same way) under {@code children}. */
    static List<JsonNode> readTree(ActionProgram.Steps steps, String blockId, int depth) {
        List<JsonNode> blocks = readLevel(steps, blockId);
        for (JsonNode block : blocks) {
            String type = block.path("type").asString();
            // A child page or database is a page of its own: linked, not inlined.
            if (block.path("has_children").asBoolean(false) && !type.equals("child_page") && !type.equals("child_database")) {
                if (depth + 1 >= MAX_DEPTH) {
                    throw new Failure(Failure.Kind.VENDOR_FAILED, "integration_response_unreadable",
                            "Notion's page nests blocks more than " + MAX_DEPTH + " levels deep.");
                }
                ArrayNode children = Json.MAPPER.createArrayNode();
                readTree(steps, block.path("id").asString(), depth + 1).forEach(children::add);
                ((ObjectNode) block).set("children", children);
            }
        }
        return blocks;
    }

    private static List<JsonNode> readLevel(ActionProgram.Steps steps, String blockId) {
        List<JsonNode> blocks = new ArrayList<>();
        JsonNode next = null;
        do {
            ObjectNode parameters = Json.object().put("blockId", blockId);
            if (next != null) {
                parameters.set("paginationParameters", next);
            }
            JsonNode page = steps.run(CHILDREN, parameters);
            page.path("results").forEach(blocks::add);
            next = page.get("nextPaginationParameters");
        } while (next != null && !next.isNull());
        return blocks;
    }
}
