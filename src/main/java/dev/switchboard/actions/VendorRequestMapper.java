package dev.switchboard.actions;

import dev.switchboard.integrations.ActionDefinition;
import dev.switchboard.integrations.ActionDefinition.InputTarget;
import dev.switchboard.outbound.Paginator;
import dev.switchboard.outbound.VendorCall;
import dev.switchboard.outbound.VendorRequest;
import dev.switchboard.outbound.VendorRequestParts;
import dev.switchboard.outbound.VendorRequestParts.Place;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;

/** Turns validated action parameters into the vendor request, as the action's definition maps them. */
final class VendorRequestMapper {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z0-9_]+)}");

    private VendorRequestMapper() {}

    /** The vendor request, and for list actions the paginator and the position it starts from. */
    record Mapped(VendorRequest request, Paginator paginator, Paginator.Position position) {}

    static Mapped map(ActionDefinition.Compiled action, JsonNode parameters, String apiBaseUrl, VendorCall call) {
        ActionDefinition definition = action.definition();
        VendorRequestParts parts = new VendorRequestParts(definition.method());
        java.util.Set<String> pathInputs = placeholderNames(definition.path());
        definition.fixed().forEach((name, value) -> parts.put(parts.defaultPlace(), name, value));
        parameters.properties().forEach(entry -> {
            if (entry.getKey().equals("paginationParameters") && definition.paginated()) {
                return;
            }
            InputTarget target = definition.map().get(entry.getKey());
            Place place = target == null || target.in() == null ? parts.defaultPlace() : Place.valueOf(target.in().toUpperCase(Locale.ROOT));
            String name = target == null || target.name() == null ? entry.getKey() : target.name();
            if (pathInputs.contains(entry.getKey())) {
                place = Place.PATH;
            }
            parts.put(place, name, entry.getValue());
        });
        Paginator paginator = null;
        Paginator.Position position = null;
        if (definition.paginated()) {
            paginator = new Paginator(call.integration().pagination(), definition.records());
            position = paginator.applyTo(parameters.get("paginationParameters"), parts);
        }
        URI uri = URI.create(apiBaseUrl + expandPath(definition.path(), parts.pathValues()) + queryString(parts.query()));
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.put("Accept", List.of("application/json"));
        byte[] body = null;
        if (parts.defaultPlace() == Place.BODY || !parts.body().isEmpty()) {
            headers.put("Content-Type", List.of("application/json; charset=utf-8"));
            body = parts.body().toString().getBytes(StandardCharsets.UTF_8);
        }
        return new Mapped(new VendorRequest(call, definition.method(), uri, headers, body), paginator, position);
    }

    private static java.util.Set<String> placeholderNames(String path) {
        return PLACEHOLDER.matcher(path).results().map(m -> m.group(1)).collect(Collectors.toSet());
    }

    private static String expandPath(String path, Map<String, String> values) {
        Matcher matcher = PLACEHOLDER.matcher(path);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String value = values.get(matcher.group(1));
            // Path inputs are required by the schema; encoding keeps "../" and "/" from changing the path.
            matcher.appendReplacement(out, Matcher.quoteReplacement(URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20")));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private static String queryString(Map<String, String> query) {
        if (query.isEmpty()) {
            return "";
        }
        return "?" + query.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }
}
