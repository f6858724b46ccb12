package dev.switchboard.integrations;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.switchboard.integrations.ActionDefinition.InputTarget;
import dev.switchboard.integrations.IntegrationDefinition.Auth;
import dev.switchboard.integrations.IntegrationDefinition.Errors;
import dev.switchboard.files.FileObjects;
import dev.switchboard.outbound.Paginator;
import dev.switchboard.outbound.VendorUrls;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads one definition file, checks it, fills defaults and compiles its schemas. A file that breaks a rule
 * fails with a message naming the field; the caller ({@link IntegrationCatalog}) keeps loading the others.
 */
public final class IntegrationLoader {
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private static final Pattern KEY = Pattern.compile("[a-z0-9]+");
    private static final Pattern ACTION_NAME = Pattern.compile("[A-Z0-9_]{1,64}");
    private static final Pattern PATH_PLACEHOLDER = Pattern.compile("\\{([A-Za-z0-9_]+)}");
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");
    private static final Set<String> PLACES = Set.of("query", "body", "path", "bodyFields");

    public record Loaded(IntegrationDefinition definition, List<ActionDefinition.Compiled> actions) {}

    private IntegrationLoader() {}

    public static Loaded load(String expectedKey, String yaml) {
        IntegrationDefinition raw;
        try {
            raw = YAML.readValue(yaml, IntegrationDefinition.class);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a valid definition: " + firstLine(e.getMessage()));
        }
        require(raw.key() != null && raw.key().equals(expectedKey), "key must be '" + expectedKey + "' (the file name)");
        require(KEY.matcher(raw.key()).matches(), "key must be lower case letters and digits");
        require(raw.name() != null, "name is required");
        require(raw.urls() != null && raw.urls().containsKey("api"), "urls.api is required");
        raw.urls().forEach((role, url) -> require(VendorUrls.isHttpTemplate(url), "urls." + role + " must be an absolute http(s) URL"));
        Auth auth = withDefaults(raw.auth());
        Errors errors = raw.errors() == null ? Errors.none() : raw.errors();
        require(raw.actions() != null && !raw.actions().isEmpty(), "actions: at least one is required");

        if (raw.pagination() != null) {
            try {
                Paginator.check(raw.pagination());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("pagination: " + e.getMessage());
            }
        }
        require(raw.protocol() == null || Protocols.find(raw.protocol()).isPresent(),
                "protocol '" + raw.protocol() + "' is not one this server has code for");
        require(!auth.isInBody() || raw.protocol() != null, "auth.type protocol needs a protocol");
        require(raw.rateLimit() == null || raw.rateLimit().requests() != null && raw.rateLimit().requests() > 0
                && raw.rateLimit().seconds() != null && raw.rateLimit().seconds() > 0, "rateLimit needs requests and seconds above 0");
        IntegrationDefinition.OAuth oauth = oauth(raw.oauth());
        checkLookups(oauth.providerData(), raw.urls());
        IntegrationDefinition definition = new IntegrationDefinition(raw.key(), raw.name(),
                raw.categories() == null ? List.of() : raw.categories(), Map.copyOf(raw.urls()), auth, oauth, errors,
                raw.pagination(), raw.protocol(), raw.providerDataDefaults() == null ? Map.of() : Map.copyOf(raw.providerDataDefaults()),
                raw.rateLimit(), raw.actions());
        List<ActionDefinition.Compiled> compiled = new ArrayList<>();
        raw.actions().forEach((name, action) -> compiled.add(compile(definition, name, action)));
        return new Loaded(definition, compiled);
    }

    private static IntegrationDefinition.OAuth oauth(IntegrationDefinition.OAuth given) {
        IntegrationDefinition.OAuth defaults = IntegrationDefinition.OAuth.defaults();
        if (given == null) {
            return defaults;
        }
        require(given.clientAuth() == null || given.clientAuth().equals("body") || given.clientAuth().equals("basic"), "oauth.clientAuth must be body or basic");
        require(given.format() == null || given.format().equals("form") || given.format().equals("json"), "oauth.format must be form or json");
        return new IntegrationDefinition.OAuth(given.clientAuth() == null ? defaults.clientAuth() : given.clientAuth(),
                given.format() == null ? defaults.format() : given.format(),
                given.invalidGrant() == null ? defaults.invalidGrant() : given.invalidGrant(), Boolean.TRUE.equals(given.pkce()),
                given.scopeSeparator() == null ? defaults.scopeSeparator() : given.scopeSeparator(),
                given.authorizeParams() == null ? Map.of() : Map.copyOf(given.authorizeParams()), given.providerId(),
                given.providerData() == null ? Map.of() : Map.copyOf(given.providerData()));
    }

    private static void checkLookups(Map<String, IntegrationDefinition.ProviderDataLookup> lookups, Map<String, String> urls) {
        lookups.forEach((name, lookup) -> {
            String where = "oauth.providerData." + name;
            require(lookup.pointer() != null && lookup.pointer().startsWith("/"), where + ".pointer must be a JSON pointer");
            require(lookup.url() == null || urls.containsKey(lookup.url()), where + ".url must name one of urls");
            if (lookup.match() != null) {
                try {
                    require(Pattern.compile(lookup.match()).matcher("").groupCount() >= 1, where + ".match needs a group");
                } catch (PatternSyntaxException e) {
                    throw new IllegalArgumentException(where + ".match is not a regular expression: " + e.getDescription());
                }
            }
        });
    }

