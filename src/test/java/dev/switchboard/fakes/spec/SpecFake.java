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
import java.util.function.UnaryOperator;
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
    private final List<String> mounts;
    private final Javalin app;
    private final List<Violation> violations = new CopyOnWriteArrayList<>();

    /**
     * @param document a file of {@link #DOCUMENTS}
     * @param mounts   the paths the description's operations hang below, as Switchboard's URLs for the vendor have them
     *                 (Xero: {@code /api.xro/2.0}; Box: {@code /2.0} and, for uploads, {@code /api/2.0})
     */
    public SpecFake(String document, List<String> mounts) {
        this(document, mounts, UnaryOperator.identity());
    }

    /**
     * @param patch a fix of the description before it is read, where the vendor's own is wrong or unreadable as it is
     *              (Slack's: a {@code token} header its API takes as a bearer token); it stays beside the vendor's entry
     */
    public SpecFake(String document, List<String> mounts, UnaryOperator<JsonNode> patch) {
        this.spec = SPECS.computeIfAbsent(document, d -> load(d, patch));
        this.mounts = mounts;
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            for (HandlerType method : List.of(HandlerType.GET, HandlerType.POST, HandlerType.PUT, HandlerType.PATCH, HandlerType.DELETE)) {
                config.routes.addHttpHandler(method, "/<path>", this::serve);
            }
        });
    }

    public static boolean available(String document) {
        return Files.isReadable(DOCUMENTS.resolve(document));
    }

    private static Spec load(String document, UnaryOperator<JsonNode> patch) {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        options.setResolveFully(true);
        options.setResolveCombinators(true);
        String text = JSON.writeValueAsString(patch.apply(read(document)));
        OpenAPI api = new OpenAPIParser().readContents(text, null, options).getOpenAPI();
        if (api == null) {
            throw new IllegalStateException(document + " did not parse");
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

    public SpecFake start() {
        app.start("127.0.0.1", 0);
        return this;
    }

    /** The vendor's address below one of its mounts, as one of Switchboard's URLs for it has it. */
    public String url(String mount) {
        return "http://127.0.0.1:" + app.port() + mount;
    }

    public List<Violation> violations() {
        return List.copyOf(violations);
    }

    private void serve(Context ctx) {
        String path = mounts.stream().filter(m -> ctx.path().startsWith(m + "/") || ctx.path().equals(m)).findFirst()
                .map(m -> ctx.path().substring(m.length())).orElse(ctx.path());
        SimpleRequest.Builder request = new SimpleRequest.Builder(ctx.method().name(), path);
        ctx.headerMap().forEach(request::withHeader);
        ctx.queryParamMap().forEach(request::withQueryParam);
        byte[] body = ctx.bodyAsBytes();
        if (body.length > 0) {
            request.withBody(body);
        }
        ValidationReport report = spec.validator().validateRequest(request.build());
        if (report.hasErrors()) {
            List<String> messages = report.getMessages().stream().filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
                    .map(m -> m.getKey() + ": " + m.getMessage()).toList();
            violations.add(new Violation(ctx.method().name(), path, messages));
            ctx.status(400).json(Map.of("violations", messages));
            return;
        }
        ApiOperationMatch match = spec.resolver().findApiOperation(path, Request.Method.valueOf(ctx.method().name()));
        Operation operation = match.getApiOperation().getOperation();
        Map.Entry<String, ApiResponse> success = operation.getResponses().entrySet().stream()
                .filter(e -> e.getKey().startsWith("2")).findFirst().orElse(null);
        int status = success == null ? 200 : Integer.parseInt(success.getKey());
        JsonNode answer = success == null ? JSON.createObjectNode() : example(success.getValue());
        ctx.status(status).contentType("application/json").result(JSON.writeValueAsString(answer));
    }

    /** The response's own example, else one built from its schema. */
    private static JsonNode example(ApiResponse response) {
        if (response.getContent() == null) {
            return JSON.createObjectNode();
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
