package dev.switchboard.integrations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.fakes.LinearFake;
import dev.switchboard.fakes.ShopifyFake;
import dev.switchboard.fakes.VendorFake;
import dev.switchboard.fakes.spec.ConformanceRuns;
import dev.switchboard.testing.TestDatabases;
import dev.switchboard.testing.TestServer;
import dev.switchboard.testing.TestServer.Project;
import dev.switchboard.testing.Tokens;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every action of the integrations that speak GraphQL (Linear, Shopify), with its required parameters and then with
 * every parameter (values from the schema's examples), run through a real Switchboard against a fake that executes
 * the request on the vendor's own schema: the document must be valid there and its variables of the types the vendor
 * declares. An answer that says the record does not exist is fine (the examples name records nobody made); a request
 * the vendor could not run is not.
 */
class GraphQlConformanceTest {
    private static final IntegrationCatalog CATALOG = IntegrationCatalog.load(Path.of("no-operator-definitions"));
    private static final Map<String, VendorFake> FAKES = new LinkedHashMap<>();
    private static TestServer server;
    private static Project project;

    @BeforeAll
    static void start() {
        Assumptions.assumeTrue(LinearFake.available() && ShopifyFake.available(), "the GraphQL schemas are not in the vendor descriptions folder (-Dswitchboard.vendorDocs)");
        server = TestServer.start(TestDatabases.Kind.SQLITE);
        project = server.createProject("graphql-conformance");
        LinearFake linear = new LinearFake(3).start();
        FAKES.put("linear", linear);
        server.configureIntegration(project.id(), "linear", linear.apiUrl());
        ShopifyFake shopify = new ShopifyFake().start();
        FAKES.put("shopify", shopify);
        server.configureIntegration(project.id(), "shopify", shopify.apiUrl());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
            FAKES.values().forEach(VendorFake::close);
        }
    }

    static Stream<Arguments> actions() {
        return Stream.of("linear", "shopify").flatMap(integration -> CATALOG.actionsOf(integration).stream()
                .flatMap(action -> Stream.of(Arguments.of(integration, action.name(), false), Arguments.of(integration, action.name(), true))));
    }

    @ParameterizedTest(name = "{1}, every parameter: {2}")
    @MethodSource("actions")
    void theVendorsSchemaAcceptsTheRequest(String integration, String name, boolean everyParameter) {
        var action = CATALOG.action(name).orElseThrow();
        VendorFake fake = FAKES.get(integration);
        String user = "graphql-" + name + "-" + everyParameter;
        server.importCredential(project.id(), user, integration, "token-" + user);
        fake.accept("token-" + user);
        var parameters = ConformanceRuns.inputs(action.schema(), everyParameter);
        int before = fake.exchanges().size();
        var answer = server.runAction(project, Tokens.sign(project.privateKeyPem(), user, c -> c), name, dev.switchboard.json.Json.MAPPER.convertValue(parameters, Map.class));

        var exchanges = fake.exchanges().subList(before, fake.exchanges().size());
        assertThat(exchanges).as("%s sent nothing: %s", name, answer.text()).isNotEmpty();
        for (VendorFake.Exchange exchange : exchanges) {
            assertThat(exchange.status()).as("%s's schema refused %s with %s: %s", integration, name, parameters, exchange.responseBody()).isNotEqualTo(400);
        }
    }
}
