package dev.switchboard.openapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.config.ServerConfig;
import dev.switchboard.fakes.spec.SpecFake;
import dev.switchboard.fakes.spec.VendorDescription;
import dev.switchboard.integrations.ActionDefinition;
import dev.switchboard.integrations.IntegrationCatalog;
import dev.switchboard.integrations.IntegrationLoader;
import dev.switchboard.openapi.OpenApiImporter.Selection;
import dev.switchboard.testing.Http.Answer;
import dev.switchboard.testing.TestDatabases;
import dev.switchboard.testing.TestServer;
import dev.switchboard.testing.TestServer.Project;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/**
 * {@code switchboard import-openapi}: operations of three vendors' own descriptions become definitions that load and
 * pass the conformance check against those same descriptions, run through a real Switchboard; bad input is named.
 */
class ImportOpenApiTest {
    private static OpenApiImporter importer(String integration, VendorDescription vendor, boolean keepShipped) {
        return new OpenApiImporter(integration, vendor.document(), read(vendor.document()),
                keepShipped ? Optional.of(IntegrationCatalog.shipped().get(vendor.integration())) : Optional.empty());
    }

    private static String read(String document) {
        try {
            return Files.readString(SpecFake.DOCUMENTS.resolve(document));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            asana | GET /projects ; GET /tasks/{task_gid} ; POST /tasks ; GET /projects/{project_gid}/sections
            xero  | GET /Contacts ; GET /Invoices/{InvoiceID}
            box   | GET /folders/{folder_id}/items ; POST /folders ; GET /files/{file_id}
            """)
    void importedActionsLoadAndPassTheConformanceCheck(String integration, String operations) throws IOException {
        VendorDescription vendor = VendorDescription.of(integration).orElseThrow();
        Assumptions.assumeTrue(vendor.available(), vendor.document() + " is not in " + SpecFake.DOCUMENTS);
        List<Selection> selections = java.util.Arrays.stream(operations.split(";")).map(Selection::parse).toList();

        String yaml = importer(integration, vendor, true).importOperations(selections);

        IntegrationLoader.Loaded loaded = IntegrationLoader.load(integration, yaml);
        assertThat(loaded.actions()).hasSize(selections.size());
        runEveryActionAgainstTheDescription(integration, vendor, yaml, loaded.actions());
    }

    @Test
    void aNewIntegrationIsDraftedWithItsServerAndPagination() throws IOException {
        VendorDescription asana = VendorDescription.of("asana").orElseThrow();
        Assumptions.assumeTrue(asana.available(), asana.document() + " is not in " + SpecFake.DOCUMENTS);

        String yaml = importer("asanaDraft", asana, false).importOperations(List.of(Selection.parse("GET /projects ASANA_DRAFT_PROJECTS")));

        assertThat(yaml).contains("key: asanaDraft", "api: https://app.asana.com/api/1.0", "style: cursor", "cursorParam: offset",
                "nextCursor: /next_page/offset", "ASANA_DRAFT_PROJECTS:", "paginated: true", "records: /data", "TODO");
        IntegrationLoader.Loaded loaded = IntegrationLoader.load("asanaDraft", yaml);
        VendorDescription draft = new VendorDescription("asanaDraft", asana.document(), asana.urls(), true, Map.of(), Map.of(), List.of(), List.of(), true, List.of());
        runEveryActionAgainstTheDescription("asanaDraft", draft, yaml, loaded.actions());
    }

    /** Starts a server with the imported definition as the operator's, and runs each action twice through the fake. */
    private static void runEveryActionAgainstTheDescription(String integration, VendorDescription vendor, String yaml,
                                                            List<ActionDefinition.Compiled> actions) throws IOException {
        Path dataDir = Files.createTempDirectory("switchboard-import");
        Files.createDirectories(dataDir.resolve("integrations"));
        Files.writeString(dataDir.resolve("integrations/" + integration + ".yaml"), yaml);
        try (TestServer server = TestServer.start(TestDatabases.Kind.SQLITE, ServerConfig.VendorTimeouts.defaults(), dataDir);
             SpecFake fake = new SpecFake(vendor).start()) {
            Project project = server.createProject("import");
            for (ActionDefinition.Compiled action : actions) {
                for (boolean every : new boolean[] {false, true}) {
                    JsonNode parameters = dev.switchboard.fakes.spec.ConformanceRuns.inputs(action.schema(), every);
                    Answer answer = dev.switchboard.fakes.spec.ConformanceRuns.run(server, project, fake, vendor,
                            action.name(), "import-" + action.name().toLowerCase() + "-" + every, parameters);
                    assertThat(fake.violations()).as("%s with %s\n%s", action.name(), parameters, yaml).isEmpty();
                    assertThat(answer.status()).as(answer.text()).isEqualTo(200);
                }
            }
        }
    }

    private static final String SMALL_SPEC = """
            openapi: 3.0.3
            info: {title: Small, version: "1"}
            servers: [{url: "https://api.small.example/v1"}]
            paths:
              /widgets:
                get:
                  operationId: listWidgets
                  summary: List widgets
                  parameters:
                    - {name: page_size, in: query, schema: {type: integer, minimum: 1, maximum: 100}}
                    - {name: cursor, in: query, schema: {type: string}}
                  responses:
                    "200":
                      description: ok
                      content:
                        application/json:
                          schema:
                            type: object
                            properties:
                              widgets: {type: array, items: {type: object}}
                              next_cursor: {type: string}
                post:
                  operationId: createWidget
                  requestBody:
                    required: true
                    content:
                      application/json:
                        schema:
                          type: object
                          required: [display_name]
                          properties:
                            display_name: {type: string, maxLength: 50, description: "Shown to people."}
                            id: {type: string, readOnly: true}
                            kind: {oneOf: [{type: string}, {type: integer}], nullable: true, format: int64}
                  responses: {"201": {description: created}}
              /widgets/{widget_id}/image:
                put:
                  parameters: [{name: widget_id, in: path, required: true, schema: {type: string}}]
                  requestBody:
                    content:
                      multipart/form-data:
                        schema: {type: object, properties: {file: {type: string, format: binary}}}
                  responses: {"200": {description: ok}}
            """;

    @Test
    void aSmallDocumentBecomesADefinitionWithCamelCaseInputsAndCursorPaging() {
        String yaml = new OpenApiImporter("small", "small.yaml", SMALL_SPEC, Optional.empty())
                .importOperations(List.of(Selection.parse("GET /widgets"), Selection.parse("POST /widgets")));

        IntegrationLoader.Loaded loaded = IntegrationLoader.load("small", yaml);
        assertThat(loaded.actions()).extracting(ActionDefinition.Compiled::name).containsExactly("SMALL_LIST_WIDGETS", "SMALL_CREATE_WIDGET");
        assertThat(yaml).contains("style: cursor", "cursorParam: cursor", "nextCursor: /next_cursor", "pageSizeParam: page_size",
                "records: /widgets", "displayName:", "name: display_name", "anyOf:");
        JsonNode create = loaded.actions().get(1).schema();
        assertThat(create.path("required").toString()).isEqualTo("[\"displayName\"]");
        assertThat(create.path("properties").has("id")).as("read-only fields are not inputs").isFalse();
        assertThat(create.toString()).doesNotContain("nullable", "int64", "oneOf", "$schema", "readOnly");
    }

    @Test
    void badInputIsNamed() {
        OpenApiImporter small = new OpenApiImporter("small", "small.yaml", SMALL_SPEC, Optional.empty());
        assertThatThrownBy(() -> small.importOperations(List.of(Selection.parse("GET /widget"))))
                .hasMessageContaining("small.yaml has no operation GET /widget").hasMessageContaining("/widgets");
        assertThatThrownBy(() -> small.importOperations(List.of(Selection.parse("DELETE /widgets"))))
                .hasMessageContaining("has no operation DELETE /widgets").hasMessageContaining("GET").hasMessageContaining("POST");
        assertThatThrownBy(() -> small.importOperations(List.of(Selection.parse("PUT /widgets/{widget_id}/image"))))
                .hasMessageContaining("multipart/form-data body");
        assertThatThrownBy(() -> small.importOperations(List.of(new Selection("GET", "/widgets", "lower_case"))))
                .hasMessageContaining("action name \"lower_case\"");
        assertThatThrownBy(() -> Selection.parse("widgets")).hasMessageContaining("METHOD /path");
        assertThatThrownBy(() -> new OpenApiImporter("small", "notes.txt", "just some text", Optional.empty()))
                .hasMessageContaining("notes.txt is not an OpenAPI 2.0 or 3.x document");
        assertThatThrownBy(() -> new OpenApiImporter("Bad-Key", "small.yaml", SMALL_SPEC, Optional.empty()))
                .hasMessageContaining("--integration");
        assertThatThrownBy(() -> small.tagged("nothing")).hasMessageContaining("no operation tagged \"nothing\"");
    }

    @Test
    void theCommandWritesTheFile() throws IOException {
        Path dir = Files.createTempDirectory("import-cli");
        Path spec = Files.writeString(dir.resolve("small.yaml"), SMALL_SPEC);
        Path out = dir.resolve("small-out.yaml");
        java.io.StringWriter err = new java.io.StringWriter();
        picocli.CommandLine cli = new picocli.CommandLine(new dev.switchboard.cli.Main());
        cli.setErr(new java.io.PrintWriter(err));

        int code = cli.execute("import-openapi", "--integration", "small", "--spec", spec.toString(),
                "--operation", "GET /widgets", "--name", "SMALL_GET_WIDGETS", "--out", out.toString());

        assertThat(code).as(err.toString()).isZero();
        assertThat(Files.readString(out)).contains("SMALL_GET_WIDGETS:");
        IntegrationLoader.load("small", Files.readString(out));
    }
}
