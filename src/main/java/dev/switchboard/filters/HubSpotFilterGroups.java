package dev.switchboard.filters;

import dev.switchboard.filters.FilterFormulas.Condition;
import dev.switchboard.json.Json;
import dev.switchboard.outcomes.Echo;
import dev.switchboard.outcomes.Failure;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * ActionKit's filter formula as HubSpot's CRM search {@code filterGroups}: the groups are ORed, the filters of a group
 * ANDed, so the formula is first written as an OR of ANDs (a group nested any way is multiplied out). HubSpot takes at
 * most five groups, ten filters a group and 25 filters in all: a formula beyond that is refused, never cut. HubSpot
 * matches text by whole words: "contains" is a word with wildcards around it, and what would match more than asked
 * (starts with, ends with, text with spaces to contain) is refused, never widened.
 */
public final class HubSpotFilterGroups {
    static final int MAX_GROUPS = 5;
    static final int MAX_FILTERS_PER_GROUP = 10;
    static final int MAX_FILTERS = 25;

    /** HubSpot's operator for each of ActionKit's that it has one for. */
    private static final Map<String, String> OPERATORS = Map.ofEntries(
            Map.entry("$stringExactlyMatches", "EQ"), Map.entry("$stringDoesNotExactlyMatch", "NEQ"),
            Map.entry("$stringContains", "CONTAINS_TOKEN"), Map.entry("$stringDoesNotContain", "NOT_CONTAINS_TOKEN"),
            Map.entry("$stringIsIn", "IN"), Map.entry("$stringIsNotIn", "NOT_IN"),
            Map.entry("$numberEquals", "EQ"), Map.entry("$numberDoesNotEqual", "NEQ"),
            Map.entry("$numberGreaterThan", "GT"), Map.entry("$numberGreaterThanOrEqualTo", "GTE"),
            Map.entry("$numberLessThan", "LT"), Map.entry("$numberLessThanOrEqualTo", "LTE"),
            Map.entry("$dateTimeAfter", "GT"), Map.entry("$dateTimeBefore", "LT"), Map.entry("$dateTimeEquals", "EQ"),
            Map.entry("$booleanTrue", "EQ"), Map.entry("$booleanFalse", "EQ"),
            Map.entry("$exists", "HAS_PROPERTY"), Map.entry("$doesNotExist", "NOT_HAS_PROPERTY"));

    private HubSpotFilterGroups() {}

    /** @param path the parameter's path for errors, such as {@code parameters.filterFormula} */
    public static ArrayNode of(JsonNode formula, String path) {
        List<List<ObjectNode>> groups = orOfAnds(formula, path);
        int filters = groups.stream().mapToInt(List::size).sum();
        if (groups.size() > MAX_GROUPS || filters > MAX_FILTERS || groups.stream().anyMatch(g -> g.size() > MAX_FILTERS_PER_GROUP)) {
            throw Failure.invalidInput("invalid_parameters", path + ": HubSpot's search takes at most " + MAX_GROUPS + " OR-ed groups of at most "
                    + MAX_FILTERS_PER_GROUP + " conditions, " + MAX_FILTERS + " conditions in all; this formula is " + groups.size()
                    + " groups with " + filters + " conditions once written as an OR of ANDs.");
        }
        ArrayNode out = Json.MAPPER.createArrayNode();
        groups.forEach(group -> out.addObject().putArray("filters").addAll(group));
        return out;
    }

    /** The formula as an OR (the outer list) of ANDs (the inner lists) of HubSpot filters. */
    private static List<List<ObjectNode>> orOfAnds(JsonNode node, String path) {
        if (!FilterFormulas.isGroup(node)) {
            return List.of(List.of(filter(FilterFormulas.condition(node, path))));
        }
        boolean or = FilterFormulas.operatorOf(node, path).equals("OR");
        JsonNode conditions = node.get("conditions");
        List<List<ObjectNode>> result = or ? new ArrayList<>() : List.of(List.of());
        for (int i = 0; i < conditions.size(); i++) {
            List<List<ObjectNode>> part = orOfAnds(conditions.get(i), path + ".conditions[" + i + "]");
            if (or) {
                result.addAll(part);
            } else {
                List<List<ObjectNode>> product = new ArrayList<>();
                for (List<ObjectNode> left : result) {
                    for (List<ObjectNode> right : part) {
                        List<ObjectNode> both = new ArrayList<>(left);
                        both.addAll(right);
                        product.add(both);
                    }
                }
                result = product;
            }
            if (result.size() > MAX_GROUPS * MAX_FILTERS) {
                break; // refused by the caller's count: stop multiplying before it grows without bound
            }
        }
        return result;
    }

    private static ObjectNode filter(Condition condition) {
        String operator = OPERATORS.get(condition.operator());
        if (operator == null) {
            throw Failure.invalidInput("invalid_parameters", condition.path() + ".operator: HubSpot's search cannot express "
                    + Echo.quote(condition.operator()) + " (it has equality, comparisons, IN, words containing text, and whether a property is set).");
        }
        ObjectNode filter = Json.object().put("propertyName", condition.field()).put("operator", operator);
        String where = condition.path() + ".value";
        switch (condition.operator()) {
            case "$exists", "$doesNotExist" -> { }
            case "$booleanTrue" -> filter.put("value", "true");
            case "$booleanFalse" -> filter.put("value", "false");
            case "$stringIsIn", "$stringIsNotIn" -> {
                JsonNode list = condition.value();
                if (list == null || !list.isArray() || list.isEmpty()) {
                    throw Failure.invalidInput("invalid_parameters", where + ": " + condition.operator() + " takes a list of values.");
                }
                ArrayNode values = filter.putArray("values");
                list.forEach(v -> values.add(FilterFormulas.text(v, where)));
            }
            case "$stringContains", "$stringDoesNotContain" -> {
                String text = FilterFormulas.text(condition.value(), where);
                if (text.isBlank() || text.chars().anyMatch(Character::isWhitespace)) {
                    throw Failure.invalidInput("invalid_parameters", where + ": HubSpot's search finds text within one word; "
                            + condition.operator() + " takes a value without spaces (use $stringExactlyMatches for a phrase).");
                }
                filter.put("value", "*" + text + "*");
            }
            case "$dateTimeEquals" -> {
                String text = FilterFormulas.text(condition.value(), where).strip();
                long millis = FilterFormulas.unixSeconds(text, where) * 1000;
                if (text.matches("\\d{4}-\\d{2}-\\d{2}")) {
                    // A day: any time within it, as HubSpot keeps times to the millisecond.
                    filter.put("operator", "BETWEEN").put("value", String.valueOf(millis)).put("highValue", String.valueOf(millis + 86_399_999));
                } else {
                    filter.put("value", String.valueOf(millis));
                }
            }
            case "$dateTimeAfter", "$dateTimeBefore" ->
                    filter.put("value", String.valueOf(FilterFormulas.unixSeconds(FilterFormulas.text(condition.value(), where), where) * 1000));
            default -> {
                String value = FilterFormulas.text(condition.value(), where);
                if (condition.operator().startsWith("$number") && FilterFormulas.number(value) == null) {
                    throw Failure.invalidInput("invalid_parameters", where + ": " + condition.operator() + " compares with a number.");
                }
                filter.put("value", value);
            }
        }
        return filter;
    }
}
