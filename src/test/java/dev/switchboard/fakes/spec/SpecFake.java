package dev.switchboard.fakes.spec;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.interaction.ApiOperationResolver;
import com.atlassian.oai.validator.model.ApiOperationMatch;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.core.models.ParseOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A vendor served from its own API description (OpenAPI 3, or 2.0 converted by the parser): every request is checked
 * against the operation it targets (path, method, parameters, headers, content type, body schema), and answered
 * from the operation's example or a value built from its response schema. A request the description refuses is
 * answered 400 and kept in {@link #violations()} for the test to name. No code per endpoint.
 */
public final class SpecFake implements AutoCloseable {
    /**
     * The folder of vendors' API descriptions, outside the repository (not every licence allows copying them):
     * {@code -Dswitchboard.vendorDocs}, by default where this project's CI keeps them.
     */
    public static final Path DOCUMENTS = Path.of(System.getProperty("switchboard.vendorDocs", "../shared/reference/openapi"));
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final tools.jackson.dataformat.yaml.YAMLMapper YAML = tools.jackson.dataformat.yaml.YAMLMapper.builder(
            tools.jackson.dataformat.yaml.YAMLFactory.builder().loadSettings(org.snakeyaml.engine.v2.api.LoadSettings.builder()
                    .setCodePointLimit(64 << 20).build()).build()).build();
    private static final Map<String, Spec> SPECS = new ConcurrentHashMap<>();

    /** One loaded description, kept for the test JVM: loading a large one takes seconds. */
    private record Spec(OpenAPI api, OpenApiInteractionValidator validator, ApiOperationResolver resolver) {}

    /** A request the description refuses: which, and why. */
    public record Violation(String method, String path, List<String> messages) {}

    private final Spec spec;
    private final VendorDescription vendor;
    private final Javalin app;
    private final List<Violation> violations = new CopyOnWriteArrayList<>();
    /** The exceptions that silenced a message, across every fake of this JVM: one never used is out of date. */
    private static final java.util.Set<VendorDescription.Exception> APPLIED = ConcurrentHashMap.newKeySet();

    public SpecFake(VendorDescription vendor) {
        this.vendor = vendor;
        this.spec = SPECS.computeIfAbsent(vendor.integration(), i -> load(vendor));
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            for (HandlerType method : List.of(HandlerType.GET, HandlerType.POST, HandlerType.PUT, HandlerType.PATCH, HandlerType.DELETE)) {
                config.routes.addHttpHandler(method, "/<path>", this::serve);
            }
        });
    }

    public static boolean wasApplied(VendorDescription.Exception exception) {
        return APPLIED.contains(exception);
    }

    public static boolean available(String document) {
        return Files.isReadable(DOCUMENTS.resolve(document));
    }

    private static Spec load(VendorDescription vendor) {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        // Graph's Teams and Users documents refer to themselves (a message's replies are messages): resolved fully,
        // their model is a cycle the validator cannot walk. Their entries say resolveFully: false.
        options.setResolveFully(vendor.resolveFully());
        options.setResolveCombinators(true);
        JsonNode document = read(vendor.document());
        // A discovery document becomes OpenAPI first, so that patches (a joined fragment) apply to one kind of document.
        if (DiscoveryToOpenApi.isDiscovery(document)) {
            document = DiscoveryToOpenApi.convert(document);
        }
        for (Map<String, Object> patch : vendor.patches()) {
            document = DescriptionPatches.apply(document, patch);
        }
        // Parser messages are not fatal (the validator's own loader refuses any): several vendors' documents carry
        // harmless ones, and a document that really does not parse has no model at all.
        OpenAPI api = new OpenAPIParser().readContents(JSON.writeValueAsString(document), null, options).getOpenAPI();
        if (api == null) {
            throw new IllegalStateException(vendor.document() + " did not parse");
        }
        // As the validator's own loader does: a byte string's pattern is not checked, and resolving fully must not
        // give oneOf/anyOf schemas a type they do not have.
        if (api.getComponents() != null && api.getComponents().getSchemas() != null) {
            api.getComponents().getSchemas().values().forEach(s -> {
                if (s instanceof io.swagger.v3.oas.models.media.ComposedSchema composed && (composed.getOneOf() != null || composed.getAnyOf() != null)) {
                    composed.setType(null);
                }
            });
        }
        LevelResolver levels = LevelResolver.create()
                .withLevel("validation.request.parameter.query.unexpected", ValidationReport.Level.ERROR)
                .withLevel("validation.request.security", ValidationReport.Level.IGNORE) // the fake takes any bearer token
                .withLevel("validation.response", ValidationReport.Level.IGNORE)
                .build();
        return new Spec(api, OpenApiInteractionValidator.createFor(api).withLevelResolver(levels).build(), new ApiOperationResolver(api, null, false));
    }

    /** A description as a JSON tree, JSON or YAML (however large: Asana's is over 3 MB). */
    public static JsonNode read(String document) {
        try {
            String raw = Files.readString(DOCUMENTS.resolve(document));
            return document.endsWith(".json") ? JSON.readTree(raw) : YAML.readTree(raw);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + document, e);
        }
    }

    /** A description kept in the test resources (one written for a vendor that publishes none), as a JSON tree. */
    static JsonNode readResource(String name) {
        try (java.io.InputStream in = SpecFake.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + name);
            }
            return YAML.readTree(in);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public SpecFake start() {
        app.start("127.0.0.1", 0);
        return this;
    }

    /** Switchboard's URLs for the vendor, by role, pointing at this fake. */
    public Map<String, String> urls() {
        Map<String, String> urls = new java.util.HashMap<>();
        vendor.urls().forEach((role, path) -> urls.put(role, "http://127.0.0.1:" + app.port() + path));
        return urls;
    }

    public List<Violation> violations() {
        return List.copyOf(violations);
    }

    private void serve(Context ctx) {
        // The shortest mount that holds the path: a role below another (Graph's me, below its api) keeps its part.
        String path = !vendor.pathsBelowUrls() ? ctx.path() : vendor.urls().values().stream()
                .filter(m -> ctx.path().startsWith(m + "/") || ctx.path().equals(m)).min(java.util.Comparator.comparingInt(String::length))
                .map(m -> ctx.path().substring(m.length())).orElse(ctx.path());
        SimpleRequest.Builder request = new SimpleRequest.Builder(ctx.method().name(), path);
        byte[] body = ctx.bodyAsBytes();
        boolean form = body.length > 0 && String.valueOf(ctx.contentType()).startsWith("application/x-www-form-urlencoded");
        if (form) {
            // Read as the vendor reads it (metadata[plan]=pro is {"metadata": {"plan": "pro"}}); the description's
            // form schemas are declared for JSON by the formBodiesAsJson patch.
            request.withHeader("Content-Type", "application/json");
            body = JSON.writeValueAsBytes(FormNesting.read(new String(body, java.nio.charset.StandardCharsets.UTF_8)));
        }
        ctx.headerMap().forEach((name, value) -> {
            if (!form || !name.equalsIgnoreCase("Content-Type")) {
                request.withHeader(name, value);
            }
        });
        ctx.queryParamMap().forEach(request::withQueryParam);
        if (body.length > 0) {
            request.withBody(body);
        }
        ValidationReport report = spec.validator().validateRequest(request.build());
        ApiOperationMatch match = spec.resolver().findApiOperation(path, Request.Method.valueOf(ctx.method().name()));
        String operationName = match.isPathFound() ? ctx.method().name() + " " + match.getApiOperation().getApiPath().original() : null;
        List<String> messages = report.getMessages().stream().filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
                .filter(m -> !excepted(operationName, m.getKey()))
                .map(m -> m.getKey() + ": " + m.getMessage()).toList();
        if (!messages.isEmpty()) {
            violations.add(new Violation(ctx.method().name(), path, messages));
            ctx.status(400).json(Map.of("violations", messages));
            return;
        }
        Operation operation = match.getApiOperation().getOperation();
        Map.Entry<String, ApiResponse> success = operation.getResponses().entrySet().stream()
                .filter(e -> e.getKey().startsWith("2")).findFirst().orElse(null);
        int status = success == null || !success.getKey().matches("\\d{3}") ? 200 : Integer.parseInt(success.getKey()); // Graph writes 2XX
        JsonNode answer = success == null ? JSON.createObjectNode() : example(success.getValue());
        if (answer == null || status == 204) {
            ctx.status(status);
            return;
        }
        ctx.status(status).contentType("application/json").result(JSON.writeValueAsString(answer));
    }

    /** Whether the vendor's entry says the document is wrong about this rule of this operation. */
    private boolean excepted(String operation, String key) {
        for (VendorDescription.Exception exception : vendor.exceptions()) {
            if (exception.operation().equals(operation) && key.startsWith(exception.rule())) {
                APPLIED.add(exception);
                return true;
            }
        }
        return false;
    }

    /** The response's own example, else one built from its schema; null when the operation answers without a body. */
    private static JsonNode example(ApiResponse response) {
        if (response.getContent() == null || response.getContent().isEmpty()) {
            return null; // the operation answers without a body
        }
        MediaType media = response.getContent().get("application/json");
        if (media == null) {
            media = response.getContent().values().iterator().next();
        }
        Object example = media.getExample() != null ? media.getExample()
                : media.getExamples() != null && !media.getExamples().isEmpty() ? media.getExamples().values().iterator().next().getValue() : null;
        if (example != null) {
            String text = example instanceof String s ? s : io.swagger.v3.core.util.Json.pretty(example);
            try {
                return JSON.readTree(text);
            } catch (RuntimeException notJson) {
                // fall back to the schema
            }
        }
        return Samples.of(media.getSchema());
    }

    @Override
    public void close() {
        app.stop();
    }
}
