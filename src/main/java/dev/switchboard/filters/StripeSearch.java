package dev.switchboard.filters;

import dev.switchboard.filters.FilterFormulas.Condition;
import dev.switchboard.outcomes.Echo;
import dev.switchboard.outcomes.Failure;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * ActionKit's filter formula in Stripe's search query language ({@code email~"example.com" AND created>1700000000}).
 * Stripe's language is flat: clauses joined by AND or by OR, never both, and no parentheses; so a formula is taken when
 * it is one condition or one group of conditions (groups of one are unwrapped), and refused otherwise. Every value is a
 * double-quoted string with Stripe's backslash escape, a time is written as Unix seconds, and a field must be one the
 * search has ({@code email}, {@code name}, {@code phone}, {@code created}, {@code metadata.<key>}).
 */
public final class StripeSearch {
    static final int MAX_CONDITIONS = 10;
    private static final Set<String> CUSTOMER_FIELDS = Set.of("email", "name", "phone", "created");
    private static final Pattern METADATA_KEY = Pattern.compile("^metadata\\.([A-Za-z0-9_-]{1,40})$");
    /** Stripe's substring search needs at least this many characters. */
    private static final int MIN_CONTAINS = 3;

    private StripeSearch() {}

    /** @param path the parameter's path for errors, such as {@code parameters.filterFormula} */
    public static String of(JsonNode formula, String path) {
        JsonNode node = unwrapped(formula);
        if (!FilterFormulas.isGroup(node)) {
            return clause(FilterFormulas.condition(node, path), " OR ");
        }
        String joiner = FilterFormulas.operatorOf(node, path).equals("AND") ? " AND " : " OR ";
        JsonNode conditions = node.get("conditions");
        if (conditions.size() > MAX_CONDITIONS) {
            throw Failure.invalidInput("invalid_parameters", path + ": Stripe's search takes at most " + MAX_CONDITIONS + " conditions.");
        }
        List<String> clauses = new ArrayList<>();
        for (int i = 0; i < conditions.size(); i++) {
            String where = path + ".conditions[" + i + "]";
            JsonNode condition = unwrapped(conditions.get(i));
            if (FilterFormulas.isGroup(condition)) {
                throw Failure.invalidInput("invalid_parameters", where + ": Stripe's search joins its clauses by AND or by OR, not both, and has no "
                        + "parentheses; give one group of conditions.");
            }
            clauses.add(clause(FilterFormulas.condition(condition, where), joiner));
        }
        return String.join(joiner, clauses);
    }

    /** A group of one condition or one group is what it holds. */
    private static JsonNode unwrapped(JsonNode node) {
        JsonNode current = node;
        while (FilterFormulas.isGroup(current) && current.get("conditions").size() == 1) {
            current = current.get("conditions").get(0);
        }
        return current;
    }

    /** @param joiner how the formula joins its clauses: a list of values needs OR */
    private static String clause(Condition c, String joiner) {
        String field = field(c.field(), c.path() + ".field");
        String where = c.path() + ".value";
        boolean created = field.equals("created");
        return switch (c.operator()) {
            case "$stringExactlyMatches" -> field + ":" + quoted(FilterFormulas.text(c.value(), where), where);
            case "$stringDoesNotExactlyMatch" -> "-" + field + ":" + quoted(FilterFormulas.text(c.value(), where), where);
            case "$stringContains", "$stringDoesNotContain" -> {
                String value = FilterFormulas.text(c.value(), where);
                if (value.length() < MIN_CONTAINS || field.startsWith("metadata") || created) {
                    throw Failure.invalidInput("invalid_parameters", where + ": Stripe finds text within " + (created ? "text fields only" : field.startsWith("metadata")
                            ? "email, name and phone, not metadata" : "a field only for at least " + MIN_CONTAINS + " characters") + ".");
                }
                yield (c.operator().equals("$stringDoesNotContain") ? "-" : "") + field + "~" + quoted(value, where);
            }
            case "$stringIsIn" -> {
                if (!joiner.equals(" OR ")) {
                    throw Failure.invalidInput("invalid_parameters", c.path() + ".operator: $stringIsIn is a choice (OR), which Stripe cannot join to "
                            + "an AND group; give it alone or in an OR group.");
                }
                yield String.join(" OR ", FilterFormulas.texts(c.value(), c.operator(), where).stream().map(v -> field + ":" + quoted(v, where)).toList());
            }
            case "$numberGreaterThan", "$dateTimeAfter" -> number(field, ">", c, created);
            case "$numberGreaterThanOrEqualTo" -> number(field, ">=", c, created);
            case "$numberLessThan", "$dateTimeBefore" -> number(field, "<", c, created);
            case "$numberLessThanOrEqualTo" -> number(field, "<=", c, created);
            case "$exists" -> "-" + field + ":null";
            case "$doesNotExist" -> field + ":null";
            default -> throw Failure.invalidInput("invalid_parameters", c.path() + ".operator: Stripe's search cannot express " + Echo.quote(c.operator())
                    + " (it has exact matches, text within a field, comparisons of created, and whether a field is set).");
        };
    }

    /** A comparison, which Stripe's search has on {@code created} only: a time as Unix seconds. */
    private static String number(String field, String operator, Condition c, boolean created) {
        String where = c.path() + ".value";
        if (!created) {
            throw Failure.invalidInput("invalid_parameters", c.path() + ".field: Stripe compares created only, not " + Echo.quote(c.field()) + ".");
        }
        String text = FilterFormulas.text(c.value(), where).strip();
        long seconds;
        if (text.matches("\\d{1,12}")) {
            seconds = Long.parseLong(text);
        } else {
            java.time.temporal.Temporal at = FilterFormulas.dateOrTime(c.value(), where);
            seconds = at instanceof java.time.LocalDate date ? date.atStartOfDay(java.time.ZoneOffset.UTC).toEpochSecond()
                    : ((java.time.OffsetDateTime) at).toEpochSecond();
        }
        return field + operator + seconds;
    }

    private static String field(String name, String path) {
        if (CUSTOMER_FIELDS.contains(name)) {
            return name;
        }
        java.util.regex.Matcher metadata = METADATA_KEY.matcher(name);
        if (metadata.matches()) {
            return "metadata[\"" + metadata.group(1) + "\"]";
        }
        throw Failure.invalidInput("invalid_parameters", path + ": Stripe's customer search has the fields email, name, phone, created and "
                + "metadata.<key>, not " + Echo.quote(name) + ".");
    }

    /** A double-quoted value with Stripe's backslash escape; control characters are refused. */
    private static String quoted(String value, String where) {
        return FilterFormulas.backslashQuoted(value, where, "a Stripe search");
    }
}