    private static Auth withDefaults(Auth auth) {
        require(auth != null && ("oauth2".equals(auth.type()) || "apiKey".equals(auth.type()) || "protocol".equals(auth.type())),
                "auth.type must be oauth2, apiKey or protocol");
        require(auth.basic() == null || auth.basic().equals("username") || auth.basic().equals("password"),
                "auth.basic must be username or password");
        String header = auth.header() == null ? "Authorization" : auth.header();
        String prefix = auth.prefix() != null ? auth.prefix() : auth.isApiKey() ? "" : "Bearer ";
        return new Auth(auth.type(), header, prefix, auth.basic(), auth.basicOther() == null ? "" : auth.basicOther(),
                auth.headers() == null ? Map.of() : Map.copyOf(auth.headers()),
                auth.providerDataFromApiKey() == null ? Map.of() : Map.copyOf(auth.providerDataFromApiKey()));
    }

    private static ActionDefinition.Compiled compile(IntegrationDefinition integration, String name, ActionDefinition action) {
        String where = "actions." + name;
        require(ACTION_NAME.matcher(name).matches(), where + ": names are upper case letters, digits and _ (at most 64)");
        require(action.description() != null && !action.description().isBlank(), where + ".description is required");
        require(action.method() != null && METHODS.contains(action.method()), where + ".method must be one of " + METHODS);
        require(action.path() != null && action.path().startsWith("/"), where + ".path must start with /");
        ObjectNode input = action.input();
        require(input != null && "object".equals(input.path("type").asString()), where + ".input must be a schema of type object");
        require(!input.has("$schema"), where + ".input must not carry $schema (ActionKit clients compile schemas as draft-07)");
        ObjectNode schema = input.deepCopy();
        schema.put("additionalProperties", false);
        ObjectNode properties = schema.has("properties") ? (ObjectNode) schema.get("properties") : schema.putObject("properties");
        for (String property : List.copyOf(properties.propertyNames())) {
            if ("file".equals(properties.get(property).path("type").asString(null))) {
                properties.set(property, FileObjects.schema(properties.get(property).path("description").asString(null)));
            }
        }
        String base = action.base() == null ? "api" : action.base();
        require(integration.urls().containsKey(base), where + ".base: the integration has no URL '" + base + "'");
        require(action.response() == null || action.response().equals("json") || action.response().equals("file"),
                where + ".response must be json or file");
        if (action.multipart() != null) {
            require("related".equals(action.multipart().type()) || "form-data".equals(action.multipart().type()),
                    where + ".multipart.type must be related or form-data");
            require(action.multipart().parts() != null && !action.multipart().parts().isEmpty(), where + ".multipart.parts is required");
            for (ActionDefinition.PartSpec part : action.multipart().parts()) {
                require("json".equals(part.content()) || "file".equals(part.content()), where + ".multipart.parts: content must be json or file");
                require(!"file".equals(part.content()) || (part.input() != null && properties.has(part.input())
                        && FileObjects.isFileSchema(properties.get(part.input()))), where + ".multipart.parts: a file part names an input of type file");
                require(!"form-data".equals(action.multipart().type()) || part.name() != null, where + ".multipart.parts: form-data parts need a name");
            }
        }
        if (action.paginated()) {
            require(!properties.has("paginationParameters"), where + ": paginationParameters is added for paginated actions, do not declare it");
            try {
                String style;
                if (integration.protocol() != null) {
                    style = Protocols.find(integration.protocol()).orElseThrow().paginationStyle();
                } else {
                    require(integration.pagination() != null, "a paginated action needs the integration's 'pagination' block");
                    require(action.records() != null || integration.pagination().wireStyle().equals("cursor"),
                            "records (the JSON pointer to the list) is required for " + integration.pagination().style() + " pagination");
                    style = integration.pagination().style();
                }
                properties.set("paginationParameters", Paginator.inputSchema(style));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage());
            }
        }
        Map<String, InputTarget> map = action.map() == null ? Map.of() : action.map();
        map.forEach((input_, target) -> {
            require(properties.has(input_), where + ".map." + input_ + ": no such input property");
            require(target.in() == null || PLACES.contains(target.in()), where + ".map." + input_ + ".in must be one of " + PLACES);
            require(!"bodyFields".equals(target.in()) || "object".equals(properties.get(input_).path("type").asString()),
                    where + ".map." + input_ + ": bodyFields takes an input of type object");
        });
        Set<String> required = new java.util.HashSet<>();
        schema.path("required").forEach(r -> required.add(r.asString()));
        Matcher placeholders = PATH_PLACEHOLDER.matcher(action.path());
        while (placeholders.find()) {
            String placeholder = placeholders.group(1);
            require(required.contains(placeholder), where + ".path: {" + placeholder + "} must be a required input");
        }
        Schema validator;
        try {
            validator = SCHEMAS.getSchema(schema);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(where + ".input does not compile: " + firstLine(e.getMessage()));
        }
        ActionDefinition normalized = new ActionDefinition(action.title() == null ? name : action.title(),
                action.description(), action.method(), base, action.path(), action.idempotent(), action.paginated(),
                action.records(), action.fixed() == null ? Map.of() : action.fixed(), new LinkedHashMap<>(map), action.multipart(),
                action.response() == null ? "json" : action.response(), schema);
        return new ActionDefinition.Compiled(integration.key(), name, normalized, schema, validator);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
