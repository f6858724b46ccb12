package dev.switchboard.routes.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.fakes.BoxFake;
import dev.switchboard.fakes.GoogleDriveFake;
import dev.switchboard.fakes.VendorFake;
import dev.switchboard.testing.Http.Answer;
import dev.switchboard.testing.TestDatabases;
import dev.switchboard.testing.TestServer.Project;
import dev.switchboard.testing.TestServer;
import dev.switchboard.testing.Tokens;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The Proxy API (SPEC 3.5): forwarding, wrapping, raw bodies streamed both ways, and the URLs it refuses. */
class ProxyTest {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static TestServer server;
    private static Project project;
    private static String token;
    private static final GoogleDriveFake drive = new GoogleDriveFake(7);
    private static final BoxFake box = new BoxFake(3);
    /** Another server on this machine that the proxy must never reach. */
    private static final GoogleDriveFake bystander = new GoogleDriveFake(1);
    private static String driveCredential;

    @BeforeAll
    static void start() {
        drive.start();
        box.start();
        bystander.start();
        server = TestServer.start(TestDatabases.Kind.SQLITE);
        project = server.createProject("proxy");
        token = Tokens.sign(project.privateKeyPem(), "u1", c -> c);
        TestServer.expect(server.admin("PUT", "/admin/projects/" + project.id() + "/integrations/googledrive", Map.of("enabled", true,
                "urls", Map.of("api", drive.apiUrl(), "upload", drive.uploadUrl()))), 200);
        TestServer.expect(server.admin("PUT", "/admin/projects/" + project.id() + "/integrations/box", Map.of("enabled", true,
                "urls", Map.of("api", box.apiUrl(), "upload", box.uploadUrl()))), 200);
        driveCredential = server.importCredential(project.id(), "u1", "googledrive", "ya29.proxy-token");
        server.importCredential(project.id(), "u1", "box", "box-token");
        drive.accept("ya29.proxy-token");
        box.accept("box-token");
        bystander.accept("ya29.proxy-token");
    }

    @AfterAll
    static void stop() {
        server.close();
        drive.close();
        box.close();
        bystander.close();
    }

    @BeforeEach
    void reset() {
        drive.reset();
        box.reset();
        bystander.reset();
    }

