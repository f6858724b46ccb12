package dev.switchboard.integrations.salesforce;

import dev.switchboard.filters.FilterFormulas;
import dev.switchboard.filters.SoqlWhere;
import dev.switchboard.json.Json;
import dev.switchboard.outcomes.Failure;
import dev.switchboard.programs.ActionProgram;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Salesforce's actions that are more than one request, or one request built in code:
 * <ul>
 *   <li>searches ({@code SALESFORCE_SEARCH_RECORDS_*}): the SOQL statement is built from ActionKit's inputs (the filter
 *       formula as a {@link SoqlWhere} condition, a checked sort field) and run as {@code SALESFORCE_WRITE_SOQL_QUERY},
 *       which pages by Salesforce's query locator;</li>
 *   <li>list views ({@code SALESFORCE_GET_RECORD_BY_VIEW_ID_*}): the view's own SOQL, from its describe, run the same way,
 *       so that its records come as records (not the results resource's rows of display cells);</li>
 *   <li>custom fields and objects: the Tooling API's {@code FullName} and {@code Metadata}, built from ActionKit's
 *       label, type and per-type settings.</li>
 * </ul>
 * A later page of a search or view is the locator alone: the statement is not built again.
 */
public final class SalesforcePrograms {
    static final String QUERY = "SALESFORCE_WRITE_SOQL_QUERY";
    static final String DESCRIBE = "SALESFORCE_DESCRIBE_OBJECT";
    static final String DESCRIBE_VIEW = "SALESFORCE_DESCRIBE_LIST_VIEW";
    static final String TOOLING_CREATE = "SALESFORCE_TOOLING_CREATE_RECORD";
    static final String CONVERT = "SALESFORCE_CONVERT_LEAD_WITH_STATUS";
    /** What a continued query sends instead of a statement: the locator alone says which query goes on. */
    private static final String CONTINUED = "SELECT Id FROM Continued";

    private SalesforcePrograms() {}

    public static Map<String, ActionProgram> all() {
        return Map.of(
                "salesforceSearchRecords", ActionProgram.of(true, Set.of(QUERY, DESCRIBE), SalesforcePrograms::search),
                "salesforceListViewRecords", ActionProgram.of(true, Set.of(QUERY, DESCRIBE_VIEW), SalesforcePrograms::listView),
                "salesforceCreateCustomField", ActionProgram.of(false, Set.of(TOOLING_CREATE), SalesforcePrograms::customField),
                "salesforceCreateCustomObject", ActionProgram.of(false, Set.of(TOOLING_CREATE), SalesforcePrograms::customObject),
                "salesforceConvertLead", ActionProgram.of(false, Set.of(QUERY, CONVERT), SalesforcePrograms::convertLead));
    }

    private static JsonNode search(JsonNode input, ActionProgram.Steps steps) {
        String object = input.get("recordType").asString();
        if (continued(input)) {
            return query(CONTINUED, input, steps);
        }
        String fields = "FIELDS(STANDARD)";
        if (input.path("includeAllFields").asBoolean(false)) {
            // Every field the user may read, by name: FIELDS(ALL) would cap a query at 200 records and end the paging.
            List<String> names = new ArrayList<>();
            steps.run(DESCRIBE, Json.object().put("recordType", object)).path("fields").forEach(f -> names.add(f.path("name").asString()));
            fields = String.join(", ", names);
        }
        StringBuilder soql = new StringBuilder("SELECT ").append(fields).append(" FROM ").append(object);
        String where = where(input.get("filterFormula"));
        if (where != null) {
            soql.append(" WHERE ").append(where);
        }
        if (input.hasNonNull("sortBy")) {
            soql.append(" ORDER BY ").append(SoqlWhere.field(input.get("sortBy").asString(), "parameters.sortBy"))
                    .append(' ').append(input.path("sortDirection").asString("ASC"));
        }
        return query(soql.toString(), input, steps);
    }

    /** The formula as a SOQL condition; text that is not a formula in JSON is Salesforce's own condition syntax. */
    private static String where(JsonNode formula) {
        if (formula == null || formula.isNull() || formula.isString() && formula.asString().isBlank()) {
            return null;
        }
        if (formula.isString() && !formula.asString().strip().startsWith("{")) {
            return formula.asString();
        }
        JsonNode tree = formula.isString() ? FilterFormulas.fromText(formula.asString(), "parameters.filterFormula") : formula;
        return SoqlWhere.of(tree, "parameters.filterFormula");
    }

    private static JsonNode listView(JsonNode input, ActionProgram.Steps steps) {
        if (continued(input)) {
            return query(CONTINUED, input, steps);
        }
        JsonNode view = steps.run(DESCRIBE_VIEW, Json.object().put("recordType", input.get("recordType").asString())
                .put("listViewId", input.get("listViewId").asString()));
        String soql = view.path("query").asString("");
        if (soql.isBlank()) {
            throw Failure.invalidInput("invalid_parameters", "parameters.listViewId: Salesforce describes this list view without a query.");
        }
        return query(soql, input, steps);
    }

    private static boolean continued(JsonNode input) {
        return !input.path("paginationParameters").path("pageCursor").asString("").isEmpty();
    }

    private static JsonNode query(String soql, JsonNode input, ActionProgram.Steps steps) {
        ObjectNode query = Json.object().put("query", soql);
        if (input.has("paginationParameters")) {
            query.set("paginationParameters", input.get("paginationParameters"));
        }
        return steps.run(QUERY, query);
    }

    private static JsonNode customField(JsonNode input, ActionProgram.Steps steps) {
        String type = input.get("type").asString();
        ObjectNode metadata = Json.object().put("label", input.get("label").asString()).put("type", type);
        switch (type) {
            case "Checkbox" -> metadata.put("defaultValue", String.valueOf(input.path("defaultCheckboxValue").asBoolean(false)));
            case "Text" -> metadata.put("length", number(input, "length"));
            case "LongTextArea", "Html" -> metadata.put("length", number(input, "length")).put("visibleLines", number(input, "visibleLines"));
            case "Number", "Currency", "Percent" -> {
                int scale = number(input, "decimalPlace");
                int precision = number(input, "length") + scale;
                if (precision > 18) {
                    throw Failure.invalidInput("invalid_parameters", "parameters.length: with decimalPlace, at most 18 digits in all, not " + precision + ".");
                }
                metadata.put("precision", precision).put("scale", scale);
            }
            case "Picklist", "MultiselectPicklist" -> {
                ArrayNode values = metadata.putObject("valueSet").putObject("valueSetDefinition").putArray("value");
                for (String line : input.path("pickListValues").asString("").split("\\R")) {
                    if (!line.isBlank()) {
                        values.addObject().put("fullName", line.strip()).put("label", line.strip()).put("default", false);
                    }
                }
                if (values.isEmpty()) {
                    throw Failure.invalidInput("invalid_parameters", "parameters.pickListValues: a picklist needs values, one per line.");
                }
                if (type.equals("MultiselectPicklist")) {
                    metadata.put("visibleLines", number(input, "visibleLines"));
                }
            }
            default -> { } // Date, Email, Phone, TextArea, Time, Url: the type says it all
        }
        copy(input, "description", metadata, "description");
        copy(input, "helperText", metadata, "inlineHelpText");
        if (!type.equals("Checkbox")) {
            copy(input, "defaultFieldValue", metadata, "defaultValue"); // a formula: text goes in quotes, "\"Gold\""
        }
        ObjectNode fields = Json.object().put("FullName", input.get("recordType").asString() + "." + apiName(input.get("label").asString(), "parameters.label"));
        fields.set("Metadata", metadata);
        return steps.run(TOOLING_CREATE, Json.object().put("toolingType", "CustomField").set("fields", fields));
    }

    private static JsonNode customObject(JsonNode input, ActionProgram.Steps steps) {
        ObjectNode metadata = Json.object().put("label", input.get("label").asString()).put("pluralLabel", input.get("pluralLabel").asString())
                .put("deploymentStatus", "Deployed").put("sharingModel", "ReadWrite");
        copy(input, "description", metadata, "description");
        metadata.putObject("nameField").put("label", input.get("recordName").asString()).put("type", "Text");
        ObjectNode fields = Json.object().put("FullName", apiName(input.get("label").asString(), "parameters.label"));
        fields.set("Metadata", metadata);
        return steps.run(TOOLING_CREATE, Json.object().put("toolingType", "CustomObject").set("fields", fields));
    }

    /**
     * A custom field's or object's API name from its label, as Salesforce's setup page makes it: letters, digits and
     * single underscores, starting with a letter, at most 40 characters, then {@code __c} (Customer Tier: Customer_Tier__c).
     */
    static String apiName(String label, String path) {
        String name = label.replaceAll("[^A-Za-z0-9]+", "_").replaceAll("^_+|_+$", "");
        if (!name.isEmpty() && Character.isDigit(name.charAt(0))) {
            name = "X" + name;
        }
        name = name.length() > 40 ? name.substring(0, 40).replaceAll("_+$", "") : name;
        if (name.isEmpty()) {
            throw Failure.invalidInput("invalid_parameters", path + ": the label needs a letter or digit to make an API name from.");
        }
        return name + "__c";
    }

    private static int number(JsonNode input, String name) {
        JsonNode value = input.get(name);
        String text = value == null ? "" : value.asString().strip();
        if (!text.matches("\\d{1,6}")) {
            throw Failure.invalidInput("invalid_parameters", "parameters." + name + ": this field type needs it, as a whole number"
                    + (value == null ? "." : ", not " + dev.switchboard.outcomes.Echo.quote(text) + "."));
        }
        return Integer.parseInt(text);
    }

    private static void copy(JsonNode input, String from, ObjectNode to, String name) {
        if (input.hasNonNull(from) && !input.get(from).asString().isEmpty()) {
            to.put(name, input.get(from).asString());
        }
    }

    /** A lead converted with the given status, or the org's first status that marks a lead converted. */
    private static JsonNode convertLead(JsonNode input, ActionProgram.Steps steps) {
        ObjectNode step = (ObjectNode) input.deepCopy();
        if (!input.hasNonNull("convertedStatus")) {
            JsonNode status = steps.run(QUERY, Json.object().put("query", "SELECT MasterLabel FROM LeadStatus WHERE IsConverted = true LIMIT 1"))
                    .at("/records/0/MasterLabel");
            if (!status.isString()) {
                throw Failure.invalidInput("invalid_parameters", "parameters.convertedStatus: the org has no lead status that marks a lead "
                        + "converted; name one.");
            }
            step.put("convertedStatus", status.asString());
        }
        return steps.run(CONVERT, step);
    }
}
