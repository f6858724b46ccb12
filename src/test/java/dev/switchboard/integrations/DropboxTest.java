package dev.switchboard.integrations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.fakes.DropboxFake;
import dev.switchboard.fakes.VendorFake;
import dev.switchboard.testing.Http.Answer;
import dev.switchboard.testing.Refreshes;
import dev.switchboard.testing.TestDatabases;
import dev.switchboard.testing.TestServer;
import dev.switchboard.testing.TestServer.Project;
import dev.switchboard.testing.Tokens;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Dropbox's actions as ActionKit's clients call them, against a fake written from Dropbox's Stone specs: listings
 * paged exactly once through the continuation route with the cursor alone, ending on has_more although the cursor
 * stays; files saved and downloaded as File objects through the content host with their argument as ASCII-only JSON
 * in Dropbox-API-Arg; route errors, a 429, and the connect flow labelled by a POST account lookup.
 */
class DropboxTest {
    private static final DropboxFake dropbox = new DropboxFake(5);
    private static TestServer server;
    private static Project project;
    private static String token;

    @BeforeAll
    static void start() {
        dropbox.start();
        server = TestServer.start(TestDatabases.Kind.SQLITE);
        project = server.createProject("dropbox");
        TestServer.expect(server.admin("PUT", "/admin/projects/" + project.id() + "/integrations/dropbox", Map.of("enabled", true,
                "urls", Map.of("api", dropbox.apiUrl(), "content", dropbox.contentUrl()))), 200);
        server.importCredential(project.id(), "ada", "dropbox", "sl.dropbox");
        dropbox.accept("sl.dropbox");
        token = Tokens.sign(project.privateKeyPem(), "ada", c -> c);
    }

    @AfterAll
    static void stop() {
        server.close();
        dropbox.close();
    }

    @BeforeEach
    void reset() {
        dropbox.reset();
    }

    private static Answer run(String action, Map<String, Object> parameters) {
        return server.runAction(project, token, action, parameters);
    }

    @Test
    void aListingPagesThroughTheContinuationRouteExactlyOnce() {
        List<String> names = new ArrayList<>();
        Map<String, Object> parameters = new HashMap<>(Map.of("folder", "/Reports", "limit", 2));
        int pages = 0;
        while (true) {
            JsonNode page = TestServer.expect(run("DROPBOX_LIST_FILES", parameters), 200);
            pages++;
            page.get("entries").forEach(e -> names.add(e.get("name").asString()));
            if (!page.has("pageCursor")) {
                assertThat(page.get("cursor").asString()).as("Dropbox keeps a cursor on the last page").isNotEmpty();
                break;
            }
            parameters.put("paginationParameters", page.get("nextPaginationParameters"));
        }
        assertThat(names).hasSize(5).doesNotHaveDuplicates().allMatch(n -> n.startsWith("report-"));
        assertThat(pages).isEqualTo(3);
        assertThat(dropbox.received("POST", "/2/files/list_folder")).hasSize(1);
        List<VendorFake.Received> continued = dropbox.received("POST", "/2/files/list_folder/continue");
        assertThat(continued).hasSize(2);
        assertThat(continued.getFirst().json().propertyNames()).containsExactly("cursor");

        JsonNode root = TestServer.expect(run("DROPBOX_LIST_FILES", Map.of()), 200);
        assertThat(root.get("entries")).extracting(e -> e.get("name").asString()).contains("Reports");
        assertThat(dropbox.received("POST", "/2/files/list_folder").getLast().json().get("path").asString()).as("the root is empty text").isEmpty();
    }

    @Test
    void aFileIsSavedAndDownloadedThroughTheContentHost() {
        byte[] bytes = "Zahlen für das Quartal ✓\n".repeat(200).getBytes(StandardCharsets.UTF_8);
        Map<String, Object> file = Map.of("dataType", "FILE", "mimeType", "text/plain", "data", HexFormat.of().formatHex(bytes), "name", "Bericht ü.txt");

        JsonNode saved = TestServer.expect(run("DROPBOX_SAVE_FILE", Map.of("file", file, "path", "/Uploads/Bericht ü.txt")), 200);

        assertThat(saved.get("size").asInt()).isEqualTo(bytes.length);
        assertThat(dropbox.bytes("/Uploads/Bericht ü.txt")).isEqualTo(bytes);
        VendorFake.Received upload = dropbox.received("POST", "/content/2/files/upload").getFirst();
        assertThat(upload.headers().get("Dropbox-API-Arg")).isEqualTo("{\"path\":\"/Uploads/Bericht \\u00fc.txt\",\"mode\":\"add\"}");
        assertThat(upload.headers().get("Content-Type")).isEqualTo("application/octet-stream");

        JsonNode downloaded = TestServer.expect(run("DROPBOX_DOWNLOAD_FILE", Map.of("path", saved.get("id").asString())), 200);
        assertThat(downloaded.get("dataType").asString()).isEqualTo("FILE");
        assertThat(downloaded.get("name").asString()).as("named by Dropbox-API-Result").isEqualTo("Bericht ü.txt");
        assertThat(HexFormat.of().parseHex(downloaded.get("data").asString())).isEqualTo(bytes);

        JsonNode taken = TestServer.expect(run("DROPBOX_SAVE_FILE", Map.of("file", file, "path", "/Uploads/Bericht ü.txt")), 409);
        assertThat(taken.get("message").asString()).contains("path/conflict");
        TestServer.expect(run("DROPBOX_SAVE_FILE", Map.of("file", file, "path", "/Uploads/Bericht ü.txt", "mode", "overwrite")), 200);
        JsonNode renamed = TestServer.expect(run("DROPBOX_SAVE_FILE", Map.of("file", file, "path", "/Uploads/Bericht ü.txt", "autorename", true)), 200);
        assertThat(renamed.get("name").asString()).isEqualTo("Bericht ü (1).txt");
    }

