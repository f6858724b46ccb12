package dev.switchboard.integrations.shopify;

import dev.switchboard.filters.FilterFormulas;
import dev.switchboard.filters.ShopifySearch;
import dev.switchboard.json.Json;
import dev.switchboard.outcomes.Echo;
import dev.switchboard.outcomes.Failure;
import dev.switchboard.programs.ActionProgram;
import dev.switchboard.programs.ProgramInputs;
import dev.switchboard.values.Countries;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Shopify's actions whose ActionKit parameters are REST-era ones that its GraphQL API takes otherwise:
 * <ul>
 *   <li>lists ({@code SHOPIFY_GET_CUSTOMERS}, {@code _GET_ORDERS}, ...): IDs, time ranges, a title or a status, or a
 *       filter formula, written as one query in Shopify's search syntax (every value a quoted term) for the matching
 *       {@code SHOPIFY_QUERY_*} action, which pages;</li>
 *   <li>customers: the flat address fields as one of Shopify's {@code MailingAddressInput}s (a country by name or code),
 *       and the account invitation, a second mutation after the write;</li>
 *   <li>an order's line items: a variant by number as its global ID, a custom item's price in the store's currency
 *       (read once from the shop), the statuses as Shopify's enums;</li>
 *   <li>products by their REST names: the product, then its first variant's price and policy, then its publications
 *       by channel name.</li>
 * </ul>
 */
public final class ShopifyPrograms {
    static final String GET_SHOP = "SHOPIFY_GET_SHOP";
    static final String CREATE_CUSTOMER = "SHOPIFY_CREATE_CUSTOMER_WITH_INPUT";
    static final String UPDATE_CUSTOMER = "SHOPIFY_UPDATE_CUSTOMER_WITH_INPUT";
    static final String INVITE = "SHOPIFY_SEND_ACCOUNT_INVITE";
    static final String CREATE_ORDER = "SHOPIFY_CREATE_ORDER_WITH_INPUT";
    static final String CREATE_PRODUCT = "SHOPIFY_CREATE_PRODUCT_GRAPHQL";
    static final String UPDATE_PRODUCT = "SHOPIFY_UPDATE_PRODUCT_GRAPHQL";
    static final String UPDATE_VARIANTS = "SHOPIFY_UPDATE_VARIANTS";
    static final String PUBLICATIONS = "SHOPIFY_GET_PUBLICATIONS";
    static final String PUBLISH = "SHOPIFY_PUBLISH";
    static final String FULFILLMENT_ORDERS = "SHOPIFY_GET_FULFILLMENT_ORDERS";
    static final String CREATE_FULFILLMENT = "SHOPIFY_CREATE_FULFILLMENT_WITH_INPUT";
    /** Fulfillment orders whose items can still be shipped. */
    private static final Set<String> FULFILLABLE = Set.of("OPEN", "IN_PROGRESS");
    private static final Pattern DIGITS = Pattern.compile("^[0-9]{1,20}$");
    private static final Pattern WITHIN = Pattern.compile("^([0-9]{1,5}) ?(m|min|minutes?|h|hours?|d|days?|w|weeks?)$");

    /** A list of one record type: the action that queries it, its IDs' parameter, and the search key of its creation time. */
    private record Kind(String step, String ids, String created) {}

    private static final Map<String, Kind> KINDS = Map.of(
            "customers", new Kind("SHOPIFY_QUERY_CUSTOMERS", "customerIds", "customer_date"),
            "orders", new Kind("SHOPIFY_QUERY_ORDERS", "orderIds", "created_at"),
            "abandonedCheckouts", new Kind("SHOPIFY_QUERY_ABANDONED_CHECKOUTS", null, "created_at"),
            "products", new Kind("SHOPIFY_QUERY_PRODUCTS", "productIds", "created_at"));

    private ShopifyPrograms() {}

    public static Map<String, ActionProgram> all() {
        Set<String> queries = Set.copyOf(KINDS.values().stream().map(Kind::step).toList());
        return Map.of(
                "shopifyListRecords", ActionProgram.of(true, queries, ShopifyPrograms::list),
                "shopifyWriteCustomer", ActionProgram.of(false, Set.of(CREATE_CUSTOMER, UPDATE_CUSTOMER, INVITE), ShopifyPrograms::customer),
                "shopifyCreateOrder", ActionProgram.of(false, Set.of(GET_SHOP, CREATE_ORDER), ShopifyPrograms::order),
                "shopifyWriteProduct", ActionProgram.of(false, Set.of(CREATE_PRODUCT, UPDATE_PRODUCT, UPDATE_VARIANTS, PUBLICATIONS, PUBLISH),
                        ShopifyPrograms::product),
                "shopifyFulfillOrder", ActionProgram.of(false, Set.of(FULFILLMENT_ORDERS, CREATE_FULFILLMENT), ShopifyPrograms::fulfill));
    }

