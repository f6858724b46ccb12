package dev.switchboard.integrations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.fakes.spec.SpecFake;
import dev.switchboard.json.Json;
import dev.switchboard.testing.Http.Answer;
import dev.switchboard.testing.TestDatabases;
import dev.switchboard.testing.TestServer.Project;
import dev.switchboard.testing.TestServer;
import dev.switchboard.testing.Tokens;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every action of the integrations served from their vendor's own API description, run through a real Switchboard
 * against a {@link SpecFake}: with its required parameters, then with every parameter, the vendor request must be
 * one the description accepts, and the answer one Switchboard turns into the action's result. An action added to
 * one of these integrations is covered the moment its definition is.
 *
 * <p>A first cut (issue 16): seven of the eleven integrations; Zoho CRM, Google Drive (a discovery document) and their
 * loading workarounds come next.
 */
class CatalogConformanceTest {
    /**
     * The integrations served from a description: the document, where its operations hang for each of the
     * integration's URL roles, and what its accounts carry.
     */
    private record Vendor(String integration, String document, Map<String, String> mounts, Map<String, Object> providerData,
                          java.util.function.UnaryOperator<JsonNode> patch, Map<String, Object> credential) {
        Vendor(String integration, String document, Map<String, String> mounts, Map<String, Object> providerData) {
            this(integration, document, mounts, providerData, java.util.function.UnaryOperator.identity(), Map.of());
        }

        Vendor(String integration, String document, Map<String, String> mounts, Map<String, Object> providerData,
               java.util.function.UnaryOperator<JsonNode> patch) {
            this(integration, document, mounts, providerData, patch, Map.of());
        }
    }

    /**
     * Mailchimp's description comes in parts: the lists part's operations join the members part. Its merge_fields
     * declare {@code additionalProperties} as a description, which the parser reads as "no other fields".
     */
    private static JsonNode mailchimpInOneDocument(JsonNode members) {
        JsonNode lists = SpecFake.read("mailchimp-lists.yml");
        ObjectNode paths = (ObjectNode) members.get("paths");
        lists.get("paths").properties().forEach(p -> { if (!paths.has(p.getKey())) paths.set(p.getKey(), p.getValue()); });
        ObjectNode definitions = members.has("definitions") ? (ObjectNode) members.get("definitions") : ((ObjectNode) members).putObject("definitions");
        lists.path("definitions").properties().forEach(d -> { if (!definitions.has(d.getKey())) definitions.set(d.getKey(), d.getValue()); });
        openAdditionalProperties(members);
        return members;
    }

    private static void openAdditionalProperties(JsonNode node) {
        if (node instanceof ObjectNode object) {
            JsonNode extra = object.get("additionalProperties");
            if (extra != null && extra.isObject() && !extra.has("type") && !extra.has("$ref") && !extra.has("properties")) {
                object.put("additionalProperties", true);
            }
            object.forEach(CatalogConformanceTest::openAdditionalProperties);
        } else if (node instanceof ArrayNode array) {
            array.forEach(CatalogConformanceTest::openAdditionalProperties);
        }
    }


    /** Slack's description asks for a {@code token} header; its API takes the token as a bearer (vendors.md section 1). */
    private static JsonNode slackTakesABearerToken(JsonNode document) {
        document.path("paths").forEach(path -> path.forEach(operation -> {
            if (operation.path("parameters") instanceof ArrayNode parameters) {
                for (int i = parameters.size() - 1; i >= 0; i--) {
                    if (parameters.get(i).path("name").asString("").equals("token")) {
                        parameters.remove(i);
                    }
                }
            }
        }));
        return document;
    }

    private static final List<Vendor> VENDORS = List.of(
            new Vendor("slack", "slack-web-openapi-v2.json", Map.of("api", "/api"), Map.of(), CatalogConformanceTest::slackTakesABearerToken),
            new Vendor("mailchimp", "mailchimp-members.yml", Map.of("api", "/3.0"), Map.of(), CatalogConformanceTest::mailchimpInOneDocument,
                    Map.of("apiKey", "0123456789abcdef0123456789abcdef-us19")),
            new Vendor("xero", "xero-accounting.yaml", Map.of("api", "/api.xro/2.0"), Map.of("tenantId", "fe79f7dd-b4c2-4b9d-a1b6-6a4cd4f9b6e9")),
            new Vendor("asana", "asana-openapi.yaml", Map.of("api", "/api/1.0"), Map.of()),
            new Vendor("box", "box-openapi.json", Map.of("api", "/2.0", "upload", "/api/2.0"), Map.of()),
            new Vendor("dropboxsign", "dropboxsign-openapi.yaml", Map.of("api", "/v3"), Map.of()),
            new Vendor("confluence", "confluence-v2.json", Map.of("api", "/ex/confluence/cloud-1/wiki/api/v2"), Map.of("cloudId", "cloud-1")));
    private static final IntegrationCatalog CATALOG = IntegrationCatalog.load(Path.of("no-operator-definitions"));
    private static TestServer server;
    private static Project project;

