package dev.switchboard.integrations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.fakes.NotionFake;
import dev.switchboard.fakes.VendorFake;
import dev.switchboard.testing.Http.Answer;
import dev.switchboard.testing.TestDatabases;
import dev.switchboard.testing.TestServer;
import dev.switchboard.testing.TestServer.Project;
import dev.switchboard.testing.Tokens;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Notion's actions as ActionKit's clients call them, against a fake that keeps pages as Notion does (a tree of blocks
 * read one level at a time) and refuses what Notion refuses in one request: Markdown in and out, within Notion's
 * limits per request, searches paged exactly once, one vendor error, one 429, and the connect flow with HTTP Basic
 * client auth and a JSON token request.
 */
class NotionTest {
    private static final NotionFake notion = new NotionFake(7, 3);
    private static TestServer server;
    private static Project project;
    private static String token;

    @BeforeAll
    static void start() {
        notion.start();
        server = TestServer.start(TestDatabases.Kind.SQLITE);
        project = server.createProject("notion");
        TestServer.expect(server.admin("PUT", "/admin/projects/" + project.id() + "/integrations/notion", Map.of("enabled", true,
                "urls", Map.of("api", notion.apiUrl()))), 200);
        server.importCredential(project.id(), "ada", "notion", "secret_notion");
        notion.accept("secret_notion");
        token = Tokens.sign(project.privateKeyPem(), "ada", c -> c);
    }

    @AfterAll
    static void stop() {
        server.close();
        notion.close();
    }

    @BeforeEach
    void reset() {
        notion.reset();
    }

    private static Answer run(String action, Map<String, Object> parameters) {
        return server.runAction(project, token, action, parameters);
    }

    private static String parentPage() {
        return notion.pages().getFirst().get("id").asString();
    }

    @Test
    void aPageWrittenInMarkdownReadsBackAsTheSameDocument() {
        String markdown = dev.switchboard.integrations.notion.NotionMarkdownTest.EVERY_CONSTRUCT;

        JsonNode page = TestServer.expect(run("NOTION_CREATE_PAGE_WITH_MARKDOWN", Map.of("parent", Map.of("page_id", parentPage()),
                "markdownContent", markdown)), 200);

        String pageId = page.get("id").asString();
        assertThat(page.at("/properties/title/title/0/text/content").asString()).as("the leading heading is the title").isEqualTo("Release notes");
        assertThat(notion.received().stream().allMatch(r -> "2025-09-03".equals(r.headers().get("Notion-Version")))).isTrue();
        JsonNode back = TestServer.expect(run("NOTION_GET_PAGE_AS_MARKDOWN", Map.of("pageId", pageId)), 200);
        assertThat(html(back.get("markdownContent").asString())).isEqualTo(html(markdown.substring(markdown.indexOf('\n') + 1)));
        assertThat(notion.received("GET", "/v1/blocks/" + pageId + "/children")).hasSize(1);
    }

    @Test
    void aLongDeepDocumentIsWrittenWithinNotionsLimitsInOrder() {
        StringBuilder markdown = new StringBuilder();
        for (int i = 1; i <= 230; i++) {
            markdown.append("Paragraph ").append(i).append("\n\n");
        }
        markdown.append("- level 1\n  - level 2\n    - level 3\n      - level 4\n\n");
        markdown.append("| n |\n| --- |\n");
        for (int i = 1; i <= 120; i++) {
            markdown.append("| row ").append(i).append(" |\n");
        }
        markdown.append("\nThe end, after ").append("x".repeat(4500)).append('\n');

        JsonNode page = TestServer.expect(run("NOTION_CREATE_PAGE_WITH_MARKDOWN", Map.of("parent", Map.of("page_id", parentPage()),
                "title", "Long", "markdownContent", markdown.toString())), 200);

        List<ObjectNode> stored = notion.tree(page.get("id").asString());
        assertThat(stored).hasSize(233);
        assertThat(stored.get(0).at("/paragraph/rich_text/0/text/content").asString()).isEqualTo("Paragraph 1");
        assertThat(stored.get(229).at("/paragraph/rich_text/0/text/content").asString()).isEqualTo("Paragraph 230");
        assertThat(stored.get(230).at("/children/0/children/0/children/0/bulleted_list_item/rich_text/0/text/content").asString())
                .isEqualTo("level 4");
        assertThat(stored.get(231).get("children")).as("every row, the first hundred with the table").hasSize(121);
        assertThat(stored.get(232).at("/paragraph/rich_text")).hasSize(3);
        JsonNode back = TestServer.expect(run("NOTION_GET_PAGE_AS_MARKDOWN", Map.of("pageId", page.get("id").asString())), 200);
        assertThat(html(back.get("markdownContent").asString())).isEqualTo(html(markdown.toString()));
        assertThat(notion.received("GET", "/v1/blocks/" + page.get("id").asString() + "/children"))
                .as("233 blocks are three pages of a hundred").hasSize(3);
    }

