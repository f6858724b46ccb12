package dev.switchboard.integrations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * docs/integrations.md is generated where it can be: the field tables from the definition format's JSON Schema,
 * the list of shipped actions from the shipped definitions. This test fails when the doc and its sources
 * disagree; {@code ./switchboard docs} (this test with {@code -Dswitchboard.writeDocs=true}) rewrites the doc.
 */
class DefinitionDocsTest {
    private static final Path DOC = Path.of("docs/integrations.md");
    /** The format's objects in the order a reader meets them; the root first. */
    private static final List<String> SECTIONS = List.of("", "auth", "oauth", "providerDataLookup", "errors", "pagination",
            "rateLimit", "accountFields", "connectField", "action", "accountFieldInputs", "multipart", "part", "inputTarget", "compose", "clause");

    private final JsonNode format = Json.MAPPER.readTree(IntegrationCatalog.readResource(IntegrationLoader.FORMAT_RESOURCE));

    @Test
    void theDocMatchesTheFormatAndTheShippedDefinitions() throws IOException {
        String doc = Files.readString(DOC);
        String updated = replace(replace(replace(doc, "format", formatTables()), "shipped", shippedTable()), "triggers", triggersTable());
        if (Boolean.getBoolean("switchboard.writeDocs")) {
            Files.writeString(DOC, updated);
        }
        assertThat(doc).as("docs/integrations.md is out of date: run ./switchboard docs").isEqualTo(updated);
    }

    @Test
    void everyFieldOfTheFormatIsDescribedInWholeSentences() {
        List<String> missing = new ArrayList<>();
        for (String section : SECTIONS) {
            JsonNode object = object(section);
            if (!section.isEmpty() && !object.path("description").asString("").endsWith(".")) {
                missing.add(section);
            }
            object.path("properties").properties().forEach(field -> {
                if (!field.getValue().path("description").asString("").endsWith(".")) {
                    missing.add((section.isEmpty() ? "" : section + ".") + field.getKey());
                }
            });
        }
        assertThat(missing).as("fields without a description that ends in a full stop").isEmpty();
        Set<String> documented = new HashSet<>(SECTIONS);
        format.path("$defs").propertyNames().forEach(name -> assertThat(documented).as("a section for $defs/" + name).contains(name));
    }

    private JsonNode object(String section) {
        return section.isEmpty() ? format : format.path("$defs").path(section);
    }

    private String formatTables() {
        StringBuilder out = new StringBuilder();
        for (String section : SECTIONS) {
            JsonNode object = object(section);
            out.append("### ").append(section.isEmpty() ? "Integration" : "`" + section + "`").append("\n\n");
            out.append(section.isEmpty() ? "The top level of `<key>.yaml`." : object.path("description").asString()).append("\n\n");
            out.append("| field | type | required | meaning |\n|---|---|---|---|\n");
            Set<String> required = new HashSet<>();
            object.path("required").forEach(r -> required.add(r.asString()));
            object.path("properties").properties().forEach(field -> out.append("| `").append(field.getKey()).append("` | ")
                    .append(type(field.getValue())).append(" | ").append(required.contains(field.getKey()) ? "yes" : "no").append(" | ")
                    .append(cell(field.getValue().path("description").asString())).append(" |\n"));
            out.append("\n");
        }
        return out.toString().strip();
    }

    private static String type(JsonNode property) {
        if (property.has("$ref")) {
            return link(property.get("$ref").asString());
        }
        if (property.has("enum")) {
            List<String> values = new ArrayList<>();
            property.get("enum").forEach(v -> values.add("`" + v.asString() + "`"));
            return String.join(" or ", values);
        }
        String type = property.path("type").asString("any");
        if (type.equals("array")) {
            return "list of " + type(property.path("items"));
        }
        if (type.equals("object") && property.path("additionalProperties").isObject()) {
            return "map of " + type(property.get("additionalProperties"));
        }
        return type;
    }

    private static String link(String ref) {
        String name = ref.substring(ref.lastIndexOf('/') + 1);
        return "[" + name + "](#" + name.toLowerCase() + ")";
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }

