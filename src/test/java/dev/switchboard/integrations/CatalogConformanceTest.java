package dev.switchboard.integrations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.fakes.spec.ConformanceRuns;
import dev.switchboard.fakes.spec.SpecFake;
import dev.switchboard.fakes.spec.VendorDescription;
import dev.switchboard.testing.Http.Answer;
import dev.switchboard.testing.TestDatabases;
import dev.switchboard.testing.TestServer.Project;
import dev.switchboard.testing.TestServer;
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

/**
 * Every action of every shipped integration whose vendor publishes a description, run through a real Switchboard
 * against a {@link SpecFake} serving that description: with its required parameters, then with every parameter, the
 * vendor request must be one the description accepts, and the answer one Switchboard turns into the action's
 * result. An action is covered the moment its definition is added; what is particular to a vendor (its document,
 * fixes, known errors) is data in {@code src/test/resources/conformance/<integration>.yaml}.
 */
class CatalogConformanceTest {
    /**
     * The integrations whose vendors publish no OpenAPI description here: each has a hand-written fake extending
     * {@code VendorFake}, written from the vendor's API reference, and its own tests. Linear and Shopify publish GraphQL
     * schemas instead, which {@link GraphQlConformanceTest} checks their every action against.
     */
    static final java.util.Set<String> WITHOUT_A_DESCRIPTION = java.util.Set.of("servicenow", "sageintacct", "dropbox", "github", "hubspot",
            "salesforce", "linear", "shopify");
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
        try (SpecFake fake = new SpecFake(vendor).start()) {
            JsonNode parameters = ConformanceRuns.inputs(schemaForTheAccount(action, fake), everyParameter);
            vendor.accountValues().stream().filter(value -> value.action().equals(name))
                    .forEach(value -> ((tools.jackson.databind.node.ObjectNode) parameters).remove(value.parameter()));
            Answer answer = ConformanceRuns.run(server, project, fake, vendor, name, "conformance-" + name + "-" + everyParameter, parameters);

            assertThat(fake.violations()).as("what %s's description refuses in %s with %s", vendor.integration(), name, parameters).isEmpty();
            assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        }
    }

    /**
     * The parameters an action takes for the fake's account: for an action that takes the account's fields, its own
     * and those of the fields the fake's description gives as its example answer, so that they are sent and checked too.
     */
    private static JsonNode schemaForTheAccount(ActionDefinition.Compiled action, SpecFake fake) {
        ActionDefinition.AccountFieldInputs fields = action.definition().accountFields();
        if (fields == null || fields.describe()) {
            return action.schema();
        }
        IntegrationDefinition integration = CATALOG.integration(action.integration()).orElseThrow();
        String path = integration.accountFields().path();
        for (String input : integration.accountFields().pathInputs()) {
            String value = fields.recordType() != null ? fields.recordType() : action.schema().at("/properties/" + input + "/examples/0").asString();
            path = path.replace("{" + input + "}", value);
        }
        Answer answer = dev.switchboard.testing.Http.send("GET", fake.urls().get("api") + path, Map.of("Authorization", "Bearer x"), null);
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        return AccountFieldSchemas.forAccount(integration, action, answer.json()).schema();
    }

}