    // ------------------------------------------------------------------ lists

    private static JsonNode list(JsonNode input, ActionProgram.Steps steps) {
        Kind kind = KINDS.get(input.get("records").asString());
        List<String> terms = new ArrayList<>();
        if (kind.ids() != null && input.hasNonNull(kind.ids())) {
            terms.add(ids(input.get(kind.ids()), "parameters." + kind.ids()));
        }
        range(input, "createdAt", kind.created(), terms);
        range(input, "updatedAt", "updated_at", terms);
        for (List<String> text : List.of(List.of("title", "title"), List.of("productType", "product_type"), List.of("vendor", "vendor"))) {
            if (input.hasNonNull(text.get(0))) {
                terms.add(text.get(1) + ":" + ShopifySearch.quoted(input.get(text.get(0)).asString(), "parameters." + text.get(0)));
            }
        }
        if (kind.step().equals("SHOPIFY_QUERY_ABANDONED_CHECKOUTS")) {
            terms.add("status:" + input.path("status").asString("open"));
        } else if (input.hasNonNull("status")) {
            terms.add("status:" + input.get("status").asString());
        }
        if (input.hasNonNull("createdAfterId")) {
            terms.add("id:>" + digits(input.get("createdAfterId").asString(), "parameters.createdAfterId"));
        }
        if (input.hasNonNull("createdWithInLast")) {
            Instant since = Instant.now().minus(duration(input.get("createdWithInLast").asString())).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            terms.add(kind.created() + ":>=" + ShopifySearch.quoted(since.toString(), "parameters.createdWithInLast"));
        }
        for (String formula : List.of("filterFormula", "productFilterFormula")) {
            if (input.hasNonNull(formula)) {
                String query = formula(input.get(formula), "parameters." + formula);
                if (!query.isBlank()) {
                    terms.add(terms.isEmpty() ? query : "(" + query + ")");
                }
            }
        }
        ObjectNode step = Json.object();
        if (!terms.isEmpty()) {
            step.put("query", String.join(" AND ", terms));
        }
        if (kind.step().equals("SHOPIFY_QUERY_ORDERS")) {
            step.put("sortKey", "CREATED_AT").put("reverse", true); // newest first, as Shopify's REST orders came
        }
        ObjectNode paging = input.path("paginationParameters").isObject() ? (ObjectNode) input.get("paginationParameters").deepCopy() : Json.object();
        if (input.hasNonNull("limit") && !paging.has("pageSize")) {
            paging.put("pageSize", Integer.parseInt(input.get("limit").asString()));
        }
        if (!paging.isEmpty()) {
            step.set("paginationParameters", paging);
        }
        return steps.run(kind.step(), step);
    }

    /** A filter formula as Shopify's search syntax; text that is not a formula in JSON is that syntax already. */
    private static String formula(JsonNode value, String path) {
        if (value.isString() && !value.asString().strip().startsWith("{")) {
            return value.asString().strip();
        }
        return ShopifySearch.of(value.isString() ? FilterFormulas.fromText(value.asString(), path) : value, path);
    }

    /** IDs (comma-separated text or a list; numbers or global IDs) as {@code (id:1 OR id:2)}. */
    private static String ids(JsonNode given, String path) {
        List<String> ids = new ArrayList<>();
        for (String item : texts(given)) {
            ids.add("id:" + digits(item.substring(item.lastIndexOf('/') + 1), path));
        }
        if (ids.isEmpty()) {
            throw Failure.invalidInput("invalid_parameters", path + ": give at least one ID.");
        }
        return ids.size() == 1 ? ids.get(0) : "(" + String.join(" OR ", ids) + ")";
    }

    /** {@code <prefix>Min} and {@code <prefix>Max} as comparisons on the search key. */
    private static void range(JsonNode input, String prefix, String key, List<String> terms) {
        if (input.hasNonNull(prefix + "Min")) {
            terms.add(key + ":>=" + ShopifySearch.quoted(time(input.get(prefix + "Min"), "parameters." + prefix + "Min"), "parameters." + prefix + "Min"));
        }
        if (input.hasNonNull(prefix + "Max")) {
            terms.add(key + ":<=" + ShopifySearch.quoted(time(input.get(prefix + "Max"), "parameters." + prefix + "Max"), "parameters." + prefix + "Max"));
        }
    }

