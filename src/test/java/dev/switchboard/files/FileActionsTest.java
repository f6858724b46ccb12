package dev.switchboard.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.fakes.BoxFake;
import dev.switchboard.fakes.GoogleDriveFake;
import dev.switchboard.fakes.VendorFake;
import dev.switchboard.testing.Http.Answer;
import dev.switchboard.testing.TestDatabases;
import dev.switchboard.testing.TestServer.Project;
import dev.switchboard.testing.TestServer;
import dev.switchboard.testing.Tokens;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/** File objects (SPEC 3.4) through Google Drive and Box: uploads verified by hash at the vendor, downloads, bad input. */
class FileActionsTest {
    private static TestServer server;
    private static Project project;
    private static String token;
    private static final GoogleDriveFake drive = new GoogleDriveFake(23);
    private static final BoxFake box = new BoxFake(25);

    @BeforeAll
    static void start() {
        drive.start();
        box.start();
        server = TestServer.start(TestDatabases.Kind.SQLITE);
        project = server.createProject("files");
        token = Tokens.sign(project.privateKeyPem(), "u1", c -> c);
        TestServer.expect(server.admin("PUT", "/admin/projects/" + project.id() + "/integrations/googledrive", Map.of("enabled", true,
                "urls", Map.of("api", drive.apiUrl(), "upload", drive.uploadUrl()))), 200);
        TestServer.expect(server.admin("PUT", "/admin/projects/" + project.id() + "/integrations/box", Map.of("enabled", true,
                "urls", Map.of("api", box.apiUrl(), "upload", box.uploadUrl(), "download", box.downloadUrl()))), 200);
        server.importCredential(project.id(), "u1", "googledrive", "ya29.drive-token");
        server.importCredential(project.id(), "u1", "box", "box-token");
        drive.accept("ya29.drive-token");
        box.accept("box-token");
    }

    @AfterAll
    static void stop() {
        server.close();
        drive.close();
        box.close();
    }

    @BeforeEach
    void reset() {
        drive.reset();
        box.reset();
    }

