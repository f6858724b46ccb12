package dev.switchboard.fakes;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;

/**
 * The part of SOQL that Salesforce's fake answers, parsed as Salesforce reads it: {@code SELECT fields FROM object
 * [WHERE condition] [ORDER BY field [ASC|DESC] [NULLS FIRST|LAST]] [LIMIT n]}, with comparisons, LIKE, IN and NOT IN,
 * NOT, and AND and OR groups that must be parenthesised when they mix. Text literals are read with SOQL's escapes
 * ({@code \' \" \\ \n \r \t \b \f}, and {@code \% \_} in LIKE only); date and date-time literals are unquoted. Anything
 * else is refused as Salesforce refuses it, with {@code MALFORMED_QUERY}: so a test can tell a condition that stayed
 * one literal from one that broke out of it.
 */
public final class Soql {
    public record Query(List<String> fields, String object, Predicate<JsonNode> where, String orderBy, boolean descending, Integer limit) {}

    public static final class Malformed extends RuntimeException {
        Malformed(String message) {
            super(message);
        }
    }

    private record Token(String kind, String text) {}

    private final List<Token> tokens;
    private int at;

    private Soql(String soql) {
        this.tokens = tokenize(soql);
    }

    public static Query parse(String soql) {
        Soql parser = new Soql(soql);
        Query query = parser.query();
        if (parser.at < parser.tokens.size()) {
            throw new Malformed("unexpected token: '" + parser.tokens.get(parser.at).text() + "'");
        }
        return query;
    }

    private Query query() {
        keyword("SELECT");
        List<String> fields = new ArrayList<>();
        do {
            fields.add(identifier());
        } while (accept(","));
        keyword("FROM");
        String object = identifier();
        Predicate<JsonNode> where = r -> true;
        if (acceptKeyword("WHERE")) {
            where = condition();
        }
        String orderBy = null;
        boolean descending = false;
        if (acceptKeyword("ORDER")) {
            keyword("BY");
            orderBy = identifier();
            descending = acceptKeyword("DESC");
            if (!descending) {
                acceptKeyword("ASC");
            }
            if (acceptKeyword("NULLS")) {
                if (!acceptKeyword("FIRST")) {
                    keyword("LAST");
                }
            }
        }
        Integer limit = null;
        if (acceptKeyword("LIMIT")) {
            limit = Integer.parseInt(next("number").text());
        }
        return new Query(fields, object, where, orderBy, descending, limit);
    }

    /** An OR or an AND of terms; Salesforce refuses the two mixed without parentheses. */
    private Predicate<JsonNode> condition() {
        Predicate<JsonNode> first = term();
        String joiner = null;
        Predicate<JsonNode> result = first;
        while (peekKeyword("AND") || peekKeyword("OR")) {
            String op = next("word").text().toUpperCase(Locale.ROOT);
            if (joiner != null && !joiner.equals(op)) {
                throw new Malformed("unexpected token: '" + op + "': use parentheses to mix AND and OR");
            }
            joiner = op;
            Predicate<JsonNode> right = term();
            result = op.equals("AND") ? result.and(right) : result.or(right);
        }
        return result;
    }

    private Predicate<JsonNode> term() {
        if (acceptKeyword("NOT")) {
            return term().negate();
        }
        if (accept("(")) {
            Predicate<JsonNode> inner = condition();
            expect(")");
            return inner;
        }
        String field = identifier();
        if (acceptKeyword("LIKE")) {
            Token literal = next("string");
            java.util.regex.Pattern pattern = likePattern(literal.text());
            return r -> text(r, field) != null && pattern.matcher(text(r, field)).matches();
        }
        boolean not = acceptKeyword("NOT");
        if (acceptKeyword("IN")) {
            expect("(");
            List<String> values = new ArrayList<>();
            do {
                values.add(unescape(next("string").text()));
            } while (accept(","));
            expect(")");
            Predicate<JsonNode> in = r -> text(r, field) != null && values.stream().anyMatch(v -> v.equalsIgnoreCase(text(r, field)));
            return not ? in.negate() : in;
        }
        if (not) {
            throw new Malformed("unexpected token: NOT");
        }
        String op = next("op").text();
        Token value = tokens.get(at++);
        return r -> compare(text(r, field), op, value);
    }

    private static boolean compare(String actual, String op, Token value) {
        if (value.kind().equals("word") && value.text().equalsIgnoreCase("null")) {
            return op.equals("=") ? actual == null : op.equals("!=") && actual != null;
        }
        if (actual == null) {
            return op.equals("!=");
        }
        int order = switch (value.kind()) {
            case "string" -> actual.compareToIgnoreCase(unescape(value.text()));
            case "number" -> new java.math.BigDecimal(actual).compareTo(new java.math.BigDecimal(value.text()));
            case "date" -> actual.substring(0, Math.min(actual.length(), value.text().length())).compareTo(value.text());
            case "word" -> actual.compareToIgnoreCase(value.text()); // true, false
            default -> throw new Malformed("unexpected token: '" + value.text() + "'");
        };
        return switch (op) {
            case "=" -> order == 0;
            case "!=" -> order != 0;
            case "<" -> order < 0;
            case ">" -> order > 0;
            case "<=" -> order <= 0;
            case ">=" -> order >= 0;
            default -> throw new Malformed("unexpected token: '" + op + "'");
        };
    }

    private static String text(JsonNode record, String field) {
        JsonNode value = record.get(field);
        return value == null || value.isNull() ? null : value.asString();
    }