    /** An ISO 8601 time or date, or Unix seconds (or milliseconds), as Shopify's search writes times. */
    private static String time(JsonNode value, String path) {
        String text = value.asString("").strip();
        if (value.isNumber() || DIGITS.matcher(text).matches()) {
            long number = Long.parseLong(text);
            Instant at = number >= 100_000_000_000L ? Instant.ofEpochMilli(number) : Instant.ofEpochSecond(number);
            return at.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        }
        return ShopifySearch.time(value, path);
    }

    private static Duration duration(String text) {
        String given = text.strip().toLowerCase(Locale.ROOT);
        Matcher match = WITHIN.matcher(given);
        if (match.matches()) {
            long n = Long.parseLong(match.group(1));
            return switch (match.group(2).charAt(0)) {
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                case 'd' -> Duration.ofDays(n);
                default -> Duration.ofDays(7 * n);
            };
        }
        try {
            String iso = given.toUpperCase(Locale.ROOT);
            if (iso.contains("T")) {
                return Duration.parse(iso);
            }
            java.time.Period period = java.time.Period.parse(iso);
            if (period.toTotalMonths() == 0) {
                return Duration.ofDays(period.getDays());
            }
        } catch (java.time.format.DateTimeParseException unreadable) {
            // said below
        }
        throw Failure.invalidInput("invalid_parameters", "parameters.createdWithInLast: " + Echo.quote(text)
                + " is not a duration such as 2h, 3 days, P7D or PT12H.");
    }

    // ------------------------------------------------------------------ customers

    private static JsonNode customer(JsonNode input, ActionProgram.Steps steps) {
        boolean update = input.hasNonNull("customerId");
        ObjectNode customer = Json.object();
        if (update) {
            customer.put("id", gid("Customer", input.get("customerId").asString(), "parameters.customerId"));
        }
        for (String field : List.of("firstName", "lastName", "email", "phone", "note")) {
            if (input.hasNonNull(field)) {
                customer.set(field, input.get(field));
            }
        }
        if (input.hasNonNull("tags")) {
            customer.set("tags", Json.MAPPER.valueToTree(texts(input.get("tags"))));
        }
        if (input.hasNonNull("metafields")) {
            customer.set("metafields", input.get("metafields"));
        }
        ObjectNode address = address(input);
        if (!address.isEmpty()) {
            customer.putArray("addresses").add(address);
        }
        ObjectNode written = (ObjectNode) steps.run(update ? UPDATE_CUSTOMER : CREATE_CUSTOMER, Json.object().set("input", customer)).deepCopy();
        if (input.path("sendEmailInvite").asBoolean(false)) {
            steps.run(INVITE, Json.object().put("customerId", written.at("/customer/id").asString()));
            written.put("invitationSent", true);
        }
        return written;
    }

    /** ActionKit's flat address fields as Shopify's MailingAddressInput. */
    private static ObjectNode address(JsonNode input) {
        ObjectNode address = Json.object();
        Map<String, String> fields = new java.util.LinkedHashMap<>();
        fields.put("streetAddressLine1", "address1");
        fields.put("streetAddressLine2", "address2");
        fields.put("city", "city");
        fields.put("company", "company");
        fields.put("state", "provinceCode");
        fields.put("zipCode", "zip");
        fields.forEach((given, shopify) -> {
            if (input.hasNonNull(given)) {
                address.put(shopify, input.get(given).asString());
            }
        });
        if (input.hasNonNull("country")) {
            String code = Countries.code(input.get("country").asString());
            if (code == null) {
                throw Failure.invalidInput("invalid_parameters", "parameters.country: " + Echo.quote(input.get("country").asString())
                        + " is not a country: give its two-letter ISO code, such as CA, or its English name, such as Canada.");
            }
            address.put("countryCode", code);
        }
        if (!address.isEmpty()) {
            for (String name : List.of("firstName", "lastName", "phone")) {
                if (input.hasNonNull(name)) {
                    address.put(name, input.get(name).asString());
                }
            }
        }
        return address;
    }

    // ------------------------------------------------------------------ orders