    @Test
    void foldersAreCreatedFoundMovedAndDeleted() {
        JsonNode created = TestServer.expect(run("DROPBOX_CREATE_FOLDER", Map.of("path", "/Homework/math")), 200);
        String id = created.at("/metadata/id").asString();
        JsonNode found = TestServer.expect(run("DROPBOX_SEARCH_FOLDERS", Map.of("folderName", "math")), 200);
        assertThat(found.get("matches")).extracting(m -> m.at("/metadata/metadata/path_display").asString()).containsExactly("/Homework/math");
        assertThat(dropbox.received("POST", "/2/files/search_v2").getLast().json().at("/options/file_categories/0").asString()).isEqualTo("folder");

        TestServer.expect(run("DROPBOX_MOVE_FOLDER", Map.of("fromPath", "/Homework/math", "toPath", "/Archive/math")), 200);
        JsonNode moved = TestServer.expect(run("DROPBOX_GET_FOLDER_BY_ID", Map.of("folderId", id)), 200);
        assertThat(moved.get("path_display").asString()).isEqualTo("/Archive/math");
        TestServer.expect(run("DROPBOX_DELETE_FOLDER", Map.of("path", "/Archive/math")), 200);
        assertThat(dropbox.exists("/Archive/math")).isFalse();

        JsonNode missing = TestServer.expect(run("DROPBOX_GET_FOLDER_BY_ID", Map.of("folderId", id)), 409);
        assertThat(missing.at("/meta/isIntegrationError").asBoolean()).isTrue();
        assertThat(missing.get("message").asString()).contains("path/not_found");
        JsonNode slash = TestServer.expect(run("DROPBOX_LIST_FILES", Map.of("folder", "/")), 400);
        assertThat(slash.get("message").asString()).as("refused before any call").contains("parameters.folder");
    }

    @Test
    void aRateLimitIsRetried() {
        dropbox.failNext("listFolder", new VendorFake.RateLimited(0));
        TestServer.expect(run("DROPBOX_LIST_FILES", Map.of("folder", "/Reports")), 200);
        assertThat(dropbox.received("POST", "/2/files/list_folder")).hasSize(2);
    }

    @Test
    void connectingAsksForOfflineAccessAndLabelsTheAccountByAPostLookup() throws Exception {
        TestServer.expect(server.admin("PUT", "/admin/projects/" + project.id() + "/integrations/dropbox", Map.of("enabled", true,
                "clientId", "client-id", "clientSecret", "client-secret",
                "urls", Map.of("api", dropbox.apiUrl(), "content", dropbox.contentUrl(), "token", dropbox.baseUrl() + "/oauth/token",
                        "authorize", dropbox.baseUrl() + "/oauth/authorize", "account", dropbox.apiUrl() + "/users/get_current_account"))), 200);
        String newcomer = Tokens.sign(project.privateKeyPem(), "newcomer", c -> c);

        var connected = dev.switchboard.testing.ConnectFlows.connect(server, project, newcomer, "dropbox");

        assertThat(connected.authorizeUrl()).contains("token_access_type=offline").contains("code_challenge_method=S256");
        JsonNode me = TestServer.expect(server.user("GET", "/projects/" + project.id() + "/sdk/me", newcomer, null, Map.of()), 200);
        assertThat(me.at("/integrations/dropbox/allCredentials/0/label").asString()).isEqualTo(DropboxFake.EMAIL);
        assertThat(dropbox.received("POST", "/2/users/get_current_account")).hasSize(1);
        assertThat(server.runAction(project, newcomer, "DROPBOX_LIST_FILES", Map.of("folder", "/Reports")).status()).isEqualTo(200);
    }

    @Test
    void anExpiredShortLivedTokenIsRefreshedKeepingTheRefreshToken() {
        // Dropbox answers a refresh without a new refresh token: the kept one must work the second time too.
        int refreshes = Refreshes.callsAfterEachExpiry(server, project, dropbox, "dropbox", Map.of("api", dropbox.apiUrl(),
                "content", dropbox.contentUrl()), "sl.expired-grace", "grace-refresh", "DROPBOX_LIST_FILES", Map.of("folder", "/Reports"), 2);
        assertThat(refreshes).isEqualTo(2);
    }
}
