package dev.switchboard.http.loop;

import dev.switchboard.config.Setting;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.fakes.GoogleDriveFake;
import dev.switchboard.testing.TestDatabases;
import dev.switchboard.testing.TestServer;
import dev.switchboard.testing.TestServer.Project;
import dev.switchboard.testing.Tokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The public port's front door (issue 24): the Proxy API served on the event loop once its token and account are in
 * the node's caches, with the same answer the ordinary path gives; everything else, and anything the loop must not
 * wait for, on the ordinary path, on the same connection.
 */
class FrontDoorTest {
    private static final GoogleDriveFake drive = new GoogleDriveFake(3);
    private static TestServer server;
    private static Project project;
    private static String token;

    @BeforeAll
    static void start() {
        drive.start();
        server = TestServer.start(TestDatabases.Kind.SQLITE, Map.of(Setting.EVENT_LOOP, "auto"));
        project = server.createProject("front-door");
        token = Tokens.sign(project.privateKeyPem(), "u1", c -> c);
        TestServer.expect(server.admin("PUT", "/admin/projects/" + project.id() + "/integrations/googledrive", Map.of("enabled", true,
                "urls", Map.of("api", drive.apiUrl(), "upload", drive.uploadUrl()))), 200);
        server.importCredential(project.id(), "u1", "googledrive", "ya29.front-door");
        drive.accept("ya29.front-door");
    }

    @AfterAll
    static void stop() {
        server.close();
        drive.close();
    }

    private static HttpRequest proxyList(String bearer) {
        return HttpRequest.newBuilder(URI.create(server.url("/projects/" + project.id() + "/sdk/proxy/googledrive/files?pageSize=2")))
                .header("Authorization", "Bearer " + bearer).GET().build();
    }

    private static double loopRequests(String outcome) {
        return loopRequests("proxy", outcome);
    }

