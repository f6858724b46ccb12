package dev.switchboard.integrations.notion;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.json.Json;
import java.util.ArrayList;
import java.util.List;
import org.commonmark.ext.gfm.strikethrough.StrikethroughExtension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.ext.task.list.items.TaskListItemsExtension;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Markdown to Notion's blocks and back, without a server: the blocks are what Notion's API takes, and coming back
 * they are what it answers (children read separately, beside the block). {@code NotionTest} does the same through
 * Switchboard and a Notion fake.
 */
public class NotionMarkdownTest {
    public static final String EVERY_CONSTRUCT = """
            # Release notes

            Plain text with **bold**, _italic_, ~~struck~~, `code`, a [link](https://example.com/a?b=1) and **_both_**.
            A second line of the same paragraph.

            ## Lists

            - first
            - second with **bold**
              - nested one
              - nested two
                1. deep numbered
            - [ ] a task
            - [x] a done task

            1. one
            2. two
            3. three

            ### Code and quotes

            ```java
            class A {
                int b = 1 * 2;
            }
            ```

            ```
            no language
            ```

            > A quote with *emphasis*.

            ---

            | Name | Count | Note |
            | --- | --- | --- |
            | apples | 3 | *fresh* |
            | pears | 10 | a \\| pipe |

            Characters that need escaping: 1\\. not a list, \\# not a heading, \\*not emphasis\\*, a\\_b, [not a link].

            ![A diagram](https://example.com/diagram.png)
            """;

    @Test
    void aDocumentWithEveryConstructComesBackEquivalent() {
        List<ObjectNode> blocks = NotionMarkdown.toBlocks(EVERY_CONSTRUCT);

        String back = NotionMarkdown.toMarkdown(asNotionAnswers(blocks));

        assertThat(html(back)).isEqualTo(html(EVERY_CONSTRUCT));
    }

    @Test
    void theBlocksAreNotionsOwn() {
        List<ObjectNode> blocks = NotionMarkdown.toBlocks(EVERY_CONSTRUCT);

        assertThat(blocks.stream().map(b -> b.get("type").asString()).distinct().toList()).contains("heading_1", "heading_2", "heading_3",
                "paragraph", "bulleted_list_item", "to_do", "numbered_list_item", "code", "quote", "divider", "table", "image");
        JsonNode paragraph = blocks.get(1).get("paragraph").get("rich_text");
        assertThat(paragraph.toString()).contains("{\"type\":\"text\",\"text\":{\"content\":\"bold\"},\"annotations\":{\"bold\":true,"
                + "\"italic\":false,\"strikethrough\":false,\"underline\":false,\"code\":false,\"color\":\"default\"}}");
        assertThat(paragraph.toString()).contains("\"link\":{\"url\":\"https://example.com/a?b=1\"}");
        JsonNode code = blocks.stream().filter(b -> b.get("type").asString().equals("code")).findFirst().orElseThrow();
        assertThat(code.at("/code/language").asString()).isEqualTo("java");
        assertThat(code.at("/code/rich_text/0/text/content").asString()).isEqualTo("class A {\n    int b = 1 * 2;\n}");
        JsonNode nested = blocks.stream().filter(b -> b.at("/bulleted_list_item/children").isArray()).findFirst().orElseThrow();
        assertThat(nested.at("/bulleted_list_item/children/1/bulleted_list_item/children/0/type").asString()).isEqualTo("numbered_list_item");
        JsonNode table = blocks.stream().filter(b -> b.get("type").asString().equals("table")).findFirst().orElseThrow();
        assertThat(table.at("/table/table_width").asInt()).isEqualTo(3);
        assertThat(table.at("/table/has_column_header").asBoolean()).isTrue();
        assertThat(table.at("/table/children/2/table_row/cells/2/0/text/content").asString()).isEqualTo("a | pipe");
        assertThat(blocks.stream().filter(b -> b.get("type").asString().equals("to_do")).map(b -> b.at("/to_do/checked").asBoolean()).toList())
                .containsExactly(false, true);
    }

    @Test
    void longTextIsCutAtNotionsLimitPerItem() {
        String text = "é".repeat(4_500);

        JsonNode richText = NotionMarkdown.toBlocks(text).getFirst().at("/paragraph/rich_text");

        assertThat(richText).hasSize(3);
        assertThat(richText.get(0).at("/text/content").asString()).hasSize(2000);
        StringBuilder joined = new StringBuilder();
        richText.forEach(item -> joined.append(item.at("/text/content").asString()));
        assertThat(joined.toString()).isEqualTo(text);
    }

    @Test
    void codeLanguagesAreNotionsNames() {
        assertThat(NotionMarkdown.language("js")).isEqualTo("javascript");
        assertThat(NotionMarkdown.language("C++ {.numberLines}")).isEqualTo("c++");
        assertThat(NotionMarkdown.language("brainfudge")).isEqualTo("plain text");
        assertThat(NotionMarkdown.language("")).isEqualTo("plain text");
    }

    /** Blocks as Notion answers them: each block's children moved from inside its type to beside it (as the program reads them). */
    static List<JsonNode> asNotionAnswers(List<ObjectNode> blocks) {
        List<JsonNode> answered = new ArrayList<>();
        for (ObjectNode block : blocks) {
            ObjectNode copy = block.deepCopy();
            String type = copy.get("type").asString();
            JsonNode children = ((ObjectNode) copy.get(type)).remove("children");
            if (children != null) {
                List<ObjectNode> nested = new ArrayList<>();
                children.forEach(c -> nested.add((ObjectNode) c));
                copy.set("children", Json.MAPPER.valueToTree(asNotionAnswers(nested)));
            }
            answered.add(copy);
        }
        return answered;
    }

    /** The HTML commonmark renders for Markdown, whitespace between tags ignored: what makes two documents equivalent. */
    public static String html(String markdown) {
        var extensions = List.of(TablesExtension.create(), StrikethroughExtension.create(), TaskListItemsExtension.create());
        String html = HtmlRenderer.builder().extensions(extensions).build().render(Parser.builder().extensions(extensions).build().parse(markdown));
        return html.replaceAll("\\s+", " ").replace("> <", "><").strip();
    }
}
