package dev.switchboard.mapping;

import dev.switchboard.files.FileObjects;
import dev.switchboard.files.Multipart;
import dev.switchboard.integrations.ActionDefinition;
import dev.switchboard.json.Json;
import dev.switchboard.mapping.VendorRequestParts.Place;
import dev.switchboard.outbound.VendorBody;
import dev.switchboard.outbound.VendorCall;
import dev.switchboard.outbound.VendorRequest;
import dev.switchboard.outcomes.Echo;
import dev.switchboard.outcomes.Failure;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;

/** Turns validated action parameters into the vendor request, as the action's definition maps them. */
public final class VendorRequestMapper {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z0-9_]+)}");

    private VendorRequestMapper() {}

    /** @param baseUrl the URL of the action's base role, placeholders filled */
    public static VendorProtocol.Mapped map(ActionDefinition.Compiled action, JsonNode parameters, String baseUrl, VendorCall call) {
        return map(action, parameters, baseUrl, call, Map.of());
    }

    /**
     * @param readValues vendor fields read by the action's {@code readFirst} GET, set before the inputs
     */
    public static VendorProtocol.Mapped map(ActionDefinition.Compiled action, JsonNode parameters, String baseUrl, VendorCall call,
                                            Map<String, JsonNode> readValues) {
        ActionDefinition definition = action.definition();
        VendorRequestParts parts = VendorRequestParts.fromInput(definition, parameters, readValues);
        Paginator paginator = null;
        Paginator.Position position = null;
        if (definition.paginated()) {
            paginator = new Paginator(definition.pagination(), definition.records());
            position = paginator.applyTo(parameters.get("paginationParameters"), parts);
        }
        String path = expandPath(definition.path(), parts.pathValues(), parts.slashesKept());
        String query = queryString(parts.query());
        URI uri = uriOf(baseUrl + path + (path.contains("?") && !query.isEmpty() ? "&" + query.substring(1) : query));
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.put("Accept", List.of(definition.returnsFile() ? "*/*" : "application/json"));
        String idempotencyKeyHeader = call.integration().auth().idempotencyKeyHeader();
        if (idempotencyKeyHeader != null && !definition.isRead()) {
            // One key for this request, sent again unchanged on each of its retries: the vendor does the write once.
            headers.put(idempotencyKeyHeader, List.of(java.util.UUID.randomUUID().toString()));
        }
        VendorBody body = null;
        boolean continued = position != null && definition.continuation() != null && position.cursor() != null && !position.cursor().isEmpty();
        if (continued && definition.continuation().contains("{cursor}")) {
            // A later page the vendor serves at a path of its own (Salesforce's query locator): that path alone.
            uri = URI.create(baseUrl + expandPath(definition.continuation(), Map.of("cursor", position.cursor()), java.util.Set.of()));
        } else if (continued) {
            // A later page of a vendor that pages through a second route: that route, and the cursor alone.
            uri = URI.create(baseUrl + definition.continuation());
            headers.put("Content-Type", List.of("application/json; charset=utf-8"));
            body = VendorBody.Bytes.of(Json.MAPPER.writeValueAsBytes(Json.object().put(definition.pagination().cursorParam(), position.cursor())));
        } else if (definition.multipart() != null) {
            Multipart.Body multipart = multipart(definition, parameters, parts);
            headers.put("Content-Type", List.of(multipart.contentType()));
            body = new VendorBody.Bytes(multipart.chunks());
        } else if (definition.argsHeader() != null || definition.fileBody() != null) {
            if (definition.argsHeader() != null) {
                headers.put(definition.argsHeader(), List.of(asciiJson(parts.body())));
            }
            if (definition.fileBody() != null) {
                headers.put("Content-Type", List.of("application/octet-stream"));
                body = new VendorBody.Bytes(FileObjects.bytesOf(parameters.get(definition.fileBody()).get("data")).chunks());
            }
        } else if (definition.sendsForm()) {
            headers.put("Content-Type", List.of("application/x-www-form-urlencoded"));
            body = VendorBody.Bytes.of(FormBodies.encode(parts.body()).getBytes(StandardCharsets.UTF_8));
        } else if (!definition.sendsNoBody() && (parts.defaultPlace() == Place.BODY || !parts.body().isEmpty())) {
            headers.put("Content-Type", List.of("application/json; charset=utf-8"));
            body = VendorBody.Bytes.of(Json.MAPPER.writeValueAsBytes(parts.body()));
        }
        VendorRequest request = new VendorRequest(call, definition.method(), uri, headers, body);
        if (paginator == null) {
            return new VendorProtocol.Mapped(request, null);
        }
        Paginator pages = paginator;
        Paginator.Position start = position;
        return new VendorProtocol.Mapped(request, (result, response) -> pages.annotate(result, response, start));
    }

    // Most actions call the same address every time (the inputs go in the body): parsing it anew was 2 % of the
    // event loop's CPU per action (issue 24). Bounded: addresses that carry inputs come and go.
    private static final com.github.benmanes.caffeine.cache.Cache<String, URI> URIS = com.github.benmanes.caffeine.cache.Caffeine.newBuilder()
            .executor(Runnable::run).maximumSize(10_000).build();

    private static URI uriOf(String address) {
        URI known = URIS.getIfPresent(address);
        if (known == null) {
            known = URI.create(address); // an address that does not parse fails here every time, never cached
            URIS.put(address, known);
        }
        return known;
    }

    /**
     * A GET an action makes besides its own request ({@code readFirst}, {@code attachFile}), its path filled from the
     * inputs as the action's own path is.
     */
    public static VendorRequest get(String path, JsonNode parameters, String baseUrl, VendorCall call, String accept) {
        Map<String, String> values = new TreeMap<>();
        PLACEHOLDER.matcher(path).results().forEach(m -> values.put(m.group(1), parameters.get(m.group(1)).asString()));
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.put("Accept", List.of(accept));
        return new VendorRequest(call, "GET", URI.create(baseUrl + expandPath(path, values, java.util.Set.of())), headers, null);
    }

    /** JSON that a header can carry: every character beyond ASCII (and DEL) written as a JSON escape. */
    static String asciiJson(JsonNode value) {
        String json = Json.MAPPER.writeValueAsString(value);
        StringBuilder out = new StringBuilder(json.length());
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c > 0x7E) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** The JSON part is every other input, as mapped; a file part is the named File input's bytes. */
    private static Multipart.Body multipart(ActionDefinition definition, JsonNode parameters, VendorRequestParts parts) {
        List<Multipart.Part> list = new java.util.ArrayList<>();
        for (ActionDefinition.PartSpec spec : definition.multipart().parts()) {
            if (spec.content().equals("json")) {
                list.add(Multipart.Part.json(spec.name(), parts.body()));
            } else {
                JsonNode file = parameters.get(spec.input());
                String name = file.path("name").asString(parts.body().path("name").asString("file"));
                list.add(Multipart.Part.file(spec.name(), FileObjects.bytesOf(file.get("data")), name, file.get("mimeType").asString()));
            }
        }
        return Multipart.build(definition.multipart().type(), list);
    }

    /** @param slashesKept path inputs whose slashes separate segments, each encoded and checked on its own */
    private static String expandPath(String path, Map<String, String> values, java.util.Set<String> slashesKept) {
        if (path.indexOf('{') < 0) {
            return path;
        }
        Matcher matcher = PLACEHOLDER.matcher(path);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1);
            String value = values.get(name);
            java.util.List<String> segments = slashesKept.contains(name) ? java.util.List.of(value.split("/", -1)) : java.util.List.of(value);
            java.util.List<String> encoded = new java.util.ArrayList<>();
            for (String segment : segments) {
                // Path inputs are required by the schema; encoding keeps "../" and "/" from changing the path, and
                // "." or ".." alone (or nothing) would still name another path.
                if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                    throw Failure.invalidInput("invalid_parameters", "parameters." + name + ": " + Echo.quote(value)
                            + " cannot name a part of the vendor's path.");
                }
                encoded.add(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(String.join("/", encoded)));
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
