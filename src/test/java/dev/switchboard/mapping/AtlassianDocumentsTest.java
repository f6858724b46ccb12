package dev.switchboard.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.json.Json;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Markdown as the Atlassian documents Jira takes: each construct as its ADF node, no empty text, only safe links. */
class AtlassianDocumentsTest {
    private static JsonNode adf(String markdown) {
        return AtlassianDocuments.of(Json.MAPPER.getNodeFactory().stringNode(markdown), "parameters.description");
    }

    @Test
    void markdownBecomesTheAdfNodesOfTheSameMeaning() {
        JsonNode doc = adf("# Checkout\n\nPress **Pay** then `retry`, see [the log](https://example.com/log).\n\n- one\n- two\n\n"
                + "3. third\n\n```java\nint x = 1;\n```\n\n> quoted\n\n---\n\n| a | b |\n|---|---|\n| 1 | 2 |\n");
        assertThat(doc.get("type").asString()).isEqualTo("doc");
        assertThat(doc.get("version").asInt()).isEqualTo(1);
        assertThat(doc.get("content")).extracting(n -> n.get("type").asString())
                .containsExactly("heading", "paragraph", "bulletList", "orderedList", "codeBlock", "blockquote", "rule", "table");
        assertThat(doc.at("/content/0/attrs/level").asInt()).isEqualTo(1);
        assertThat(doc.at("/content/1/content/1").toString()).isEqualTo("{\"type\":\"text\",\"text\":\"Pay\",\"marks\":[{\"type\":\"strong\"}]}");
        assertThat(doc.at("/content/1/content/3/marks/0/type").asString()).isEqualTo("code");
        assertThat(doc.at("/content/1/content/5/marks/0/attrs/href").asString()).isEqualTo("https://example.com/log");
        assertThat(doc.at("/content/3/attrs/order").asInt()).isEqualTo(3);
        assertThat(doc.at("/content/4/attrs/language").asString()).isEqualTo("java");
        assertThat(doc.at("/content/4/content/0/text").asString()).isEqualTo("int x = 1;");
        assertThat(doc.at("/content/7/content/0/content/0/type").asString()).isEqualTo("tableHeader");
        assertThat(doc.toString()).doesNotContain("\"text\":\"\"");
    }

    @Test
    void onlyWebAndMailLinksAreLinksAndADocumentPassesAsItIs() {
        JsonNode doc = adf("[click](javascript:alert(1)) and [mail](mailto:ada@example.com)");
        assertThat(doc.at("/content/0/content/0").has("marks")).isFalse();
        assertThat(doc.at("/content/0/content/2/marks/0/attrs/href").asString()).isEqualTo("mailto:ada@example.com");

        JsonNode given = Json.MAPPER.readTree("{\"type\": \"doc\", \"version\": 1, \"content\": [{\"type\": \"paragraph\", \"content\": []}]}");
        assertThat(AtlassianDocuments.of(given, "p")).isEqualTo(given);
        assertThatThrownBy(() -> AtlassianDocuments.of(Json.object().put("type", "paragraph"), "parameters.description"))
                .hasMessageContaining("parameters.description");
        assertThat(adf("").get("content")).isEmpty();
    }
}
