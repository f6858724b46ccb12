package dev.switchboard.mapping;

import dev.switchboard.json.Json;
import dev.switchboard.outcomes.Failure;
import java.util.List;
import java.util.Set;
import org.commonmark.Extension;
import org.commonmark.ext.gfm.strikethrough.Strikethrough;
import org.commonmark.ext.gfm.strikethrough.StrikethroughExtension;
import org.commonmark.ext.gfm.tables.TableBlock;
import org.commonmark.ext.gfm.tables.TableCell;
import org.commonmark.ext.gfm.tables.TableHead;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.BlockQuote;
import org.commonmark.node.BulletList;
import org.commonmark.node.Code;
import org.commonmark.node.Emphasis;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.HardLineBreak;
import org.commonmark.node.Heading;
import org.commonmark.node.HtmlBlock;
import org.commonmark.node.HtmlInline;
import org.commonmark.node.Image;
import org.commonmark.node.IndentedCodeBlock;
import org.commonmark.node.Link;
import org.commonmark.node.ListItem;
import org.commonmark.node.Node;
import org.commonmark.node.OrderedList;
import org.commonmark.node.Paragraph;
import org.commonmark.node.SoftLineBreak;
import org.commonmark.node.StrongEmphasis;
import org.commonmark.node.Text;
import org.commonmark.node.ThematicBreak;
import org.commonmark.parser.Parser;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Markdown as an Atlassian Document Format document ({@code {"type": "doc", "version": 1, "content": [...]}}), the
 * only form Jira's v3 API takes for descriptions, comments and long text fields. Parsed by commonmark-java (with
 * GitHub's tables and strikethrough); each node becomes the ADF node of the same meaning. ADF forbids empty text
 * nodes, so none is written; a link keeps only http, https and mailto targets (others become plain text). A value that
 * already is an ADF document passes as it is.
 */
public final class AtlassianDocuments {
    private static final List<Extension> EXTENSIONS = List.of(TablesExtension.create(), StrikethroughExtension.create());
    private static final Parser PARSER = Parser.builder().extensions(EXTENSIONS).build();
    private static final Set<String> LINK_SCHEMES = Set.of("http", "https", "mailto");

    private AtlassianDocuments() {}

    /** @param value Markdown text, or an ADF document (an object of {@code "type": "doc"}) */
    public static JsonNode of(JsonNode value, String path) {
        if (value.isObject()) {
            if (!"doc".equals(value.path("type").asString())) {
                throw Failure.invalidInput("invalid_parameters", path + ": an object must be an Atlassian document, {\"type\": \"doc\", \"version\": 1, \"content\": [...]}; or give Markdown text.");
            }
            return value;
        }
        ObjectNode doc = Json.object().put("type", "doc").put("version", 1);
        ArrayNode content = doc.putArray("content");
        blocks(PARSER.parse(value.asString("")), content);
        return doc;
    }

    private static void blocks(Node parent, ArrayNode out) {
        for (Node node = parent.getFirstChild(); node != null; node = node.getNext()) {
            ObjectNode block = block(node);
            if (block != null) {
                out.add(block);
            }
        }
    }

    private static ObjectNode block(Node node) {
        return switch (node) {
            case Paragraph paragraph -> withInline(Json.object().put("type", "paragraph"), paragraph);
            case Heading heading -> {
                ObjectNode block = Json.object().put("type", "heading");
                block.putObject("attrs").put("level", heading.getLevel());
                yield withInline(block, heading);
            }
            case BulletList list -> listOf("bulletList", list);
            case OrderedList list -> {
                ObjectNode block = listOf("orderedList", list);
                block.putObject("attrs").put("order", list.getMarkerStartNumber() == null ? 1 : list.getMarkerStartNumber());
                yield block;
            }
            case FencedCodeBlock fenced -> code(fenced.getLiteral(), fenced.getInfo());
            case IndentedCodeBlock indented -> code(indented.getLiteral(), null);
            case BlockQuote quote -> {
                ObjectNode block = Json.object().put("type", "blockquote");
                blocks(quote, block.putArray("content"));
                yield block;
            }
            case ThematicBreak ignored -> Json.object().put("type", "rule");
            case TableBlock table -> table(table);
            case HtmlBlock html -> paragraphOf(html.getLiteral().strip());
            default -> null;
        };
    }