    @BeforeAll
    static void start() {
        server = TestServer.start(TestDatabases.Kind.SQLITE);
        project = server.createProject("conformance");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Stream<Arguments> actions() {
        return VENDORS.stream().flatMap(vendor -> CATALOG.actionsOf(vendor.integration()).stream()
                .flatMap(action -> Stream.of(Arguments.of(action.name(), vendor, false), Arguments.of(action.name(), vendor, true))));
    }

    @ParameterizedTest(name = "{0}, every parameter: {2}")
    @MethodSource("actions")
    void theVendorsDescriptionAcceptsTheRequest(String name, Vendor vendor, boolean everyParameter) {
        Assumptions.assumeTrue(SpecFake.available(vendor.document()), vendor.document() + " is not in " + SpecFake.DOCUMENTS
                + "; name the folder of vendor descriptions with -Dswitchboard.vendorDocs");
        ActionDefinition.Compiled action = CATALOG.action(name).orElseThrow();
        try (SpecFake fake = new SpecFake(vendor.document(), List.copyOf(vendor.mounts().values()), vendor.patch()).start()) {
            Map<String, String> urls = new java.util.HashMap<>();
            vendor.mounts().forEach((role, mount) -> urls.put(role, fake.url(mount)));
            TestServer.expect(server.admin("PUT", "/admin/projects/" + project.id() + "/integrations/" + vendor.integration(),
                    Map.of("enabled", true, "urls", urls)), 200);
            String user = "conformance-" + name + "-" + everyParameter;
            Map<String, Object> credential = new java.util.HashMap<>(Map.of("integration", vendor.integration(), "providerData", vendor.providerData()));
            credential.putAll(vendor.credential().isEmpty() ? Map.of("accessToken", "token-" + user) : vendor.credential());
            server.importCredential(project.id(), user, credential);
            JsonNode parameters = Inputs.of(action.schema(), everyParameter);

            Answer answer = server.runAction(project, Tokens.sign(project.privateKeyPem(), user, c -> c), name, Json.MAPPER.convertValue(parameters, Map.class));

            assertThat(fake.violations()).as("what %s's description refuses in %s with %s", vendor.integration(), name, parameters).isEmpty();
            assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        }
    }

    /** Parameters built from an action's input schema: the required ones, or every one. */
    static final class Inputs {
        private Inputs() {}

        static JsonNode of(JsonNode schema, boolean everyParameter) {
            return value("parameters", schema, everyParameter, 0);
        }

        private static JsonNode value(String name, JsonNode schema, boolean every, int depth) {
            if (dev.switchboard.files.FileObjects.isFileSchema(schema)) {
                return Json.object().put("dataType", "FILE").put("mimeType", "text/plain").put("data", "68656c6c6f").put("name", "hello.txt");
            }
            if (schema.path("examples").isArray() && !schema.get("examples").isEmpty()) {
                return schema.get("examples").get(0); // a definition's own example is the value a vendor takes
            }
            if (schema.has("default")) {
                return schema.get("default");
            }
            if (schema.has("enum")) {
                return schema.get("enum").get(0);
            }
            if (schema.has("const")) {
                return schema.get("const");
            }
            String type = schema.path("type").asString("string");
            return switch (type) {
                case "object" -> {
                    ObjectNode object = Json.object();
                    JsonNode properties = schema.path("properties");
                    java.util.Set<String> required = new java.util.HashSet<>();
                    schema.path("required").forEach(r -> required.add(r.asString()));
                    for (String property : properties.propertyNames()) {
                        if ((required.contains(property) || (every && depth < 3)) && !property.equals("paginationParameters")) {
                            object.set(property, value(property, properties.get(property), every, depth + 1));
                        }
                    }
                    yield object;
                }
                case "array" -> {
                    ArrayNode array = Json.MAPPER.createArrayNode();
                    array.add(value(name, schema.path("items"), every, depth + 1));
                    yield array;
                }
                case "integer" -> Json.MAPPER.getNodeFactory().numberNode(schema.path("minimum").asLong(1));
                case "number" -> Json.MAPPER.getNodeFactory().numberNode(schema.path("minimum").asDouble(1));
                case "boolean" -> Json.MAPPER.getNodeFactory().booleanNode(true);
                default -> Json.MAPPER.getNodeFactory().stringNode(switch (schema.path("format").asString("")) {
                    case "date-time" -> "2025-01-02T03:04:05Z";
                    case "date" -> "2025-01-02";
                    case "email" -> "someone@example.com";
                    case "uuid" -> "3f2504e0-4f89-11d3-9a0c-0305e82c3301";
                    default -> name.toLowerCase().contains("email") ? "someone@example.com" : "example-" + name;
                });
            };
        }
    }
}