    private static Answer run(String action, Map<String, Object> parameters) {
        return server.runAction(project, token, action, parameters);
    }

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    private static Map<String, Object> fileObject(String mimeType, byte[] bytes) {
        return Map.of("dataType", "FILE", "mimeType", mimeType, "data", HexFormat.of().formatHex(bytes));
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, 5_000_000})
    void googleDriveSaveFileDeliversTheExactBytes(int size) {
        byte[] bytes = randomBytes(size);
        JsonNode saved = TestServer.expect(run("GOOGLE_DRIVE_SAVE_FILE", Map.of("filename", "report-" + size + ".bin",
                "parentFolderId", "folder-1", "file", fileObject("application/octet-stream", bytes))), 200);

        GoogleDriveFake.StoredFile stored = drive.files().get(saved.get("id").asString());
        assertThat(stored.sha256()).isEqualTo(VendorFake.sha256(bytes));
        assertThat(stored.size()).isEqualTo(size);
        assertThat(stored.name()).isEqualTo("report-" + size + ".bin");
        assertThat(stored.mimeType()).isEqualTo("application/octet-stream");
        assertThat(stored.parents()).containsExactly("folder-1");
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, 5_000_000})
    void boxSaveFileDeliversTheExactBytesToTheUploadHost(int size) {
        byte[] bytes = randomBytes(size);
        JsonNode saved = TestServer.expect(run("BOX_SAVE_FILE_FROM_OBJECT", Map.of("fileName", "box-" + size + ".bin",
                "file", fileObject("application/pdf", bytes))), 200);

        BoxFake.StoredFile stored = box.files().get(saved.at("/entries/0/id").asString());
        assertThat(VendorFake.sha256(stored.bytes())).isEqualTo(VendorFake.sha256(bytes));
        assertThat(stored.parentId()).as("the root folder by default").isEqualTo("0");
        assertThat(box.received("POST", "/api/2.0/files/content")).hasSize(1);
    }

    @Test
    void fileObjectWithDataBeforeDataTypeIsAcceptedToo() {
        byte[] bytes = "hello, files".getBytes();
        String body = "{\"action\":\"GOOGLE_DRIVE_SAVE_FILE\",\"parameters\":{\"filename\":\"order.txt\",\"file\":{\"data\":\""
                + HexFormat.of().formatHex(bytes) + "\",\"mimeType\":\"text/plain\",\"dataType\":\"FILE\"}}}";
        JsonNode saved = TestServer.expect(server.user("POST", "/projects/" + project.id() + "/actions", token, body, Map.of()), 200);
        assertThat(drive.files().get(saved.get("id").asString()).bytes()).isEqualTo(bytes);
    }

    @Test
    void downloadsComeBackAsFileObjects() {
        byte[] bytes = randomBytes(300_000);
        GoogleDriveFake.StoredFile stored = drive.store("photo.jpg", "image/jpeg", bytes);
        JsonNode file = TestServer.expect(run("GOOGLE_DRIVE_DOWNLOAD_FILE", Map.of("fileId", stored.id())), 200);
        assertThat(file.get("dataType").asString()).isEqualTo("FILE");
        assertThat(file.get("mimeType").asString()).isEqualTo("image/jpeg");
        assertThat(HexFormat.of().parseHex(file.get("data").asString())).isEqualTo(bytes);
        assertThat(drive.received().getLast().query()).containsEntry("alt", "media");
    }

    @Test
    void aFilesMetadataCarriesItsBytesWhenAskedAndOnlyThen() {
        byte[] bytes = randomBytes(70_000);
        GoogleDriveFake.StoredFile stored = drive.store("notes.bin", "application/octet-stream", bytes);

        JsonNode with = TestServer.expect(run("GOOGLE_DRIVE_GET_FILE_BY_ID", Map.of("fileId", stored.id(), "includeFileContents", "true")), 200);
        JsonNode without = TestServer.expect(run("GOOGLE_DRIVE_GET_FILE_BY_ID", Map.of("fileId", stored.id())), 200);

        assertThat(with.get("name").asString()).isEqualTo("notes.bin");
        assertThat(with.at("/fileContents/dataType").asString()).isEqualTo("FILE");
        assertThat(with.at("/fileContents/name").asString()).isEqualTo("notes.bin");
        assertThat(sha256(HexFormat.of().parseHex(with.at("/fileContents/data").asString()))).isEqualTo(sha256(bytes));
        assertThat(without.has("fileContents")).isFalse();
        assertThat(drive.received()).extracting(r -> r.query().get("alt")).containsExactly(null, "media", null);
        assertThat(drive.received()).allSatisfy(r -> assertThat(r.query()).doesNotContainKey("includeFileContents"));
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void boxDownloadFollowsTheRedirectToTheDownloadHostWithoutTheCredential() {
        byte[] bytes = randomBytes(12_345);
        BoxFake.StoredFile stored = box.store("contract.pdf", bytes);
        JsonNode file = TestServer.expect(run("BOX_DOWNLOAD_FILE", Map.of("fileId", stored.id())), 200);
        assertThat(HexFormat.of().parseHex(file.get("data").asString())).isEqualTo(bytes);
        assertThat(file.get("name").asString()).isEqualTo("contract.pdf");
        assertThat(box.downloads()).singleElement().satisfies(h -> assertThat(h).doesNotContainKey("Authorization"));
    }

    @Test
    void aRedirectToAHostThatIsNotConfiguredIsNotFollowed() {
        Project other = server.createProject("box-default-download");
        TestServer.expect(server.admin("PUT", "/admin/projects/" + other.id() + "/integrations/box", Map.of("enabled", true,
                "urls", Map.of("api", box.apiUrl(), "upload", box.uploadUrl()))), 200);
        server.importCredential(other.id(), "u1", "box", "box-token");
        BoxFake.StoredFile stored = box.store("secret.pdf", new byte[] {1, 2, 3});
        String otherToken = Tokens.sign(other.privateKeyPem(), "u1", c -> c);

        JsonNode body = TestServer.expect(server.runAction(other, otherToken, "BOX_DOWNLOAD_FILE", Map.of("fileId", stored.id())), 502);
        assertThat(body.get("message").asString()).contains("not one of its configured URLs");
        assertThat(box.downloads()).isEmpty();
    }

    /** ActionKit's parentId and includeFolders become Drive's q, a quote in a value cannot end the quoted text. */
    @Test
    void driveListingComposesItsQueryFromActionKitsParameters() {
        TestServer.expect(run("GOOGLE_DRIVE_LIST_FILES", Map.of("includeFolders", "false", "parentId", "it's\\mine",
                "additionalFields", Map.of("orderBy", "name", "q", "trashed = true"))), 200);
        Map<String, String> query = drive.received("GET", "/drive/v3/files").getLast().query();
        assertThat(query.get("q")).isEqualTo("'it\\'s\\\\mine' in parents and mimeType != 'application/vnd.google-apps.folder' and trashed = false");
        assertThat(query.get("orderBy")).as("additionalFields go to the query").isEqualTo("name");

        TestServer.expect(run("GOOGLE_DRIVE_LIST_FILES", Map.of("includeFolders", true)), 200);
        assertThat(drive.received("GET", "/drive/v3/files").getLast().query().get("q")).isEqualTo("'root' in parents and trashed = false");
        assertThat(run("GOOGLE_DRIVE_LIST_FILES", Map.of("parentId", "x")).status()).as("includeFolders is required, as in ActionKit").isEqualTo(400);
    }

    @Test
    void listingsPageExactlyOnce() {
        List<String> seen = new java.util.ArrayList<>();
        Map<String, Object> parameters = new HashMap<>(Map.of("pageSize", "5", "includeFolders", "true"));
        while (true) {
            JsonNode page = TestServer.expect(run("GOOGLE_DRIVE_LIST_FILES", parameters), 200);
            page.get("files").forEach(f -> seen.add(f.get("id").asString()));
            if (!page.has("pageCursor")) break;
            parameters.put("paginationParameters", Map.of("pageCursor", page.get("pageCursor").asString()));
        }
        assertThat(seen).containsExactlyElementsOf(drive.listing().stream().map(f -> f.get("id").asString()).toList());

        List<String> boxSeen = new java.util.ArrayList<>();
        Map<String, Object> boxParameters = new HashMap<>(Map.of("folderId", "0", "limit", 10));
        while (true) {
            JsonNode page = TestServer.expect(run("BOX_LIST_FILES", boxParameters), 200);
            page.get("entries").forEach(f -> boxSeen.add(f.get("id").asString()));
            if (!page.has("pageCursor")) break;
            boxParameters.put("paginationParameters", Map.of("pageCursor", page.get("pageCursor").asString()));
        }
        assertThat(boxSeen).containsExactlyElementsOf(box.items().stream().map(f -> f.get("id").asString()).toList());
        assertThat(box.received("GET", "/2.0/folders/0/items")).as("Box pages by marker, never by offset")
                .allSatisfy(r -> assertThat(r.query()).containsEntry("usemarker", "true").doesNotContainKey("offset"));
    }

    @Test
    void badFileObjectsAreNamedAndNothingIsSent() {
        Map<String, Map<String, Object>> cases = Map.of(
                "parameters.file.data: is not hexadecimal", Map.of("dataType", "FILE", "mimeType", "text/plain", "data", "00zz"),
                "parameters.file.data: has an odd number of hex digits", Map.of("dataType", "FILE", "mimeType", "text/plain", "data", "abc"),
                "parameters.file.dataType: must be \"FILE\"", Map.of("dataType", "BLOB", "mimeType", "text/plain", "data", "00"),
                "parameters.file.mimeType: is required", Map.of("dataType", "FILE", "data", "00"));
        cases.forEach((expected, file) -> {
            JsonNode body = TestServer.expect(run("GOOGLE_DRIVE_SAVE_FILE", Map.of("filename", "x", "file", file)), 400);
            assertThat(body.get("message").asString()).as(expected).contains(expected);
        });
        assertThat(drive.received()).isEmpty();
    }

    @Test
    void vendorErrorsAndRateLimitsOfFileVendors() {
        JsonNode missing = TestServer.expect(run("GOOGLE_DRIVE_DOWNLOAD_FILE", Map.of("fileId", "nope")), 404);
        assertThat(missing.get("message").asString()).contains("notFound");

        box.store("taken.txt", new byte[] {1});
        JsonNode conflict = TestServer.expect(run("BOX_SAVE_FILE_FROM_OBJECT", Map.of("fileName", "taken.txt", "file", fileObject("text/plain", new byte[] {2}))), 409);
        assertThat(conflict.get("message").asString()).contains("item_name_in_use");

        drive.failNext("list", new VendorFake.RateLimited(0));
        TestServer.expect(run("GOOGLE_DRIVE_LIST_FILES", Map.of("includeFolders", true)), 200);
        assertThat(drive.received("GET", "/drive/v3/files")).as("403 userRateLimitExceeded is retried").hasSize(2);

        box.failNext("items", new VendorFake.RateLimited(1));
        TestServer.expect(run("BOX_LIST_FILES", Map.of("folderId", "0")), 200);
        assertThat(box.received("GET", "/2.0/folders/0/items")).hasSize(2);
    }

    @Test
    void paragonFormatShowsFileInputs() {
        JsonNode save = TestServer.expect(server.user("GET", "/projects/" + project.id() + "/actions?format=paragon&integrations=box",
                token, null, Map.of()), 200).at("/actions/box/0");
        assertThat(save.get("name").asString()).isEqualTo("BOX_SAVE_FILE");
        assertThat(save.get("inputs").get(1).get("id").asString()).isEqualTo("file");
        assertThat(save.get("inputs").get(1).get("type").asString()).isEqualTo("FILE");
    }
}
