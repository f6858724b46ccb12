package dev.switchboard.integrations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.fakes.spec.SpecFake;
import dev.switchboard.fakes.spec.VendorDescription;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every action of every shipped integration whose vendor publishes a description, run through a real Switchboard
 * against a {@link SpecFake} serving that description: with its required parameters, then with every parameter, the
 * vendor request must be one the description accepts, and the answer one Switchboard turns into the action's
 * result. An action is covered the moment its definition is added; what is particular to a vendor (its document,
 * fixes, known errors) is data in {@code src/test/resources/conformance/<integration>.yaml}.
 */
class CatalogConformanceTest {
    /**
     * The integrations whose vendors publish no description here: each has a hand-written fake extending
     * {@code VendorFake}, written from the vendor's API reference, and its own tests.
     */
    static final java.util.Set<String> WITHOUT_A_DESCRIPTION = java.util.Set.of("servicenow", "sageintacct");
    private static final IntegrationCatalog CATALOG = IntegrationCatalog.load(Path.of("no-operator-definitions"));
    private static final java.util.concurrent.atomic.AtomicInteger RUN = new java.util.concurrent.atomic.AtomicInteger();
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
        // An exception that silenced nothing is out of date: the definition or the description has changed.
        if (RUN.get() == actions().count()) {
            List<String> unused = vendors().filter(VendorDescription::available).flatMap(v -> v.exceptions().stream())
                    .filter(e -> !SpecFake.wasApplied(e)).map(e -> e.operation() + " " + e.rule()).toList();
            assertThat(unused).as("exceptions no request needed").isEmpty();
        }
    }

    static Stream<VendorDescription> vendors() {
        return CATALOG.integrationKeys().stream().filter(key -> !WITHOUT_A_DESCRIPTION.contains(key))
                .map(key -> VendorDescription.of(key).orElseThrow(() -> new AssertionError(key
                        + " has no src/test/resources/conformance/" + key + ".yaml: name its vendor's description there,"
                        + " or add it to WITHOUT_A_DESCRIPTION with a hand-written fake")));
    }

    static Stream<Arguments> actions() {
        return vendors().flatMap(vendor -> CATALOG.actionsOf(vendor.integration()).stream()
                .flatMap(action -> Stream.of(Arguments.of(action.name(), vendor, false), Arguments.of(action.name(), vendor, true))));
    }

    @Test
    void everyShippedIntegrationIsCheckedOneWayOrTheOther() {
        assertThat(vendors().map(VendorDescription::integration).toList()).hasSize(CATALOG.integrationKeys().size() - WITHOUT_A_DESCRIPTION.size());
        assertThat(CATALOG.integrationKeys()).containsAll(WITHOUT_A_DESCRIPTION);
    }

    @ParameterizedTest(name = "{0}, every parameter: {2}")
    @MethodSource("actions")
    void theVendorsDescriptionAcceptsTheRequest(String name, VendorDescription vendor, boolean everyParameter) {
        Assumptions.assumeTrue(vendor.available(), vendor.document() + " is not in " + SpecFake.DOCUMENTS
                + "; name the folder of vendor descriptions with -Dswitchboard.vendorDocs");
        RUN.incrementAndGet();
        ActionDefinition.Compiled action = CATALOG.action(name).orElseThrow();
        JsonNode parameters = Inputs.of(action.schema(), everyParameter);
        try (SpecFake fake = new SpecFake(vendor).start()) {
            Answer answer = run(server, project, fake, vendor, name, "conformance-" + name + "-" + everyParameter, parameters);

            assertThat(fake.violations()).as("what %s's description refuses in %s with %s", vendor.integration(), name, parameters).isEmpty();
            assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        }
    }

    /** Runs an action as a new user of the project, with the integration pointed at the fake. */
    static Answer run(TestServer server, Project project, SpecFake fake, VendorDescription vendor, String action, String user, JsonNode parameters) {
        TestServer.expect(server.admin("PUT", "/admin/projects/" + project.id() + "/integrations/" + vendor.integration(),
                Map.of("enabled", true, "urls", fake.urls())), 200);
        Map<String, Object> credential = new java.util.HashMap<>(Map.of("integration", vendor.integration(), "providerData", vendor.providerData()));
        credential.putAll(vendor.credential().isEmpty() ? Map.of("accessToken", "token-" + user) : vendor.credential());
        server.importCredential(project.id(), user, credential);
        return server.runAction(project, Tokens.sign(project.privateKeyPem(), user, c -> c), action, Json.MAPPER.convertValue(parameters, Map.class));
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
