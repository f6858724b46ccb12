package dev.switchboard.fakes;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Shopify's search syntax as the fake store reads it: terms {@code key:value}, {@code key:"quoted value"},
 * {@code key:>=value}, {@code key:prefix*}, {@code key:*}, a leading {@code -} to negate, {@code AND} (or juxtaposition)
 * binding tighter than {@code OR}, and parentheses. Keys map to the records' fields ({@code id} is the number,
 * {@code customer_date} and {@code created_at} the creation time); a key the fake does not know matches nothing, so a
 * misspelt key shows in a test rather than passing.
 */
final class ShopifySearchMatcher {
    private final List<String> tokens;
    private int at;

    private ShopifySearchMatcher(String query) {
        this.tokens = tokens(query);
    }

    static boolean matches(Map<String, Object> record, String query) {
        if (query == null || query.isBlank()) {
            return true;
        }
        ShopifySearchMatcher parser = new ShopifySearchMatcher(query);
        boolean result = parser.or(record);
        if (parser.at != parser.tokens.size()) {
            throw new IllegalArgumentException("unread search syntax at " + parser.tokens.subList(parser.at, parser.tokens.size()));
        }
        return result;
    }

    private boolean or(Map<String, Object> record) {
        boolean result = and(record);
        while (at < tokens.size() && tokens.get(at).equals("OR")) {
            at++;
            result |= and(record);
        }
        return result;
    }

    private boolean and(Map<String, Object> record) {
        boolean result = unary(record);
        while (at < tokens.size() && !tokens.get(at).equals("OR") && !tokens.get(at).equals(")")) {
            if (tokens.get(at).equals("AND")) {
                at++;
            }
            result &= unary(record);
        }
        return result;
    }

    private boolean unary(Map<String, Object> record) {
        String token = tokens.get(at++);
        if (token.equals("(")) {
            boolean inner = or(record);
            at++; // ")"
            return inner;
        }
        if (token.startsWith("-")) {
            return !term(record, token.substring(1));
        }
        return term(record, token);
    }

    private static boolean term(Map<String, Object> record, String term) {
        int colon = term.indexOf(':');
        if (colon < 0) {
            // A bare word searches the record's texts.
            String word = unquoted(term).toLowerCase(Locale.ROOT);
            return record.values().stream().anyMatch(v -> v instanceof String text && text.toLowerCase(Locale.ROOT).contains(word));
        }
        String key = term.substring(0, colon);
        String rest = term.substring(colon + 1);
        String op = rest.startsWith(">=") || rest.startsWith("<=") ? rest.substring(0, 2) : rest.startsWith(">") || rest.startsWith("<") ? rest.substring(0, 1) : "";
        String value = unquoted(rest.substring(op.length()));
        Object field = switch (key) {
            case "id" -> record.get("legacyResourceId");
            case "email", "title", "vendor", "status", "note" -> record.get(key);
            case "product_type" -> record.get("productType");
            case "customer_date", "created_at" -> record.get("createdAt");
            case "updated_at" -> record.get("updatedAt");
            case "tag" -> record.get("tags");
            default -> null;
        };
        if (field == null) {
            return false;
        }
        if (field instanceof List<?> list) {
            return list.stream().anyMatch(item -> item.toString().equalsIgnoreCase(value));
        }
        String actual = field.toString();
        if (value.equals("*")) {
            return !actual.isEmpty();
        }
        if (!op.isEmpty()) {
            int compared = key.equals("id") ? Long.compare(Long.parseLong(actual), Long.parseLong(value)) : actual.compareTo(value);
            return switch (op) {
                case ">=" -> compared >= 0;
                case "<=" -> compared <= 0;
                case ">" -> compared > 0;
                default -> compared < 0;
            };
        }
        if (value.endsWith("*")) {
            return actual.toLowerCase(Locale.ROOT).startsWith(value.substring(0, value.length() - 1).toLowerCase(Locale.ROOT));
        }
        return actual.equalsIgnoreCase(value);
    }

    private static String unquoted(String value) {
        if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"))) {
            StringBuilder out = new StringBuilder();
            for (int i = 1; i < value.length() - 1; i++) {
                char ch = value.charAt(i);
                if (ch == '\\' && i + 1 < value.length() - 1) {
                    ch = value.charAt(++i);
                }
                out.append(ch);
            }
            return out.toString();
        }
        return value;
    }

    /** Parentheses, and terms up to white space outside quotes. */
    private static List<String> tokens(String query) {
        List<String> tokens = new ArrayList<>();
        StringBuilder term = new StringBuilder();
        char quote = 0;
        for (int i = 0; i < query.length(); i++) {
            char ch = query.charAt(i);
            if (quote != 0) {
                term.append(ch);
                if (ch == '\\' && i + 1 < query.length()) {
                    term.append(query.charAt(++i));
                } else if (ch == quote) {
                    quote = 0;
                }
            } else if (ch == '"' || ch == '\'') {
                quote = ch;
                term.append(ch);
            } else if (ch == '(' || ch == ')') {
                if (!term.isEmpty()) {
                    tokens.add(term.toString());
                    term.setLength(0);
                }
                tokens.add(String.valueOf(ch));
            } else if (Character.isWhitespace(ch)) {
                if (!term.isEmpty()) {
                    tokens.add(term.toString());
                    term.setLength(0);
                }
            } else {
                term.append(ch);
            }
        }
        if (!term.isEmpty()) {
            tokens.add(term.toString());
        }
        return tokens;
    }
}
