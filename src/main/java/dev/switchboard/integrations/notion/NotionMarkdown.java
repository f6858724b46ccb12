package dev.switchboard.integrations.notion;

import dev.switchboard.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.commonmark.Extension;
import org.commonmark.ext.gfm.strikethrough.Strikethrough;
import org.commonmark.ext.gfm.strikethrough.StrikethroughExtension;
import org.commonmark.ext.gfm.tables.TableBlock;
import org.commonmark.ext.gfm.tables.TableBody;
import org.commonmark.ext.gfm.tables.TableCell;
import org.commonmark.ext.gfm.tables.TableHead;
import org.commonmark.ext.gfm.tables.TableRow;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.ext.task.list.items.TaskListItemMarker;
import org.commonmark.ext.task.list.items.TaskListItemsExtension;
import org.commonmark.node.BlockQuote;
import org.commonmark.node.BulletList;
import org.commonmark.node.Code;
import org.commonmark.node.Document;
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
import org.commonmark.renderer.NodeRenderer;
import org.commonmark.renderer.markdown.MarkdownNodeRendererContext;
import org.commonmark.renderer.markdown.MarkdownNodeRendererFactory;
import org.commonmark.renderer.markdown.MarkdownRenderer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Markdown to Notion blocks and back, through commonmark-java's syntax tree (with GitHub's tables, strikethrough and
 * task lists): Markdown is parsed by commonmark and each node becomes a block; blocks become commonmark nodes that
 * its Markdown renderer writes, escaping included.
 *
 * <p>Blocks are built as Notion's API takes them, children nested in the type's object; Notion's limit of 2,000
 * characters per rich-text item is applied here (longer text becomes several items). Which children go in one request
 * is {@link NotionBlockWriter}'s concern.
 */
public final class NotionMarkdown {
    /** Notion's limit on one rich-text item's {@code text.content}. */
    static final int RICH_TEXT_LIMIT = 2000;

    private static final List<Extension> EXTENSIONS = List.of(TablesExtension.create(), StrikethroughExtension.create(),
            TaskListItemsExtension.create());
    private static final Parser PARSER = Parser.builder().extensions(EXTENSIONS).build();
    private static final MarkdownRenderer RENDERER = MarkdownRenderer.builder().extensions(EXTENSIONS)
            .nodeRendererFactory(new MarkdownNodeRendererFactory() {
                // commonmark's task-list extension parses "[x]" but has no Markdown renderer of its own.
                @Override
                public NodeRenderer create(MarkdownNodeRendererContext context) {
                    return new NodeRenderer() {
                        @Override
                        public Set<Class<? extends Node>> getNodeTypes() {
                            return Set.of(TaskListItemMarker.class);
                        }

                        @Override
                        public void render(Node node) {
                            context.getWriter().raw(((TaskListItemMarker) node).isChecked() ? "[x] " : "[ ] ");
                        }
                    };
                }

                @Override
                public Set<Character> getSpecialCharacters() {
                    return Set.of();
                }
            }).build();

    /** Code languages Notion accepts, and the names Markdown authors use for some of them. */
    private static final Set<String> LANGUAGES = Set.of("abap", "agda", "arduino", "ascii art", "assembly", "bash", "basic", "bnf", "c", "c#",
            "c++", "clojure", "coffeescript", "coq", "css", "dart", "dhall", "diff", "docker", "ebnf", "elixir", "elm", "erlang", "f#",
            "flow", "fortran", "gherkin", "glsl", "go", "graphql", "groovy", "haskell", "hcl", "html", "idris", "java", "javascript", "json",
            "julia", "kotlin", "latex", "less", "lisp", "livescript", "llvm ir", "lua", "makefile", "markdown", "markup", "matlab",
            "mathematica", "mermaid", "nix", "notion formula", "objective-c", "ocaml", "pascal", "perl", "php", "plain text", "powershell",
            "prolog", "protobuf", "purescript", "python", "r", "racket", "reason", "ruby", "rust", "sass", "scala", "scheme", "scss",
            "shell", "smalltalk", "solidity", "sql", "swift", "toml", "typescript", "vb.net", "verilog", "vhdl", "visual basic",
            "webassembly", "xml", "yaml", "java/c/c++/c#");
    private static final Map<String, String> LANGUAGE_ALIASES = Map.ofEntries(Map.entry("js", "javascript"), Map.entry("ts", "typescript"),
            Map.entry("py", "python"), Map.entry("rb", "ruby"), Map.entry("sh", "shell"), Map.entry("zsh", "shell"), Map.entry("yml", "yaml"),
            Map.entry("cs", "c#"), Map.entry("csharp", "c#"), Map.entry("cpp", "c++"), Map.entry("kt", "kotlin"), Map.entry("md", "markdown"),
            Map.entry("dockerfile", "docker"), Map.entry("text", "plain text"), Map.entry("txt", "plain text"), Map.entry("plaintext", "plain text"),
            Map.entry("golang", "go"), Map.entry("rs", "rust"), Map.entry("proto", "protobuf"), Map.entry("ps1", "powershell"),
            Map.entry("objc", "objective-c"), Map.entry("tex", "latex"), Map.entry("make", "makefile"), Map.entry("jsx", "javascript"),
            Map.entry("tsx", "typescript"), Map.entry("console", "shell"), Map.entry("fsharp", "f#"), Map.entry("wasm", "webassembly"));