    @Test
    void replacingAPageWritesTheNewContentBeforeRemovingTheOld() {
        JsonNode page = TestServer.expect(run("NOTION_CREATE_PAGE_WITH_MARKDOWN", Map.of("parent", Map.of("page_id", parentPage()),
                "title", "Status", "markdownContent", "Old text\n\n- old item")), 200);
        String pageId = page.get("id").asString();

        TestServer.expect(run("NOTION_UPDATE_PAGE_WITH_MARKDOWN", Map.of("pageId", pageId, "markdownContent", "Appended")), 200);
        assertThat(notion.tree(pageId)).extracting(b -> b.get("type").asString()).containsExactly("paragraph", "bulleted_list_item", "paragraph");

        JsonNode replaced = TestServer.expect(run("NOTION_UPDATE_PAGE_WITH_MARKDOWN", Map.of("pageId", pageId,
                "markdownContent", "## New\n\nAll done.", "replaceExisting", true)), 200);

        assertThat(replaced.get("blocksRemoved").asInt()).isEqualTo(3);
        JsonNode back = TestServer.expect(run("NOTION_GET_PAGE_AS_MARKDOWN", Map.of("pageId", pageId)), 200);
        assertThat(back.get("markdownContent").asString()).isEqualTo("## New\n\nAll done.\n");

        // A failed write leaves the page as it was: the old blocks are only removed once the new ones are in.
        notion.failNext("appendChildren", new VendorFake.VendorError(400, "validation_error", "body failed validation."));
        Answer failed = run("NOTION_UPDATE_PAGE_WITH_MARKDOWN", Map.of("pageId", pageId, "markdownContent", "Lost?", "replaceExisting", true));
        assertThat(failed.status()).isEqualTo(400);
        assertThat(failed.json().at("/meta/isIntegrationError").asBoolean()).isTrue();
        assertThat(notion.received("DELETE", "/v1/blocks/" + notion.tree(pageId).getFirst().get("id").asString())).isEmpty();
        assertThat(TestServer.expect(run("NOTION_GET_PAGE_AS_MARKDOWN", Map.of("pageId", pageId)), 200).get("markdownContent").asString())
                .isEqualTo("## New\n\nAll done.\n");
    }

    @Test
    void aSearchPagesExactlyOnce() {
        List<String> titles = new ArrayList<>();
        Map<String, Object> parameters = new HashMap<>(Map.of("searchByTitleFilterSearch", "Page", "paginationParameters", Map.of("pageSize", 3)));
        int pages = 0;
        while (true) {
            JsonNode page = TestServer.expect(run("NOTION_SEARCH_PAGES", parameters), 200);
            pages++;
            page.get("results").forEach(p -> titles.add(p.at("/properties/title/title/0/text/content").asString()));
            if (!page.has("pageCursor")) {
                break;
            }
            parameters.put("paginationParameters", Map.of("pageCursor", page.get("pageCursor").asString(), "pageSize", 3));
        }
        assertThat(titles).hasSize(7).doesNotHaveDuplicates().allMatch(t -> t.startsWith("Page "));
        assertThat(pages).isEqualTo(3);
        JsonNode first = notion.received("POST", "/v1/search").getFirst().json();
        assertThat(first.get("query").asString()).isEqualTo("Page");
        assertThat(first.get("page_size").asInt()).isEqualTo(3);

        JsonNode formula = TestServer.expect(run("NOTION_SEARCH_PAGES", Map.of("searchByTitleFilterSearch", Map.of("operator", "AND",
                "conditions", List.of(Map.of("field", "query", "operator", "$stringExactlyMatches", "value", "Page 7"))))), 200);
        assertThat(formula.get("results")).hasSize(1);
    }