    private static String shippedTable() {
        IntegrationCatalog catalog = new IntegrationCatalog(IntegrationCatalog.shipped());
        assertThat(catalog.errors()).as("every shipped definition loads").isEmpty();
        StringBuilder out = new StringBuilder("| integration | key | actions | pagination (caller / vendor) |\n|---|---|---|---|\n");
        for (String key : catalog.integrationKeys()) {
            IntegrationDefinition integration = catalog.integration(key).orElseThrow();
            IntegrationDefinition.Pagination pagination = integration.pagination();
            out.append("| ").append(integration.name()).append(" | `").append(key).append("` | ")
                    .append(catalog.actionsOf(key).stream().map(a -> "`" + a.name() + "`").collect(Collectors.joining(", ")))
                    .append(" | ").append(pagination == null ? "none" : pagination.style() + " / " + pagination.wireStyle()).append(" |\n");
        }
        out.append("\nEach action's parameters (`*` required; `paginationParameters` on every list action is left out):\n");
        for (String key : catalog.integrationKeys()) {
            out.append("\n**").append(catalog.integration(key).orElseThrow().name()).append("**\n\n");
            for (ActionDefinition.Compiled action : catalog.actionsOf(key)) {
                java.util.Set<String> required = new java.util.HashSet<>();
                action.schema().path("required").forEach(r -> required.add(r.asString()));
                List<String> parameters = new ArrayList<>();
                action.schema().path("properties").properties().forEach(p -> {
                    if (!p.getKey().equals("paginationParameters")) {
                        String type = dev.switchboard.files.FileObjects.isFileSchema(p.getValue()) ? "file" : type(p.getValue());
                        parameters.add("`" + p.getKey() + "`" + (required.contains(p.getKey()) ? "\\*" : "") + " " + cell(type));
                    }
                });
                ActionDefinition.AccountFieldInputs fields = action.definition().accountFields();
                if (fields != null && !fields.describe()) {
                    parameters.add("and the account's fields of " + (fields.recordType() == null ? "the record type" : fields.recordType())
                            + (fields.operation().equals("create") ? " (its required ones required)" : ""));
                }
                out.append("- `").append(action.name()).append("`: ").append(parameters.isEmpty() ? "none" : String.join(", ", parameters)).append('\n');
            }
        }
        return out.toString().strip();
    }

    /** The shipped trigger types, by integration: how each is fed, and its parameters. */
    private static String triggersTable() {
        IntegrationCatalog catalog = new IntegrationCatalog(IntegrationCatalog.shipped());
        dev.switchboard.triggers.TriggerCatalog triggers = dev.switchboard.triggers.TriggerCatalog.load(catalog.integrationKeys(),
                dev.switchboard.triggers.TriggerCatalog.listActions(catalog));
        StringBuilder out = new StringBuilder("| integration | trigger | how | parameters |\n|---|---|---|---|\n");
        for (String key : catalog.integrationKeys()) {
            for (dev.switchboard.triggers.TriggerDefinition trigger : triggers.of(key)) {
                String how;
                if (trigger.poll() == null) {
                    how = "pushed: the vendor's `" + trigger.event().type() + "` events";
                } else {
                    dev.switchboard.triggers.TriggerDefinition.Poll poll = trigger.poll();
                    String way = poll.since() != null ? "changed since the last poll" : poll.whole() ? "read whole" : "newest first";
                    how = "polled every " + (poll.every() % 60 == 0 ? poll.every() / 60 + " min" : poll.every() + " s") + ": `" + poll.action() + "`, "
                            + way + (poll.version() == null ? "" : "; again when `" + poll.version() + "` changes");
                }
                Set<String> required = new HashSet<>();
                trigger.input().path("required").forEach(r -> required.add(r.asString()));
                List<String> parameters = new ArrayList<>();
                trigger.input().path("properties").properties().forEach(p -> parameters.add("`" + p.getKey() + "`"
                        + (required.contains(p.getKey()) ? "\\*" : "") + " " + cell(type(p.getValue()))));
                out.append("| ").append(catalog.integration(key).orElseThrow().name()).append(" | `").append(trigger.type()).append("` | ")
                        .append(how).append(" | ").append(parameters.isEmpty() ? "none" : String.join(", ", parameters)).append(" |\n");
            }
        }
        return out.toString().strip();
    }

    /** The doc with the text between the markers of {@code block} replaced. */
    private static String replace(String doc, String block, String generated) {
        Pattern region = Pattern.compile("(<!-- generated: " + block + " [^>]*-->)(.*?)(<!-- end generated: " + block + " -->)", Pattern.DOTALL);
        Matcher matcher = region.matcher(doc);
        assertThat(matcher.find()).as("docs/integrations.md has the markers of the generated block '" + block + "'").isTrue();
        return doc.substring(0, matcher.start(2)) + "\n\n" + generated + "\n\n" + doc.substring(matcher.end(2));
    }
}
