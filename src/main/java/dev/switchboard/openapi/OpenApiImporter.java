package dev.switchboard.openapi;

import dev.switchboard.integrations.ActionDefinition;
import dev.switchboard.integrations.IntegrationLoader;
import dev.switchboard.json.Json;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/**
 * Turns operations of an OpenAPI document (2.0 or 3.x) into action definitions in Switchboard's format: the input
 * schema from the operation's parameters and JSON body (camelCase names, {@code $ref}s resolved, only keywords
 * that mean the same to draft-07 validators and to AI tool schemas), the mapping back to the vendor's names, the
 * pagination when the list's shape is recognisable, the description from the operation's summary. The result is
 * loaded as a definition before it is returned, so what the importer writes always loads.
 */
public final class OpenApiImporter {
    /** An operation to import, and the action name to give it (null: derived from its operation id). */
    public record Selection(String method, String path, String name) {
        /** {@code "POST /crm/v3/objects/contacts"} or {@code "POST /crm/v3/objects/contacts HUBSPOT_CREATE_RECORD_CONTACTS"}. */
        public static Selection parse(String text) {
            String[] parts = text.trim().split("\\s+");
            if (parts.length < 2 || parts.length > 3 || !parts[1].startsWith("/")) {
                throw new IllegalArgumentException("an operation is written METHOD /path [ACTION_NAME], such as \"GET /projects\"; got \"" + text + "\"");
            }
            return new Selection(parts[0].toUpperCase(Locale.ROOT), parts[1], parts.length == 3 ? parts[2] : null);
        }
    }

    private static final YAMLMapper YAML = YAMLMapper.builder().disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
            .enable(YAMLWriteFeature.MINIMIZE_QUOTES).enable(YAMLWriteFeature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS).build();
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");
    private static final Set<String> FORMATS = Set.of("date-time", "date", "time", "email", "uri", "uuid", "hostname", "ipv4", "ipv6");
    private static final Set<String> CURSOR_PARAMS = Set.of("cursor", "after", "starting_after", "page_token", "pageToken", "next_token", "continuation");
    private static final Set<String> OFFSET_PARAMS = Set.of("offset", "skip", "start");
    private static final Set<String> PAGE_PARAMS = Set.of("page", "page_number", "pageNumber");
    private static final Set<String> PAGE_SIZE_PARAMS = Set.of("limit", "per_page", "page_size", "pageSize", "count", "maxResults", "max_results", "size");
    private static final int MAX_SCHEMA_DEPTH = 4;

    private final String integration;
    private final OpenAPI api;
    private final String specName;
    /** The shipped (or operator's) definition of the integration, whose top part the result keeps. */
    private final Optional<String> existing;
    private final ObjectNode existingTree;

    /**
     * @param existing the integration's current definition, if it has one: its URLs, auth and pagination are kept
     *                 and only the actions are written
     */
    public OpenApiImporter(String integration, String specName, String specText, Optional<String> existing) {
        if (!integration.matches("^[a-z][a-zA-Z0-9]*$")) {
            throw new IllegalArgumentException("--integration must be a key such as hubspot or googleDrive (a letter, then letters and digits); got \"" + integration + "\"");
        }
        this.integration = integration;
        this.specName = specName;
        this.existing = existing;
        this.existingTree = existing.map(text -> (ObjectNode) YAML.readTree(text)).orElse(null);
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        options.setResolveFully(true);
        SwaggerParseResult parsed = new OpenAPIParser().readContents(specText, null, options);
        if (parsed.getOpenAPI() == null || parsed.getOpenAPI().getPaths() == null) {
            List<String> messages = parsed.getMessages() == null ? List.of() : parsed.getMessages();
            throw new IllegalArgumentException(specName + " is not an OpenAPI 2.0 or 3.x document"
                    + (messages.isEmpty() ? "" : ": " + String.join("; ", messages.subList(0, Math.min(3, messages.size())))));
        }
        this.api = parsed.getOpenAPI();
    }