    private static ObjectNode listOf(String type, Node list) {
        ObjectNode block = Json.object().put("type", type);
        ArrayNode items = block.putArray("content");
        for (Node item = list.getFirstChild(); item != null; item = item.getNext()) {
            if (item instanceof ListItem) {
                ObjectNode listItem = items.addObject().put("type", "listItem");
                ArrayNode content = listItem.putArray("content");
                blocks(item, content);
                if (content.isEmpty()) {
                    content.addObject().put("type", "paragraph").putArray("content");
                }
            }
        }
        return block;
    }

    private static ObjectNode code(String literal, String info) {
        ObjectNode block = Json.object().put("type", "codeBlock");
        String language = info == null ? "" : info.strip().split("\\s+")[0];
        if (!language.isEmpty()) {
            block.putObject("attrs").put("language", language);
        }
        String text = literal.endsWith("\n") ? literal.substring(0, literal.length() - 1) : literal;
        ArrayNode content = block.putArray("content");
        if (!text.isEmpty()) {
            content.addObject().put("type", "text").put("text", text);
        }
        return block;
    }

    private static ObjectNode table(TableBlock table) {
        ObjectNode block = Json.object().put("type", "table");
        ArrayNode rows = block.putArray("content");
        for (Node section = table.getFirstChild(); section != null; section = section.getNext()) {
            boolean header = section instanceof TableHead;
            for (Node row = section.getFirstChild(); row != null; row = row.getNext()) {
                ArrayNode cells = rows.addObject().put("type", "tableRow").putArray("content");
                for (Node cell = row.getFirstChild(); cell != null; cell = cell.getNext()) {
                    if (cell instanceof TableCell) {
                        ObjectNode adfCell = cells.addObject().put("type", header ? "tableHeader" : "tableCell");
                        adfCell.putArray("content").add(withInline(Json.object().put("type", "paragraph"), cell));
                    }
                }
            }
        }
        return block;
    }

    private static ObjectNode paragraphOf(String text) {
        ObjectNode paragraph = Json.object().put("type", "paragraph");
        ArrayNode content = paragraph.putArray("content");
        if (!text.isEmpty()) {
            content.addObject().put("type", "text").put("text", text);
        }
        return paragraph;
    }

    private static ObjectNode withInline(ObjectNode block, Node parent) {
        inline(parent, List.of(), block.putArray("content"));
        return block;
    }

    /** The text nodes of a stretch of inline Markdown, each with the marks (bold, code, link, ...) around it. */
    private static void inline(Node parent, List<ObjectNode> marks, ArrayNode out) {
        for (Node node = parent.getFirstChild(); node != null; node = node.getNext()) {
            switch (node) {
                case Text text -> text(text.getLiteral(), marks, out);
                case Code code -> text(code.getLiteral(), plus(marks, mark("code")), out);
                case StrongEmphasis strong -> inline(strong, plus(marks, mark("strong")), out);
                case Emphasis emphasis -> inline(emphasis, plus(marks, mark("em")), out);
                case Strikethrough struck -> inline(struck, plus(marks, mark("strike")), out);
                case Link link -> inline(link, safeLink(link.getDestination()) ? plus(marks, link(link.getDestination())) : marks, out);
                case Image image -> text(image.getDestination(), safeLink(image.getDestination()) ? plus(marks, link(image.getDestination())) : marks, out);
                case SoftLineBreak ignored -> text(" ", marks, out);
                case HardLineBreak ignored -> out.addObject().put("type", "hardBreak");
                case HtmlInline html -> text(html.getLiteral(), marks, out);
                default -> inline(node, marks, out);
            }
        }
    }

    private static void text(String text, List<ObjectNode> marks, ArrayNode out) {
        if (text.isEmpty()) {
            return; // ADF refuses an empty text node
        }
        ObjectNode node = out.addObject().put("type", "text").put("text", text);
        if (!marks.isEmpty()) {
            ArrayNode list = node.putArray("marks");
            marks.forEach(mark -> list.add(mark.deepCopy()));
        }
    }

    private static ObjectNode mark(String type) {
        return Json.object().put("type", type);
    }

    private static ObjectNode link(String href) {
        ObjectNode mark = mark("link");
        mark.putObject("attrs").put("href", href);
        return mark;
    }

    private static boolean safeLink(String href) {
        int colon = href.indexOf(':');
        return colon > 0 && LINK_SCHEMES.contains(href.substring(0, colon).toLowerCase(java.util.Locale.ROOT));
    }

    private static List<ObjectNode> plus(List<ObjectNode> marks, ObjectNode mark) {
        java.util.ArrayList<ObjectNode> more = new java.util.ArrayList<>(marks);
        more.add(mark);
        return more;
    }
}