    @Test
    void blocksArePagesOfTheirOwn() {
        JsonNode page = TestServer.expect(run("NOTION_CREATE_PAGE", Map.of("parent", Map.of("page_id", parentPage()),
                "properties", Map.of("title", List.of(Map.of("text", Map.of("content", "Blocks")))),
                "children", List.of(Map.of("type", "to_do", "to_do", Map.of("rich_text", List.of(Map.of("text", Map.of("content", "Call Ada"))),
                        "checked", false))))), 200);
        String pageId = page.get("id").asString();
        JsonNode content = TestServer.expect(run("NOTION_GET_PAGE_CONTENT", Map.of("blockId", pageId)), 200);
        String blockId = content.at("/results/0/id").asString();

        TestServer.expect(run("NOTION_UPDATE_BLOCK", Map.of("blockId", blockId, "additionalFields", Map.of("to_do", Map.of("checked", true)))), 200);
        assertThat(TestServer.expect(run("NOTION_GET_BLOCK_BY_ID", Map.of("blockId", blockId)), 200).at("/to_do/checked").asBoolean()).isTrue();
        TestServer.expect(run("NOTION_DELETE_BLOCK", Map.of("blockId", blockId)), 200);
        assertThat(notion.tree(pageId)).isEmpty();

        TestServer.expect(run("NOTION_ARCHIVE_PAGE", Map.of("pageId", pageId)), 200);
        assertThat(TestServer.expect(run("NOTION_GET_PAGE_BY_ID", Map.of("pageId", pageId)), 200).get("archived").asBoolean()).isTrue();
        assertThat(notion.received("PATCH", "/v1/pages/" + pageId).getLast().json().toString()).isEqualTo("{\"archived\":true}");
    }

    @Test
    void notionsErrorsAndRateLimitsAreItsOwn() {
        JsonNode missing = TestServer.expect(run("NOTION_GET_PAGE_BY_ID", Map.of("pageId", "00000000-0000-0000-0000-000000000000")), 404);
        assertThat(missing.at("/meta/isIntegrationError").asBoolean()).isTrue();
        assertThat(missing.get("message").asString()).contains("object_not_found");

        notion.failNext("listUsers", new VendorFake.RateLimited(0));
        JsonNode users = TestServer.expect(run("NOTION_LIST_USERS", Map.of()), 200);
        assertThat(users.get("results")).hasSize(3);
        assertThat(notion.received("GET", "/v1/users")).hasSize(2);

        JsonNode tooShort = TestServer.expect(run("NOTION_GET_PAGE_AS_MARKDOWN", Map.of("pageId", "abc")), 400);
        assertThat(tooShort.get("message").asString()).contains("parameters.pageId");
        assertThat(notion.received()).as("nothing sent for a malformed id").hasSize(3);
    }

    @Test
    void connectingUsesBasicClientAuthAndLabelsTheAccountWithItsWorkspace() throws Exception {
        TestServer.expect(server.admin("PUT", "/admin/projects/" + project.id() + "/integrations/notion", Map.of("enabled", true,
                "clientId", "client-id", "clientSecret", "client-secret", "urls", Map.of("api", notion.apiUrl(),
                        "token", notion.baseUrl() + "/oauth/token", "authorize", notion.baseUrl() + "/oauth/authorize"))), 200);
        String newcomer = Tokens.sign(project.privateKeyPem(), "newcomer", c -> c);

        dev.switchboard.testing.ConnectFlows.Connected connected = dev.switchboard.testing.ConnectFlows.connect(server, project, newcomer, "notion");

        assertThat(connected.authorizeUrl()).contains("owner=user");
        assertThat(connected.back()).contains("#connected=notion");
        VendorFake.Exchange exchange = notion.exchanges().stream().filter(e -> e.request().path().equals("/oauth/token")).findFirst().orElse(null);
        JsonNode me = TestServer.expect(server.user("GET", "/projects/" + project.id() + "/sdk/me", newcomer, null, Map.of()), 200);
        assertThat(me.at("/integrations/notion/allCredentials/0/label").asString()).isEqualTo(NotionFake.WORKSPACE);
        assertThat(server.runAction(project, newcomer, "NOTION_LIST_USERS", Map.of()).status()).isEqualTo(200);
        assertThat(exchange).as("the token route is not one of the recorded operations").isNull();
    }

    private static String html(String markdown) {
        return dev.switchboard.integrations.notion.NotionMarkdownTest.html(markdown);
    }
}
