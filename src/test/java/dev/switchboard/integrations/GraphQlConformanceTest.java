package dev.switchboard.integrations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.fakes.LinearFake;
import dev.switchboard.fakes.VendorFake;
import dev.switchboard.fakes.spec.ConformanceRuns;
import dev.switchboard.testing.TestDatabases;
import dev.switchboard.testing.TestServer;
import dev.switchboard.testing.TestServer.Project;
import dev.switchboard.testing.Tokens;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every Linear action, with its required parameters and then with every parameter (values from the schema's
 * examples), run through a real Switchboard against a fake that executes the request against Linear's own GraphQL
 * schema: the document must be valid there and its variables of the types Linear declares. An answer that says the
 * record does not exist is fine (the examples name records nobody made); a request Linear could not run is not.
 */
class GraphQlConformanceTest {
    private static final IntegrationCatalog CATALOG = IntegrationCatalog.load(Path.of("no-operator-definitions"));
    private static LinearFake linear;
    private static TestServer server;
    private static Project project;

    @BeforeAll
    static void start() {
        Assumptions.assumeTrue(LinearFake.available(), LinearFake.SCHEMA + " is not in the vendor descriptions folder (-Dswitchboard.vendorDocs)");
        linear = new LinearFake(3).start();
        server = TestServer.start(TestDatabases.Kind.SQLITE);
        project = server.createProject("graphql-conformance");
        server.configureIntegration(project.id(), "linear", linear.apiUrl());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
            linear.close();
        }
    }

    static Stream<Arguments> actions() {
        return CATALOG.actionsOf("linear").stream().flatMap(action -> Stream.of(Arguments.of(action.name(), false), Arguments.of(action.name(), true)));
    }

    @ParameterizedTest(name = "{0}, every parameter: {1}")
    @MethodSource("actions")
    void linearsSchemaAcceptsTheRequest(String name, boolean everyParameter) {
        var action = CATALOG.action(name).orElseThrow();
        String user = "graphql-" + name + "-" + everyParameter;
        server.importCredential(project.id(), user, "linear", "token-" + user);
        linear.accept("token-" + user);
        var parameters = ConformanceRuns.inputs(action.schema(), everyParameter);
        int before = linear.exchanges().size();
        var answer = server.runAction(project, Tokens.sign(project.privateKeyPem(), user, c -> c), name, dev.switchboard.json.Json.MAPPER.convertValue(parameters, Map.class));

        var exchanges = linear.exchanges().subList(before, linear.exchanges().size());
        assertThat(exchanges).as("%s sent nothing: %s", name, answer.text()).isNotEmpty();
        for (VendorFake.Exchange exchange : exchanges) {
            assertThat(exchange.status()).as("Linear's schema refused %s with %s: %s", name, parameters, exchange.responseBody()).isNotEqualTo(400);
        }
    }
}
