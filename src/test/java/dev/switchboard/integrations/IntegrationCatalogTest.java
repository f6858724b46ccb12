package dev.switchboard.integrations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.calls.Protocols;
import dev.switchboard.config.ServerConfig;
import dev.switchboard.json.Json;
import dev.switchboard.testing.Http.Answer;
import dev.switchboard.testing.TestDatabases;
import dev.switchboard.testing.TestServer;
import dev.switchboard.testing.Tokens;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/** Definitions load strictly; a broken one is reported and stops nothing else. */
class IntegrationCatalogTest {
    static final String MINIMAL = """
            key: demo
            name: Demo
            urls: {api: "https://demo.example/api"}
            auth: {type: oauth2}
            actions:
              DEMO_GET_THING:
                description: Get a thing.
                method: GET
                path: /things/{thingId}
                input:
                  type: object
                  properties:
                    thingId: {type: string}
                  required: [thingId]
            """;

    static String slackYaml() throws IOException {
        try (InputStream in = IntegrationCatalog.class.getClassLoader().getResourceAsStream("integrations/slack.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void shippedDefinitionsAllLoad() {
        IntegrationCatalog catalog = IntegrationCatalog.load(Path.of("does-not-exist"));
        assertThat(catalog.errors()).isEmpty();
        assertThat(catalog.actionNames()).contains("SLACK_SEND_MESSAGE", "SLACK_LIST_CHANNELS", "SLACK_LIST_MEMBERS");
        assertThat(catalog.actionNames()).allMatch(name -> name.matches("^[a-zA-Z0-9_-]{1,64}$"));
    }

    /**
     * Definitions that loaded are kept parsed between starts; the kept copy is used only for the same text, an
     * edited definition is checked in full again (its error reported at start), and an unreadable cache is ignored.
     */
    @Test
    void definitionsKeptBetweenStartsLoadTheSameAndAnEditIsCheckedAgain(@TempDir Path data) throws IOException {
        Path operator = Files.createDirectories(data.resolve("integrations"));
        Path cache = data.resolve("cache/definitions.json");
        Files.writeString(operator.resolve("demo.yaml"), MINIMAL);

        IntegrationCatalog first = IntegrationCatalog.load(operator, cache);
        assertThat(cache).exists();
        assertThat(Files.readString(cache)).contains("DEMO_GET_THING");
        IntegrationCatalog second = IntegrationCatalog.load(operator, cache);
        assertThat(second.errors()).isEmpty();
        assertThat(second.action("DEMO_GET_THING").orElseThrow().schema()).isEqualTo(first.action("DEMO_GET_THING").orElseThrow().schema());
        assertThat(second.action("DEMO_GET_THING").orElseThrow().validator().validate(Json.MAPPER.readTree("{\"thingId\": 5}")))
                .as("a kept definition's schema still validates, compiled on first use").isNotEmpty();

        Files.writeString(operator.resolve("demo.yaml"), MINIMAL.replace("method: GET", "method: FETCH"));
        IntegrationCatalog edited = IntegrationCatalog.load(operator, cache);
        assertThat(edited.errors()).extracting(IntegrationCatalog.LoadError::message).anySatisfy(m -> assertThat(m).contains("method"));
        assertThat(Files.readString(cache)).as("a definition that failed is not kept").doesNotContain("DEMO_GET_THING");

        Files.writeString(cache, "{ not json");
        Files.writeString(operator.resolve("demo.yaml"), MINIMAL);
        assertThat(IntegrationCatalog.load(operator, cache).action("DEMO_GET_THING")).isPresent();
        assertThat(Files.readString(cache)).contains("DEMO_GET_THING");
    }

    /** In plain YAML a " #" starts a comment: a description holding "#general" unquoted loses its end silently. */
    @Test
    void everyShippedDescriptionIsAWholeSentence() {
        IntegrationCatalog catalog = IntegrationCatalog.load(Path.of("does-not-exist"));
        List<String> cut = new ArrayList<>();
        for (String key : catalog.integrationKeys()) {
            for (ActionDefinition.Compiled action : catalog.actionsOf(key)) {
                assertThat(action.definition().description()).as(action.name()).endsWith(".");
                collectUnfinished(action.name(), action.schema(), cut);
            }
        }
        assertThat(cut).isEmpty();
    }

    private static void collectUnfinished(String where, JsonNode node, List<String> cut) {
        if (node.isObject()) {
            node.properties().forEach(field -> {
                if (field.getKey().equals("description") && field.getValue().isString()) {
                    if (!field.getValue().asString().endsWith(".")) {
                        cut.add(where + ": " + field.getValue().asString());
                    }
                } else {
                    collectUnfinished(where + "." + field.getKey(), field.getValue(), cut);
                }
            });
        } else if (node.isArray()) {
            node.forEach(item -> collectUnfinished(where, item, cut));
        }
    }

    @Test
    void brokenDefinitionIsReportedWhileTheOthersLoad() throws IOException {
        Map<String, String> sources = new LinkedHashMap<>();
        sources.put("broken", "key: broken\nname: Broken\nurls: {}\n");
        sources.put("slack", slackYaml());
        IntegrationCatalog catalog = new IntegrationCatalog(sources);

        assertThat(catalog.integration("slack")).isPresent();
        assertThat(catalog.errors()).singleElement().satisfies(e -> {
            assertThat(e.integration()).isEqualTo("broken");
            assertThat(e.message()).contains("urls.api");
        });
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "unknown field            | 'auth: {type: oauth2}'                    | 'auth: {type: oauth2, flavour: x}'   | flavour",
            "bad auth type            | 'auth: {type: oauth2}'                    | 'auth: {type: magic}'                | auth.type",
            "path input not required  | 'required: [thingId]'                     | 'required: []'                       | '{thingId} must be a required input'",
            "declares $schema         | 'type: object'                            | 'type: object\n      $schema: x'      | $schema",
            "bad method               | 'method: GET'                             | 'method: FETCH'                      | method",
            "map names no input       | 'method: GET'                             | 'method: GET\n    map: {nope: {name: x}}' | map.nope",
            "paginated without style  | 'method: GET'                             | 'method: GET\n    paginated: true'  | pagination",
            "lookup of an unknown url | 'auth: {type: oauth2}'                    | 'auth: {type: oauth2}\noauth: {providerData: {siteId: {url: sites, pointer: /0/id}}}' | oauth.providerData.siteId.url",
            "lookup without pointer   | 'auth: {type: oauth2}'                    | 'auth: {type: oauth2}\noauth: {providerData: {siteId: {match: x}}}' | oauth.providerData.siteId.pointer",
            "rate limit without period | 'auth: {type: oauth2}'                   | 'auth: {type: oauth2}\nrateLimit: {requests: 60}' | rateLimit",
            "lookup match no group    | 'auth: {type: oauth2}'                    | 'auth: {type: oauth2}\noauth: {providerData: {siteId: {pointer: /id, match: ^x$}}}' | needs a group",
            "body none with a body input | 'method: GET\n    path: /things/{thingId}' | 'method: POST\n    body: none\n    path: /things\n    map: {thingId: {in: body}}' | 'body: none, but input thingId would go to the body'",
    })
    void ruleViolationsNameTheField(String rule, String find, String replace, String expected) {
        String yaml = MINIMAL.replace(find, replace.replace("\\n", "\n"));
        assertThat(yaml).isNotEqualTo(MINIMAL);
        IntegrationCatalog catalog = new IntegrationCatalog(Map.of("demo", yaml));
        assertThat(catalog.errors()).singleElement().satisfies(e -> assertThat(e.message()).contains(expected));
    }

    @Test
    void minimalDefinitionLoadsAndGetsAClosedSchema() {
        IntegrationCatalog catalog = new IntegrationCatalog(Map.of("demo", MINIMAL));
        assertThat(catalog.errors()).isEmpty();
        assertThat(catalog.action("DEMO_GET_THING").orElseThrow().schema().get("additionalProperties").asBoolean()).isFalse();
    }

    @Test
    void operatorDefinitionsAreServedAndABrokenOneShowsUpInTheActionsErrors(@TempDir Path dataDir) throws IOException {
        Path dir = Files.createDirectories(dataDir.resolve("integrations"));
        Files.writeString(dir.resolve("brokenvendor.yaml"), "key: brokenvendor\nname: x\n");
        Files.writeString(dir.resolve("demo.yaml"), MINIMAL);
        try (TestServer server = TestServer.start(TestDatabases.Kind.SQLITE, ServerConfig.VendorTimeouts.defaults(), dataDir)) {
            TestServer.Project project = server.createProject("operator-definitions");
            server.configureIntegration(project.id(), "demo", "http://127.0.0.1:1/api");
            server.configureIntegration(project.id(), "slack", "http://127.0.0.1:1/api");
            String token = Tokens.sign(project.privateKeyPem(), "u1", c -> c);

            Answer answer = server.user("GET", "/projects/" + project.id() + "/actions?limit_to_available=false", token, null, Map.of());

            JsonNode body = TestServer.expect(answer, 200);
            assertThat(body.at("/actions/demo/0/function/name").asString()).isEqualTo("DEMO_GET_THING");
            assertThat(body.at("/actions/slack").size()).isEqualTo(IntegrationCatalog.load(Path.of("none")).actionsOf("slack").size());
            assertThat(body.get("errors")).singleElement().satisfies(e -> {
                assertThat(e.get("integration").asString()).isEqualTo("brokenvendor");
                // every missing field is named, not only the first
                assertThat(e.get("message").asString()).contains("urls: is required", "auth: is required", "actions: is required");
            });
        }
    }

    /** A vendor's JSON array is answered as an array; MCP's structured result wraps it, being an object. */
    @Test
    void anArrayAnswerStaysAnArray(@TempDir Path dataDir) throws IOException {
        Path dir = Files.createDirectories(dataDir.resolve("integrations"));
        Files.writeString(dir.resolve("demo.yaml"), MINIMAL);
        try (TestServer server = TestServer.start(TestDatabases.Kind.SQLITE, ServerConfig.VendorTimeouts.defaults(), dataDir);
             dev.switchboard.testing.ScriptedVendor vendor = new dev.switchboard.testing.ScriptedVendor()
                     .behave(dev.switchboard.testing.ScriptedVendor.answer(200, "application/json", "[{\"id\": 1}, {\"id\": 2}]"))) {
            TestServer.Project project = server.createProject("arrays");
            server.configureIntegration(project.id(), "demo", vendor.baseUrl());
            server.importCredential(project.id(), "u1", "demo", "demo-token");
            String token = Tokens.sign(project.privateKeyPem(), "u1", c -> c);

            Answer answer = server.runAction(project, token, "DEMO_GET_THING", Map.of("thingId", "7"));

            assertThat(answer.status()).as(answer.text()).isEqualTo(200);
            assertThat(answer.json().isArray()).isTrue();
            assertThat(answer.json().get(1).get("id").asInt()).isEqualTo(2);
        }
    }

    @Test
    void theFormatNamesExactlyTheProtocolsThatHaveCode() {
        JsonNode format = Json.MAPPER.readTree(IntegrationCatalog.readResource(IntegrationLoader.FORMAT_RESOURCE));
        java.util.Set<String> named = new java.util.TreeSet<>();
        format.at("/properties/protocol/enum").forEach(p -> named.add(p.asString()));
        format.at("/$defs/action/properties/protocol/enum").forEach(p -> named.add(p.asString())); // an action's own (Salesforce's SOAP)
        assertThat(named).isEqualTo(new java.util.TreeSet<>(Protocols.all().keySet()));
    }

    @Test
    void theFormatNamesExactlyTheProgramsThatHaveCode() {
        JsonNode format = Json.MAPPER.readTree(IntegrationCatalog.readResource(IntegrationLoader.FORMAT_RESOURCE));
        java.util.Set<String> named = new java.util.TreeSet<>();
        format.at("/$defs/action/properties/program/enum").forEach(p -> named.add(p.asString()));
        assertThat(named).isEqualTo(new java.util.TreeSet<>(ActionPrograms.all().keySet()));
    }

    @Test
    void aProgramMayOnlyRunActionsOfItsOwnIntegration() {
        String yaml = MINIMAL + """
                  DEMO_AS_MARKDOWN:
                    description: A program over an action this integration lacks.
                    program: notionGetPageAsMarkdown
                    input: {type: object, properties: {pageId: {type: string}}, required: [pageId]}
                """;
        IntegrationCatalog catalog = new IntegrationCatalog(Map.of("demo", yaml));
        assertThat(catalog.errors()).singleElement().asString()
                .contains("actions.DEMO_AS_MARKDOWN.program: notionGetPageAsMarkdown runs NOTION_GET_PAGE_CONTENT, which this integration does not have");
    }

    @Test
    void camelCaseKeysAsActionKitNamesIntegrationsLoad() {
        String yaml = MINIMAL.replace("key: demo", "key: googleCalendar").replace("DEMO_GET_THING", "GOOGLE_CALENDAR_GET_THING");
        IntegrationCatalog catalog = new IntegrationCatalog(Map.of("googleCalendar", yaml));
        assertThat(catalog.errors()).isEmpty();
        assertThat(catalog.integration("googleCalendar")).isPresent();
        IntegrationCatalog refused = new IntegrationCatalog(Map.of("Google", MINIMAL.replace("key: demo", "key: Google")));
        assertThat(refused.errors()).singleElement().satisfies(e -> assertThat(e.message()).contains("key"));
    }
}