    private static JsonNode order(JsonNode input, ActionProgram.Steps steps) {
        JsonNode given = input.get("lineItems");
        JsonNode items = ProgramInputs.json(given, "parameters.lineItems", "a list of line items");
        if (!items.isArray() || items.isEmpty()) {
            throw Failure.invalidInput("invalid_parameters", "parameters.lineItems: give a list of line items, such as [{\"variant_id\": \"447654529\", \"quantity\": 1}].");
        }
        String currency = null;
        ArrayNode lineItems = Json.MAPPER.createArrayNode();
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String where = "parameters.lineItems[" + i + "]";
            ObjectNode line = lineItems.addObject();
            String quantity = item.path("quantity").asString("");
            if (!DIGITS.matcher(quantity).matches() || Long.parseLong(quantity) < 1 || quantity.length() > 6) {
                throw Failure.invalidInput("invalid_parameters", where + ".quantity: a whole number of at least 1.");
            }
            line.put("quantity", Integer.parseInt(quantity));
            JsonNode variant = item.hasNonNull("variant_id") ? item.get("variant_id") : item.get("variantId");
            if (variant != null && !variant.isNull()) {
                line.put("variantId", gid("ProductVariant", variant.asString(), where + ".variant_id"));
            }
            if (item.hasNonNull("title")) {
                line.put("title", item.get("title").asString());
            }
            if (item.hasNonNull("price")) {
                String price = item.get("price").asString().strip();
                if (!price.matches("^[0-9]{1,12}(\\.[0-9]{1,4})?$")) {
                    throw Failure.invalidInput("invalid_parameters", where + ".price: " + Echo.quote(price) + " is not an amount such as 12.50.");
                }
                if (currency == null) {
                    currency = steps.run(GET_SHOP, Json.object()).path("currencyCode").asString();
                }
                line.putObject("priceSet").putObject("shopMoney").put("amount", price).put("currencyCode", currency);
            }
            if (!line.has("variantId") && !(line.has("title") && line.has("priceSet"))) {
                throw Failure.invalidInput("invalid_parameters", where + ": give a variant_id, or a title and a price for a custom item.");
            }
        }
        ObjectNode order = Json.object().put("email", input.get("email").asString());
        order.set("lineItems", lineItems);
        if (input.hasNonNull("note")) {
            order.put("note", input.get("note").asString());
        }
        if (input.hasNonNull("financialStatus")) {
            order.put("financialStatus", input.get("financialStatus").asString().toUpperCase(Locale.ROOT));
        }
        String fulfillment = input.path("fulfillmentStatus").asString("null");
        if (!fulfillment.equals("null")) {
            order.put("fulfillmentStatus", fulfillment.toUpperCase(Locale.ROOT));
        }
        ObjectNode options = Json.object();
        if (input.hasNonNull("sendReceipt")) {
            options.put("sendReceipt", input.get("sendReceipt").asBoolean());
        }
        if (input.hasNonNull("inventoryBehaviour")) {
            options.put("inventoryBehaviour", input.get("inventoryBehaviour").asString().toUpperCase(Locale.ROOT));
        }
        ObjectNode step = Json.object().set("order", order);
        if (!options.isEmpty()) {
            step.set("options", options);
        }
        return steps.run(CREATE_ORDER, step);
    }

    // ------------------------------------------------------------------ products

    private static JsonNode product(JsonNode input, ActionProgram.Steps steps) {
        boolean update = input.hasNonNull("productId");
        ObjectNode step = Json.object();
        for (String field : List.of("productId", "title", "productType", "vendor", "productDescription", "tags")) {
            if (input.hasNonNull(field)) {
                step.set(field, input.get(field));
            }
        }
        if (input.hasNonNull("imageUrl")) {
            step.putArray("media").addObject().put("originalSource", input.get("imageUrl").asString()).put("mediaContentType", "IMAGE");
        }
        if (input.hasNonNull("isPublished")) {
            step.putObject("additionalFields").put("status", input.get("isPublished").asBoolean() ? "ACTIVE" : "DRAFT");
        }
        ObjectNode written = (ObjectNode) steps.run(update ? UPDATE_PRODUCT : CREATE_PRODUCT, step).deepCopy();
        JsonNode product = written.path("product");
        if (input.hasNonNull("price") || input.hasNonNull("inventoryPolicy")) {
            JsonNode variant = product.at("/variants/nodes/0/id");
            if (variant.isMissingNode()) {
                throw new Failure(Failure.Kind.VENDOR_FAILED, "integration_response_unreadable", "Shopify answered the product "
                        + product.path("id").asString() + " without a variant to price.");
            }
            ObjectNode change = Json.object().put("id", variant.asString());
            if (input.hasNonNull("price")) {
                change.put("price", input.get("price").asString());
            }
            if (input.hasNonNull("inventoryPolicy")) {
                change.put("inventoryPolicy", input.get("inventoryPolicy").asString().toUpperCase(Locale.ROOT));
            }
            ObjectNode variants = Json.object().put("productId", product.path("id").asString());
            variants.putArray("variants").add(change);
            written.set("variants", steps.run(UPDATE_VARIANTS, variants).path("productVariants"));
        }
        List<String> channels = new ArrayList<>();
        if (input.path("isPublished").asBoolean(false)) {
            channels.add("Online Store");
        }
        if (input.path("publishToPointToSale").asBoolean(false)) {
            channels.add("Point of Sale");
        }
        if (!channels.isEmpty()) {
            written.set("publishedTo", publish(steps, product.path("id").asString(), channels));
        }
        return written;
    }

    /** Publishes the product to the channels' publications found by name; the names published to. */
    private static JsonNode publish(ActionProgram.Steps steps, String productId, List<String> channels) {
        ArrayNode ids = Json.MAPPER.createArrayNode();
        ArrayNode names = Json.MAPPER.createArrayNode();
        for (JsonNode publication : steps.run(PUBLICATIONS, Json.object()).path("nodes")) {
            String name = publication.path("name").asString("");
            if (channels.stream().anyMatch(name::equalsIgnoreCase)) {
                ids.add(publication.get("id").asString());
                names.add(name);
            }
        }
        if (ids.size() < channels.size()) {
            throw Failure.invalidInput("invalid_parameters", "parameters: the store has no sales channel named " + channels.stream()
                    .filter(c -> names.valueStream().noneMatch(n -> n.asString().equalsIgnoreCase(c))).toList()
                    + " to publish product " + productId + " to (it was written; install the channel's app, or leave the option out).");
        }
        steps.run(PUBLISH, Json.object().put("id", productId).set("publicationIds", ids));
        return names;
    }

    // ------------------------------------------------------------------ fulfillment

    /** Fulfils every open fulfillment order of the order: Shopify ships by fulfillment order, ActionKit's callers by order. */
    private static JsonNode fulfill(JsonNode input, ActionProgram.Steps steps) {
        String orderId = input.get("orderId").asString();
        ArrayNode open = Json.MAPPER.createArrayNode();
        for (JsonNode order : steps.run(FULFILLMENT_ORDERS, Json.object().put("orderId", orderId)).at("/fulfillmentOrders/nodes")) {
            if (FULFILLABLE.contains(order.path("status").asString())) {
                open.addObject().put("fulfillmentOrderId", order.get("id").asString());
            }
        }
        if (open.isEmpty()) {
            throw Failure.invalidInput("invalid_parameters", "parameters.orderId: order " + orderId + " has nothing left to fulfil "
                    + "(its fulfillment orders are closed, cancelled or on hold).");
        }
        ObjectNode fulfillment = Json.object();
        fulfillment.set("lineItemsByFulfillmentOrder", open);
        ObjectNode tracking = Json.object();
        for (List<String> field : List.of(List.of("trackingNumber", "number"), List.of("trackingUrl", "url"), List.of("trackingCompany", "company"))) {
            if (input.hasNonNull(field.get(0))) {
                tracking.put(field.get(1), input.get(field.get(0)).asString());
            }
        }
        if (!tracking.isEmpty()) {
            fulfillment.set("trackingInfo", tracking);
        }
        if (input.hasNonNull("notifyCustomer")) {
            fulfillment.put("notifyCustomer", input.get("notifyCustomer").asBoolean());
        }
        return steps.run(CREATE_FULFILLMENT, Json.object().set("fulfillment", fulfillment));
    }

    // ------------------------------------------------------------------ values

    /** A number as Shopify's global ID of the type; a global ID of that type as it is. */
    private static String gid(String type, String given, String path) {
        String prefix = "gid://shopify/" + type + "/";
        String id = given.strip().startsWith(prefix) ? given.strip().substring(prefix.length()) : given.strip();
        return prefix + digits(id, path);
    }

    private static String digits(String given, String path) {
        if (!DIGITS.matcher(given.strip()).matches()) {
            throw Failure.invalidInput("invalid_parameters", path + ": " + Echo.quote(given) + " is not a Shopify ID (a number such as 207119551).");
        }
        return given.strip();
    }

    /** A list's texts, or comma-separated text's items. */
    private static List<String> texts(JsonNode given) {
        List<String> items = new ArrayList<>();
        if (given.isArray()) {
            given.forEach(item -> items.add(item.asString().strip()));
        } else {
            for (String item : given.asString("").split(",")) {
                if (!item.isBlank()) {
                    items.add(item.strip());
                }
            }
        }
        return items;
    }
}
