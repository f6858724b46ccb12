package dev.switchboard.triggers;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.switchboard.json.FileFormat;
import dev.switchboard.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The trigger types Switchboard ships, by integration, read from {@code triggers/<integration>.yaml} beside the
 * integrations' definitions. A file that breaks the format stops the start, naming the field.
 */
public final class TriggerCatalog {
    private static final YAMLMapper YAML = YAMLMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    /** The files' format, the one description of their fields; what compares two places stays in {@link #read}. */
    public static final String FORMAT_RESOURCE = "triggers/triggers.schema.json";
    private static final FileFormat FORMAT = FileFormat.of(dev.switchboard.integrations.IntegrationCatalog.readResource(FORMAT_RESOURCE));

    /** One file: the integration and its triggers by type. */
    record TriggersFile(String integration, LinkedHashMap<String, Entry> triggers) {}

    record Entry(String title, String description, String model, ObjectNode input, TriggerDefinition.VendorEvent event,
                 TriggerDefinition.Poll poll, JsonNode example, Map<String, String> filters) {}

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TriggerCatalog.class);
    private final Map<String, List<TriggerDefinition>> byIntegration = new TreeMap<>();
    private final Map<String, String> errors = new TreeMap<>();
    private final Map<String, ListAction> listActions = new java.util.HashMap<>();

    /**
     * A list action a polling trigger may run.
     *
     * @param records pointer to the list in its answer
     * @param inputs  the names of its parameters
     */
    public record ListAction(String integration, String records, java.util.Set<String> inputs) {}

    /** The catalog's list actions (those with records), which polling triggers may run. */
    public static Map<String, ListAction> listActions(dev.switchboard.integrations.IntegrationCatalog catalog) {
        Map<String, ListAction> actions = new java.util.HashMap<>();
        catalog.actionNames().forEach(name -> catalog.action(name).filter(a -> a.definition().records() != null).ifPresent(a ->
                actions.put(name, new ListAction(a.integration(), a.definition().records(),
                        java.util.Set.copyOf(a.schema().path("properties").propertyNames())))));
        return actions;
    }

    /**
     * @param integrationKeys the integrations to look for triggers of
     * @param actions         the list actions polling triggers may name, by name
     */
    public static TriggerCatalog load(Collection<String> integrationKeys, Map<String, ListAction> actions) {
        TriggerCatalog catalog = new TriggerCatalog();
        catalog.listActions.putAll(actions);
        for (String key : integrationKeys) {
            String resource = "triggers/" + key + ".yaml";
            try (InputStream in = TriggerCatalog.class.getClassLoader().getResourceAsStream(resource)) {
                if (in != null) {
                    catalog.byIntegration.put(key, read(key, new String(in.readAllBytes(), StandardCharsets.UTF_8), actions));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (IllegalArgumentException e) {
                // The shipped files fit the shipped definitions (TriggerCatalogTest); an operator's definition that
                // replaces an integration may drop what its triggers need: those triggers go, the node still starts.
                catalog.errors.put(key, e.getMessage());
                LOG.error("triggers of {} not offered: {}", key, e.getMessage());
            }
        }
        return catalog;
    }

    static List<TriggerDefinition> read(String integration, String yaml, Map<String, ListAction> actions) {
        TriggersFile file;
        try {
            JsonNode tree = YAML.readTree(yaml);
            FORMAT.check(tree);
            file = YAML.treeToValue(tree, TriggersFile.class);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("triggers/" + integration + ".yaml: " + e.getMessage().lines().findFirst().orElse(""));
        }
        require(integration.equals(file.integration()), integration, "integration must be '" + integration + "' (the file name)");
        List<TriggerDefinition> definitions = new ArrayList<>();
        file.triggers().forEach((type, entry) -> {
            String where = "triggers." + type;
            if (TriggerDefinition.POLLING.equals(entry.model())) {
                ListAction action = actions.get(entry.poll().action());
                require(action != null && action.integration().equals(integration), integration, where + ".poll.action: "
                        + integration + " has no list action " + entry.poll().action() + " (one with records)");
                entry.poll().with().keySet().forEach(name -> require(action.inputs().contains(name), integration,
                        where + ".poll.with." + name + ": not a parameter of " + entry.poll().action()));
                if (entry.input() != null) {
                    entry.input().path("properties").propertyNames().forEach(name -> require(action.inputs().contains(entry.poll().actionParameter(name)),
                            integration, where + ".input." + name + ": not a parameter of " + entry.poll().action()
                                    + ", which the subscription's parameters are given to (rename it with poll.rename)"));
                }
                require(entry.poll().since() == null || action.inputs().contains(entry.poll().since()), integration,
                        where + ".poll.since: not a parameter of " + entry.poll().action());
                require(!entry.poll().whole() || entry.poll().since() == null, integration,
                        where + ".poll.whole: a list read whole needs no since");
                require(entry.poll().created() == null || entry.poll().since() != null, integration,
                        where + ".poll.created: only with poll.since (a newest-first list needs no creation time)");
                entry.poll().rename().forEach((from, to) -> require(entry.input() != null && entry.input().path("properties").has(from), integration,
                        where + ".poll.rename." + from + ": not a parameter of the trigger"));
            }
            ObjectNode input = entry.input() == null ? Json.object().put("type", "object") : entry.input().deepCopy();
            if (!input.has("properties")) {
                input.putObject("properties");
            }
            input.put("additionalProperties", false);
            Map<String, String> filters = entry.filters() == null ? Map.of() : Map.copyOf(entry.filters());
            filters.keySet().forEach(name -> require(input.get("properties").has(name), integration,
                    where + ".filters." + name + ": not a parameter of the trigger"));
            Schema schema = SCHEMAS.getSchema(input); // a handful of small schemas: compiled at start
            Supplier<Schema> validator = () -> schema;
            definitions.add(new TriggerDefinition(integration, type, entry.title(), entry.description(), entry.model(), input,
                    entry.event(), entry.poll(), entry.example(), filters, validator));
        });
        return List.copyOf(definitions);
    }

    private static void require(boolean condition, String integration, String message) {
        if (!condition) {
            throw new IllegalArgumentException("triggers/" + integration + ".yaml: " + message);
        }
    }

    /** Where a list action's answer holds its records (a JSON pointer). */
    public String recordsOf(String listAction) {
        return listActions.get(listAction).records();
    }

    /** Why an integration's trigger file was not taken, by integration (empty when every file loaded). */
    public Map<String, String> errors() {
        return errors;
    }

    /** The integrations with triggers, and theirs. */
    public Map<String, List<TriggerDefinition>> all() {
        return byIntegration;
    }

    public List<TriggerDefinition> of(String integration) {
        return byIntegration.getOrDefault(integration, List.of());
    }

    public Optional<TriggerDefinition> find(String integration, String type) {
        return of(integration).stream().filter(t -> t.type().equals(type)).findFirst();
    }

    /** The triggers of an integration that take a vendor event of this type. */
    public List<TriggerDefinition> forEvent(String integration, JsonNode vendorEvent) {
        String type = vendorEvent.path("type").asString("");
        return of(integration).stream().filter(t -> t.event() != null && t.event().type().equals(type)).toList();
    }
}