    /** A LIKE pattern's body: % and _ wildcards, \% and \_ themselves, the other escapes as in any literal. */
    private static java.util.regex.Pattern likePattern(String body) {
        StringBuilder regex = new StringBuilder("(?is)");
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '\\') {
                char e = body.charAt(++i);
                regex.append(java.util.regex.Pattern.quote(e == '%' || e == '_' ? String.valueOf(e) : String.valueOf(escaped(e))));
            } else if (c == '%') {
                regex.append(".*");
            } else if (c == '_') {
                regex.append('.');
            } else {
                regex.append(java.util.regex.Pattern.quote(String.valueOf(c)));
            }
        }
        return java.util.regex.Pattern.compile(regex.toString());
    }

    private static String unescape(String body) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '\\') {
                char e = body.charAt(++i);
                if (e == '%' || e == '_') {
                    throw new Malformed("Invalid string literal: \\" + e + " is allowed only in LIKE");
                }
                out.append(escaped(e));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static char escaped(char e) {
        return switch (e) {
            case 'n', 'N' -> '\n';
            case 'r', 'R' -> '\r';
            case 't', 'T' -> '\t';
            case 'b', 'B' -> '\b';
            case 'f', 'F' -> '\f';
            case '\'', '"', '\\' -> e;
            default -> throw new Malformed("Invalid string literal: unknown escape \\" + e);
        };
    }

    /** SOQL's tokens; a text literal keeps its escapes (its body, between the quotes), read when it is used. */
    private static List<Token> tokenize(String soql) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        while (i < soql.length()) {
            char c = soql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '\'') {
                StringBuilder body = new StringBuilder();
                i++;
                while (true) {
                    if (i >= soql.length()) {
                        throw new Malformed("unterminated string literal");
                    }
                    char d = soql.charAt(i);
                    if (d == '\\') {
                        if (i + 1 >= soql.length()) {
                            throw new Malformed("unterminated string literal");
                        }
                        body.append(d).append(soql.charAt(i + 1));
                        i += 2;
                    } else if (d == '\'') {
                        i++;
                        break;
                    } else {
                        if (d < 0x20) {
                            throw new Malformed("Invalid string literal: control character");
                        }
                        body.append(d);
                        i++;
                    }
                }
                tokens.add(new Token("string", body.toString()));
            } else if ("(),".indexOf(c) >= 0) {
                tokens.add(new Token(String.valueOf(c), String.valueOf(c)));
                i++;
            } else if ("=!<>".indexOf(c) >= 0) {
                int start = i++;
                if (i < soql.length() && soql.charAt(i) == '=') {
                    i++;
                }
                String op = soql.substring(start, i);
                if (op.equals("!")) {
                    throw new Malformed("unexpected token: '!'");
                }
                tokens.add(new Token("op", op));
            } else if (Character.isDigit(c) || c == '-') {
                int start = i++;
                while (i < soql.length() && (Character.isLetterOrDigit(soql.charAt(i)) || ":.-+".indexOf(soql.charAt(i)) >= 0)) {
                    i++;
                }
                String text = soql.substring(start, i);
                tokens.add(new Token(text.matches("\\d{4}-\\d{2}-\\d{2}(T.*)?") ? "date" : "number", text));
                if (!text.matches("-?\\d+(\\.\\d+)?|\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:?\\d{2}))?")) {
                    throw new Malformed("unexpected token: '" + text + "'");
                }
            } else if (Character.isLetter(c)) {
                int start = i;
                while (i < soql.length() && (Character.isLetterOrDigit(soql.charAt(i)) || soql.charAt(i) == '_' || soql.charAt(i) == '.')) {
                    i++;
                }
                if (i < soql.length() && soql.charAt(i) == '(') { // FIELDS(STANDARD)
                    int close = soql.indexOf(')', i);
                    i = close + 1;
                }
                tokens.add(new Token("word", soql.substring(start, i)));
            } else {
                throw new Malformed("unexpected token: '" + c + "'");
            }
        }
        return tokens;
    }

    private Token next(String kind) {
        if (at >= tokens.size() || !tokens.get(at).kind().equals(kind)) {
            throw new Malformed("unexpected token: " + (at < tokens.size() ? "'" + tokens.get(at).text() + "'" : "end of query") + ", expected " + kind);
        }
        return tokens.get(at++);
    }

    private String identifier() {
        String word = next("word").text();
        if (List.of("AND", "OR", "NOT", "WHERE", "FROM", "LIKE", "IN").contains(word.toUpperCase(Locale.ROOT))) {
            throw new Malformed("unexpected token: '" + word + "'");
        }
        return word;
    }

    private boolean peekKeyword(String keyword) {
        return at < tokens.size() && tokens.get(at).kind().equals("word") && tokens.get(at).text().equalsIgnoreCase(keyword);
    }

    private boolean acceptKeyword(String keyword) {
        if (peekKeyword(keyword)) {
            at++;
            return true;
        }
        return false;
    }

    private void keyword(String keyword) {
        if (!acceptKeyword(keyword)) {
            throw new Malformed("unexpected token: expected " + keyword);
        }
    }

    private boolean accept(String punctuation) {
        if (at < tokens.size() && tokens.get(at).kind().equals(punctuation)) {
            at++;
            return true;
        }
        return false;
    }

    private void expect(String punctuation) {
        if (!accept(punctuation)) {
            throw new Malformed("unexpected token: expected '" + punctuation + "'");
        }
    }
}
