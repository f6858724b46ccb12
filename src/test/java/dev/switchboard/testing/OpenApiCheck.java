package dev.switchboard.testing;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import dev.switchboard.json.Json;
import dev.switchboard.routes.reference.ReferenceRoutes;
import java.util.List;

/**
 * Holds an exchange with a node against Switchboard's own OpenAPI document, with the validator the catalog's
 * conformance check points at vendors' descriptions. The validator reads an OpenAPI 3.1 string parameter as JSON text
 * (its 3.1 support is partial), so that check alone is off; everything else (paths, methods, statuses, bodies both
 * ways, integer and enum parameters) is on.
 */
public final class OpenApiCheck {
    private static final OpenApiInteractionValidator VALIDATOR = OpenApiInteractionValidator
            .createForInlineApiSpecification(Json.write(ReferenceRoutes.read()))
            .withLevelResolver(LevelResolver.create().withLevel("validation.request.parameter.schema.invalidJson", ValidationReport.Level.IGNORE).build())
            .build();

    private OpenApiCheck() {}

    /**
     * What the document says is wrong with the exchange, each as "key: message".
     *
     * @param checkRequest false for a request meant to be refused: only its answer is held to the document
     */
    public static List<String> problems(ApiTraffic.Exchange exchange, boolean checkRequest) {
        SimpleRequest.Builder request = new SimpleRequest.Builder(Request.Method.valueOf(exchange.method()), documentedPath(exchange.uri().getRawPath()));
        if (exchange.uri().getRawQuery() != null) {
            for (String pair : exchange.uri().getRawQuery().split("&")) {
                String[] kv = pair.split("=", 2);
                request.withQueryParam(decode(kv[0]), kv.length > 1 ? decode(kv[1]) : "");
            }
        }
        exchange.requestHeaders().forEach(request::withHeader);
        if (exchange.requestBody() != null) {
            request.withBody(exchange.requestBody());
        }
        SimpleResponse.Builder response = SimpleResponse.Builder.status(exchange.status());
        if (exchange.responseContentType() != null) {
            response.withContentType(exchange.responseContentType());
        }
        if (!exchange.responseBody().isEmpty()) {
            response.withBody(exchange.responseBody());
        }
        ValidationReport report = VALIDATOR.validate(request.build(), response.build());
        return report.getMessages().stream().filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
                .filter(m -> checkRequest || !m.getKey().startsWith("validation.request."))
                .map(m -> m.getKey() + ": " + m.getMessage()).toList();
    }

    private static final java.util.regex.Pattern PROXY_PATH = java.util.regex.Pattern.compile("^(/projects/[^/]+/sdk/proxy/[^/]+/)(.+)$");

    /**
     * The path as the document's templates can match it: OpenAPI's path parameters never span a slash, so the proxy's
     * vendor path (the document's {path}, any number of segments) is given as one segment.
     */
    private static String documentedPath(String rawPath) {
        java.util.regex.Matcher proxy = PROXY_PATH.matcher(rawPath);
        return proxy.matches() ? proxy.group(1) + proxy.group(2).replace("/", "%2F") : rawPath;
    }

    private static String decode(String value) {
        return java.net.URLDecoder.decode(value, java.nio.charset.StandardCharsets.UTF_8);
    }
}
