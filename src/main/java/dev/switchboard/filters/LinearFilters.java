package dev.switchboard.filters;

import dev.switchboard.filters.FilterFormulas.Condition;
import dev.switchboard.json.Json;
import dev.switchboard.outcomes.Echo;
import dev.switchboard.outcomes.Failure;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * ActionKit's filter formula as Linear's GraphQL filter object ({@code IssueFilter}, {@code TeamFilter}): a condition
 * is {@code {"title": {"containsIgnoreCase": "bug"}}}, a dotted field nests ({@code project.name} is
 * {@code {"project": {"name": {...}}}}), and groups are {@code {"and": [...]}} or {@code {"or": [...]}}, nested as
 * given. Values go as JSON values of their type, checked by Linear's schema; what Linear's comparators cannot say
 * (text ordering) is refused.
 */
public final class LinearFilters {
    private static final Map<String, String> COMPARATORS = Map.ofEntries(
            Map.entry("$stringExactlyMatches", "eq"), Map.entry("$stringDoesNotExactlyMatch", "neq"),
            Map.entry("$stringIsIn", "in"), Map.entry("$stringIsNotIn", "nin"),
            Map.entry("$stringContains", "containsIgnoreCase"), Map.entry("$stringDoesNotContain", "notContainsIgnoreCase"),
            Map.entry("$stringStartsWith", "startsWith"), Map.entry("$stringDoesNotStartWith", "notStartsWith"),
            Map.entry("$stringEndsWith", "endsWith"), Map.entry("$stringDoesNotEndWith", "notEndsWith"),
            Map.entry("$numberEquals", "eq"), Map.entry("$numberDoesNotEqual", "neq"),
            Map.entry("$numberGreaterThan", "gt"), Map.entry("$numberGreaterThanOrEqualTo", "gte"),
            Map.entry("$numberLessThan", "lt"), Map.entry("$numberLessThanOrEqualTo", "lte"),
            Map.entry("$dateTimeAfter", "gt"), Map.entry("$dateTimeBefore", "lt"), Map.entry("$dateTimeEquals", "eq"),
            Map.entry("$booleanTrue", "eq"), Map.entry("$booleanFalse", "eq"),
            Map.entry("$exists", "null"), Map.entry("$doesNotExist", "null"));

    private LinearFilters() {}

    /** @param path the parameter's path for errors, such as {@code parameters.issueFilterFormula} */
    public static ObjectNode of(JsonNode formula, String path) {
        if (FilterFormulas.isGroup(formula)) {
            String joiner = FilterFormulas.operatorOf(formula, path).equals("AND") ? "and" : "or";
            JsonNode conditions = formula.get("conditions");
            if (conditions.size() == 1) {
                return of(conditions.get(0), path + ".conditions[0]");
            }
            ObjectNode group = Json.object();
            ArrayNode parts = group.putArray(joiner);
            for (int i = 0; i < conditions.size(); i++) {
                parts.add(of(conditions.get(i), path + ".conditions[" + i + "]"));
            }
            return group;
        }
        Condition condition = FilterFormulas.condition(formula, path);
        String comparator = COMPARATORS.get(condition.operator());
        if (comparator == null) {
            throw Failure.invalidInput("invalid_parameters", condition.path() + ".operator: Linear's filters cannot express "
                    + Echo.quote(condition.operator()) + " (its text comparators have no ordering).");
        }
        ObjectNode root = Json.object();
        ObjectNode at = root;
        String[] fields = condition.field().split("\\.");
        for (String field : fields) {
            at = at.putObject(field);
        }
        at.set(comparator, value(condition));
        return root;
    }

    private static JsonNode value(Condition condition) {
        String where = condition.path() + ".value";
        var nodes = Json.MAPPER.getNodeFactory();
        return switch (condition.operator()) {
            case "$booleanTrue" -> nodes.booleanNode(true);
            case "$booleanFalse" -> nodes.booleanNode(false);
            case "$exists" -> nodes.booleanNode(false); // {"null": false}: the field is set
            case "$doesNotExist" -> nodes.booleanNode(true);
            case "$stringIsIn", "$stringIsNotIn" -> {
                JsonNode list = condition.value();
                if (list == null || !list.isArray() || list.isEmpty()) {
                    throw Failure.invalidInput("invalid_parameters", where + ": " + condition.operator() + " takes a list of values.");
                }
                ArrayNode values = Json.MAPPER.createArrayNode();
                list.forEach(v -> values.add(FilterFormulas.text(v, where)));
                yield values;
            }
            default -> {
                String text = FilterFormulas.text(condition.value(), where);
                if (condition.operator().startsWith("$number")) {
                    java.math.BigDecimal number = FilterFormulas.number(text);
                    if (number == null) {
                        throw Failure.invalidInput("invalid_parameters", where + ": " + condition.operator() + " compares with a number.");
                    }
                    yield nodes.numberNode(number);
                }
                if (condition.operator().startsWith("$dateTime")) {
                    yield nodes.stringNode(java.time.Instant.ofEpochSecond(FilterFormulas.unixSeconds(text, where)).toString());
                }
                yield nodes.stringNode(text);
            }
        };
    }
}
