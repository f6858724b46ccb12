package dev.switchboard.integrations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.fakes.BoxFake;
import dev.switchboard.testing.TestDatabases;
import dev.switchboard.testing.TestServer;
import dev.switchboard.testing.TestServer.Project;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * An action that pages otherwise than its integration's other lists says so in its own pagination block: Box's
 * search pages by offset and total_count while its folder listings page by marker, and each pages every record
 * exactly once its own way.
 */
class ActionPaginationTest {
    private static final BoxFake box = new BoxFake(23);
    private static TestServer server;
    private static Project project;
    private static String token;

    @BeforeAll
    static void start() {
        box.start();
        server = TestServer.start(TestDatabases.Kind.SQLITE);
        project = server.createProject("action-pagination");
        server.configureIntegration(project.id(), "box", box.apiUrl());
        token = server.connect(project, box, "ada", "box", "box-token");
    }

    @AfterAll
    static void stop() {
        server.close();
        box.close();
    }

    @Test
    void boxSearchPagesByOffsetWhileItsFoldersPageByMarker() {
        List<String> found = new ArrayList<>();
        Map<String, Object> parameters = new HashMap<>(Map.of("query", "item", "paginationParameters", Map.of("pageSize", 5)));
        for (int calls = 0; calls < 20; calls++) {
            JsonNode page = TestServer.expect(server.runAction(project, token, "BOX_SEARCH_FILES", parameters), 200);
            page.get("entries").forEach(entry -> found.add(entry.get("name").asString()));
            if (!page.has("nextPaginationParameters")) break;
            assertThat(page.at("/nextPaginationParameters/offset").isIntegralNumber()).as("an offset, this action's own style").isTrue();
            parameters.put("paginationParameters", Map.of("offset", page.at("/nextPaginationParameters/offset").asInt(), "pageSize", 5));
        }
        List<String> files = box.items().stream().filter(i -> i.get("type").asString().equals("file")).map(i -> i.get("name").asString()).toList();
        assertThat(found).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(files);
        assertThat(box.received("GET", "/2.0/search")).hasSize((files.size() + 4) / 5)
                .allSatisfy(call -> assertThat(call.query()).containsEntry("limit", "5").doesNotContainKey("usemarker"));
    }
}