    private NotionMarkdown() {}

    // ---- Markdown to blocks -------------------------------------------------------------------------------------

    /** The blocks of a Markdown document, children nested as Notion takes them. */
    public static List<ObjectNode> toBlocks(String markdown) {
        List<ObjectNode> blocks = new ArrayList<>();
        for (Node node = PARSER.parse(markdown == null ? "" : markdown).getFirstChild(); node != null; node = node.getNext()) {
            blocks.addAll(blocksOf(node));
        }
        return blocks;
    }

    private static List<ObjectNode> blocksOf(Node node) {
        if (node instanceof Heading heading) {
            return List.of(block("heading_" + Math.min(3, heading.getLevel()), richText(heading)));
        }
        if (node instanceof Paragraph paragraph) {
            if (paragraph.getFirstChild() instanceof Image image && image.getNext() == null) {
                ObjectNode block = Json.object().put("type", "image");
                ObjectNode content = block.putObject("image").put("type", "external");
                content.putObject("external").put("url", image.getDestination());
                String caption = plainText(image);
                content.set("caption", caption.isEmpty() ? Json.MAPPER.createArrayNode() : richText(List.of(new Run(caption, Style.PLAIN))));
                return List.of(block);
            }
            return List.of(block("paragraph", richText(paragraph)));
        }
        if (node instanceof BulletList || node instanceof OrderedList) {
            List<ObjectNode> items = new ArrayList<>();
            for (Node item = node.getFirstChild(); item != null; item = item.getNext()) {
                items.add(listItem((ListItem) item, node instanceof OrderedList ? "numbered_list_item" : "bulleted_list_item"));
            }
            return items;
        }
        if (node instanceof FencedCodeBlock fenced) {
            return List.of(code(fenced.getLiteral(), fenced.getInfo()));
        }
        if (node instanceof IndentedCodeBlock indented) {
            return List.of(code(indented.getLiteral(), ""));
        }
        if (node instanceof BlockQuote quote) {
            return List.of(withContent("quote", quote.getFirstChild()));
        }
        if (node instanceof ThematicBreak) {
            ObjectNode divider = Json.object().put("type", "divider");
            divider.putObject("divider");
            return List.of(divider);
        }
        if (node instanceof TableBlock table) {
            return List.of(table(table));
        }
        if (node instanceof HtmlBlock html) {
            return List.of(block("paragraph", richText(List.of(new Run(html.getLiteral().strip(), Style.PLAIN)))));
        }
        return List.of();
    }

    /** A list item: its first paragraph is the item's text, what follows it (nested lists, more paragraphs) its children. */
    private static ObjectNode listItem(ListItem item, String type) {
        Node first = item.getFirstChild();
        Boolean checked = null;
        if (first instanceof TaskListItemMarker marker) { // the task-list extension puts it before the item's paragraph
            checked = marker.isChecked();
            first = first.getNext();
        }
        ObjectNode block = withContent(checked != null ? "to_do" : type, first);
        if (checked != null) {
            ((ObjectNode) block.get("to_do")).put("checked", checked);
        }
        return block;
    }

    /** A block whose text is {@code first} (when a paragraph) and whose children are the nodes after it. */
    private static ObjectNode withContent(String type, Node first) {
        Node rest = first;
        ArrayNode text = Json.MAPPER.createArrayNode();
        if (first instanceof Paragraph paragraph) {
            text = richText(paragraph);
            rest = first.getNext();
        }
        ObjectNode block = block(type, text);
        ArrayNode children = Json.MAPPER.createArrayNode();
        for (Node node = rest; node != null; node = node.getNext()) {
            blocksOf(node).forEach(children::add);
        }
        if (!children.isEmpty()) {
            ((ObjectNode) block.get(type)).set("children", children);
        }
        return block;
    }

