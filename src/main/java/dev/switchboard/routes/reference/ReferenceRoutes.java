package dev.switchboard.routes.reference;

import dev.switchboard.json.Json;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Switchboard's own API described: {@code /openapi.json} (OpenAPI 3.1, from {@code openapi/switchboard.yaml}) and
 * {@code /reference}, the same as a page to read. Both are built once, when first asked for.
 */
public final class ReferenceRoutes {
    private static final String DOCUMENT = "/openapi/switchboard.yaml";
    private static final List<String> METHODS = List.of("get", "post", "put", "patch", "delete", "head", "options");

    /** The JSON and the page, built on the first request for either: start-up has better things to do. */
    private record Built(byte[] json, byte[] page) {}

    private volatile Built built;

    private Built built() {
        Built ready = built;
        if (ready == null) {
            JsonNode document = read();
            ready = new Built(Json.write(document).getBytes(StandardCharsets.UTF_8), render(document).getBytes(StandardCharsets.UTF_8));
            built = ready; // two first requests at once may both build it; they build the same bytes
        }
        return ready;
    }

    /** The document, its YAML anchors written out. */
    public static JsonNode read() {
        try (InputStream in = ReferenceRoutes.class.getResourceAsStream(DOCUMENT)) {
            if (in == null) {
                throw new IllegalStateException(DOCUMENT + " is missing from the jar");
            }
            return new YAMLMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void register(RoutesConfig routes) {
        routes.get("/openapi.json", ctx -> ctx.contentType("application/json").result(built().json()));
        routes.get("/reference", ctx -> ctx.contentType("text/html; charset=utf-8").result(built().page()));
    }

    private static String render(JsonNode document) {
        StringBuilder html = new StringBuilder("""
                <!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
                <title>Switchboard API reference</title><style>
                body{font:15px/1.5 system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;color:#1b1b1f}
                h2{margin-top:2.5rem;border-bottom:1px solid #ccc}code{background:#f2f2f5;padding:0 .25rem;border-radius:3px}
                .op{margin:1rem 0;padding:.5rem 1rem;border-left:4px solid #0b57d0;background:#fafafc}
                .method{font-weight:700;text-transform:uppercase;margin-right:.5rem}table{border-collapse:collapse}
                td,th{padding:.15rem .75rem .15rem 0;text-align:left;vertical-align:top}
                </style></head><body><main>
                """);
        JsonNode info = document.path("info");
        html.append("<h1>").append(escape(info.path("title").asString())).append(" API ").append(escape(info.path("version").asString()))
                .append("</h1><p>").append(escape(info.path("summary").asString())).append("</p><p>")
                .append(escape(info.path("description").asString())).append("</p><p>As OpenAPI 3.1: <a href=\"/openapi.json\">/openapi.json</a>.</p>");
        for (JsonNode tag : document.path("tags")) {
            String name = tag.path("name").asString();
            html.append("<h2 id=\"").append(escape(name)).append("\">").append(escape(name)).append("</h2><p>")
                    .append(escape(tag.path("description").asString())).append("</p>");
            for (Map.Entry<String, JsonNode> path : document.path("paths").properties()) {
                for (String method : METHODS) {
                    JsonNode operation = path.getValue().path(method);
                    if (operation.isMissingNode() || !contains(operation.path("tags"), name)) {
                        continue;
                    }
                    html.append("<section class=\"op\"><h3><span class=\"method\">").append(method).append("</span><code>")
                            .append(escape(path.getKey())).append("</code></h3><p>").append(escape(operation.path("summary").asString())).append("</p>");
                    parameters(html, document, path.getValue().path("parameters"), operation.path("parameters"));
                    html.append("<p>Answers: ");
                    html.append(String.join(", ", operation.path("responses").propertyNames().stream().map(ReferenceRoutes::escape).toList()));
                    html.append("</p></section>");
                }
            }
        }
        return html.append("</main></body></html>").toString();
    }

    private static void parameters(StringBuilder html, JsonNode document, JsonNode... lists) {
        StringBuilder rows = new StringBuilder();
        for (JsonNode list : lists) {
            for (JsonNode parameter : list) {
                JsonNode resolved = parameter.has("$ref")
                        ? document.at(parameter.get("$ref").asString().substring(1)) : parameter;
                rows.append("<tr><td><code>").append(escape(resolved.path("name").asString())).append("</code></td><td>")
                        .append(escape(resolved.path("in").asString())).append("</td><td>")
                        .append(escape(resolved.path("description").asString())).append("</td></tr>");
            }
        }
        if (!rows.isEmpty()) {
            html.append("<table><tr><th>parameter</th><th>in</th><th></th></tr>").append(rows).append("</table>");
        }
    }

    private static boolean contains(JsonNode array, String value) {
        for (JsonNode item : array) {
            if (item.asString().equals(value)) {
                return true;
            }
        }
        return false;
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
