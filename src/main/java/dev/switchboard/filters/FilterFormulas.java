package dev.switchboard.filters;

import dev.switchboard.outcomes.Echo;
import dev.switchboard.outcomes.Failure;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * ActionKit's filter formula, as its clients send it, in the vendor's own query language. A formula is a condition
 * {@code {"field", "operator", "value"}} or a group {@code {"operator": "AND"|"OR", "conditions": [...]}} of them,
 * nested (ActionKit's examples are an OR of AND groups); operators are Paragon's, such as
 * {@code $stringExactlyMatches} or {@code $numberGreaterThan}. What a vendor cannot express is refused, naming the
 * operator or field and what the vendor takes instead: a filter is never widened or dropped.
 */
public final class FilterFormulas {
    /** The dialects a definition can name ({@code map: {filterFormula: {filter: ...}}}). */
    public static final List<String> DIALECTS = List.of("zohoCriteria", "exactMatches", "gmailSearch", "intercomQuery", "hubspotFilterGroups", "soqlWhere", "linearFilter", "jqlWhere", "shopifySearch", "stripeSearch");

    /** Intercom's search operators for ActionKit's, where Intercom has one. */
    private static final Map<String, String> INTERCOM_OPERATORS = Map.ofEntries(
            Map.entry("$stringExactlyMatches", "="), Map.entry("$stringDoesNotExactlyMatch", "!="), Map.entry("$stringContains", "~"),
            Map.entry("$stringDoesNotContain", "!~"), Map.entry("$stringStartsWith", "^"), Map.entry("$stringEndsWith", "$"),
            Map.entry("$stringIsIn", "IN"), Map.entry("$stringIsNotIn", "NIN"), Map.entry("$numberEquals", "="),
            Map.entry("$numberDoesNotEqual", "!="), Map.entry("$numberGreaterThan", ">"), Map.entry("$numberLessThan", "<"),
            Map.entry("$dateTimeAfter", ">"), Map.entry("$dateTimeBefore", "<"));

    private static final Pattern FIELD = Pattern.compile("^[A-Za-z][A-Za-z0-9_.]{0,99}$");
    /** Zoho's search takes at most ten criteria. */
    private static final int ZOHO_MAX_CRITERIA = 10;
    private static final Map<String, String> ZOHO_OPERATORS = Map.ofEntries(
            Map.entry("$stringExactlyMatches", "equals"), Map.entry("$stringDoesNotExactlyMatch", "not_equal"),
            Map.entry("$stringStartsWith", "starts_with"), Map.entry("$stringIsIn", "in"), Map.entry("$stringIsNotIn", "not_in"),
            Map.entry("$numberEquals", "equals"), Map.entry("$numberDoesNotEqual", "not_equal"),
            Map.entry("$numberGreaterThan", "greater_than"), Map.entry("$numberGreaterThanOrEqualTo", "greater_equal"),
            Map.entry("$numberLessThan", "less_than"), Map.entry("$numberLessThanOrEqualTo", "less_equal"),
            Map.entry("$dateTimeAfter", "greater_than"), Map.entry("$dateTimeBefore", "less_than"), Map.entry("$dateTimeEquals", "equals"),
            Map.entry("$booleanTrue", "equals"), Map.entry("$booleanFalse", "equals"));

    private FilterFormulas() {}

    record Condition(String field, String operator, JsonNode value, String path) {}

    /**
     * The formula as Zoho CRM's search criteria: {@code ((Last_Name:equals:Smith)and(Lead_Source:in:Web,Ads))}, values
     * escaped as Zoho asks (a backslash before {@code ( ) ,} and itself).
     *
     * @param path the parameter's path for errors, such as {@code parameters.filterFormula}
     */
    public static String zohoCriteria(JsonNode formula, String path) {
        int[] count = {0};
        String criteria = zoho(formula, path, count);
        if (count[0] > ZOHO_MAX_CRITERIA) {
            throw Failure.invalidInput("invalid_parameters", path + ": Zoho's search takes at most " + ZOHO_MAX_CRITERIA
                    + " conditions, not " + count[0] + "; for more, use ZOHO_CRM_WRITE_COQL_QUERY.");
        }
        return criteria;
    }

    private static String zoho(JsonNode node, String path, int[] count) {
        if (isGroup(node)) {
            List<String> parts = new ArrayList<>();
            JsonNode conditions = node.get("conditions");
            for (int i = 0; i < conditions.size(); i++) {
                parts.add(zoho(conditions.get(i), path + ".conditions[" + i + "]", count));
            }
            String joiner = operatorOf(node, path).equals("AND") ? "and" : "or";
            return parts.size() == 1 ? parts.get(0) : "(" + String.join(joiner, parts) + ")";
        }
        Condition condition = condition(node, path);
        String operator = ZOHO_OPERATORS.get(condition.operator());
        if (operator == null) {
            throw Failure.invalidInput("invalid_parameters", condition.path() + ".operator: Zoho's search cannot express "
                    + Echo.quote(condition.operator()) + " (it has equals, not_equal, starts_with, in, not_in and comparisons); "
                    + "ZOHO_CRM_WRITE_COQL_QUERY can (like '%text%').");
        }
        count[0]++;
        String value = switch (condition.operator()) {
            case "$booleanTrue" -> "true";
            case "$booleanFalse" -> "false";
            case "$stringIsIn", "$stringIsNotIn" -> {
                List<String> values = new ArrayList<>();
                JsonNode list = condition.value();
                if (list == null || !list.isArray() || list.isEmpty()) {
                    throw Failure.invalidInput("invalid_parameters", condition.path() + ".value: " + condition.operator() + " takes a list of values.");
                }
                list.forEach(v -> values.add(zohoEscaped(text(v, condition.path() + ".value"))));
                yield String.join(",", values);
            }
            default -> zohoEscaped(text(condition.value(), condition.path() + ".value"));
        };
        return "(" + condition.field() + ":" + operator + ":" + value + ")";
    }

    private static String zohoEscaped(String value) {
        return value.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").replace(",", "\\,");
    }

    /**
     * The formula in Gmail's search syntax, whose operators are the conditions' fields: {@code from:grace@example.com},
     * {@code -subject:"weekly report"}, {@code is:unread}; AND joins with a space, OR is Gmail's {@code {...}}.
     */
    public static String gmailSearch(JsonNode formula, String path) {
        return gmail(formula, path, true);
    }

    private static String gmail(JsonNode node, String path, boolean top) {
        if (isGroup(node)) {
            List<String> parts = new ArrayList<>();
            JsonNode conditions = node.get("conditions");
            boolean or = operatorOf(node, path).equals("OR");
            for (int i = 0; i < conditions.size(); i++) {
                parts.add(gmail(conditions.get(i), path + ".conditions[" + i + "]", false));
            }
            if (parts.size() == 1) {
                return parts.get(0);
            }
            return or ? "{" + String.join(" ", parts) + "}" : top ? String.join(" ", parts) : "(" + String.join(" ", parts) + ")";
        }
        Condition condition = condition(node, path);
        String field = condition.field().toLowerCase(java.util.Locale.ROOT);
        if (!field.matches("[a-z_]{1,30}")) {
            throw Failure.invalidInput("invalid_parameters", condition.path() + ".field: " + Echo.quote(condition.field())
                    + " is not a Gmail search operator (from, to, subject, label, has, is, after, ...).");
        }
        return switch (condition.operator()) {
            case "$stringExactlyMatches", "$stringContains", "$stringStartsWith", "$numberEquals" -> field + ":" + gmailValue(condition);
            case "$stringDoesNotExactlyMatch", "$stringDoesNotContain" -> "-" + field + ":" + gmailValue(condition);
            case "$dateTimeAfter" -> "after:" + gmailDate(condition);
            case "$dateTimeBefore" -> "before:" + gmailDate(condition);
            case "$numberGreaterThan" -> "larger:" + gmailValue(condition);
            case "$numberLessThan" -> "smaller:" + gmailValue(condition);
            case "$booleanTrue" -> "is:" + field;
            case "$booleanFalse" -> "-is:" + field;
            default -> throw Failure.invalidInput("invalid_parameters", condition.path() + ".operator: Gmail's search cannot express "
                    + Echo.quote(condition.operator()) + "; give the search as text in Gmail's own syntax instead.");
        };
    }

    /** A value as Gmail's search reads it: quoted when it has spaces; a quote inside would end it, so it is refused. */
    private static String gmailValue(Condition condition) {
        String value = text(condition.value(), condition.path() + ".value");
        if (value.contains("\"") || value.isBlank()) {
            throw Failure.invalidInput("invalid_parameters", condition.path() + ".value: Gmail's search cannot take a value that is blank or holds a double quote.");
        }
        return value.matches("[^\\s(){}]+") ? value : "\"" + value + "\"";
    }

    /** Gmail's after:/before: take yyyy/mm/dd or Unix seconds. */
    private static String gmailDate(Condition condition) {
        String value = text(condition.value(), condition.path() + ".value");
        if (value.matches("\\d{4}-\\d{2}-\\d{2}.*")) {
            return value.substring(0, 10).replace('-', '/');
        }
        if (value.matches("\\d{1,15}")) {
            long number = Long.parseLong(value);
            return String.valueOf(number >= 100_000_000_000L ? number / 1000 : number);
        }
        throw Failure.invalidInput("invalid_parameters", condition.path() + ".value: a date (2026-01-31) or Unix time.");
    }

    /**
     * The formula as Intercom's search query object: a condition {@code {"field", "operator", "value"}} with
     * Intercom's operators ({@code =}, {@code ~}, {@code IN}, {@code >}, ...) and a group {@code {"operator": "AND"|"OR",
     * "value": [...]}}; dates as Unix seconds, booleans and numbers as themselves, {@code $exists} as {@code != null}.
     * Intercom nests groups two deep and takes 15 conditions a group: beyond, 400.
     */
    public static JsonNode intercomQuery(JsonNode formula, String path) {
        return intercom(formula, path, 0);
    }

    private static JsonNode intercom(JsonNode node, String path, int depth) {
        if (isGroup(node)) {
            String operator = operatorOf(node, path);
            JsonNode conditions = node.get("conditions");
            if (conditions.size() == 1) {
                return intercom(conditions.get(0), path + ".conditions[0]", depth);
            }
            if (depth >= 2 || conditions.size() > 15) {
                throw Failure.invalidInput("invalid_parameters", path + ": Intercom takes groups nested at most two deep, of at most 15 conditions each.");
            }
            tools.jackson.databind.node.ObjectNode group = dev.switchboard.json.Json.object().put("operator", operator);
            tools.jackson.databind.node.ArrayNode value = group.putArray("value");
            for (int i = 0; i < conditions.size(); i++) {
                value.add(intercom(conditions.get(i), path + ".conditions[" + i + "]", depth + 1));
            }
            return group;
        }
        Condition condition = condition(node, path);
        tools.jackson.databind.node.ObjectNode query = dev.switchboard.json.Json.object().put("field", condition.field());
        var nodes = dev.switchboard.json.Json.MAPPER.getNodeFactory();
        switch (condition.operator()) {
            case "$exists", "$doesNotExist" -> {
                query.put("operator", condition.operator().equals("$exists") ? "!=" : "=").putNull("value");
                return query;
            }
            case "$booleanTrue", "$booleanFalse" -> {
                query.put("operator", "=").put("value", condition.operator().equals("$booleanTrue"));
                return query;
            }
            default -> { }
        }
        String operator = INTERCOM_OPERATORS.get(condition.operator());
        if (operator == null) {
            throw Failure.invalidInput("invalid_parameters", condition.path() + ".operator: Intercom's search cannot express "
                    + Echo.quote(condition.operator()) + ".");
        }
        query.put("operator", operator);
        JsonNode value = condition.value();
        String where = condition.path() + ".value";
        if (operator.equals("IN") || operator.equals("NIN")) {
            if (value == null || !value.isArray() || value.isEmpty()) {
                throw Failure.invalidInput("invalid_parameters", where + ": " + condition.operator() + " takes a list of values.");
            }
            tools.jackson.databind.node.ArrayNode list = query.putArray("value");
            value.forEach(v -> list.add(nodes.stringNode(text(v, where))));
        } else if (condition.operator().startsWith("$dateTime")) {
            query.put("value", unixSeconds(text(value, where), where));
        } else if (condition.operator().startsWith("$number")) {
            java.math.BigDecimal number = number(text(value, where));
            if (number == null) {
                throw Failure.invalidInput("invalid_parameters", where + ": " + condition.operator() + " compares with a number.");
            }
            query.set("value", nodes.numberNode(number));
        } else {
            query.put("value", text(value, where));
        }
        return query;
    }

    /** A date (midnight UTC), an ISO 8601 time (UTC without an offset) or Unix seconds or milliseconds, as Unix seconds. */
    static long unixSeconds(String value, String where) {
        String text = value.strip();
        try {
            if (text.matches("\\d{1,15}")) {
                long number = Long.parseLong(text);
                return number >= 100_000_000_000L ? number / 1000 : number;
            }
            if (text.matches("\\d{4}-\\d{2}-\\d{2}")) {
                return java.time.LocalDate.parse(text).atStartOfDay(java.time.ZoneOffset.UTC).toEpochSecond();
            }
            if (text.endsWith("Z") || text.matches(".*[+-]\\d{2}:\\d{2}$")) {
                return java.time.OffsetDateTime.parse(text).toEpochSecond();
            }
            return java.time.LocalDateTime.parse(text).toEpochSecond(java.time.ZoneOffset.UTC);
        } catch (java.time.format.DateTimeParseException e) {
            throw Failure.invalidInput("invalid_parameters", where + ": a date (2026-01-31), an ISO 8601 time or Unix time.");
        }
    }

    /**
     * The formula as plain request fields, for vendors whose "filter" is a few fields of their own (Box's {@code sort}
     * and {@code direction}): only conditions {@code field $stringExactlyMatches value}, joined by AND, on the given fields.
     */
    public static Map<String, String> exactMatches(JsonNode formula, String path, List<String> fields) {
        Map<String, String> matches = new LinkedHashMap<>();
        exact(formula, path, fields, matches);
        return matches;
    }

    private static void exact(JsonNode node, String path, List<String> fields, Map<String, String> matches) {
        if (isGroup(node)) {
            JsonNode conditions = node.get("conditions");
            if (conditions.size() > 1 && !operatorOf(node, path).equals("AND")) {
                throw Failure.invalidInput("invalid_parameters", path + ".operator: only AND can join these conditions, each naming one of "
                        + String.join(", ", fields) + ".");
            }
            for (int i = 0; i < conditions.size(); i++) {
                exact(conditions.get(i), path + ".conditions[" + i + "]", fields, matches);
            }
            return;
        }
        Condition condition = condition(node, path);
        if (!fields.contains(condition.field())) {
            throw Failure.invalidInput("invalid_parameters", condition.path() + ".field: " + Echo.quote(condition.field())
                    + " cannot be filtered on here; the fields are " + String.join(", ", fields) + ".");
        }
        if (!condition.operator().equals("$stringExactlyMatches")) {
            throw Failure.invalidInput("invalid_parameters", condition.path() + ".operator: only $stringExactlyMatches applies to "
                    + condition.field() + ", not " + Echo.quote(condition.operator()) + ".");
        }
        String value = text(condition.value(), condition.path() + ".value");
        if (matches.containsKey(condition.field()) && !matches.get(condition.field()).equals(value)) {
            throw Failure.invalidInput("invalid_parameters", condition.path() + ": " + condition.field() + " cannot match two values at once.");
        }
        matches.put(condition.field(), value);
    }

    /** A formula given as JSON text (form-based clients send objects so). */
    public static JsonNode fromText(String text, String path) {
        try {
            return dev.switchboard.json.Json.MAPPER.readTree(text);
        } catch (RuntimeException notJson) {
            throw Failure.invalidInput("invalid_parameters", path
                    + ": text starting with '{' must be a filter formula in JSON, {\"operator\": \"AND\", \"conditions\": [...]}.");
        }
    }

    /**
     * Whether a record passes the formula, for vendors that cannot filter (Google Sheets' rows): each condition reads
     * the record's text for its field ({@code cell}; empty when the record has none). Fields may be any text (a column
     * named "Signed up"); {@code fields} lists those that exist, and a condition naming another is refused. Text
     * compares exactly; numbers as decimals (grouping commas, a currency sign and a trailing % ignored); dates as ISO
     * 8601 dates or date-times; booleans as TRUE or FALSE in any case. A cell that is not a number or date never
     * passes a number or date condition.
     */
    public static boolean matches(JsonNode formula, String path, java.util.Set<String> fields, java.util.function.Function<String, String> cell) {
        if (isGroup(formula)) {
            boolean and = operatorOf(formula, path).equals("AND");
            JsonNode conditions = formula.get("conditions");
            boolean result = and;
            for (int i = 0; i < conditions.size(); i++) {
                // Every condition is checked (not short-circuited), so a bad one is refused whatever the rows hold.
                boolean passes = matches(conditions.get(i), path + ".conditions[" + i + "]", fields, cell);
                result = and ? result && passes : result || passes;
            }
            return result;
        }
        if (formula == null || !formula.isObject() || formula.path("field").asString("").isBlank()) {
            throw Failure.invalidInput("invalid_parameters", path + ": a condition is {\"field\", \"operator\", \"value\"} or a group "
                    + "{\"operator\": \"AND\"|\"OR\", \"conditions\": [...]}.");
        }
        String field = formula.get("field").asString();
        if (!fields.contains(field)) {
            String closest = dev.switchboard.outcomes.Suggestions.closest(field, fields);
            throw Failure.invalidInput("invalid_parameters", path + ".field: " + Echo.quote(field) + " is not one of the fields"
                    + (closest == null ? "" : "; did you mean '" + closest + "'?") + " (" + String.join(", ", fields) + ").");
        }
        String operator = formula.path("operator").asString("");
        String text = cell.apply(field);
        text = text == null ? "" : text;
        JsonNode value = formula.get("value");
        String where = path + ".value";
        return switch (operator) {
            case "$stringExactlyMatches" -> text.equals(text(value, where));
            case "$stringDoesNotExactlyMatch" -> !text.equals(text(value, where));
            case "$stringContains" -> text.contains(text(value, where));
            case "$stringDoesNotContain" -> !text.contains(text(value, where));
            case "$stringStartsWith" -> text.startsWith(text(value, where));
            case "$stringDoesNotStartWith" -> !text.startsWith(text(value, where));
            case "$stringEndsWith" -> text.endsWith(text(value, where));
            case "$stringDoesNotEndWith" -> !text.endsWith(text(value, where));
            case "$stringIsIn", "$stringIsNotIn" -> {
                if (value == null || !value.isArray()) {
                    throw Failure.invalidInput("invalid_parameters", where + ": " + operator + " takes a list of values.");
                }
                boolean in = false;
                for (JsonNode one : value) {
                    in |= text.equals(text(one, where));
                }
                yield operator.equals("$stringIsIn") == in;
            }
            case "$numberEquals", "$numberDoesNotEqual", "$numberGreaterThan", "$numberGreaterThanOrEqualTo", "$numberLessThan",
                 "$numberLessThanOrEqualTo" -> {
                java.math.BigDecimal wanted = number(text(value, where));
                if (wanted == null) {
                    throw Failure.invalidInput("invalid_parameters", where + ": " + operator + " compares with a number.");
                }
                java.math.BigDecimal number = number(text);
                if (number == null) {
                    yield false;
                }
                int order = number.compareTo(wanted);
                yield switch (operator) {
                    case "$numberEquals" -> order == 0;
                    case "$numberDoesNotEqual" -> order != 0;
                    case "$numberGreaterThan" -> order > 0;
                    case "$numberGreaterThanOrEqualTo" -> order >= 0;
                    case "$numberLessThan" -> order < 0;
                    default -> order <= 0;
                };
            }
            case "$dateTimeAfter", "$dateTimeBefore", "$dateTimeEquals" -> {
                java.time.LocalDateTime wanted = dateTime(text(value, where));
                if (wanted == null) {
                    throw Failure.invalidInput("invalid_parameters", where + ": " + operator + " compares with a date (2026-01-31) or date-time.");
                }
                java.time.LocalDateTime at = dateTime(text);
                yield at != null && switch (operator) {
                    case "$dateTimeAfter" -> at.isAfter(wanted);
                    case "$dateTimeBefore" -> at.isBefore(wanted);
                    default -> at.isEqual(wanted);
                };
            }
            case "$booleanTrue" -> text.equalsIgnoreCase("true");
            case "$booleanFalse" -> text.equalsIgnoreCase("false");
            case "$exists" -> !text.isEmpty();
            case "$doesNotExist" -> text.isEmpty();
            default -> throw Failure.invalidInput("invalid_parameters", path + ".operator: " + Echo.quote(operator)
                    + " is not one of ActionKit's operators, such as $stringExactlyMatches.");
        };
    }

    static java.math.BigDecimal number(String text) {
        String plain = text.strip().replace(",", "").replaceFirst("^[$€£¥]", "").replaceFirst("%$", "");
        try {
            return plain.isEmpty() ? null : new java.math.BigDecimal(plain);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static java.time.LocalDateTime dateTime(String text) {
        String value = text.strip().replace(' ', 'T');
        try {
            return value.length() == 10 ? java.time.LocalDate.parse(value).atStartOfDay()
                    : value.endsWith("Z") || value.matches(".*[+-]\\d\\d:\\d\\d$") ? java.time.OffsetDateTime.parse(value).toLocalDateTime()
                    : java.time.LocalDateTime.parse(value);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    /**
     * The formula as a query language's infix text (SOQL, JQL, Shopify's search): each group in parentheses, its
     * parts joined by {@code AND} or {@code OR}, each condition written by {@code write}; more than {@code max}
     * conditions are refused rather than sent.
     */
    static String infix(JsonNode formula, String path, int max, java.util.function.Function<Condition, String> write) {
        return infix(formula, path, max, write, new int[] {0});
    }

    private static String infix(JsonNode node, String path, int max, java.util.function.Function<Condition, String> write, int[] count) {
        if (isGroup(node)) {
            String joiner = operatorOf(node, path).equals("AND") ? " AND " : " OR ";
            JsonNode conditions = node.get("conditions");
            List<String> parts = new java.util.ArrayList<>();
            for (int i = 0; i < conditions.size(); i++) {
                parts.add(infix(conditions.get(i), path + ".conditions[" + i + "]", max, write, count));
            }
            return parts.size() == 1 ? parts.get(0) : "(" + String.join(joiner, parts) + ")";
        }
        if (++count[0] > max) {
            throw Failure.invalidInput("invalid_parameters", path + ": a filter holds at most " + max + " conditions.");
        }
        return write.apply(condition(node, path));
    }

    /**
     * A value as a double-quoted term with backslash escapes (Shopify's and Stripe's search syntax): a backslash and a
     * quote escaped, control characters refused, so that nothing in it can end its term.
     *
     * @param language the query language, for the error ("a Shopify search")
     */
    static String backslashQuoted(String value, String where, String language) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            if (ch < 0x20 || ch == 0x7F) {
                throw Failure.invalidInput("invalid_parameters", where + ": holds a control character (U+" + String.format("%04X", (int) ch)
                        + ") that " + language + " cannot carry.");
            }
            if (ch == '\\' || ch == '"') {
                out.append('\\');
            }
            out.append(ch);
        }
        return out.append('"').toString();
    }

    static boolean isGroup(JsonNode node) {
        return node != null && node.isObject() && node.has("conditions");
    }

    static String operatorOf(JsonNode group, String path) {
        String operator = group.path("operator").asString("");
        JsonNode conditions = group.get("conditions");
        if (!operator.equals("AND") && !operator.equals("OR")) {
            throw Failure.invalidInput("invalid_parameters", path + ".operator: a group of conditions is joined by AND or OR, not "
                    + Echo.quote(operator) + ".");
        }
        if (!conditions.isArray() || conditions.isEmpty()) {
            throw Failure.invalidInput("invalid_parameters", path + ".conditions: a group lists at least one condition.");
        }
        return operator;
    }

    static Condition condition(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            throw Failure.invalidInput("invalid_parameters", path + ": a condition is {\"field\", \"operator\", \"value\"} or a group "
                    + "{\"operator\": \"AND\"|\"OR\", \"conditions\": [...]}.");
        }
        String field = node.path("field").asString("");
        if (!FIELD.matcher(field).matches()) {
            throw Failure.invalidInput("invalid_parameters", path + ".field: " + Echo.quote(field) + " is not a field's API name.");
        }
        String operator = node.path("operator").asString("");
        if (!operator.startsWith("$")) {
            throw Failure.invalidInput("invalid_parameters", path + ".operator: " + Echo.quote(operator)
                    + " is not one of ActionKit's operators, such as $stringExactlyMatches.");
        }
        return new Condition(field, operator, node.get("value"), path);
    }

    /** The values of a list condition ($stringIsIn), as text; refused when there is none. */
    static List<String> texts(JsonNode list, String operator, String where) {
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw Failure.invalidInput("invalid_parameters", where + ": " + operator + " takes a list of values.");
        }
        List<String> values = new ArrayList<>();
        list.forEach(v -> values.add(text(v, where)));
        return values;
    }

    /** ActionKit's number comparisons in the symbols SOQL and JQL share. */
    private static final Map<String, String> NUMBER_COMPARISONS = Map.of("$numberEquals", "=", "$numberDoesNotEqual", "!=",
            "$numberGreaterThan", ">", "$numberGreaterThanOrEqualTo", ">=", "$numberLessThan", "<", "$numberLessThanOrEqualTo", "<=");

    /** {@code field >= 12.5}, for query languages that write comparisons so; the number written from its parsed value. */
    static String numberComparison(String field, Condition condition) {
        return field + " " + NUMBER_COMPARISONS.get(condition.operator()) + " " + plainNumber(condition.value(), condition.path() + ".value");
    }

    /** A number written again from its parsed value, so that nothing but a number reaches a query. */
    static String plainNumber(JsonNode value, String where) {
        String text = text(value, where).strip();
        try {
            return new java.math.BigDecimal(text).toPlainString();
        } catch (NumberFormatException notANumber) {
            throw Failure.invalidInput("invalid_parameters", where + ": " + Echo.quote(text) + " is not a number.");
        }
    }

    /**
     * A date ({@link java.time.LocalDate}) as given, or a time as the instant it names, in UTC
     * ({@link java.time.OffsetDateTime}; one without an offset is read as UTC).
     */
    static java.time.temporal.Temporal dateOrTime(JsonNode value, String where) {
        String text = text(value, where).strip();
        try {
            if (text.matches("\\d{4}-\\d{2}-\\d{2}")) {
                return java.time.LocalDate.parse(text);
            }
            return (text.endsWith("Z") || text.matches(".*[+-]\\d{2}:\\d{2}$") ? java.time.OffsetDateTime.parse(text)
                    : java.time.LocalDateTime.parse(text).atOffset(java.time.ZoneOffset.UTC)).withOffsetSameInstant(java.time.ZoneOffset.UTC);
        } catch (java.time.format.DateTimeParseException notADate) {
            throw Failure.invalidInput("invalid_parameters", where + ": " + Echo.quote(text) + " is not a date (2026-01-31) or an ISO 8601 time.");
        }
    }

    static String text(JsonNode value, String path) {
        if (value == null || !(value.isString() || value.isNumber() || value.isBoolean())) {
            throw Failure.invalidInput("invalid_parameters", path + ": the condition needs a text, number or boolean value.");
        }
        return value.asString();
    }
}
