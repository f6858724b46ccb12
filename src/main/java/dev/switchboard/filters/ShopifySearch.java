package dev.switchboard.filters;

import dev.switchboard.filters.FilterFormulas.Condition;
import dev.switchboard.outcomes.Echo;
import dev.switchboard.outcomes.Failure;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * ActionKit's filter formula in Shopify's search syntax (the {@code query} argument of its GraphQL lists):
 * {@code (vendor:"Coffee Co" AND status:"active") OR title:mug*}. Nothing the caller sends reaches the query
 * unchecked: a value is a double-quoted string with backslash escapes (so {@code :}, parentheses, {@code OR} and
 * {@code -} inside it are only text), numbers and times are written from their parsed value, a prefix search takes one
 * word of letters and digits, and a field is a search key's name ({@code created_at}, {@code metafields.custom.size}).
 * Shopify's search cannot say "contains" or "ends with": those conditions are refused, naming the condition.
 */
public final class ShopifySearch {
    static final int MAX_CONDITIONS = 100;
    private static final Pattern KEY = Pattern.compile("^[a-z][a-z0-9_]{0,63}(\\.[A-Za-z0-9_-]{1,64}){0,2}$");
    private static final Pattern WORD = Pattern.compile("^[A-Za-z0-9_-]{1,100}$");
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'");

    private ShopifySearch() {}

    /** @param path the parameter's path for errors, such as {@code parameters.filterFormula} */
    public static String of(JsonNode formula, String path) {
        return FilterFormulas.infix(formula, path, MAX_CONDITIONS, ShopifySearch::term);
    }

    /** A value as a quoted term of Shopify's search syntax. */
    public static String quoted(String value, String where) {
        return FilterFormulas.backslashQuoted(value, where, "a Shopify search");
    }

    /** A time as Shopify's search compares it: a date as it is, a time in UTC to the second. */
    public static String time(JsonNode value, String where) {
        java.time.temporal.Temporal at = FilterFormulas.dateOrTime(value, where);
        return at instanceof LocalDate date ? date.toString() : SECONDS.format((OffsetDateTime) at);
    }

    private static String term(Condition c) {
        if (!KEY.matcher(c.field()).matches()) {
            throw Failure.invalidInput("invalid_parameters", c.path() + ".field: " + Echo.quote(c.field())
                    + " is not a Shopify search key (lower case with underscores, such as created_at, product_type or email).");
        }
        String key = c.field() + ":";
        String where = c.path() + ".value";
        return switch (c.operator()) {
            case "$stringExactlyMatches" -> key + quoted(FilterFormulas.text(c.value(), where), where);
            case "$stringDoesNotExactlyMatch" -> "-" + key + quoted(FilterFormulas.text(c.value(), where), where);
            case "$stringIsIn" -> "(" + String.join(" OR ", FilterFormulas.texts(c.value(), c.operator(), where).stream()
                    .map(v -> key + quoted(v, where)).toList()) + ")";
            case "$stringIsNotIn" -> "(" + String.join(" AND ", FilterFormulas.texts(c.value(), c.operator(), where).stream()
                    .map(v -> "-" + key + quoted(v, where)).toList()) + ")";
            case "$stringStartsWith" -> {
                String value = FilterFormulas.text(c.value(), where);
                if (!WORD.matcher(value).matches()) {
                    throw Failure.invalidInput("invalid_parameters", where + ": Shopify finds a beginning only of one word of letters and digits, not "
                            + Echo.quote(value) + ".");
                }
                yield key + value + "*";
            }
            case "$numberEquals" -> key + FilterFormulas.plainNumber(c.value(), where);
            case "$numberDoesNotEqual" -> "-" + key + FilterFormulas.plainNumber(c.value(), where);
            case "$numberGreaterThan" -> key + ">" + FilterFormulas.plainNumber(c.value(), where);
            case "$numberGreaterThanOrEqualTo" -> key + ">=" + FilterFormulas.plainNumber(c.value(), where);
            case "$numberLessThan" -> key + "<" + FilterFormulas.plainNumber(c.value(), where);
            case "$numberLessThanOrEqualTo" -> key + "<=" + FilterFormulas.plainNumber(c.value(), where);
            case "$dateTimeAfter" -> key + ">" + quoted(time(c.value(), where), where);
            case "$dateTimeBefore" -> key + "<" + quoted(time(c.value(), where), where);
            case "$dateTimeEquals" -> {
                String at = time(c.value(), where);
                if (at.length() > 10) {
                    yield key + quoted(at, where);
                }
                // A date means that whole day (UTC).
                String next = LocalDate.parse(at).plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC).format(SECONDS);
                yield "(" + key + ">=" + quoted(at + "T00:00:00Z", where) + " AND " + key + "<" + quoted(next, where) + ")";
            }
            case "$booleanTrue" -> key + "true";
            case "$booleanFalse" -> key + "false";
            case "$exists" -> key + "*";
            case "$doesNotExist" -> "-" + key + "*";
            default -> throw Failure.invalidInput("invalid_parameters", c.path() + ".operator: Shopify's search cannot express " + Echo.quote(c.operator())
                    + " (it has exact matches, lists, a word's beginning, comparisons and whether a field is set).");
        };
    }
}
