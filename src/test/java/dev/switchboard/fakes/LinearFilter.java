package dev.switchboard.fakes;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Linear's filter objects ({@code IssueFilter}, {@code TeamFilter}) evaluated on the fake's records, for the comparators it knows. */
final class LinearFilter {
    private LinearFilter() {}

    @SuppressWarnings("unchecked")
    static boolean matches(Map<String, Object> record, Map<String, Object> filter) {
        if (filter == null) {
            return true;
        }
        for (Map.Entry<String, Object> entry : filter.entrySet()) {
            boolean holds = switch (entry.getKey()) {
                case "and" -> ((List<Map<String, Object>>) entry.getValue()).stream().allMatch(f -> matches(record, f));
                case "or" -> ((List<Map<String, Object>>) entry.getValue()).stream().anyMatch(f -> matches(record, f));
                default -> field(record.get(entry.getKey()), (Map<String, Object>) entry.getValue());
            };
            if (!holds) {
                return false;
            }
        }
        return true;
    }

    @SuppressWarnings("unchecked")
    private static boolean field(Object actual, Map<String, Object> comparators) {
        for (Map.Entry<String, Object> c : comparators.entrySet()) {
            Object wanted = c.getValue();
            if (actual instanceof Map<?, ?> nested && wanted instanceof Map<?, ?>) { // project: {name: {...}}
                if (!field(((Map<String, Object>) nested).get(c.getKey()), (Map<String, Object>) wanted)) return false;
                continue;
            }
            String text = actual == null ? null : String.valueOf(actual);
            String lower = text == null ? null : text.toLowerCase(Locale.ROOT);
            boolean holds = switch (c.getKey()) {
                case "eq" -> actual instanceof Number n ? n.doubleValue() == ((Number) wanted).doubleValue() : String.valueOf(wanted).equals(text);
                case "neq" -> actual instanceof Number n ? n.doubleValue() != ((Number) wanted).doubleValue() : !String.valueOf(wanted).equals(text);
                case "in" -> ((List<Object>) wanted).stream().map(String::valueOf).anyMatch(v -> v.equals(text));
                case "nin" -> ((List<Object>) wanted).stream().map(String::valueOf).noneMatch(v -> v.equals(text));
                case "containsIgnoreCase" -> lower != null && lower.contains(String.valueOf(wanted).toLowerCase(Locale.ROOT));
                case "notContainsIgnoreCase" -> lower == null || !lower.contains(String.valueOf(wanted).toLowerCase(Locale.ROOT));
                case "startsWith" -> text != null && text.startsWith(String.valueOf(wanted));
                case "endsWith" -> text != null && text.endsWith(String.valueOf(wanted));
                case "gt", "gte", "lt", "lte" -> text != null && compare(actual, wanted, c.getKey());
                case "null" -> Boolean.TRUE.equals(wanted) == (actual == null);
                default -> throw new IllegalArgumentException("comparator not in this fake: " + c.getKey());
            };
            if (!holds) return false;
        }
        return true;
    }

    private static boolean compare(Object actual, Object wanted, String op) {
        int order = actual instanceof Number n ? Double.compare(n.doubleValue(), ((Number) wanted).doubleValue())
                : String.valueOf(actual).compareTo(String.valueOf(wanted));
        return switch (op) {
            case "gt" -> order > 0;
            case "gte" -> order >= 0;
            case "lt" -> order < 0;
            default -> order <= 0;
        };
    }
}