    private static double loopRequests(String route, String outcome) {
        String scraped = server.admin("GET", "/metrics", null).text();
        Matcher m = Pattern.compile("switchboard_loop_requests_total\\{outcome=\"" + outcome + "\",route=\"" + route + "\"} ([0-9.]+)").matcher(scraped);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private static HttpRequest action(String body) {
        return HttpRequest.newBuilder(URI.create(server.url("/projects/" + project.id() + "/actions")))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    @Test
    void anActionOfOneCallIsServedOnTheLoopWithTheOrdinaryPathsAnswer() throws Exception {
        String list = "{\"action\":\"GOOGLE_DRIVE_LIST_FILES\",\"parameters\":{\"includeFolders\":true,\"pageSize\":2}}";
        HttpResponse<String> ordinary;
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            // A bad request first: the ordinary path answers it, and the connection stays with the ordinary path.
            HttpResponse<String> unknown = client.send(action("{\"action\":\"GOOGLE_DRIVE_NO_SUCH\"}"), HttpResponse.BodyHandlers.ofString());
            assertThat(unknown.statusCode()).isEqualTo(400);
            assertThat(unknown.body()).contains("unknown_action");
            ordinary = client.send(action(list), HttpResponse.BodyHandlers.ofString());
        }
        assertThat(ordinary.statusCode()).as(ordinary.body()).isEqualTo(200);
        double served = loopRequests("action", "served");
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            HttpResponse<String> onLoop = client.send(action(list), HttpResponse.BodyHandlers.ofString());
            assertThat(loopRequests("action", "served") - served).as("served on the loop").isEqualTo(1);
            assertThat(onLoop.statusCode()).isEqualTo(200);
            assertThat(onLoop.body()).isEqualTo(ordinary.body()).contains("\"files\"");
            assertThat(headerNames(onLoop)).isEqualTo(headerNames(ordinary));
            // Invalid input on a loop connection: refused as on the ordinary path, naming the parameter.
            HttpResponse<String> invalid = client.send(action("{\"action\":\"GOOGLE_DRIVE_LIST_FILES\",\"parameters\":{\"includeFolders\":true,\"pageSize\":\"many\"}}"),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(invalid.statusCode()).isEqualTo(400);
            assertThat(invalid.body()).contains("pageSize");
        }
        String runs = server.admin("GET", "/admin/projects/" + project.id() + "/runs?userId=u1", null).text();
        // Three runs: the ordinary path's, the loop's and the refused one (which the loop gave to the ordinary path
        // without a record of its own).
        assertThat(runs.split("\"GOOGLE_DRIVE_LIST_FILES\"", -1).length - 1).as("each run recorded once").isEqualTo(3);
    }

    private static Set<String> headerNames(HttpResponse<?> response) {
        Set<String> names = new TreeSet<>(response.headers().map().keySet());
        names.remove("date");
        return names;
    }

    @Test
    void theProxyIsServedOnTheLoopOnceCachedWithTheOrdinaryPathsAnswer() throws Exception {
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            double servedBefore = loopRequests("served");
            double declinedBefore = loopRequests("declined");
            // A token never seen: its verification reads the project's keys, so the first call may go the ordinary way.
            String fresh = Tokens.sign(project.privateKeyPem(), "u1", c -> c.claim("nonce", "first"));
            HttpResponse<String> first = client.send(proxyList(fresh), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> second = client.send(proxyList(fresh), HttpResponse.BodyHandlers.ofString());
            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(second.statusCode()).isEqualTo(200);
            assertThat(second.body()).isEqualTo(first.body()).startsWith("{\"output\":{");
            assertThat(headerNames(second)).isEqualTo(headerNames(first));
            assertThat(second.headers().firstValue("content-type")).isEqualTo(first.headers().firstValue("content-type"));
            assertThat(loopRequests("served") - servedBefore).as("served on the loop").isGreaterThanOrEqualTo(1);
            assertThat(loopRequests("served") + loopRequests("declined") - servedBefore - declinedBefore).isEqualTo(2);
        }
    }

    @Test
    void withTheEventLoopOffTheOrdinaryPathServesTheSameCalls() throws Exception {
        try (TestServer jettyAlone = TestServer.start(TestDatabases.Kind.SQLITE, Map.of(Setting.EVENT_LOOP, "off"))) {
            Project alone = jettyAlone.createProject("no-front-door");
            TestServer.expect(jettyAlone.admin("PUT", "/admin/projects/" + alone.id() + "/integrations/googledrive", Map.of("enabled", true,
                    "urls", Map.of("api", drive.apiUrl(), "upload", drive.uploadUrl()))), 200);
            jettyAlone.importCredential(alone.id(), "u1", "googledrive", "ya29.front-door");
            String bearer = Tokens.sign(alone.privateKeyPem(), "u1", c -> c);
            try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
                for (int call = 0; call < 2; call++) { // the second with every cache warm, where the door would take it
                    HttpResponse<String> listed = client.send(HttpRequest.newBuilder(URI.create(jettyAlone.url("/projects/" + alone.id()
                            + "/sdk/proxy/googledrive/files?pageSize=2"))).header("Authorization", "Bearer " + bearer).GET().build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(listed.statusCode()).isEqualTo(200);
                    assertThat(listed.body()).startsWith("{\"output\":{");
                }
            }
            assertThat(jettyAlone.admin("GET", "/metrics", null).text()).as("no loop served anything")
                    .doesNotContain("switchboard_loop_requests_total{");
        }
    }

    @Test
    void aCallersTextEchoedInAHeaderCannotStartAHeaderOfItsOwn() throws Exception {
        Project lenient = server.createProject("front-door-lenient");
        TestServer.expect(server.admin("PATCH", "/admin/projects/" + lenient.id(), Map.of("unknownParameters", "ignore")), 200);
        TestServer.expect(server.admin("PUT", "/admin/projects/" + lenient.id() + "/integrations/googledrive", Map.of("enabled", true,
                "urls", Map.of("api", drive.apiUrl(), "upload", drive.uploadUrl()))), 200);
        server.importCredential(lenient.id(), "u2", "googledrive", "ya29.front-door");
        String bearer = Tokens.sign(lenient.privateKeyPem(), "u2", c -> c);
        // An unknown parameter is dropped and named in X-Switchboard-Ignored-Parameters; its name here carries a line break.
        String body = "{\"action\":\"GOOGLE_DRIVE_LIST_FILES\",\"parameters\":{\"includeFolders\":true,\"pageSize\":2,\"x\\r\\nX-Injected: yes\":1}}";
        double served = loopRequests("action", "served");
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> answer = client.send(HttpRequest.newBuilder(URI.create(server.url("/projects/" + lenient.id() + "/actions")))
                        .header("Authorization", "Bearer " + bearer).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
                assertThat(answer.headers().firstValue("X-Injected")).isEmpty();
                assertThat(answer.headers().firstValue("X-Switchboard-Ignored-Parameters")).hasValue("parameters.x  X-Injected: yes");
            }
        }
        assertThat(loopRequests("action", "served") - served).as("served on the loop").isGreaterThanOrEqualTo(2);
    }

    @Test
    void oneConnectionCarriesLoopAndOrdinaryRequestsInTurn() throws Exception {
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            for (int i = 0; i < 3; i++) {
                assertThat(client.send(proxyList(token), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
                HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create(server.url("/healthz"))).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(health.body()).contains("ok");
            }
        }
    }

    @Test
    void failuresBeforeTheVendorCallAreTheOrdinaryPathsAnswers() throws Exception {
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            HttpResponse<String> forged = client.send(proxyList(token.substring(0, token.length() - 4) + "AAAA"), HttpResponse.BodyHandlers.ofString());
            assertThat(forged.statusCode()).isEqualTo(401);
            assertThat(forged.body()).contains("\"code\"");
            HttpResponse<String> unknown = client.send(HttpRequest.newBuilder(URI.create(server.url("/projects/" + project.id()
                    + "/sdk/proxy/nosuch/x"))).header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(unknown.body()).contains("integration_not_found");
        }
    }
}