    private static HttpRequest.Builder proxy(String integration, String path) {
        return HttpRequest.newBuilder(URI.create(server.url("/projects/" + project.id() + "/sdk/proxy/" + integration + path)))
                .header("Authorization", "Bearer " + token);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void jsonAnswersAreWrappedInOutputWithTheVendorsStatus() throws Exception {
        HttpResponse<String> response = send(proxy("googledrive", "/files?pageSize=3").GET());
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.at("/output/files")).hasSize(3);
        assertThat(response.headers().firstValue("X-Paragon-Credential")).hasValue(driveCredential);
        VendorFake.Received sent = drive.received().getLast();
        assertThat(sent.path()).isEqualTo("/drive/v3/files");
        assertThat(sent.query()).containsEntry("pageSize", "3");
        assertThat(sent.headers().get("Authorization")).isEqualTo("Bearer ya29.proxy-token");

        HttpResponse<String> missing = send(proxy("googledrive", "/files/nope").GET());
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(missing.body()).at("/output/error/code").asInt()).isEqualTo(404);
    }

    @Test
    void anAnswerLabelledJsonThatIsNotJsonPassesAsSent() throws Exception {
        String broken = drive.store("broken.json", "application/json", "{\"files\": [1, 2".getBytes(StandardCharsets.UTF_8)).id();
        String whole = drive.store("whole.json", "application/json", "{\"a\": [1, 2]}".getBytes(StandardCharsets.UTF_8)).id();

        HttpResponse<String> asSent = send(proxy("googledrive", "/files/" + broken + "?alt=media").GET());
        HttpResponse<String> wrapped = send(proxy("googledrive", "/files/" + whole + "?alt=media").GET());

        assertThat(asSent.statusCode()).isEqualTo(200);
        assertThat(asSent.body()).isEqualTo("{\"files\": [1, 2");
        assertThat(wrapped.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(wrapped.body()).at("/output/a")).hasSize(2);
    }

    @Test
    void aFullUrlOnTheIntegrationsOwnHostIsFetched() throws Exception {
        HttpResponse<String> response = send(proxy("googledrive", "").header(ProxyRoutes.URL_HEADER, drive.apiUrl() + "/files?pageSize=2").GET());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).at("/output/files")).hasSize(2);
        assertThat(drive.received().getLast().path()).isEqualTo("/drive/v3/files");
        assertThat(bystander.received()).isEmpty();
    }

    @Test
    void aVendors401Or403IsNeverPassedOnAsSuchOutsideRawMode() throws Exception {
        box.revoke("box-token");
        try {
            HttpResponse<String> rejected = send(proxy("box", "/folders/0/items").GET());
            assertThat(rejected.statusCode()).isEqualTo(424);
            JsonNode body = JSON.readTree(rejected.body());
            assertThat(body.get("code").asString()).isEqualTo("credential_invalid");
            assertThat(body.at("/meta/isIntegrationError").asBoolean()).isTrue();
            assertThat(body.at("/meta/integrationStatus").asInt()).isEqualTo(401);

            HttpResponse<String> raw = send(proxy("box", "/folders/0/items").header(ProxyRoutes.RAW_HEADER, "1").GET());
            assertThat(raw.statusCode()).isEqualTo(401);
        } finally {
            box.accept("box-token");
        }

        drive.failNext("list", new VendorFake.VendorError(403, "insufficientFilePermissions", "The user does not have sufficient permissions for this file."));
        HttpResponse<String> forbidden = send(proxy("googledrive", "/files").GET());
        assertThat(forbidden.statusCode()).isEqualTo(400);
        JsonNode refusal = JSON.readTree(forbidden.body());
        assertThat(refusal.get("code").asString()).isEqualTo("integration_error");
        assertThat(refusal.at("/meta/integrationStatus").asInt()).isEqualTo(403);
        assertThat(refusal.at("/meta/integrationResponse").toString()).contains("insufficientFilePermissions");
    }

    @Test
    void rawResponseHeaderPassesTheVendorsBytesThrough() throws Exception {
        HttpResponse<String> response = send(proxy("googledrive", "/files?pageSize=2").header(ProxyRoutes.RAW_HEADER, "true").GET());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).get("files")).hasSize(2);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    }

    @Test
    void headersThatMustNotCrossAreDroppedBothWays() throws Exception {
        send(proxy("googledrive", "/files").header("Cookie", "session=caller").header("X-Forwarded-For", "10.0.0.1")
                .header("X-Custom-Vendor-Header", "kept").header("X-Paragon-Credential", driveCredential).GET());
        VendorFake.Received sent = drive.received().getLast();
        assertThat(sent.headers()).doesNotContainKeys("Cookie", "X-Forwarded-For", "X-Paragon-Credential");
        assertThat(sent.headers().get("X-Custom-Vendor-Header")).isEqualTo("kept");
        assertThat(sent.headers().get("Authorization")).as("the caller's token never reaches the vendor").isEqualTo("Bearer ya29.proxy-token");
    }

    @Test
    void largeUploadStreamsThroughAndArrivesIntact() throws Exception {
        long size = 100L * 1024 * 1024;
        MessageDigest expected = MessageDigest.getInstance("SHA-256");
        HttpResponse<String> response = send(proxy("googledrive", "")
                .header(ProxyRoutes.URL_HEADER, drive.uploadUrl() + "/files/big-upload?uploadType=media")
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new DigestInputStream(VendorFake.pattern(size), expected))));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        GoogleDriveFake.StoredFile stored = drive.files().get("big-upload");
        assertThat(stored.size()).isEqualTo(size);
        assertThat(stored.sha256()).isEqualTo(HexFormat.of().formatHex(expected.digest()));
    }

    @Test
    void largeDownloadStreamsThroughAndArrivesIntact() throws Exception {
        long size = 100L * 1024 * 1024;
        HttpResponse<InputStream> response = CLIENT.send(proxy("googledrive", "/files/pattern-" + size + "?alt=media").GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        MessageDigest received = MessageDigest.getInstance("SHA-256");
        long count;
        try (InputStream in = new DigestInputStream(response.body(), received)) {
            count = in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        MessageDigest expected = MessageDigest.getInstance("SHA-256");
        new DigestInputStream(VendorFake.pattern(size), expected).transferTo(java.io.OutputStream.nullOutputStream());
        assertThat(count).isEqualTo(size);
        assertThat(received.digest()).isEqualTo(expected.digest());
    }

    @Test
    void redirectsAreReturnedNotFollowed() throws Exception {
        BoxFake.StoredFile stored = box.store("x.pdf", new byte[] {1, 2, 3});
        HttpResponse<String> response = send(proxy("box", "/files/" + stored.id() + "/content").GET());
        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).contains("localhost"));
        assertThat(box.downloads()).as("the other host was never called").isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "http://169.254.169.254/latest/meta-data/",
            "http://127.0.0.2:{port}/drive/v3/files",
            "http://localhost:{port}/drive/v3/files",
            "https://127.0.0.1:{port}/drive/v3/files",
            "ftp://127.0.0.1:{port}/drive/v3/files",
            "file:///etc/passwd",
            "http://127.0.0.1:{port}@{bystander}/drive/v3/files",
            "http://user:pass@127.0.0.1:{port}/drive/v3/files",
            "http://{bystander}/drive/v3/files",
            "http://127.0.0.1:{port}/drive/v3/../../admin",
            "http://127.0.0.1:{port}/drive/v3/%2e%2e/%2e%2e/admin",
            "//{bystander}/drive/v3/files",
            "../../admin/projects",
            "%2e%2e/secrets",
    })
    void headerUrlsOffTheIntegrationsHostsAreRefusedAndNeverFetched(String template) throws Exception {
        String url = template.replace("{port}", String.valueOf(URI.create(drive.baseUrl()).getPort()))
                .replace("{bystander}", URI.create(bystander.baseUrl()).getAuthority());
        HttpResponse<String> response = send(proxy("googledrive", "").header(ProxyRoutes.URL_HEADER, url).GET());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).get("code").asString()).isEqualTo("proxy_url_not_allowed");
        assertThat(drive.received()).isEmpty();
        assertThat(bystander.received()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/../../admin", "/%2e%2e/%2e%2e/admin", "/files/..%2f..%2fadmin", "/files%2f..%2f..", "/.%2e/x", "/files/%5c..%5cadmin"})
    void pathTricksAreRefusedAndNeverFetched(String path) throws Exception {
        HttpResponse<String> response = send(proxy("googledrive", path).GET());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(drive.received()).isEmpty();
    }

    @Test
    void neitherPathNorHeaderUnknownIntegrationAndForeignCredentials() throws Exception {
        HttpResponse<String> none = send(proxy("googledrive", "").GET());
        assertThat(none.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(none.body()).get("code").asString()).isEqualTo("proxy_url_not_allowed");
        assertThat(send(proxy("myspace", "/x").GET()).statusCode()).isEqualTo(404);

        String others = server.importCredential(project.id(), "someone-else", "googledrive", "ya29.other");
        HttpResponse<String> foreign = send(proxy("googledrive", "/files").header("X-Paragon-Credential", others).GET());
        assertThat(foreign.statusCode()).isEqualTo(404);
        assertThat(drive.received()).isEmpty();

        HttpResponse<String> unauthenticated = CLIENT.send(HttpRequest.newBuilder(URI.create(server.url("/projects/" + project.id()
                + "/sdk/proxy/googledrive/files"))).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(unauthenticated.statusCode()).isEqualTo(401);
    }

    /** The vendor path is found by segments: a percent-encoded project id or integration does not shift it. */
    @Test
    void aPercentEncodedProjectIdDoesNotShiftTheVendorPath() {
        String encodedProject = project.id().replaceFirst("-", "%2D");
        Answer answer = server.user("GET", "/projects/" + encodedProject + "/sdk/proxy/google%64rive/files", token, null, Map.of());
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        assertThat(drive.received()).last().satisfies(r -> assertThat(r.path()).isEqualTo("/drive/v3/files"));
    }
}
