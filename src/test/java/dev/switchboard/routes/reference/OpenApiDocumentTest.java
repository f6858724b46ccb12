package dev.switchboard.routes.reference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.fakes.SlackFake;
import dev.switchboard.testing.ApiTraffic;
import dev.switchboard.testing.Http;
import dev.switchboard.testing.Http.Answer;
import dev.switchboard.testing.OpenApiCheck;
import dev.switchboard.testing.TestDatabases;
import dev.switchboard.testing.TestServer;
import dev.switchboard.testing.Tokens;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Switchboard's OpenAPI document: served, sound, naming every route the node serves and nothing it does not, and
 * describing the requests and answers of a session that goes through every kind of call (checked by the same validator
 * the catalog's conformance check points at vendors' descriptions).
 */
class OpenApiDocumentTest {
    private static SlackFake slack;
    private static TestServer server;
    private static JsonNode document;

    @BeforeAll
    static void start() {
        slack = new SlackFake(3, 2).acceptToken("xoxb-openapi-token").start(0);
        server = TestServer.start(TestDatabases.Kind.SQLITE);
        document = Http.send("GET", server.url("/openapi.json"), Map.of(), null).json();
    }

    @AfterAll
    static void stop() {
        server.close();
        slack.close();
    }

    @Test
    void theDocumentIsServedAndParsesWithoutComplaint() {
        assertThat(document.get("openapi").asString()).isEqualTo("3.1.0");
        assertThat(document).isEqualTo(dev.switchboard.json.Json.parse(dev.switchboard.json.Json.write(ReferenceRoutes.read())));
        SwaggerParseResult parsed = new OpenAPIParser().readContents(document.toString(), null, null);
        assertThat(parsed.getMessages()).isEmpty();
        assertThat(parsed.getOpenAPI().getPaths()).hasSizeGreaterThan(30);

        Answer page = Http.send("GET", server.url("/reference"), Map.of(), null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        document.get("paths").propertyNames().forEach(path ->
                assertThat(page.text()).as(path).contains(path.replace("{", "{")));
    }

    @Test
    void everyRouteIsDocumentedAndEveryDocumentedRouteIsServed() {
        TreeSet<String> served = new TreeSet<>();
        for (String route : server.node().routes()) {
            String[] methodAndPath = route.split(" ", 2);
            if (List.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS").contains(methodAndPath[0])) {
                served.add(methodAndPath[0] + " " + methodAndPath[1].replace("<path>", "{path}"));
            }
        }
        TreeSet<String> documented = new TreeSet<>();
        document.get("paths").properties().forEach(path -> path.getValue().propertyNames().forEach(method -> {
            if (List.of("get", "post", "put", "patch", "delete", "head", "options").contains(method)) {
                documented.add(method.toUpperCase() + " " + path.getKey());
            }
        }));
        assertThat(documented).as("documented but not served").isSubsetOf(served);
        assertThat(served).as("served but not documented").isSubsetOf(documented);
    }

    @Test
    void aSessionThroughEveryKindOfCallMatchesTheDocument() {
        List<String> problems = new ArrayList<>();
        Session session = new Session(problems);
        Map<String, String> admin = Map.of("Authorization", "Bearer " + TestServer.ADMIN_TOKEN);

        session.call("GET", "/", Map.of(), null, 200);
        session.call("GET", "/healthz", Map.of(), null, 200);
        session.call("GET", "/readyz", Map.of(), null, 200);
        session.call("GET", "/admin/integrations", admin, null, 200);
        String projectId = session.call("POST", "/admin/projects", admin, "{\"name\":\"documented\"}", 201).json().get("id").asString();
        session.refused("POST", "/admin/projects", admin, "{\"name\":\"\"}", 400);
        session.call("GET", "/admin/projects", admin, null, 200);
        session.call("GET", "/admin/projects/" + projectId, admin, null, 200);
        session.call("PATCH", "/admin/projects/" + projectId, admin, "{\"unknownParameters\":\"ignore\",\"branding\":{\"displayName\":\"Acme\"}}", 200);
        String privateKey = session.call("POST", "/admin/projects/" + projectId + "/signing-keys", admin, "{}", 201).json().get("privateKeyPem").asString();
        session.call("GET", "/admin/projects/" + projectId + "/signing-keys", admin, null, 200);
        session.call("PUT", "/admin/projects/" + projectId + "/integrations/slack", admin,
                "{\"enabled\":true,\"clientId\":\"id\",\"clientSecret\":\"secret\",\"urls\":{\"api\":\"" + slack.apiUrl() + "\"}}", 200);
        session.call("PATCH", "/admin/projects/" + projectId + "/integrations/slack", admin, "{\"clientId\":\"other\"}", 200);
        session.call("GET", "/admin/projects/" + projectId + "/integrations/slack", admin, null, 200);
        session.call("GET", "/admin/projects/" + projectId + "/integrations", admin, null, 200);
        String credential = session.call("POST", "/admin/projects/" + projectId + "/users/u1/credentials", admin,
                "{\"integration\":\"slack\",\"accessToken\":\"xoxb-openapi-token\",\"expiresAt\":\"2030-01-01T00:00:00Z\"}", 201).json().get("id").asString();
        session.call("GET", "/admin/projects/" + projectId + "/users", admin, null, 200);
        session.call("GET", "/admin/projects/" + projectId + "/users/u1/credentials", admin, null, 200);
        session.call("GET", "/admin/projects/" + projectId + "/users/u1/credentials/" + credential, admin, null, 200);

        Map<String, String> user = Map.of("Authorization", "Bearer " + Tokens.sign(privateKey, "u1", c -> c));
        session.call("GET", "/projects/" + projectId + "/actions", user, null, 200);
        session.call("GET", "/projects/" + projectId + "/actions?format=paragon&integrations=slack", user, null, 200);
        session.call("POST", "/projects/" + projectId + "/actions", user,
                "{\"action\":\"SLACK_SEND_MESSAGE\",\"parameters\":{\"channel\":\"#general\",\"message\":\"documented\"}}", 200);
        session.refused("POST", "/projects/" + projectId + "/actions", user, "{\"action\":\"SLACK_SEND_MESSAGE\",\"parameters\":{}}", 400);
        session.call("POST", "/projects/" + projectId + "/actions", Map.of("Authorization", "Bearer forged"), "{\"action\":\"X\"}", 401);
        session.call("GET", "/projects/" + projectId + "/sdk/me", user, null, 200);
        session.call("GET", "/projects/" + projectId + "/sdk/integrations", user, null, 200);
        session.call("GET", "/projects/" + projectId + "/sdk/credentials", user, null, 200);
        session.call("GET", "/projects/" + projectId + "/sdk/proxy/slack/conversations.list", user, null, 200);
        session.call("GET", "/admin/projects/" + projectId + "/runs?limit=2", admin, null, 200);
        session.refused("GET", "/admin/projects/" + projectId + "/runs?since=yesterday", admin, null, 400);
        session.call("DELETE", "/admin/projects/" + projectId + "/users/u1/credentials/" + credential, admin, null, 204);
        session.call("DELETE", "/admin/projects/" + projectId, admin, null, 204);
        session.call("GET", "/admin/projects/" + projectId, admin, null, 404);

        assertThat(problems).isEmpty();
    }

    /** Sends each call, checks its status, and has the validator read the request and the answer against the document. */
    private record Session(List<String> problems) {
        /** A request the document itself calls invalid: only the answer is checked against it. */
        Answer refused(String method, String pathAndQuery, Map<String, String> headers, String body, int expectedStatus) {
            return send(method, pathAndQuery, headers, body, expectedStatus, false);
        }

        Answer call(String method, String pathAndQuery, Map<String, String> headers, String body, int expectedStatus) {
            return send(method, pathAndQuery, headers, body, expectedStatus, true);
        }

        private Answer send(String method, String pathAndQuery, Map<String, String> headers, String body, int expectedStatus, boolean validRequest) {
            Map<String, String> sent = new java.util.HashMap<>(headers);
            if (body != null) {
                sent.put("Content-Type", "application/json");
            }
            Answer answer = Http.send(method, server.url(pathAndQuery), sent, body);
            assertThat(answer.status()).as(method + " " + pathAndQuery + ": " + answer.text()).isEqualTo(expectedStatus);
            ApiTraffic.Exchange exchange = new ApiTraffic.Exchange(method, URI.create(server.url(pathAndQuery)), sent, body, answer.status(),
                    answer.header("Content-Type"), answer.text(), getClass().getName());
            OpenApiCheck.problems(exchange, validRequest).forEach(problem -> problems.add(method + " " + pathAndQuery + " -> " + answer.status() + ": " + problem));
            return answer;
        }
    }
}