    private static ObjectNode code(String literal, String info) {
        String text = literal.endsWith("\n") ? literal.substring(0, literal.length() - 1) : literal;
        ObjectNode block = block("code", richText(List.of(new Run(text, Style.PLAIN))));
        ((ObjectNode) block.get("code")).put("language", language(info));
        return block;
    }

    /** Notion's name for a fenced block's language (its info string's first word), or {@code plain text}. */
    static String language(String info) {
        String word = info == null || info.isBlank() ? "" : info.strip().split("\\s+")[0].toLowerCase(Locale.ROOT);
        String name = LANGUAGE_ALIASES.getOrDefault(word, word);
        return LANGUAGES.contains(name) ? name : "plain text";
    }

    private static ObjectNode table(TableBlock table) {
        ObjectNode block = Json.object().put("type", "table");
        ObjectNode content = block.putObject("table");
        ArrayNode rows = Json.MAPPER.createArrayNode();
        int width = 0;
        boolean header = false;
        for (Node section = table.getFirstChild(); section != null; section = section.getNext()) {
            header |= section instanceof TableHead;
            for (Node row = section.getFirstChild(); row != null; row = row.getNext()) {
                ObjectNode rowBlock = Json.object().put("type", "table_row");
                ArrayNode cells = rowBlock.putObject("table_row").putArray("cells");
                for (Node cell = row.getFirstChild(); cell != null; cell = cell.getNext()) {
                    cells.add(richText(runs(cell)));
                }
                width = Math.max(width, cells.size());
                rows.add(rowBlock);
            }
        }
        content.put("table_width", width).put("has_column_header", header).put("has_row_header", false);
        content.set("children", rows);
        return block;
    }

    private static ObjectNode block(String type, ArrayNode richText) {
        ObjectNode block = Json.object().put("type", type);
        block.putObject(type).set("rich_text", richText);
        return block;
    }

    // ---- inline text ----------------------------------------------------------------------------------------------

    /** The annotations and link of a stretch of text. */
    private record Style(boolean bold, boolean italic, boolean strikethrough, boolean code, String link) {
        static final Style PLAIN = new Style(false, false, false, false, null);

        Style withBold() { return new Style(true, italic, strikethrough, code, link); }
        Style withItalic() { return new Style(bold, true, strikethrough, code, link); }
        Style withStrikethrough() { return new Style(bold, italic, true, code, link); }
        Style withCode() { return new Style(bold, italic, strikethrough, true, link); }
        Style linked(String url) { return new Style(bold, italic, strikethrough, code, url); }
    }

    private record Run(String text, Style style) {}

    private static ArrayNode richText(Node parent) {
        return richText(runs(parent));
    }

    private static List<Run> runs(Node parent) {
        List<Run> runs = new ArrayList<>();
        collect(parent, Style.PLAIN, runs);
        return runs;
    }

    private static void collect(Node parent, Style style, List<Run> runs) {
        for (Node node = parent.getFirstChild(); node != null; node = node.getNext()) {
            switch (node) {
                case Text text -> runs.add(new Run(text.getLiteral(), style));
                case Code code -> runs.add(new Run(code.getLiteral(), style.withCode()));
                case StrongEmphasis strong -> collect(strong, style.withBold(), runs);
                case Emphasis emphasis -> collect(emphasis, style.withItalic(), runs);
                case Strikethrough struck -> collect(struck, style.withStrikethrough(), runs);
                case Link link -> collect(link, style.linked(link.getDestination()), runs);
                case Image image -> runs.add(new Run(plainText(image).isEmpty() ? image.getDestination() : plainText(image),
                        style.linked(image.getDestination())));
                case SoftLineBreak ignored -> runs.add(new Run(" ", style)); // Markdown shows a soft break as a space
                case HardLineBreak ignored -> runs.add(new Run("\n", style));
                case HtmlInline html -> runs.add(new Run(html.getLiteral(), style));
                case TaskListItemMarker ignored -> { }
                default -> collect(node, style, runs);
            }
        }
    }

    private static String plainText(Node parent) {
        StringBuilder text = new StringBuilder();
        runs(parent).forEach(run -> text.append(run.text()));
        return text.toString();
    }

