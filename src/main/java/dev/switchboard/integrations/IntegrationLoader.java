package dev.switchboard.integrations;

import dev.switchboard.programs.ActionProgram;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.switchboard.files.FileObjects;
import dev.switchboard.integrations.ActionDefinition.InputTarget;
import dev.switchboard.integrations.IntegrationDefinition.Auth;
import dev.switchboard.integrations.IntegrationDefinition.Errors;
import dev.switchboard.json.FileFormat;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads one definition file, checks it against the definition format ({@value #FORMAT_RESOURCE}, the one source
 * of truth for its fields), then checks the rules that relate two places of a file, fills defaults and compiles
 * the input schemas. A file that breaks a rule fails with a message naming the field; the caller
 * ({@link IntegrationCatalog}) keeps loading the others.
 */
public final class IntegrationLoader {
    /** The JSON Schema of a definition file, beside the shipped definitions. */
    public static final String FORMAT_RESOURCE = "integrations/definition.schema.json";
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private static final FileFormat FORMAT = FileFormat.of(IntegrationCatalog.readResource(FORMAT_RESOURCE));
    private static final Pattern PATH_PLACEHOLDER = Pattern.compile("\\{([A-Za-z0-9_]+)}");
    /** A compose placeholder: an input, or a field of one ({@code {createdDate.value}}); group 1 is the input. */
    private static final Pattern COMPOSE_INPUT = Pattern.compile("\\{([A-Za-z0-9_]+)(?:\\.[A-Za-z0-9_]+)*}");

    public record Loaded(IntegrationDefinition definition, List<ActionDefinition.Compiled> actions) {}

    private IntegrationLoader() {}

    public static Loaded load(String expectedKey, String yaml) {
        return load(expectedKey, parse(yaml));
    }

    /** A definition's YAML as a tree, or what makes it unreadable. */
    static JsonNode parse(String yaml) {
        try {
            return YAML.readTree(yaml);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not valid YAML: " + firstLine(e.getMessage()));
        }
    }

    /** A parsed definition, checked against the format and compiled. */
    static Loaded load(String expectedKey, JsonNode tree) {
        return load(expectedKey, tree, false);
    }

    /**
     * @param loadedBefore the same text loaded at an earlier start of this build: the check against the format is
     *                     skipped and input schemas compile on first use (the cross-field rules still run)
     */
    static Loaded load(String expectedKey, JsonNode tree, boolean loadedBefore) {
        if (!loadedBefore) {
            checkFormat(tree);
        }
        IntegrationDefinition raw = YAML.treeToValue(tree, IntegrationDefinition.class);
        require(raw.key().equals(expectedKey), "key must be '" + expectedKey + "' (the file name)");
        Auth auth = withDefaults(raw.auth());
        Errors errors = raw.errors() == null ? Errors.none() : raw.errors();
        require(raw.pagination() == null || raw.protocol() != null || !"protocol".equals(raw.pagination().wire()),
                "pagination.wire: protocol needs the integration's protocol");
        IntegrationDefinition.OAuth oauth = oauth(raw.oauth());
        checkLookups(oauth.providerData(), raw.urls());
        IntegrationDefinition definition = new IntegrationDefinition(raw.key(), raw.name(),
                raw.description() == null ? "" : raw.description(), raw.brandColor() == null ? "#5B6B7F" : raw.brandColor(), raw.accountLabel(),
                raw.categories() == null ? List.of() : raw.categories(), Map.copyOf(raw.urls()), auth, oauth, errors,
                raw.pagination(), raw.protocol(), raw.providerDataDefaults() == null ? Map.of() : Map.copyOf(raw.providerDataDefaults()),
                raw.rateLimit(), raw.accountFields(), raw.connectFields() == null ? Map.of() : Map.copyOf(raw.connectFields()), raw.actions());
        definition.connectFields().keySet().forEach(name -> require(raw.urls().values().stream().anyMatch(url -> url.contains("{" + name + "}")),
                "connectFields." + name + ": no URL of the integration has the placeholder {" + name + "} it fills"));
        List<ActionDefinition.Compiled> compiled = new ArrayList<>();
        raw.actions().forEach((name, action) -> compiled.add(compile(definition, name, action, loadedBefore)));
        checkDescribes(compiled);
        checkPrograms(compiled);
        return new Loaded(definition, compiled);
    }

    /** The file against the definition format: every problem named by its field ({@code actions.X.method: ...}). */
    private static void checkFormat(JsonNode tree) {
        FORMAT.check(tree);
    }

    private static IntegrationDefinition.OAuth oauth(IntegrationDefinition.OAuth given) {
        IntegrationDefinition.OAuth defaults = IntegrationDefinition.OAuth.defaults();
        if (given == null) {
            return defaults;
        }
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
        String header = auth.header() == null ? "Authorization" : auth.header();
        String prefix = auth.prefix() != null ? auth.prefix() : auth.isApiKey() ? "" : "Bearer ";
        return new Auth(auth.type(), header, prefix, auth.basic(), auth.basicOther() == null ? "" : auth.basicOther(),
                auth.headers() == null ? Map.of() : Map.copyOf(auth.headers()),
                auth.providerDataFromApiKey() == null ? Map.of() : Map.copyOf(auth.providerDataFromApiKey()), auth.idempotencyKeyHeader());
    }

    /** The actions a program runs are actions of its integration. */
    private static void checkPrograms(List<ActionDefinition.Compiled> actions) {
        Set<String> names = new java.util.HashSet<>();
        actions.forEach(a -> names.add(a.name()));
        for (ActionDefinition.Compiled action : actions) {
            ActionPrograms.of(action.definition().program()).ifPresent(program -> program.steps().forEach(step ->
                    require(names.contains(step), "actions." + action.name() + ".program: " + action.definition().program()
                            + " runs " + step + ", which this integration does not have")));
        }
    }

    /** A describe action's {@code operation} values each name a create or update action of the same integration. */
    private static void checkDescribes(List<ActionDefinition.Compiled> actions) {
        Map<String, ActionDefinition.Compiled> byName = new LinkedHashMap<>();
        actions.forEach(a -> byName.put(a.name(), a));
        for (ActionDefinition.Compiled action : actions) {
            ActionDefinition.AccountFieldInputs fields = action.definition().accountFields();
            if (fields == null || !fields.describe()) {
                continue;
            }
            String where = "actions." + action.name() + ".accountFields.describes";
            require(fields.describes() != null && !fields.describes().isEmpty(), where + " names the actions it describes");
            fields.describes().forEach((operation, described) -> {
                ActionDefinition.Compiled target = byName.get(described);
                require(target != null && target.definition().accountFields() != null && !target.definition().accountFields().describe()
                        && target.definition().accountFields().recordType() == null,
                        where + "." + operation + ": " + described + " is not an action of this integration taking the input recordType and the account's fields");
            });
            List<String> values = new ArrayList<>();
            action.schema().path("properties").path("operation").path("enum").forEach(v -> values.add(v.asString()));
            require(values.equals(List.copyOf(fields.describes().keySet())), where + ": the input operation's enum must list the same values, in order");
        }
    }

    private static ActionDefinition.Compiled compile(IntegrationDefinition integration, String name, ActionDefinition given, boolean lazily) {
        String where = "actions." + name;
        ActionDefinition action = given.accountFields() != null && given.accountFields().describe() && given.method() == null
                ? withRequest(given, "GET", "") : given;
        if (given.protocol() != null && given.path() == null) {
            // The action's protocol addresses the request (Salesforce's SOAP endpoint): no path below the api URL.
            action = withRequest(given, given.method() == null ? "POST" : given.method(), "");
        }
        if (given.program() != null) {
            ActionProgram program = ActionPrograms.of(given.program()).orElseThrow(() -> new IllegalArgumentException(
                    where + ".program: this server has no program " + given.program() + " (it has " + ActionPrograms.all().keySet() + ")"));
            // Its kind, for listings and retries: a program that only reads is as safe to repeat as a GET.
            action = withRequest(given, program.readsOnly() ? "GET" : "POST", "");
        }
        ObjectNode schema = action.input().deepCopy();
        ActionDefinition.AccountFieldInputs accountFields = action.accountFields();
        // An action taking the account's fields lists them only for an account; without one, it takes further parameters.
        schema.put("additionalProperties", accountFields != null && !accountFields.describe());
        if (accountFields != null) {
            require(integration.accountFields() != null, where + ".accountFields needs the integration's accountFields");
            List<String> namesType = integration.accountFields().pathInputs();
            if (accountFields.recordType() == null) {
                Set<String> required = new java.util.HashSet<>();
                schema.path("required").forEach(r -> required.add(r.asString()));
                require(required.containsAll(namesType), where + ".accountFields: without a recordType, the inputs " + namesType
                        + " that name the record type in the integration's accountFields path must be required");
            } else {
                require(namesType.equals(List.of(ActionDefinition.AccountFieldInputs.RECORD_TYPE_INPUT)), where
                        + ".accountFields.recordType: the integration's accountFields path names its record type by " + namesType + ", not {recordType}");
            }
            require(!accountFields.describe() || schema.path("properties").has("operation"), where + ": a describe action takes the input operation");
        }
        ObjectNode properties = schema.has("properties") ? (ObjectNode) schema.get("properties") : schema.putObject("properties");
        for (String property : List.copyOf(properties.propertyNames())) {
            if ("file".equals(properties.get(property).path("type").asString(null))) {
                properties.set(property, FileObjects.schema(properties.get(property).path("description").asString(null)));
            }
        }
        String base = action.base() == null ? "api" : action.base();
        require(integration.urls().containsKey(base), where + ".base: the integration has no URL '" + base + "'");
        if (action.multipart() != null) {
            for (ActionDefinition.PartSpec part : action.multipart().parts()) {
                require(!"file".equals(part.content()) || (properties.has(part.input()) && FileObjects.isFileSchema(properties.get(part.input()))),
                        where + ".multipart.parts: a file part names an input of type file");
            }
        }
        // An action whose vendor pages it otherwise than the integration's other lists says how in its own block.
        IntegrationDefinition.Pagination pagination = action.pagination() != null ? action.pagination() : integration.pagination();
        if (action.paginated()) {
            require(!properties.has("paginationParameters"), where + ": paginationParameters is added for paginated actions, do not declare it");
            require(pagination != null, where + ": a paginated action needs a 'pagination' block, the integration's or its own");
            require(integration.protocol() == null || "protocol".equals(pagination.wire()),
                    where + ": the integration's protocol pages the vendor, so its pagination.wire must be protocol");
            require(action.records() != null || Set.of("cursor", "protocol").contains(pagination.wireStyle()),
                    where + ".records (the JSON pointer to the list) is required for " + pagination.wireStyle() + " pagination");
            properties.set("paginationParameters", PaginationParameters.schema(pagination.style()));
        }
        Map<String, InputTarget> map = action.map() == null ? Map.of() : action.map();
        map.forEach((input_, target) -> {
            require(properties.has(input_), where + ".map." + input_ + ": no such input property");
            require(!"exactMatches".equals(target.filter()) || (target.fields() != null && !target.fields().isEmpty()),
                    where + ".map." + input_ + ": filter exactMatches names the fields a condition may use");
            require(target.orElse() == null || target.orElse().fromTheClock() || (target.as() != null && properties.has(target.orElse().from())),
                    where + ".map." + input_ + ".orElse: names an input, and needs the conversion (as) it shares");
            require(target.zone() == null || ("graphDateTime".equals(target.as()) && properties.has(target.zone())),
                    where + ".map." + input_ + ".zone: names an input, for as: graphDateTime");
            require(!Set.of("bodyFields", "queryFields").contains(String.valueOf(target.in()))
                            || "object".equals(properties.get(input_).path("type").asString()),
                    where + ".map." + input_ + ": " + target.in() + " takes an input of type object");
        });
        if (action.compose() != null) {
            action.compose().forEach((field, compose) -> compose.clauses().forEach(clause -> {
                Matcher inputs = COMPOSE_INPUT.matcher(clause.template().replace("{$uuid}", ""));
                while (inputs.find()) {
                    require(properties.has(inputs.group(1)), where + ".compose." + field + ": no input " + inputs.group(1));
                }
                if (clause.when() != null) {
                    clause.when().keySet().forEach(input -> require(properties.has(input.split("\\.")[0]),
                            where + ".compose." + field + ".when: no input " + input));
                }
            }));
        }
        if (action.keepRecords() != null && !action.keepRecords().isEmpty()) {
            require(action.records() != null, where + ".keepRecords needs records, the pointer to the answer's list");
            require(!action.paginated() || ("cursor".equals(pagination.style()) && "cursor".equals(pagination.wireStyle())),
                    where + ".keepRecords: dropping records would shift offsets and pages; only cursor pagination can keep some");
            action.keepRecords().forEach(clause -> require(properties.has(clause.contains()),
                    where + ".keepRecords: no input " + clause.contains()));
        }
        if ("none".equals(action.body())) {
            String defaultPlace = ActionDefinition.inputsGoToQuery(action.method()) ? "query" : "body";
            for (String property : properties.propertyNames()) {
                InputTarget target = map.get(property);
                String place = target == null || target.in() == null ? defaultPlace : target.in();
                boolean inPath = action.path().contains("{" + property + "}");
                require(inPath || property.equals("paginationParameters") || !(place.equals("body") || place.equals("bodyFields")),
                        where + ".body: none, but input " + property + " would go to the body (map it to the query or path)");
            }
            require(action.multipart() == null && (action.fixed() == null || action.fixed().isEmpty()),
                    where + ".body: none takes no multipart and no fixed body fields");
        }
        Set<String> required = new java.util.HashSet<>();
        schema.path("required").forEach(r -> required.add(r.asString()));
        Matcher placeholders = PATH_PLACEHOLDER.matcher(action.path());
        while (placeholders.find()) {
            String placeholder = placeholders.group(1);
            require(required.contains(placeholder) || properties.path(placeholder).has("default"),
                    where + ".path: {" + placeholder + "} must be a required input or have a default");
        }
        if (action.fileFromAnswer() != null) {
            for (String input : java.util.Arrays.asList(action.fileFromAnswer().name(), action.fileFromAnswer().mimeType())) {
                require(input == null || properties.has(input), where + ".fileFromAnswer: no input " + input);
            }
        }
        if (action.mime() != null) {
            action.mime().inputs().forEach(input -> require(properties.has(input), where + ".mime: no input " + input));
        }
        if (action.fileBody() != null) {
            require("file".equals(action.input().path("properties").path(action.fileBody()).path("type").asString(null))
                    && required.contains(action.fileBody()), where + ".fileBody: names a required input of type file");
        }
        if (action.continuation() != null) {
            require(action.paginated() && pagination != null && "cursor".equals(pagination.style()),
                    where + ".continuation: only a paginated action of an integration paged by cursor has one");
        }
        if (action.attachFile() != null) {
            require("boolean".equals(properties.path(action.attachFile().when()).path("type").asString(null)),
                    where + ".attachFile.when: names a boolean input");
            Matcher filePlaceholders = PATH_PLACEHOLDER.matcher(action.attachFile().path());
            while (filePlaceholders.find()) {
                require(required.contains(filePlaceholders.group(1)), where + ".attachFile.path: {" + filePlaceholders.group(1) + "} must be a required input");
            }
        }
        if (action.readFirst() != null) {
            require(integration.protocol() == null, where + ".readFirst: the integration's protocol makes its requests");
            Matcher readPlaceholders = PATH_PLACEHOLDER.matcher(action.readFirst().path());
            while (readPlaceholders.find()) {
                require(required.contains(readPlaceholders.group(1)) || properties.path(readPlaceholders.group(1)).has("default"),
                        where + ".readFirst.path: {" + readPlaceholders.group(1) + "} must be a required input or have a default");
            }
        }
        java.util.function.Supplier<Schema> validator;
        if (lazily) {
            validator = new java.util.function.Supplier<>() {
                private volatile Schema compiled;

                @Override
                public Schema get() {
                    Schema s = compiled;
                    if (s == null) {
                        s = SCHEMAS.getSchema(schema);
                        compiled = s;
                    }
                    return s;
                }
            };
        } else {
            try {
                Schema compiled = SCHEMAS.getSchema(schema);
                validator = () -> compiled;
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(where + ".input does not compile: " + firstLine(e.getMessage()));
            }
        }
        ActionDefinition normalized = new ActionDefinition(action.title() == null ? name : action.title(),
                action.description(), action.method(), base, action.path(), action.idempotent(), action.paginated(),
                action.records(), action.fixed() == null ? Map.of() : action.fixed(), new LinkedHashMap<>(map), action.multipart(),
                action.response() == null ? "json" : action.response(), schema, action.formerNames() == null ? List.of() : List.copyOf(action.formerNames()),
                action.body() == null ? "json" : action.body(), action.compose() == null ? Map.of() : Map.copyOf(action.compose()),
                action.accountFields(), action.keepRecords() == null ? List.of() : List.copyOf(action.keepRecords()), action.readFirst(),
                action.attachFile(), action.mime(), action.fileFromAnswer(), action.program(), action.continuation(), action.argsHeader(),
                action.fileBody(), action.fileName(), action.answer(), pagination, action.userErrors(), action.protocol());
        return new ActionDefinition.Compiled(integration.key(), name, normalized, schema, validator);
    }

    /** An input schema's validator (for schemas built after load, such as an account's fields). */
    static Schema compileSchema(ObjectNode schema) {
        return SCHEMAS.getSchema(schema);
    }

    private static ActionDefinition withRequest(ActionDefinition a, String method, String path) {
        return new ActionDefinition(a.title(), a.description(), method, a.base(), path, a.idempotent(), a.paginated(), a.records(),
                a.fixed(), a.map(), a.multipart(), a.response(), a.input(), a.formerNames(), a.body(), a.compose(), a.accountFields(),
                a.keepRecords(), a.readFirst(), a.attachFile(), a.mime(), a.fileFromAnswer(), a.program(), a.continuation(), a.argsHeader(),
                a.fileBody(), a.fileName(), a.answer(), a.pagination(), a.userErrors(), a.protocol());
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
