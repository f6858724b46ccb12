package dev.switchboard.filters;

import dev.switchboard.filters.FilterFormulas.Condition;
import dev.switchboard.outcomes.Echo;
import dev.switchboard.outcomes.Failure;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * ActionKit's filter formula as the condition of a SOQL {@code WHERE} clause. Nothing the caller sends reaches the
 * query unchecked: a field must be an API name (letters, digits, underscores, dots for relationships), a text value is
 * always a quoted literal with every character SOQL treats specially escaped, a number is re-written from its parsed
 * value and a date from its parsed time. So a value cannot end its literal early, and a field cannot carry a clause.
 */
public final class SoqlWhere {
    /** A field's API name, or a relationship path (Account.Name). */
    private static final Pattern FIELD = Pattern.compile("^[A-Za-z][A-Za-z0-9_]{0,79}(\\.[A-Za-z][A-Za-z0-9_]{0,79}){0,4}$");
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'");

    private SoqlWhere() {}

    /** @param path the parameter's path for errors, such as {@code parameters.filterFormula} */
    public static String of(JsonNode formula, String path) {
        return FilterFormulas.infix(formula, path, Integer.MAX_VALUE, SoqlWhere::where);
    }

    /** A SOQL field name, checked as filters' fields are (for a sort or a field list built from input). */
    public static String field(String name, String path) {
        if (name == null || !FIELD.matcher(name).matches()) {
            throw Failure.invalidInput("invalid_parameters", path + ": " + Echo.quote(name) + " is not a Salesforce field's API name.");
        }
        return name;
    }

    private static String where(Condition c) {
        String field = field(c.field(), c.path() + ".field");
        String where = c.path() + ".value";
        return switch (c.operator()) {
            case "$stringExactlyMatches" -> field + " = " + quoted(FilterFormulas.text(c.value(), where));
            case "$stringDoesNotExactlyMatch" -> field + " != " + quoted(FilterFormulas.text(c.value(), where));
            case "$stringContains" -> field + " LIKE " + like("%", FilterFormulas.text(c.value(), where), "%");
            case "$stringDoesNotContain" -> "(NOT " + field + " LIKE " + like("%", FilterFormulas.text(c.value(), where), "%") + ")";
            case "$stringStartsWith" -> field + " LIKE " + like("", FilterFormulas.text(c.value(), where), "%");
            case "$stringDoesNotStartWith" -> "(NOT " + field + " LIKE " + like("", FilterFormulas.text(c.value(), where), "%") + ")";
            case "$stringEndsWith" -> field + " LIKE " + like("%", FilterFormulas.text(c.value(), where), "");
            case "$stringDoesNotEndWith" -> "(NOT " + field + " LIKE " + like("%", FilterFormulas.text(c.value(), where), "") + ")";
            case "$stringGreaterThan" -> field + " > " + quoted(FilterFormulas.text(c.value(), where));
            case "$stringLessThan" -> field + " < " + quoted(FilterFormulas.text(c.value(), where));
            case "$stringIsIn" -> field + " IN " + list(c.value(), c.operator(), where);
            case "$stringIsNotIn" -> field + " NOT IN " + list(c.value(), c.operator(), where);
            case "$numberEquals", "$numberDoesNotEqual", "$numberGreaterThan", "$numberGreaterThanOrEqualTo", "$numberLessThan",
                 "$numberLessThanOrEqualTo" -> FilterFormulas.numberComparison(field, c);
            case "$dateTimeAfter" -> field + " > " + dateTime(c.value(), where);
            case "$dateTimeBefore" -> field + " < " + dateTime(c.value(), where);
            case "$dateTimeEquals" -> field + " = " + dateTime(c.value(), where);
            case "$booleanTrue" -> field + " = true";
            case "$booleanFalse" -> field + " = false";
            case "$exists" -> field + " != null";
            case "$doesNotExist" -> field + " = null";
            default -> throw Failure.invalidInput("invalid_parameters", c.path() + ".operator: " + Echo.quote(c.operator())
                    + " is not one of ActionKit's operators that SOQL can express ($stringContains, $numberGreaterThan, $exists, ...).");
        };
    }

    /** A text literal: quoted, with the escapes SOQL defines for quotes, backslashes and control characters. */
    static String quoted(String value) {
        return "'" + escaped(value, false) + "'";
    }

    /** A LIKE pattern: the value's own % and _ match only themselves; the wildcards are the ones given here. */
    private static String like(String before, String value, String after) {
        return "'" + before + escaped(value, true) + after + "'";
    }

    private static String escaped(String value, boolean inLike) {
        StringBuilder out = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            switch (ch) {
                case '\\' -> out.append("\\\\");
                case '\'' -> out.append("\\'");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '%' -> out.append(inLike ? "\\%" : "%");
                case '_' -> out.append(inLike ? "\\_" : "_");
                default -> {
                    if (ch < 0x20) {
                        throw Failure.invalidInput("invalid_parameters", "a filter value holds a control character (U+"
                                + String.format("%04X", (int) ch) + ") that SOQL cannot carry.");
                    }
                    out.append(ch);
                }
            }
        }
        return out.toString();
    }

    private static String list(JsonNode value, String operator, String where) {
        return "(" + String.join(", ", FilterFormulas.texts(value, operator, where).stream().map(SoqlWhere::quoted).toList()) + ")";
    }

    /** A date literal (2026-01-31) for a date, else a UTC date-time literal (2026-01-31T09:30:00Z); never quoted, as SOQL wants. */
    private static String dateTime(JsonNode value, String where) {
        java.time.temporal.Temporal at = FilterFormulas.dateOrTime(value, where);
        return at instanceof LocalDate date ? date.toString() : DATE_TIME.format(at);
    }
}
