package dev.switchboard.integrations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.config.ServerConfig;
import dev.switchboard.fakes.spec.SpecFake;
import dev.switchboard.fakes.spec.VendorDescription;
import dev.switchboard.testing.TestDatabases;
import dev.switchboard.testing.TestServer;
import dev.switchboard.testing.TestServer.Project;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/**
 * The conformance check can fail: shipped definitions broken on purpose (as an operator's replacement of them) are
 * each refused by the vendor's own description, with a message naming what is wrong.
 */
class ConformanceCatchesBrokenDefinitionsTest {
    private static TestServer server;
    private static Project project;

    /** Each break: the shipped text, and what it becomes. */
    private static final Map<String, List<String[]>> BREAKS = Map.of(
            "asana", List.of(
                    new String[] {"    path: /projects\n", "    path: /project\n"},                              // a path typo
                    new String[] {"completedSince: {name: completed_since}", "completedSince: {name: completed_after}"}, // a wrong query parameter name
                    new String[] {"      name: {name: data.name}\n", "      name: {name: name}\n"}),                 // a body field at the wrong level
            "xero", List.<String[]>of(new String[] {"    xero-tenant-id: \"{tenantId}\"\n", "    xero-tenant: \"{tenantId}\"\n"}), // a required header missing
            "zohocrm", List.<String[]>of(new String[] {"accountFields: {operation: create, into: data.0}", "accountFields: {operation: create, into: data}"}), // fields at the wrong level
            "googledrive", List.<String[]>of(new String[] {"    path: /files\n", "    path: /file\n"}));                  // a path typo

    @BeforeAll
    static void start() throws IOException {
        Path dataDir = Files.createTempDirectory("switchboard-broken");
        Files.createDirectories(dataDir.resolve("integrations"));
        Map<String, String> shipped = IntegrationCatalog.shipped();
        for (Map.Entry<String, List<String[]>> entry : BREAKS.entrySet()) {
            String text = shipped.get(entry.getKey());
            for (String[] edit : entry.getValue()) {
                assertThat(text).as("the shipped definition still has the text this test breaks").contains(edit[0]);
                text = text.replace(edit[0], edit[1]);
            }
            Files.writeString(dataDir.resolve("integrations/" + entry.getKey() + ".yaml"), text);
        }
        server = TestServer.start(TestDatabases.Kind.SQLITE, ServerConfig.VendorTimeouts.defaults(), dataDir);
        project = server.createProject("broken");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @ParameterizedTest(name = "{0}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            asana | ASANA_GET_PROJECTS | a path typo                   | {}                             | validation.request.path.missing
            asana | ASANA_GET_TASKS    | a wrong parameter name        | {"completedSince": "now"}     | validation.request.parameter.query.unexpected
            asana | ASANA_CREATE_TASK  | a body field at the wrong level | {"name": "Broken", "workspace": "1"} | validation.request.body.schema
            zohocrm | ZOHO_CRM_CREATE_RECORD_ANY | an account's fields at the wrong level | {"recordType": "Leads", "Last_Name": "Smith"} | validation.request.body.schema
            googledrive | GOOGLE_DRIVE_LIST_FILES | a path typo          | {"includeFolders": true}       | validation.request.path.missing
            xero  | XERO_GET_INVOICES  | a missing required header     | {}                             | validation.request.parameter.header.missing
            """)
    void theVendorsDescriptionRefusesIt(String integration, String action, String what, String parameters, String expectedKey) {
        VendorDescription vendor = VendorDescription.of(integration).orElseThrow();
        Assumptions.assumeTrue(vendor.available(), vendor.document() + " is not in " + SpecFake.DOCUMENTS);
        JsonNode input = dev.switchboard.json.Json.MAPPER.readTree(parameters);
        try (SpecFake fake = new SpecFake(vendor).start()) {
            dev.switchboard.fakes.spec.ConformanceRuns.run(server, project, fake, vendor, action, "broken-" + action, input);

            assertThat(fake.violations()).as(what).isNotEmpty();
            assertThat(fake.violations().get(0).messages()).as(what).anySatisfy(m -> assertThat(m).startsWith(expectedKey));
            System.out.println(what + " in " + action + ": " + fake.violations().get(0));
        }
    }

    /** An exception written beside a vendor silences that rule of that operation, and nothing else. */
    @org.junit.jupiter.api.Test
    void anExceptionSilencesOnlyItsRuleOfItsOperation() {
        VendorDescription asana = VendorDescription.of("asana").orElseThrow();
        Assumptions.assumeTrue(asana.available(), asana.document() + " is not in " + SpecFake.DOCUMENTS);
        JsonNode input = dev.switchboard.json.Json.MAPPER.readTree("{\"completedSince\": \"now\"}");
        VendorDescription.Exception onTasks = new VendorDescription.Exception("GET /tasks", "validation.request.parameter.query.unexpected",
                "a test of exceptions", "https://developers.asana.com/reference/gettasks");
        VendorDescription.Exception onProjects = new VendorDescription.Exception("GET /projects", "validation.request.parameter.query.unexpected",
                "a test of exceptions", "https://developers.asana.com/reference/getprojects");
        for (var exception : List.of(onTasks, onProjects)) {
            VendorDescription excepted = new VendorDescription(asana.integration(), asana.document(), asana.urls(), asana.pathsBelowUrls(),
                    asana.providerData(), asana.credential(), asana.patches(), List.of(exception), asana.resolveFully(), List.of());
            try (SpecFake fake = new SpecFake(excepted).start()) {
                dev.switchboard.fakes.spec.ConformanceRuns.run(server, project, fake, excepted, "ASANA_GET_TASKS", "excepted-" + (exception == onTasks ? "tasks" : "projects"), input);
                assertThat(fake.violations()).as(exception.operation()).hasSize(exception == onTasks ? 0 : 1);
            }
        }
    }
}