    /** Every operation of the document, as selections with derived names, in the document's order. */
    public List<Selection> operations() {
        List<Selection> selections = new ArrayList<>();
        api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) ->
                selections.add(new Selection(method.name(), path, null))));
        return selections;
    }

    /** The operations tagged so, as selections with derived names. */
    public List<Selection> tagged(String tag) {
        List<Selection> selections = new ArrayList<>();
        api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
            if (operation.getTags() != null && operation.getTags().contains(tag)) {
                selections.add(new Selection(method.name(), path, null));
            }
        }));
        if (selections.isEmpty()) {
            throw new IllegalArgumentException(specName + " has no operation tagged \"" + tag + "\"");
        }
        return selections;
    }

    /** The definition with these operations as its actions, as YAML that loads. */
    public String importOperations(List<Selection> selections) {
        if (selections.isEmpty()) {
            throw new IllegalArgumentException("name at least one operation (--operation \"GET /path\"), a --tag or an --operations file");
        }
        StringBuilder actions = new StringBuilder();
        Map<String, String> pagination = new LinkedHashMap<>();
        for (Selection selection : selections) {
            actions.append(action(selection, pagination));
        }
        String yaml = top(pagination) + "actions:\n" + actions;
        try {
            IntegrationLoader.load(integration, yaml);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the imported definition does not load (an importer bug; please report it): " + e.getMessage(), e);
        }
        return yaml;
    }

    private String top(Map<String, String> pagination) {
        if (existing.isPresent()) {
            String text = existing.get();
            int actions = text.indexOf("\nactions:");
            return text.substring(0, actions + 1);
        }
        StringBuilder top = new StringBuilder();
        top.append("# yaml-language-server: $schema=definition.schema.json\n");
        top.append("# Imported from ").append(specName).append(" (").append(api.getInfo() == null ? "" : api.getInfo().getTitle())
                .append(") by switchboard import-openapi: review the names, descriptions and auth before shipping it.\n");
        top.append("key: ").append(integration).append('\n');
        top.append("name: ").append(YAML.writeValueAsString(api.getInfo() == null || api.getInfo().getTitle() == null ? integration : api.getInfo().getTitle()).trim()).append('\n');
        top.append("urls:\n  api: ").append(serverUrl()).append('\n');
        top.append("auth:\n  # TODO: how the vendor takes the credential: oauth2 (add urls.authorize and urls.token) or apiKey\n  type: oauth2\n");
        if (!pagination.isEmpty()) {
            top.append("pagination:\n");
            pagination.forEach((k, v) -> top.append("  ").append(k).append(": ").append(v).append('\n'));
        }
        return top.toString();
    }

    private String serverUrl() {
        if (api.getServers() == null || api.getServers().isEmpty() || api.getServers().get(0).getUrl() == null) {
            return "https://TODO.example.com  # TODO: the document names no server";
        }
        return api.getServers().get(0).getUrl().replaceAll("/$", "");
    }

    private String action(Selection selection, Map<String, String> pagination) {
        if (!METHODS.contains(selection.method())) {
            throw new IllegalArgumentException(selection.method() + " " + selection.path() + ": the method must be one of " + METHODS);
        }
        PathItem item = api.getPaths().get(selection.path());
        Operation operation = item == null ? null : item.readOperationsMap().get(PathItem.HttpMethod.valueOf(selection.method()));
        if (operation == null) {
            throw new IllegalArgumentException(specName + " has no operation " + selection.method() + " " + selection.path()
                    + (item == null ? "; paths like it: " + similarPaths(selection.path()) : "; that path has " + item.readOperationsMap().keySet()));
        }
        String where = selection.method() + " " + selection.path();
        List<String> todos = new ArrayList<>();
        ObjectNode action = Json.object();
        action.put("title", title(operation, where));
        action.put("description", description(operation, where));
        action.put("method", selection.method());

        ObjectNode properties = Json.object();
        ArrayNode required = Json.MAPPER.createArrayNode();
        ObjectNode map = Json.object();
        String path = vendorPath(selection.path());
        List<Parameter> parameters = new ArrayList<>();
        if (item.getParameters() != null) {
            parameters.addAll(item.getParameters());
        }
        if (operation.getParameters() != null) {
            parameters.addAll(operation.getParameters());
        }
        Paging paging = paging(parameters, operation);
        String defaultPlace = ActionDefinition.inputsGoToQuery(selection.method()) ? "query" : "body";
        for (Parameter parameter : parameters) {
            String in = parameter.getIn();
            String vendorName = parameter.getName();
            if ("header".equals(in) || "cookie".equals(in)) {
                if (!authSends(vendorName)) {
                    todos.add("the " + in + " " + vendorName + " is not sent: add it to auth.headers if every call needs it");
                }
                continue;
            }
            if (paging != null && vendorName.equals(paging.requestParam())) {
                continue; // the paginator writes it
            }
            String name = camelCase(vendorName);
            if ("path".equals(in)) {
                path = path.replace("{" + vendorName + "}", "{" + name + "}");
            } else if (!name.equals(vendorName) || !in.equals(defaultPlace)) {
                ObjectNode target = map.putObject(name);
                if (!in.equals(defaultPlace)) {
                    target.put("in", in);
                }
                if (!name.equals(vendorName)) {
                    target.put("name", vendorName);
                }
            }
            properties.set(name, inputSchema(parameter.getSchema(), parameter.getDescription(), vendorName, 0));
            if (Boolean.TRUE.equals(parameter.getRequired()) || "path".equals(in)) {
                required.add(name);
            }
        }
        body(operation, where, properties, required, map, defaultPlace);
        action.put("path", path);
        if (paging != null) {
            action.put("paginated", true);
            if (paging.records() != null) {
                action.put("records", paging.records());
            }
            if (existing.isEmpty()) {
                pagination.putAll(paging.integrationBlock());
            }
        } else if (looksLikeAList(operation)) {
            todos.add("the answer holds a list, but no cursor, offset or page parameter was recognised: set paginated,"
                    + " records and the integration's pagination by hand (docs/integrations.md#pagination)");
        }
        if (!map.isEmpty()) {
            action.set("map", map);
        }
        ObjectNode input = action.putObject("input");
        input.put("type", "object");
        input.set("properties", properties);
        if (!required.isEmpty()) {
            input.set("required", required);
        }
        String name = selection.name() != null ? selection.name() : derivedName(operation, selection);
        if (!name.matches("^[A-Z0-9_]{1,64}$")) {
            throw new IllegalArgumentException("action name \"" + name + "\" for " + where + ": upper-case letters, digits and _ only, at most 64");
        }
        StringBuilder text = new StringBuilder("\n");
        todos.forEach(t -> text.append("  # TODO ").append(t).append('\n'));
        text.append("  ").append(name).append(":\n");
        String body = YAML.writeValueAsString(action);
        body.lines().forEach(line -> text.append("    ").append(line).append('\n'));
        return text.toString();
    }

    private void body(Operation operation, String where, ObjectNode properties, ArrayNode required, ObjectNode map, String defaultPlace) {
        if (operation.getRequestBody() == null || operation.getRequestBody().getContent() == null || operation.getRequestBody().getContent().isEmpty()) {
            return;
        }
        Map<String, MediaType> content = operation.getRequestBody().getContent();
        Map.Entry<String, MediaType> json = content.entrySet().stream()
                .filter(e -> e.getKey().equals("application/json") || e.getKey().endsWith("+json")).findFirst().orElse(null);
        if (json == null) {
            throw new IllegalArgumentException(where + " takes a " + content.keySet().iterator().next() + " body: the importer writes JSON"
                    + " bodies only; write a multipart action by hand (docs/integrations.md#multipart)");
        }
        Schema<?> schema = json.getValue().getSchema();
        if (schema == null || schema.getProperties() == null || schema.getProperties().isEmpty()) {
            throw new IllegalArgumentException(where + " takes a JSON body that is not an object with properties: not imported");
        }
        String prefix = "";
        Map<String, Schema> fields = schema.getProperties();
        List<String> requiredFields = schema.getRequired() == null ? List.of() : schema.getRequired();
        // One wrapper object ({"data": {...}}, Asana's shape): its fields become the inputs, under dotted names.
        if (fields.size() == 1) {
            Map.Entry<String, Schema> only = fields.entrySet().iterator().next();
            if (only.getValue().getProperties() != null && !only.getValue().getProperties().isEmpty()) {
                prefix = only.getKey() + ".";
                fields = only.getValue().getProperties();
                requiredFields = only.getValue().getRequired() == null ? List.of() : only.getValue().getRequired();
            }
        }
        for (Map.Entry<String, Schema> field : fields.entrySet()) {
            if (Boolean.TRUE.equals(field.getValue().getReadOnly())) {
                continue;
            }
            String name = camelCase(field.getKey());
            if (properties.has(name)) {
                name = "body" + Character.toUpperCase(name.charAt(0)) + name.substring(1);
            }
            String vendorName = prefix + field.getKey();
            if (!name.equals(vendorName) || !defaultPlace.equals("body")) {
                ObjectNode target = map.putObject(name);
                if (!defaultPlace.equals("body")) {
                    target.put("in", "body");
                }
                if (!name.equals(vendorName)) {
                    target.put("name", vendorName);
                }
            }
            properties.set(name, inputSchema(field.getValue(), field.getValue().getDescription(), field.getKey(), 0));
            // A body's required fields are required of the action, even where the body itself is optional: the
            // action always sends one.
            if (requiredFields.contains(field.getKey())) {
                required.add(name);
            }
        }
    }

    private boolean authSends(String header) {
        JsonNode headers = existingTree == null ? null : existingTree.path("auth").path("headers");
        if (headers == null || !headers.isObject()) {
            return false;
        }
        return headers.propertyNames().stream().anyMatch(h -> h.equalsIgnoreCase(header));
    }

    /** The operation's path below the integration's API URL (Zoho's document writes {@code /crm/v8/...} whole). */
    private String vendorPath(String documentPath) {
        if (existingTree != null) {
            String api = existingTree.path("urls").path("api").asString("");
            String apiPath = api.isEmpty() ? "" : URI.create(api.replaceAll("\\{[^}]*}", "x")).getPath();
            if (!apiPath.isEmpty() && !apiPath.equals("/") && documentPath.startsWith(apiPath + "/")) {
                return documentPath.substring(apiPath.length());
            }
        }
        return documentPath;
    }

    private String similarPaths(String path) {
        String last = path.replaceAll(".*/", "").toLowerCase(Locale.ROOT);
        List<String> similar = api.getPaths().keySet().stream().filter(p -> p.toLowerCase(Locale.ROOT).contains(last)).limit(8).toList();
        return similar.isEmpty() ? "none (it has " + api.getPaths().size() + " paths)" : String.join(", ", similar);
    }

    // ---- pagination --------------------------------------------------------------------------------------------

    /** How a list operation pages, when it has a recognisable request parameter. */
    private record Paging(String style, String requestParam, String pageSizeParam, String nextCursor, String records) {
        Map<String, String> integrationBlock() {
            Map<String, String> block = new LinkedHashMap<>();
            block.put("style", style);
            switch (style) {
                case "cursor" -> {
                    block.put("cursorParam", requestParam);
                    block.put("nextCursor", nextCursor == null ? "/TODO  # TODO: the JSON pointer of the next cursor in the answer" : nextCursor);
                }
                case "offset" -> block.put("offsetParam", requestParam);
                default -> block.put("pageParam", requestParam);
            }
            if (pageSizeParam != null) {
                block.put("pageSizeParam", pageSizeParam);
            }
            return block;
        }
    }

    private Paging paging(List<Parameter> parameters, Operation operation) {
        Set<String> query = new java.util.LinkedHashSet<>();
        parameters.stream().filter(p -> "query".equals(p.getIn())).forEach(p -> query.add(p.getName()));
        Schema<?> answer = answerSchema(operation);
        String records = answer == null ? null : firstArray(answer, "", 0);
        if (existingTree != null) {
            JsonNode p = existingTree.path("pagination");
            String wireStyle = p.path("wire").asString(p.path("style").asString(""));
            String param = switch (wireStyle) {
                case "cursor" -> p.path("cursorParam").asString("");
                case "offset" -> p.path("offsetParam").asString("");
                case "page" -> p.path("pageParam").asString("");
                default -> "";
            };
            return !param.isEmpty() && query.contains(param) ? new Paging(wireStyle, param, null, null, records) : null;
        }
        String pageSize = query.stream().filter(PAGE_SIZE_PARAMS::contains).findFirst().orElse(null);
        String nextCursor = answer == null ? null : nextCursor(answer, "", 0);
        for (String name : query) {
            // An "offset" that is a string is an opaque token handed back by the vendor (Asana's), so a cursor.
            if (CURSOR_PARAMS.contains(name) || (OFFSET_PARAMS.contains(name) && nextCursor != null && isString(parameters, name))) {
                return new Paging("cursor", name, pageSize, nextCursor, records);
            }
        }
        for (String name : query) {
            if (OFFSET_PARAMS.contains(name)) {
                return new Paging("offset", name, pageSize, null, records);
            }
            if (PAGE_PARAMS.contains(name)) {
                return new Paging("page", name, pageSize, null, records);
            }
        }
        return null;
    }

    private static boolean isString(List<Parameter> parameters, String name) {
        return parameters.stream().anyMatch(p -> p.getName().equals(name) && p.getSchema() != null && "string".equals(p.getSchema().getType()));
    }

    private static Schema<?> answerSchema(Operation operation) {
        if (operation.getResponses() == null) {
            return null;
        }
        return operation.getResponses().entrySet().stream().filter(e -> e.getKey().startsWith("2"))
                .map(e -> e.getValue().getContent()).filter(c -> c != null && c.get("application/json") != null)
                .map(c -> (Schema<?>) c.get("application/json").getSchema()).filter(java.util.Objects::nonNull).findFirst().orElse(null);
    }

    private boolean looksLikeAList(Operation operation) {
        Schema<?> answer = answerSchema(operation);
        return answer != null && firstArray(answer, "", 0) != null;
    }

    /** The JSON pointer of the first array in an answer: the answer itself ("") or a property a level or two down. */
    private static String firstArray(Schema<?> schema, String pointer, int depth) {
        if ("array".equals(schema.getType()) || schema.getItems() != null) {
            return pointer;
        }
        if (depth >= 2 || schema.getProperties() == null) {
            return null;
        }
        for (Map.Entry<String, Schema> p : schema.getProperties().entrySet()) {
            if ("array".equals(p.getValue().getType()) || p.getValue().getItems() != null) {
                return pointer + "/" + p.getKey();
            }
        }
        for (Map.Entry<String, Schema> p : schema.getProperties().entrySet()) {
            String inner = firstArray(p.getValue(), pointer + "/" + p.getKey(), depth + 1);
            if (inner != null && !inner.isEmpty()) {
                return inner;
            }
        }
        return null;
    }

    private static String nextCursor(Schema<?> schema, String pointer, int depth) {
        if (schema.getProperties() == null || depth > 3) {
            return null;
        }
        for (Map.Entry<String, Schema> p : schema.getProperties().entrySet()) {
            String n = p.getKey().toLowerCase(Locale.ROOT).replace("_", "");
            if (n.matches("next(page)?(cursor|token)|cursor|nextpage|offset") && !"object".equals(p.getValue().getType())) {
                return pointer + "/" + p.getKey();
            }
        }
        for (Map.Entry<String, Schema> p : schema.getProperties().entrySet()) {
            String inner = nextCursor(p.getValue(), pointer + "/" + p.getKey(), depth + 1);
            if (inner != null) {
                return inner;
            }
        }
        return null;
    }

    // ---- names and text ----------------------------------------------------------------------------------------

    private String derivedName(Operation operation, Selection selection) {
        String id = operation.getOperationId() != null ? operation.getOperationId()
                : selection.method().toLowerCase(Locale.ROOT) + " " + selection.path().replaceAll("\\{[^}]*}", "by id");
        String snake = id.replaceAll("([a-z0-9])([A-Z])", "$1_$2").replaceAll("[^A-Za-z0-9]+", "_").replaceAll("^_|_$", "").toUpperCase(Locale.ROOT);
        String name = actionPrefix() + snake;
        return name.length() > 64 ? name.substring(0, 64).replaceAll("_$", "") : name;
    }

    /** The integration's action prefix: what its current actions share (GOOGLE_DRIVE_), else its key in capitals. */
    private String actionPrefix() {
        if (existingTree != null && existingTree.path("actions").isObject()) {
            List<String> names = List.copyOf(existingTree.path("actions").propertyNames());
            if (!names.isEmpty()) {
                String prefix = names.get(0);
                for (String n : names) {
                    while (!n.startsWith(prefix)) {
                        prefix = prefix.substring(0, prefix.length() - 1);
                    }
                }
                int cut = prefix.lastIndexOf('_');
                if (cut > 0) {
                    return prefix.substring(0, cut + 1);
                }
            }
        }
        return integration.toUpperCase(Locale.ROOT) + "_";
    }

    static String camelCase(String vendorName) {
        // A leading run of capitals is an acronym: IDs -> ids, URLPath -> urlPath, InvoiceID -> invoiceID.
        java.util.regex.Matcher acronym = java.util.regex.Pattern.compile("^([A-Z]{2,})(?=[A-Z][a-z]|s?$|[^A-Za-z])").matcher(vendorName);
        if (acronym.find()) {
            vendorName = acronym.group(1).toLowerCase(Locale.ROOT) + vendorName.substring(acronym.end());
        }
        String[] words = vendorName.split("[^A-Za-z0-9]+");
        StringBuilder name = new StringBuilder();
        for (String word : words) {
            if (word.isEmpty()) {
                continue;
            }
            name.append(name.isEmpty() ? Character.toLowerCase(word.charAt(0)) + word.substring(1)
                    : Character.toUpperCase(word.charAt(0)) + word.substring(1));
        }
        String result = name.toString();
        return result.isEmpty() || !Character.isLetter(result.charAt(0)) ? "p" + result : result;
    }

    private static String title(Operation operation, String where) {
        String summary = operation.getSummary() != null ? operation.getSummary().strip() : where;
        return summary.length() > 80 ? summary.substring(0, 80).strip() : summary.replaceAll("\\.$", "");
    }

    private static String description(Operation operation, String where) {
        String text = operation.getSummary() != null && !operation.getSummary().isBlank() ? operation.getSummary() : firstSentence(operation.getDescription());
        if (text == null || text.isBlank()) {
            text = "Calls " + where;
        }
        text = oneLine(text);
        return text.endsWith(".") ? text : text + ".";
    }

    private static String firstSentence(String text) {
        if (text == null) {
            return null;
        }
        String line = oneLine(text);
        int end = line.indexOf(". ");
        return end > 0 ? line.substring(0, end + 1) : line;
    }

    private static String oneLine(String text) {
        return text.replaceAll("\\s+", " ").strip();
    }

    // ---- schemas -----------------------------------------------------------------------------------------------

    /**
     * An OpenAPI schema as an input schema: resolved, with the keywords draft-07 validators and AI tool schemas read
     * alike (no {@code $schema}, {@code nullable}, {@code readOnly} fields, {@code discriminator}, {@code xml},
     * extensions; {@code oneOf} as {@code anyOf}; {@code allOf} merged; 64-bit and binary formats dropped).
     */
    private ObjectNode inputSchema(Schema<?> schema, String description, String vendorName, int depth) {
        ObjectNode out = Json.object();
        if (schema == null) {
            out.put("type", "string");
        } else {
            Schema<?> merged = merge(schema);
            String type = merged.getType() != null ? merged.getType()
                    : merged.getProperties() != null ? "object" : merged.getItems() != null ? "array" : null;
            if (type != null) {
                out.put("type", type);
            }
            if (merged.getFormat() != null && FORMATS.contains(merged.getFormat())) {
                out.put("format", merged.getFormat());
            }
            if (merged.getEnum() != null && !merged.getEnum().isEmpty()) {
                ArrayNode values = out.putArray("enum");
                merged.getEnum().stream().filter(java.util.Objects::nonNull).forEach(v -> values.add(Json.MAPPER.valueToTree(v)));
            }
            copyNumber(out, "minimum", merged.getMinimum());
            copyNumber(out, "maximum", merged.getMaximum());
            if (Boolean.TRUE.equals(merged.getExclusiveMinimum()) && out.has("minimum")) {
                out.set("exclusiveMinimum", out.remove("minimum"));
            }
            if (Boolean.TRUE.equals(merged.getExclusiveMaximum()) && out.has("maximum")) {
                out.set("exclusiveMaximum", out.remove("maximum"));
            }
            if (merged.getMinLength() != null) {
                out.put("minLength", merged.getMinLength());
            }
            if (merged.getMaxLength() != null) {
                out.put("maxLength", merged.getMaxLength());
            }
            if (merged.getPattern() != null && "string".equals(type)) {
                out.put("pattern", merged.getPattern());
            }
            if (merged.getMinItems() != null) {
                out.put("minItems", merged.getMinItems());
            }
            if (merged.getMaxItems() != null) {
                out.put("maxItems", merged.getMaxItems());
            }
            if (merged.getDefault() != null) {
                out.set("default", Json.MAPPER.valueToTree(merged.getDefault()));
            }
            JsonNode example = example(merged.getExample(), type);
            if (example != null) {
                out.putArray("examples").add(example);
            }
            if (depth < MAX_SCHEMA_DEPTH) {
                if (merged.getItems() != null) {
                    out.set("items", inputSchema(merged.getItems(), merged.getItems().getDescription(), vendorName, depth + 1));
                }
                if (merged.getProperties() != null) {
                    ObjectNode properties = out.putObject("properties");
                    merged.getProperties().forEach((name, p) -> {
                        if (!Boolean.TRUE.equals(p.getReadOnly())) {
                            properties.set(name, inputSchema(p, p.getDescription(), name, depth + 1));
                        }
                    });
                    if (merged.getRequired() != null) {
                        ArrayNode required = Json.MAPPER.createArrayNode();
                        merged.getRequired().stream().filter(properties::has).forEach(required::add);
                        if (!required.isEmpty()) {
                            out.set("required", required);
                        }
                    }
                }
                List<Schema> alternatives = merged.getOneOf() != null ? merged.getOneOf() : merged.getAnyOf();
                if (alternatives != null && !alternatives.isEmpty()) {
                    ArrayNode anyOf = out.putArray("anyOf");
                    alternatives.forEach(a -> anyOf.add(inputSchema(a, null, vendorName, depth + 1)));
                }
            } else if ("array".equals(type)) {
                out.putObject("items");
            }
        }
        String text = description != null && !description.isBlank() ? oneLine(description) : "The vendor's " + vendorName + ".";
        out.put("description", text.length() > 400 ? text.substring(0, 397) + "..." : text);
        return out;
    }

    /** A plain example as a value of the schema's type (documents write ids as numbers on string fields), or null. */
    private static JsonNode example(Object example, String type) {
        if (example == null || type == null) {
            return null;
        }
        String text = String.valueOf(example);
        return switch (type) {
            case "string" -> example instanceof String || example instanceof Number || example instanceof Boolean ? Json.MAPPER.getNodeFactory().stringNode(text) : null;
            case "integer" -> text.matches("-?\\d{1,18}") ? Json.MAPPER.getNodeFactory().numberNode(Long.parseLong(text)) : null;
            case "boolean" -> text.equals("true") || text.equals("false") ? Json.MAPPER.getNodeFactory().booleanNode(Boolean.parseBoolean(text)) : null;
            default -> null;
        };
    }

    /** A schema with its allOf parts folded in: their properties and required names together. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Schema<?> merge(Schema<?> schema) {
        if (schema.getAllOf() == null || schema.getAllOf().isEmpty()) {
            return schema;
        }
        Schema merged = new Schema<>();
        merged.setType(schema.getType());
        merged.setDescription(schema.getDescription());
        Map<String, Schema> properties = new LinkedHashMap<>();
        List<String> required = new ArrayList<>();
        for (Schema part : (List<Schema>) (List) schema.getAllOf()) {
            Schema<?> p = merge(part);
            if (p.getType() != null && merged.getType() == null) {
                merged.setType(p.getType());
            }
            if (p.getProperties() != null) {
                properties.putAll(p.getProperties());
            }
            if (p.getRequired() != null) {
                required.addAll(p.getRequired());
            }
            if (p.getEnum() != null) {
                merged.setEnum(p.getEnum());
            }
        }
        if (schema.getProperties() != null) {
            properties.putAll(schema.getProperties());
        }
        if (!properties.isEmpty()) {
            merged.setProperties(properties);
        }
        if (!required.isEmpty()) {
            merged.setRequired(required);
        }
        return merged;
    }

    private static void copyNumber(ObjectNode out, String keyword, java.math.BigDecimal value) {
        if (value != null) {
            if (value.stripTrailingZeros().scale() <= 0) {
                out.put(keyword, value.longValueExact());
            } else {
                out.put(keyword, value.doubleValue());
            }
        }
    }
}
