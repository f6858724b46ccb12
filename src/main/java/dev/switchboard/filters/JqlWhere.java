package dev.switchboard.filters;

import dev.switchboard.filters.FilterFormulas.Condition;
import dev.switchboard.outcomes.Echo;
import dev.switchboard.outcomes.Failure;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * ActionKit's filter formula as a JQL condition (Jira's query language). As with {@link SoqlWhere}, nothing the caller
 * sends reaches the query unchecked: every value is a double-quoted JQL string with JQL's escapes (so reserved words,
 * reserved characters and function calls inside it are only text), a "contains" value is a quoted phrase within that
 * string (so text-search operators inside it are only words), numbers and dates are written from their parsed value,
 * and a field is an API name ({@code status}, {@code customfield_10001} as {@code cf[10001]}), quoted when JQL reserves it.
 */
public final class JqlWhere {
    /** JQL has no published limit on clauses; a formula beyond this many conditions is refused rather than sent. */
    static final int MAX_CONDITIONS = 100;
    private static final Pattern NAME = Pattern.compile("^[A-Za-z][A-Za-z0-9_]{0,99}$");
    private static final Pattern CUSTOM_FIELD = Pattern.compile("^customfield_(\\d{1,12})$");
    private static final Pattern WORD = Pattern.compile("^[A-Za-z0-9]{1,100}$");
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
    /** Jira's text fields, which take only the contains operators (~ and !~), never equality. */
    private static final Set<String> TEXT_FIELDS = Set.of("summary", "description", "environment", "comment", "text");
    /** Words JQL reserves: as field names they are quoted. */
    private static final Set<String> RESERVED = Set.of("and", "or", "not", "empty", "null", "order", "by", "asc", "desc", "in", "is",
            "was", "changed", "from", "to", "after", "before", "on", "during", "do", "int", "select", "where", "true", "false");

    private JqlWhere() {}

    /** @param path the parameter's path for errors, such as {@code parameters.jqlQuery} */
    public static String of(JsonNode formula, String path) {
        return FilterFormulas.infix(formula, path, MAX_CONDITIONS, JqlWhere::where);
    }

    private static String where(Condition c) {
        String field = field(c.field());
        String where = c.path() + ".value";
        boolean text = TEXT_FIELDS.contains(c.field().toLowerCase(Locale.ROOT));
        return switch (c.operator()) {
            case "$stringExactlyMatches", "$stringDoesNotExactlyMatch" -> {
                if (text) {
                    throw Failure.invalidInput("invalid_parameters", c.path() + ".operator: Jira compares " + c.field()
                            + " by the words it holds only; use $stringContains.");
                }
                yield field + (c.operator().equals("$stringExactlyMatches") ? " = " : " != ") + quoted(FilterFormulas.text(c.value(), where), where);
            }
            case "$stringIsIn", "$stringIsNotIn" -> field + (c.operator().equals("$stringIsIn") ? " in " : " not in ") + list(c.value(), c.operator(), where);
            case "$stringContains" -> field + " ~ " + phrase(FilterFormulas.text(c.value(), where), where);
            case "$stringDoesNotContain" -> field + " !~ " + phrase(FilterFormulas.text(c.value(), where), where);
            case "$stringStartsWith" -> {
                String value = FilterFormulas.text(c.value(), where);
                if (!WORD.matcher(value).matches()) {
                    throw Failure.invalidInput("invalid_parameters", where + ": Jira finds a beginning only of one word of letters and digits, not "
                            + Echo.quote(value) + ".");
                }
                yield field + " ~ " + quoted(value + "*", where);
            }
            case "$stringGreaterThan" -> field + " > " + quoted(FilterFormulas.text(c.value(), where), where);
            case "$stringLessThan" -> field + " < " + quoted(FilterFormulas.text(c.value(), where), where);
            case "$numberEquals", "$numberDoesNotEqual", "$numberGreaterThan", "$numberGreaterThanOrEqualTo", "$numberLessThan",
                 "$numberLessThanOrEqualTo" -> FilterFormulas.numberComparison(field, c);
            case "$dateTimeAfter" -> field + " > " + quoted(dateTime(c.value(), where), where);
            case "$dateTimeBefore" -> field + " < " + quoted(dateTime(c.value(), where), where);
            case "$dateTimeEquals" -> {
                // Jira keeps times to the minute: equal means within that minute, or that day for a date.
                String start = dateTime(c.value(), where);
                String end = start.length() == 10 ? LocalDate.parse(start).plusDays(1).toString()
                        : java.time.LocalDateTime.parse(start, MINUTE).plusMinutes(1).format(MINUTE);
                yield "(" + field + " >= " + quoted(start, where) + " AND " + field + " < " + quoted(end, where) + ")";
            }
            case "$exists" -> field + " IS NOT EMPTY";
            case "$doesNotExist" -> field + " IS EMPTY";
            default -> throw Failure.invalidInput("invalid_parameters", c.path() + ".operator: JQL cannot express " + Echo.quote(c.operator())
                    + " (it has equality, in, contains, comparisons and whether a field is empty).");
        };
    }

    /** A field as JQL names it: an API name bare, a custom field by number, a word JQL reserves quoted. */
    private static String field(String name) {
        Matcher custom = CUSTOM_FIELD.matcher(name);
        if (custom.matches()) {
            return "cf[" + custom.group(1) + "]";
        }
        if (NAME.matcher(name).matches() && !RESERVED.contains(name.toLowerCase(Locale.ROOT))) {
            return name;
        }
        return quoted(name, "field");
    }

    /** A JQL string: double quotes, with the escapes JQL defines; control characters it cannot carry are refused. */
    static String quoted(String value, String where) {
        StringBuilder out = new StringBuilder(value.length() + 8).append('"');
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            switch (ch) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> {
                    if (ch < 0x20 || (ch >= 0x7F && ch <= 0x9F) || (ch >= 0xFDD0 && ch <= 0xFDEF) || ch == 0xFFFE || ch == 0xFFFF) {
                        throw Failure.invalidInput("invalid_parameters", where + ": holds a control character (U+" + String.format("%04X", (int) ch)
                                + ") that JQL cannot carry.");
                    }
                    out.append(ch);
                }
            }
        }
        return out.append('"').toString();
    }

    /** A text search for the value as a phrase: inside it, Lucene's operators and wildcards are only words. */
    private static String phrase(String value, String where) {
        String lucene = value.replace("\\", "\\\\").replace("\"", "\\\"");
        return quoted("\"" + lucene + "\"", where);
    }

    private static String list(JsonNode value, String operator, String where) {
        return "(" + String.join(", ", FilterFormulas.texts(value, operator, where).stream().map(v -> quoted(v, where)).toList()) + ")";
    }

    /** A date as given, or a time as JQL writes it, to the minute in UTC (Jira reads it in the searching user's zone). */
    private static String dateTime(JsonNode value, String where) {
        java.time.temporal.Temporal at = FilterFormulas.dateOrTime(value, where);
        return at instanceof LocalDate date ? date.toString() : MINUTE.format(at);
    }
}