    /** Notion's rich-text items for runs of text: neighbours of one style merged, then cut at Notion's length limit. */
    private static ArrayNode richText(List<Run> runs) {
        List<Run> merged = new ArrayList<>();
        for (Run run : runs) {
            if (!merged.isEmpty() && merged.getLast().style().equals(run.style())) {
                merged.set(merged.size() - 1, new Run(merged.getLast().text() + run.text(), run.style()));
            } else if (!run.text().isEmpty()) {
                merged.add(run);
            }
        }
        ArrayNode items = Json.MAPPER.createArrayNode();
        for (Run run : merged) {
            String text = run.text();
            for (int start = 0; start < text.length(); ) {
                int end = Math.min(text.length(), start + RICH_TEXT_LIMIT);
                if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
                    end--; // never split a character in two
                }
                items.add(item(text.substring(start, end), run.style()));
                start = end;
            }
        }
        return items;
    }

    private static ObjectNode item(String text, Style style) {
        ObjectNode item = Json.object().put("type", "text");
        ObjectNode content = item.putObject("text").put("content", text);
        if (style.link() != null) {
            content.putObject("link").put("url", style.link());
        }
        if (!style.equals(Style.PLAIN.linked(style.link()))) {
            item.putObject("annotations").put("bold", style.bold()).put("italic", style.italic())
                    .put("strikethrough", style.strikethrough()).put("underline", false).put("code", style.code()).put("color", "default");
        }
        return item;
    }

    // ---- blocks to Markdown ---------------------------------------------------------------------------------------

    /**
     * The Markdown of blocks as Notion answers them, each with its children (read separately) under {@code children}
     * beside its type, as {@link NotionBlockWriter#readTree} gives them.
     */
    public static String toMarkdown(List<JsonNode> blocks) {
        Document document = new Document();
        appendAll(document, blocks);
        return RENDERER.render(document);
    }

    private static void appendAll(Node parent, List<JsonNode> blocks) {
        Node list = null;
        String listType = null;
        for (JsonNode block : blocks) {
            String type = block.path("type").asString("");
            String group = switch (type) {
                case "bulleted_list_item", "to_do", "toggle" -> "bullet";
                case "numbered_list_item" -> "ordered";
                default -> null;
            };
            if (group == null) {
                list = null;
                listType = null;
                Node node = nodeOf(block, type);
                if (node != null) {
                    parent.appendChild(node);
                }
                continue;
            }
            if (!group.equals(listType)) {
                list = group.equals("bullet") ? bulletList() : orderedList();
                listType = group;
                parent.appendChild(list);
            }
            ListItem item = new ListItem();
            if (type.equals("to_do")) {
                item.appendChild(new TaskListItemMarker(block.path("to_do").path("checked").asBoolean(false)));
            }
            item.appendChild(paragraph(block.path(type).path("rich_text")));
            appendAll(item, children(block));
            list.appendChild(item);
        }
    }

    private static Node nodeOf(JsonNode block, String type) {
        JsonNode content = block.path(type);
        switch (type) {
            case "paragraph" -> {
                return paragraph(content.path("rich_text"));
            }
            case "heading_1", "heading_2", "heading_3" -> {
                Heading heading = new Heading();
                heading.setLevel(type.charAt(type.length() - 1) - '0');
                appendInlines(heading, content.path("rich_text"), true);
                return heading;
            }
            case "code" -> {
                FencedCodeBlock code = new FencedCodeBlock();
                code.setFenceCharacter("`");
                code.setOpeningFenceLength(3);
                code.setClosingFenceLength(3);
                String language = content.path("language").asString("plain text");
                code.setInfo(language.equals("plain text") ? "" : language);
                code.setLiteral(plain(content.path("rich_text")) + "\n");
                return code;
            }
            case "quote", "callout" -> {
                BlockQuote quote = new BlockQuote();
                quote.appendChild(paragraph(content.path("rich_text")));
                appendAll(quote, children(block));
                return quote;
            }
            case "divider" -> {
                return new ThematicBreak();
            }
            case "table" -> {
                return tableNode(content, children(block));
            }
            case "image" -> {
                String url = content.path(content.path("type").asString("external")).path("url").asString("");
                Image image = new Image(url, null);
                image.appendChild(new Text(plain(content.path("caption"))));
                Paragraph paragraph = new Paragraph();
                paragraph.appendChild(image);
                return paragraph;
            }
            case "bookmark", "embed", "link_preview", "video", "file", "pdf", "audio" -> {
                String url = content.has("url") ? content.path("url").asString("")
                        : content.path(content.path("type").asString("external")).path("url").asString("");
                Paragraph paragraph = new Paragraph();
                Link link = new Link(url, null);
                link.appendChild(new Text(url));
                paragraph.appendChild(link);
                return paragraph;
            }
            case "child_page", "child_database" -> {
                Paragraph paragraph = new Paragraph();
                Link link = new Link("https://www.notion.so/" + block.path("id").asString("").replace("-", ""), null);
                link.appendChild(new Text(content.path("title").asString("Untitled")));
                paragraph.appendChild(link);
                return paragraph;
            }
            case "equation" -> {
                Paragraph paragraph = new Paragraph();
                paragraph.appendChild(new Text("$$" + content.path("expression").asString("") + "$$"));
                return paragraph;
            }
            default -> {
                // A block of a type without a Markdown form still shows its text, if it has any.
                return content.has("rich_text") ? paragraph(content.path("rich_text")) : null;
            }
        }
    }

    private static Node tableNode(JsonNode table, List<JsonNode> rows) {
        TableBlock block = new TableBlock();
        boolean header = table.path("has_column_header").asBoolean(false);
        int width = table.path("table_width").asInt(rows.isEmpty() ? 0 : rows.getFirst().path("table_row").path("cells").size());
        TableHead head = new TableHead();
        TableBody body = new TableBody();
        block.appendChild(head);
        for (int i = 0; i < rows.size(); i++) {
            // A GitHub table always has a header row: without Notion's column header, it stays empty.
            if (i == 0 && !header) {
                head.appendChild(row(null, width, true));
            }
            (i == 0 && header ? head : body).appendChild(row(rows.get(i).path("table_row").path("cells"), width, i == 0 && header));
        }
        if (body.getFirstChild() != null) {
            block.appendChild(body);
        }
        return block;
    }

    private static TableRow row(JsonNode cells, int width, boolean header) {
        TableRow row = new TableRow();
        for (int c = 0; c < width; c++) {
            TableCell cell = new TableCell();
            cell.setHeader(header);
            if (cells != null && c < cells.size()) {
                appendInlines(cell, cells.get(c), true);
            }
            row.appendChild(cell);
        }
        return row;
    }

    private static List<JsonNode> children(JsonNode block) {
        List<JsonNode> children = new ArrayList<>();
        block.path("children").forEach(children::add);
        return children;
    }

    private static BulletList bulletList() {
        BulletList list = new BulletList();
        list.setMarker("-");
        list.setTight(true);
        return list;
    }

    private static OrderedList orderedList() {
        OrderedList list = new OrderedList();
        list.setMarkerStartNumber(1);
        list.setMarkerDelimiter(".");
        list.setTight(true);
        return list;
    }

    private static Paragraph paragraph(JsonNode richText) {
        Paragraph paragraph = new Paragraph();
        appendInlines(paragraph, richText, false);
        return paragraph;
    }

    /** The text of rich-text items, without their annotations. */
    static String plain(JsonNode richText) {
        StringBuilder text = new StringBuilder();
        richText.forEach(item -> text.append(textOf(item)));
        return text.toString();
    }

    private static String textOf(JsonNode item) {
        return item.path("type").asString("text").equals("text") ? item.path("text").path("content").asString("")
                : item.path("plain_text").asString("");
    }

    /**
     * The rich-text items as inline nodes: emphasis wraps the text but not its leading and trailing spaces (which
     * Markdown would not read as emphasis); in a single-line place (a heading, a table cell) line breaks become spaces.
     */
    private static void appendInlines(Node parent, JsonNode richText, boolean singleLine) {
        for (JsonNode item : richText) {
            String text = textOf(item);
            if (singleLine) {
                text = text.replace('\n', ' ');
            }
            JsonNode annotations = item.path("annotations");
            String url = item.path("text").path("link").path("url").asString(item.path("href").asString(null));
            Node target = parent;
            if (url != null) {
                Link link = new Link(url, null);
                parent.appendChild(link);
                target = link;
            }
            if (annotations.path("code").asBoolean(false)) {
                target.appendChild(new Code(text));
                continue;
            }
            String core = text.strip();
            String leading = text.substring(0, text.indexOf(core.isEmpty() ? text : core));
            String trailing = text.substring(leading.length() + core.length());
            appendText(target, leading);
            Node inner = target;
            if (!core.isEmpty()) {
                if (annotations.path("strikethrough").asBoolean(false)) {
                    inner = wrap(inner, new Strikethrough("~~"));
                }
                if (annotations.path("bold").asBoolean(false)) {
                    StrongEmphasis strong = new StrongEmphasis("**");
                    inner = wrap(inner, strong);
                }
                if (annotations.path("italic").asBoolean(false)) {
                    inner = wrap(inner, new Emphasis("_"));
                }
                appendText(inner, core);
            }
            appendText(target, trailing);
        }
    }

    private static Node wrap(Node parent, Node wrapper) {
        parent.appendChild(wrapper);
        return wrapper;
    }

    /** Text with its line breaks as Markdown line breaks. */
    private static void appendText(Node parent, String text) {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (i > 0) {
                parent.appendChild(new HardLineBreak());
            }
            if (!lines[i].isEmpty()) {
                parent.appendChild(new Text(lines[i]));
            }
        }
    }
}
