package dev.switchboard.mapping;

import dev.switchboard.filters.FilterFormulas;
import dev.switchboard.filters.HubSpotFilterGroups;
import dev.switchboard.filters.JqlWhere;
import dev.switchboard.filters.ShopifySearch;
import dev.switchboard.filters.StripeSearch;
import dev.switchboard.filters.LinearFilters;
import dev.switchboard.filters.SoqlWhere;
import dev.switchboard.integrations.ActionDefinition.InputTarget;
import dev.switchboard.integrations.ActionDefinition;
import dev.switchboard.json.Json;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The pieces of a vendor request while an action's input is being mapped onto it. */
public final class VendorRequestParts {
    /** Where an input goes; {@code NONE}: nowhere, it only chooses (the record type whose fields an action takes). */
    public enum Place { QUERY, BODY, PATH, BODYFIELDS, QUERYFIELDS, NONE }

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z0-9_]+)}");
    /** The inputs each definition's path names, found once per path (the paths are the catalog's). */
    private static final java.util.concurrent.ConcurrentHashMap<String, Set<String>> PATH_INPUTS = new java.util.concurrent.ConcurrentHashMap<>();
    /** In a composed field, {@code {$uuid}} is a new random UUID each call (Google's conference request id). */
    /** In a composed field, {@code {input}} or a field of an object input, {@code {createdDate.value}}. */
    private static final Pattern COMPOSE_PLACEHOLDER = Pattern.compile("\\{(\\$?[A-Za-z0-9_]+(?:\\.[A-Za-z0-9_]+)*)}");
    static final String UUID_PLACEHOLDER = "$uuid";

    private final String method;
    private final Map<String, String> query = new LinkedHashMap<>();
    private final Map<String, String> pathValues = new LinkedHashMap<>();
    /** Path inputs whose slashes separate segments. */
    private final Set<String> slashesKept = new java.util.HashSet<>();
    private final ObjectNode body = Json.object();

    public VendorRequestParts(String method) {
        this.method = method;
    }

    /**
     * Places every input of an action as its definition's {@code fixed} values and {@code map} say: by default
     * under its own name in the default place; inputs named in the path go to the path.
     */
    public static VendorRequestParts fromInput(ActionDefinition definition, JsonNode input) {
        return fromInput(definition, input, Map.of());
    }

    /** @param readValues fields read from the vendor first ({@code readFirst}), placed after the fixed ones and before the inputs */
    public static VendorRequestParts fromInput(ActionDefinition definition, JsonNode input, Map<String, JsonNode> readValues) {
        VendorRequestParts parts = new VendorRequestParts(definition.method());
        definition.fixed().forEach((name, value) -> parts.put(parts.defaultPlace(), name, value));
        readValues.forEach((name, value) -> parts.put(parts.defaultPlace(), name, value));
        Set<String> composed = new java.util.HashSet<>();
        definition.keepRecords().forEach(clause -> composed.add(clause.contains())); // they filter the answer, not the request
        if (definition.attachFile() != null) {
            composed.add(definition.attachFile().when()); // asks for the second call, not a vendor field
        }
        if (definition.fileFromAnswer() != null) {
            // they name the file of the answer, not the request
            java.util.stream.Stream.of(definition.fileFromAnswer().name(), definition.fileFromAnswer().mimeType())
                    .filter(java.util.Objects::nonNull).forEach(composed::add);
        }
        if (definition.mime() != null) {
            definition.mime().inputs().forEach(composed::add); // they are parts of the email, not fields of their own
            parts.put(parts.defaultPlace(), definition.mime().into(), MimeMessages.base64Url(definition.mime(), input));
        }
        definition.compose().forEach((field, compose) -> {
            String value = composed(compose, input, composed, definition.map());
            if (value != null) {
                parts.put(compose.in() == null ? parts.defaultPlace() : Place.valueOf(compose.in().toUpperCase(Locale.ROOT)), field, value);
            }
        });
        // A time zone input is part of the times it is named for, not a field of its own.
        for (InputTarget target : definition.map().values()) {
            if (target.zone() != null) {
                composed.add(target.zone());
            }
        }
        Set<String> pathInputs = PATH_INPUTS.computeIfAbsent(definition.path(),
                path -> Set.copyOf(PLACEHOLDER.matcher(path).results().map(m -> m.group(1)).collect(Collectors.toSet())));
        if (definition.readFirst() != null) {
            // An input that only addresses the record read first (a reply's original message) is not a field of the request.
            PLACEHOLDER.matcher(definition.readFirst().path()).results().map(m -> m.group(1))
                    .filter(name -> !pathInputs.contains(name)).forEach(composed::add);
        }
        // In the schema's order, not the caller's, so that vendors that care about field order (XML) get one order.
        for (String name : definition.input().path("properties").propertyNames()) {
            JsonNode value = input.get(name);
            if (value == null || (name.equals("paginationParameters") && definition.paginated()) || uploadedAsFile(definition, name)
                    || composed.contains(name)) {
                continue;
            }
            InputTarget target = definition.map().get(name);
            Place place = target == null || target.in() == null ? parts.defaultPlace() : Place.valueOf(target.in().toUpperCase(Locale.ROOT));
            if (pathInputs.contains(name)) {
                place = Place.PATH;
                if (target != null && target.keepsSlashes()) {
                    parts.slashesKept.add(name);
                }
            }
            if (place == Place.NONE) {
                continue;
            }
            if (target != null && target.values() != null && value.isString() && target.values().containsKey(value.asString())) {
                value = Json.MAPPER.getNodeFactory().stringNode(target.values().get(value.asString()));
            }
            if (target != null && target.idPrefix() != null) {
                value = prefixed(value, target.idPrefix());
            }
            if (target != null && (target.as() != null || target.wrap() != null)) {
                JsonNode converted = target.as() == null ? value : ValueConversions.convert(target.as(), value, "parameters." + name, zone(target, input));
                putConverted(parts, place, target, name, target.wrap() == null ? converted : wrapped(converted, target.wrap()));
                continue;
            }
            // A filter formula may arrive as JSON text (form-based clients send objects so); vendors' own syntax never starts with '{'.
            if (target != null && target.filter() != null && (value.isObject() || value.isString() && value.asString().strip().startsWith("{"))) {
                putFilter(parts, place, target, name, value.isObject() ? value : FilterFormulas.fromText(value.asString(), "parameters." + name));
                continue;
            }
            if (place == Place.BODYFIELDS && target.name() != null) {
                // An object input's fields spread into a nested object of the body (GraphQL's variables.input).
                JsonNode fields = value;
                fields.properties().forEach(field -> parts.put(Place.BODY, target.name() + "." + field.getKey(), field.getValue()));
                continue;
            }
            parts.put(place, target == null || target.name() == null ? name : target.name(), value);
        }
        definition.map().forEach((name, target) -> {
            if (target.orElse() != null && input.get(name) == null && target.orElse().fromTheClock()) {
                JsonNode start = Json.MAPPER.getNodeFactory().stringNode(target.orElse().from().equals(ActionDefinition.OrElse.NOW)
                        ? java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString()
                        : java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString());
                Place place = target.in() == null ? parts.defaultPlace() : Place.valueOf(target.in().toUpperCase(Locale.ROOT));
                JsonNode later = target.orElse().plus() == null ? start : ValueConversions.later(start, java.time.Duration.parse(target.orElse().plus()));
                putConverted(parts, place, target, name, target.as() == null ? later : ValueConversions.convert(target.as(), later, "parameters." + name, null));
            } else if (target.orElse() != null && input.get(name) == null && input.get(target.orElse().from()) != null) {
                String from = target.orElse().from();
                JsonNode start = ValueConversions.convert(target.as(), input.get(from), "parameters." + from, zone(target, input));
                InputTarget fromTarget = definition.map().get(from);
                Place place = fromTarget == null || fromTarget.in() == null ? parts.defaultPlace()
                        : Place.valueOf(fromTarget.in().toUpperCase(Locale.ROOT));
                putConverted(parts, place, target, name, ValueConversions.later(start, java.time.Duration.parse(target.orElse().plus())));
            }
        });
        return parts;
    }

    /** Digits (in a list, each item that is digits) with the prefix before them: Shopify's 207119551 as gid://shopify/Customer/207119551. */
    private static JsonNode prefixed(JsonNode value, String prefix) {
        if (value.isArray()) {
            ArrayNode items = Json.MAPPER.createArrayNode();
            value.forEach(item -> items.add(prefixed(item, prefix)));
            return items;
        }
        String text = value.isIntegralNumber() ? value.asString() : value.isString() ? value.asString().strip() : null;
        return text != null && !text.isEmpty() && text.chars().allMatch(Character::isDigit)
                ? Json.MAPPER.getNodeFactory().stringNode(prefix + text) : value;
    }

    /** The value (each item of a list) as an object of one key: Jira's option {@code {"value": "High"}}. */
    private static JsonNode wrapped(JsonNode value, String key) {
        if (value.isArray()) {
            ArrayNode items = Json.MAPPER.createArrayNode();
            value.forEach(item -> items.add(Json.object().set(key, item)));
            return items;
        }
        return value.isNull() ? value : Json.object().set(key, value);
    }

    /** The time zone input a time's conversion writes it in, or null. */
    private static String zone(InputTarget target, JsonNode input) {
        return target.zone() == null ? null : input.path(target.zone()).asString(null);
    }

    /** A converted value under the vendor's name; an event time that is a date alone goes to the sibling {@code date} (all day). */
    private static void putConverted(VendorRequestParts parts, Place place, InputTarget target, String input, JsonNode value) {
        String vendorName = target.name() == null ? input : target.name();
        if ("eventTime".equals(target.as()) && ValueConversions.isDate(value) && vendorName.endsWith(".dateTime")) {
            vendorName = vendorName.substring(0, vendorName.length() - "dateTime".length()) + "date";
        }
        parts.put(place, vendorName, value);
    }

    /** ActionKit's filter formula, in the vendor's language the definition names. */
    private static void putFilter(VendorRequestParts parts, Place place, InputTarget target, String input, JsonNode formula) {
        String path = "parameters." + input;
        switch (target.filter()) {
            case "zohoCriteria" -> parts.put(place, target.name() == null ? input : target.name(), FilterFormulas.zohoCriteria(formula, path));
            case "exactMatches" -> FilterFormulas.exactMatches(formula, path, target.fields()).forEach((field, value) -> parts.put(place, field, value));
            case "gmailSearch" -> parts.put(place, target.name() == null ? input : target.name(), FilterFormulas.gmailSearch(formula, path));
            case "intercomQuery" -> parts.put(place, target.name() == null ? input : target.name(), FilterFormulas.intercomQuery(formula, path));
            case "hubspotFilterGroups" -> parts.put(place, target.name() == null ? input : target.name(), HubSpotFilterGroups.of(formula, path));
            case "soqlWhere" -> parts.put(place, target.name() == null ? input : target.name(), SoqlWhere.of(formula, path));
            case "linearFilter" -> parts.put(place, target.name() == null ? input : target.name(), LinearFilters.of(formula, path));
            case "jqlWhere" -> parts.put(place, target.name() == null ? input : target.name(), JqlWhere.of(formula, path));
            case "shopifySearch" -> parts.put(place, target.name() == null ? input : target.name(), ShopifySearch.of(formula, path));
            case "stripeSearch" -> parts.put(place, target.name() == null ? input : target.name(), StripeSearch.of(formula, path));
            default -> throw new IllegalStateException("unknown filter dialect " + target.filter());
        }
    }

    /**
     * A composed field's text: the clauses whose {@code when} holds and whose inputs are given (or defaulted), filled
     * in and joined; null when none applies. Every input a clause names is added to {@code consumed}.
     */
    /** @param map the action's targets, whose {@code values} rename an input's values in clauses too ({@code no_type} as {@code none}) */
    private static String composed(ActionDefinition.Compose compose, JsonNode input, Set<String> consumed, Map<String, InputTarget> map) {
        java.util.List<String> clauses = new java.util.ArrayList<>();
        for (ActionDefinition.Clause clause : compose.clauses()) {
            boolean applies = true;
            if (clause.when() != null) {
                for (Map.Entry<String, Object> condition : clause.when().entrySet()) {
                    consumed.add(inputOf(condition.getKey()));
                    JsonNode given = composedValue(input, condition.getKey());
                    applies &= given != null && given.equals(Json.tree(condition.getValue()));
                }
            }
            java.util.regex.Matcher placeholders = COMPOSE_PLACEHOLDER.matcher(clause.template());
            StringBuilder text = new StringBuilder();
            while (placeholders.find()) {
                String name = placeholders.group(1);
                if (name.equals(UUID_PLACEHOLDER)) {
                    placeholders.appendReplacement(text, java.util.UUID.randomUUID().toString());
                    continue;
                }
                consumed.add(inputOf(name));
                JsonNode given = composedValue(input, name);
                Object value = given != null && !given.isNull() ? (given.isValueNode() ? given.asString() : given.toString())
                        : clause.defaults() == null ? null : clause.defaults().get(name);
                InputTarget target = map.get(name);
                if (value != null && target != null && target.values() != null && target.values().containsKey(String.valueOf(value))) {
                    value = target.values().get(String.valueOf(value));
                }
                if (value == null) {
                    applies = false;
                    value = "";
                }
                placeholders.appendReplacement(text, java.util.regex.Matcher.quoteReplacement(quoted(String.valueOf(value), compose.quote())));
            }
            placeholders.appendTail(text);
            if (applies) {
                clauses.add(text.toString());
            }
        }
        return clauses.isEmpty() ? null : String.join(compose.join() == null ? " " : compose.join(), clauses);
    }

    /** The input a clause's name reads: {@code createdDate} for {@code createdDate.value}. */
    private static String inputOf(String name) {
        int dot = name.indexOf('.');
        return dot < 0 ? name : name.substring(0, dot);
    }

    /** An input, or a field of an object input ({@code createdDate.value}); null when absent. */
    private static JsonNode composedValue(JsonNode input, String name) {
        JsonNode value = name.indexOf('.') < 0 ? input.get(name) : input.at("/" + name.replace('.', '/'));
        return value == null || value.isMissingNode() ? null : value;
    }

    /** A value to go inside the template's quotes: a backslash and the quote escaped with a backslash. */
    private static String quoted(String value, String quote) {
        if (quote == null || quote.isEmpty()) {
            return value;
        }
        return value.replace("\\", "\\\\").replace(quote, "\\" + quote);
    }

    private static boolean uploadedAsFile(ActionDefinition definition, String input) {
        return input.equals(definition.fileBody()) || definition.multipart() != null
                && definition.multipart().parts().stream().anyMatch(p -> "file".equals(p.content()) && input.equals(p.input()));
    }

    public Set<String> slashesKept() {
        return slashesKept;
    }

    /** Query for GET, HEAD and DELETE; the JSON body for the rest. */
    public Place defaultPlace() {
        return ActionDefinition.inputsGoToQuery(method) ? Place.QUERY : Place.BODY;
    }

    public void put(Place place, String name, Object value) {
        switch (place) {
            case QUERY -> query.put(name, queryValue(value));
            case PATH -> pathValues.put(name, value instanceof JsonNode node ? node.asString() : String.valueOf(value));
            case BODY -> putNested(name, Json.tree(value));
            case BODYFIELDS -> Json.tree(value).properties().forEach(field -> body.set(field.getKey(), field.getValue()));
            case QUERYFIELDS -> Json.tree(value).properties().forEach(field -> {
                if (!query.containsKey(field.getKey())) {
                    query.put(field.getKey(), queryValue(field.getValue()));
                }
            });
            case NONE -> { }
        }
    }

    /**
     * A query value as text: a list of plain values comma-separated, as vendors read them ({@code opt_fields=name,notes},
     * {@code IDs=a,b}); any other object or list as JSON text.
     */
    private static String queryValue(Object value) {
        if (!(value instanceof JsonNode node)) {
            return String.valueOf(value);
        }
        if (node.isArray() && node.valueStream().allMatch(JsonNode::isValueNode)) {
            return node.valueStream().map(JsonNode::asString).collect(java.util.stream.Collectors.joining(","));
        }
        return node.isValueNode() ? node.asString() : node.toString();
    }

    /** The value put at a place, as text, or null. */
    public String get(Place place, String name) {
        return switch (place) {
            case QUERY -> query.get(name);
            case PATH -> pathValues.get(name);
            default -> {
                JsonNode value = body.at("/" + name.replace(".", "/"));
                yield value.isMissingNode() || value.isNull() ? null : value.asString();
            }
        };
    }

    /** A dotted name ({@code data.name}) nests inside the body; a number segment is an array index ({@code Contacts.0.Name}). */
    private void putNested(String dottedName, JsonNode value) {
        String[] parts = dottedName.split("\\.");
        JsonNode target = body;
        for (int i = 0; i < parts.length; i++) {
            boolean last = i == parts.length - 1;
            boolean nextIsIndex = !last && parts[i + 1].matches("\\d+");
            if (target instanceof ArrayNode array) {
                int index = Integer.parseInt(parts[i]);
                while (array.size() <= index) {
                    array.addNull();
                }
                if (last) {
                    array.set(index, value);
                } else if (!(array.get(index) instanceof ObjectNode) && !(array.get(index) instanceof ArrayNode)) {
                    array.set(index, nextIsIndex ? Json.MAPPER.createArrayNode() : Json.object());
                }
                target = array.get(index);
            } else {
                ObjectNode object = (ObjectNode) target;
                if (last) {
                    object.set(parts[i], value);
                } else if (!(object.get(parts[i]) instanceof ObjectNode) && !(object.get(parts[i]) instanceof ArrayNode)) {
                    object.set(parts[i], nextIsIndex ? Json.MAPPER.createArrayNode() : Json.object());
                }
                target = object.get(parts[i]);
            }
        }
    }

    public Map<String, String> query() {
        return query;
    }

    public Map<String, String> pathValues() {
        return pathValues;
    }

    public ObjectNode body() {
        return body;
    }
}
