package dev.switchboard.fakes;

import dev.switchboard.fakes.spec.SpecFake;
import graphql.ErrorType;
import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.introspection.IntrospectionResultToSchema;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.TypeDefinitionRegistry;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.node.ObjectNode;

/**
 * One Shopify store's Admin GraphQL API ({@code /admin/api/2025-01/graphql.json}), answered by executing each request
 * on Shopify's own schema (its introspection, shopify-admin-graphql-2025-01.json.gz, read with graphql-java): a
 * misspelt field, an enum value Shopify does not have ({@code financialStatus: "paid"}) or a missing non-null variable
 * is refused as Shopify refuses it. Customers, orders, abandoned checkouts, products with variants, and publications
 * are kept here; lists answer the {@code query} argument in Shopify's search syntax ({@link ShopifySearchMatcher}) and
 * page by {@code first}/{@code after}; mutations refuse bad input with {@code userErrors} (a taken email, an unknown
 * record). Throttling answers {@code THROTTLED} with the query cost, and a bad token 401 with {@code errors} as text,
 * as Shopify does. The token is read from {@code X-Shopify-Access-Token}.
 */
public final class ShopifyFake extends VendorFake {
    public static final String SCHEMA = "shopify-admin-graphql-2025-01.json.gz";
    public static final String SHOP = "acme-coffee";
    /** One schema per JVM: reading Shopify's introspection and building it takes seconds. */
    private static volatile TypeDefinitionRegistry registry;

    private final Map<String, Map<String, Object>> customers = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Object>> orders = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Object>> checkouts = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Object>> products = new ConcurrentHashMap<>();
    private final List<String> invited = new CopyOnWriteArrayList<>();
    private final Map<String, List<String>> published = new ConcurrentHashMap<>();
    private final List<Map<String, Object>> fulfilled = new CopyOnWriteArrayList<>();
    private final List<Map<String, Object>> drafts = new CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong(1_000);
    private final GraphQL graphql;

    public ShopifyFake() {
        this.graphql = GraphQL.newGraphQL(schema()).build();
        reset();
    }

    public static boolean available() {
        return Files.isReadable(SpecFake.DOCUMENTS.resolve(SCHEMA));
    }

    /** The store's Admin API as {@code urls.api} names it. */
    public String apiUrl() {
        return baseUrl() + "/admin/api/2025-01";
    }

    public Map<String, Map<String, Object>> customers() {
        return customers;
    }

    public Map<String, Map<String, Object>> orders() {
        return orders;
    }

    public Map<String, Map<String, Object>> products() {
        return products;
    }

    public List<String> invited() {
        return invited;
    }

    public Map<String, List<String>> published() {
        return published;
    }

    public List<Map<String, Object>> drafts() {
        return drafts;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> fulfillmentOrder(String id) {
        for (Map<String, Object> order : orders.values()) {
            for (Map<String, Object> candidate : (List<Map<String, Object>>) ((Map<String, Object>) order.get("fulfillmentOrders")).get("nodes")) {
                if (candidate.get("id").equals(id)) {
                    return candidate;
                }
            }
        }
        return null;
    }

    /** Back to the store the tests start from: three customers, three orders, two checkouts, two products. */
    @Override
    public void reset() {
        super.reset();
        customers.clear();
        orders.clear();
        checkouts.clear();
        products.clear();
        invited.clear();
        published.clear();
        fulfilled.clear();
        drafts.clear();
        addCustomer(Map.of("firstName", "Ada", "lastName", "Lovelace", "email", "ada@example.com", "tags", List.of("vip")), "2025-01-10T09:00:00Z");
        addCustomer(Map.of("firstName", "Grace", "lastName", "Hopper", "email", "grace@example.com"), "2025-03-02T09:00:00Z");
        addCustomer(Map.of("firstName", "Alan", "lastName", "Turing", "email", "alan@example.com"), "2025-06-20T09:00:00Z");
        Map<String, Object> mug = addProduct(Map.of("title", "Coffee mug", "productType", "Mugs", "vendor", "Coffee Co", "status", "ACTIVE"));
        addProduct(Map.of("title", "Espresso cup", "productType", "Cups", "vendor", "Bean There", "status", "DRAFT"));
        String variant = firstVariant(mug);
        for (int i = 0; i < 3; i++) {
            addOrder(Map.of("email", "ada@example.com", "lineItems", List.of(Map.of("variantId", variant, "quantity", i + 1))), "2025-0" + (i + 4) + "-01T10:00:00Z");
        }
        addCheckout("2025-05-01T10:00:00Z", null);
        addCheckout("2025-05-02T10:00:00Z", "2025-05-03T10:00:00Z");
    }

    @SuppressWarnings("unchecked")
    public static String firstVariant(Map<String, Object> product) {
        return ((List<Map<String, Object>>) ((Map<String, Object>) product.get("variants")).get("nodes")).get(0).get("id").toString();
    }

    private String gid(String type) {
        return "gid://shopify/" + type + "/" + ids.incrementAndGet();
    }

    private static String number(String gid) {
        return gid.substring(gid.lastIndexOf('/') + 1);
    }

    private static Map<String, Object> money(String amount) {
        return Map.of("shopMoney", Map.of("amount", amount, "currencyCode", "CAD"));
    }

    public Map<String, Object> addCustomer(Map<String, Object> input, String createdAt) {
        Map<String, Object> customer = new ConcurrentHashMap<>();
        String id = gid("Customer");
        customer.put("id", id);
        customer.put("legacyResourceId", number(id));
        customer.put("tags", List.of());
        customer.put("state", "DISABLED");
        customer.put("verifiedEmail", false);
        customer.put("numberOfOrders", "0");
        customer.put("createdAt", createdAt);
        customer.put("amountSpent", Map.of("amount", "0.0", "currencyCode", "CAD"));
        applyCustomer(customer, input);
        customer.put("updatedAt", createdAt);
        customers.put(id, customer);
        return customer;
    }

    @SuppressWarnings("unchecked")
    private void applyCustomer(Map<String, Object> customer, Map<String, Object> input) {
        input.forEach((field, value) -> {
            if (field.equals("addresses") && value instanceof List<?> addresses && !addresses.isEmpty()) {
                Map<String, Object> address = new LinkedHashMap<>((Map<String, Object>) addresses.get(0));
                Object country = address.remove("countryCode");
                if (country != null) address.put("countryCodeV2", country.toString());
                customer.put("defaultAddress", address);
            } else if (!field.equals("id") && value != null) {
                customer.put(field, value);
            }
        });
        customer.put("displayName", (customer.getOrDefault("firstName", "") + " " + customer.getOrDefault("lastName", "")).strip());
        customer.put("updatedAt", Instant.now().toString());
    }

    private Map<String, Object> addProduct(Map<String, Object> input) {
        Map<String, Object> product = new ConcurrentHashMap<>();
        String id = gid("Product");
        String now = Instant.now().toString();
        product.put("id", id);
        product.put("legacyResourceId", number(id));
        product.put("handle", input.get("title").toString().toLowerCase().replace(' ', '-'));
        product.put("descriptionHtml", "");
        product.put("productType", "");
        product.put("vendor", "");
        product.put("status", "ACTIVE");
        product.put("tags", List.of());
        product.put("createdAt", now);
        product.put("updatedAt", now);
        product.put("totalInventory", 0);
        Map<String, Object> variant = new ConcurrentHashMap<>(Map.of("id", gid("ProductVariant"), "title", "Default Title", "price", "0.00",
                "inventoryPolicy", "DENY", "inventoryQuantity", 0));
        product.put("variants", Map.of("nodes", new CopyOnWriteArrayList<>(List.of(variant))));
        product.put("media", Map.of("nodes", List.of()));
        input.forEach((k, v) -> {
            if (v != null && !k.equals("id")) product.put(k, v);
        });
        products.put(id, product);
        return product;
    }

    private void addOrder(Map<String, Object> input, String createdAt) {
        Map<String, Object> order = new ConcurrentHashMap<>();
        String id = gid("Order");
        order.put("id", id);
        order.put("legacyResourceId", number(id));
        order.put("name", "#" + (1000 + orders.size() + 1));
        order.put("tags", List.of());
        order.put("createdAt", createdAt);
        order.put("updatedAt", createdAt);
        order.put("processedAt", createdAt);
        order.put("displayFinancialStatus", input.getOrDefault("financialStatus", "PENDING"));
        order.put("displayFulfillmentStatus", "FULFILLED".equals(input.get("fulfillmentStatus")) ? "FULFILLED" : "UNFULFILLED");
        order.put("currencyCode", "CAD");
        order.put("totalPriceSet", money("12.50"));
        order.put("email", input.get("email"));
        if (input.get("note") != null) order.put("note", input.get("note"));
        List<Map<String, Object>> lines = new ArrayList<>();
        for (Object item : (List<?>) input.get("lineItems")) {
            Map<?, ?> line = (Map<?, ?>) item;
            Map<String, Object> node = new LinkedHashMap<>();
            node.put("id", gid("LineItem"));
            node.put("title", line.get("title") == null ? "Coffee mug" : line.get("title"));
            node.put("quantity", line.get("quantity"));
            if (line.get("variantId") != null) node.put("variant", Map.of("id", line.get("variantId")));
            node.put("originalUnitPriceSet", money(line.get("priceSet") instanceof Map<?, ?> set
                    ? ((Map<?, ?>) set.get("shopMoney")).get("amount").toString() : "12.50"));
            lines.add(node);
        }
        order.put("lineItems", Map.of("nodes", lines));
        Map<String, Object> fulfillmentOrder = new ConcurrentHashMap<>(Map.of("id", gid("FulfillmentOrder"), "status", "OPEN",
                "requestStatus", "UNSUBMITTED", "assignedLocation", Map.of("name", "Shop location")));
        order.put("fulfillmentOrders", Map.of("nodes", List.of(fulfillmentOrder)));
        orders.put(id, order);
    }

    private void addCheckout(String createdAt, String completedAt) {
        Map<String, Object> checkout = new ConcurrentHashMap<>();
        String id = gid("AbandonedCheckout");
        checkout.put("id", id);
        checkout.put("legacyResourceId", number(id));
        checkout.put("name", "#C" + number(id));
        checkout.put("abandonedCheckoutUrl", "https://" + SHOP + ".myshopify.com/checkouts/" + number(id) + "/recover");
        checkout.put("createdAt", createdAt);
        checkout.put("updatedAt", createdAt);
        if (completedAt != null) checkout.put("completedAt", completedAt);
        checkout.put("status", completedAt == null ? "open" : "closed");
        checkout.put("note", "");
        checkout.put("totalPriceSet", money("25.00"));
        checkout.put("lineItems", Map.of("nodes", List.of()));
        checkouts.put(id, checkout);
    }

    private static Map<String, Object> payload(String key, Object record, List<Map<String, Object>> userErrors) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put(key, userErrors.isEmpty() ? record : null);
        payload.put("userErrors", userErrors);
        return payload;
    }

    private static List<Map<String, Object>> refusal(String field, String message) {
        return List.of(Map.of("field", List.of(field), "message", message));
    }

    /** A connection of the records that match the search query, in the sort order asked, paged. */
    private static Map<String, Object> list(java.util.Collection<Map<String, Object>> records, graphql.schema.DataFetchingEnvironment env) {
        String query = env.getArgument("query");
        List<Map<String, Object>> found = new ArrayList<>(records.stream().filter(r -> ShopifySearchMatcher.matches(r, query)).toList());
        String sortKey = env.getArgumentOrDefault("sortKey", "ID");
        Comparator<Map<String, Object>> order = sortKey.equals("CREATED_AT") ? Comparator.comparing(r -> r.get("createdAt").toString())
                : Comparator.comparingLong(r -> Long.parseLong(r.get("legacyResourceId").toString()));
        found.sort(Boolean.TRUE.equals(env.getArgument("reverse")) ? order.reversed() : order);
        return GraphQlSchemas.page(found, env.getArgument("first"), env.getArgument("after"));
    }

    @SuppressWarnings("unchecked")
    private GraphQLSchema schema() {
        if (registry == null) {
            try (InputStream in = new java.util.zip.GZIPInputStream(Files.newInputStream(SpecFake.DOCUMENTS.resolve(SCHEMA)))) {
                Map<String, Object> introspection = JSON.readValue(in, Map.class);
                registry = new SchemaParser().buildRegistry(new IntrospectionResultToSchema().createSchemaDefinition((Map<String, Object>) introspection.get("data")));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return GraphQlSchemas.executable(registry, wiring -> wiring.type("QueryRoot", type -> type
                .dataFetcher("customers", env -> list(customers.values(), env))
                .dataFetcher("orders", env -> list(orders.values(), env))
                .dataFetcher("abandonedCheckouts", env -> list(checkouts.values(), env))
                .dataFetcher("products", env -> list(products.values(), env))
                .dataFetcher("order", env -> orders.get(env.<String>getArgument("id")))
                .dataFetcher("shop", env -> Map.of("id", "gid://shopify/Shop/1", "name", "Acme Coffee", "myshopifyDomain", SHOP + ".myshopify.com",
                        "email", "owner@acme.example", "currencyCode", "CAD", "ianaTimezone", "America/Toronto", "plan", Map.of("displayName", "Basic")))
                .dataFetcher("publications", env -> Map.of("nodes", List.of(
                        Map.of("id", "gid://shopify/Publication/1", "name", "Online Store"),
                        Map.of("id", "gid://shopify/Publication/2", "name", "Point of Sale")))))
                .type("Mutation", type -> type
                        .dataFetcher("customerCreate", env -> {
                            Map<String, Object> input = env.getArgument("input");
                            if (customers.values().stream().anyMatch(c -> c.get("email") != null && c.get("email").equals(input.get("email")))) {
                                return payload("customer", null, refusal("email", "Email has already been taken"));
                            }
                            return payload("customer", addCustomer(input, Instant.now().toString()), List.of());
                        })
                        .dataFetcher("customerUpdate", env -> {
                            Map<String, Object> input = env.getArgument("input");
                            Map<String, Object> customer = customers.get(String.valueOf(input.get("id")));
                            if (customer == null) {
                                return payload("customer", null, refusal("id", "Customer does not exist"));
                            }
                            applyCustomer(customer, input);
                            return payload("customer", customer, List.of());
                        })
                        .dataFetcher("customerSendAccountInviteEmail", env -> {
                            Map<String, Object> customer = customers.get(env.<String>getArgument("customerId"));
                            if (customer == null) {
                                return payload("customer", null, refusal("customerId", "Customer does not exist"));
                            }
                            invited.add(customer.get("id").toString());
                            return payload("customer", customer, List.of());
                        })
                        .dataFetcher("orderCreate", env -> {
                            Map<String, Object> order = env.getArgument("order");
                            for (Object item : (List<?>) order.get("lineItems")) {
                                Object variant = ((Map<?, ?>) item).get("variantId");
                                if (variant != null && products.values().stream().noneMatch(p -> firstVariant(p).equals(variant))) {
                                    return payload("order", null, List.of(Map.of("field", List.of("order", "lineItems", "0", "variantId"),
                                            "message", "Variant does not exist", "code", "INVALID")));
                                }
                            }
                            addOrder(order, Instant.now().toString());
                            Map<String, Object> created = orders.values().stream().max(Comparator.comparingLong(o -> Long.parseLong(o.get("legacyResourceId").toString()))).orElseThrow();
                            return payload("order", created, List.of());
                        })
                        .dataFetcher("orderUpdate", env -> {
                            Map<String, Object> input = env.getArgument("input");
                            Map<String, Object> order = orders.get(String.valueOf(input.get("id")));
                            if (order == null) {
                                return payload("order", null, refusal("id", "Order does not exist"));
                            }
                            input.forEach((k, v) -> {
                                if (v != null && !k.equals("id")) order.put(k, v);
                            });
                            order.put("updatedAt", Instant.now().toString());
                            return payload("order", order, List.of());
                        })
                        .dataFetcher("fulfillmentCreate", env -> {
                            Map<String, Object> input = env.getArgument("fulfillment");
                            List<Map<String, Object>> byOrder = (List<Map<String, Object>>) input.get("lineItemsByFulfillmentOrder");
                            for (Map<String, Object> entry : byOrder) {
                                Map<String, Object> target = fulfillmentOrder(String.valueOf(entry.get("fulfillmentOrderId")));
                                if (target == null || !"OPEN".equals(target.get("status"))) {
                                    return Map.of("userErrors", refusal("fulfillment", "Fulfillment order " + entry.get("fulfillmentOrderId") + " is not open"));
                                }
                            }
                            for (Map<String, Object> entry : byOrder) {
                                fulfillmentOrder(String.valueOf(entry.get("fulfillmentOrderId"))).put("status", "CLOSED");
                            }
                            Map<String, Object> tracking = (Map<String, Object>) input.getOrDefault("trackingInfo", Map.of());
                            Map<String, Object> fulfillment = new LinkedHashMap<>(Map.of("id", gid("Fulfillment"), "name", "#F1", "status", "SUCCESS",
                                    "createdAt", Instant.now().toString()));
                            fulfillment.put("trackingInfo", tracking.isEmpty() ? List.of() : List.of(tracking));
                            fulfilled.add(Map.of("fulfillment", input));
                            return payload("fulfillment", fulfillment, List.of());
                        })
                        .dataFetcher("draftOrderCreate", env -> {
                            Map<String, Object> input = env.getArgument("input");
                            String id = gid("DraftOrder");
                            Map<String, Object> draft = new LinkedHashMap<>(input);
                            draft.put("id", id);
                            draft.put("legacyResourceId", number(id));
                            draft.put("name", "#D" + number(id));
                            draft.put("note2", String.valueOf(input.getOrDefault("note", "")));
                            draft.put("tags", input.getOrDefault("tags", List.of()));
                            draft.put("status", "OPEN");
                            draft.put("invoiceUrl", "https://" + SHOP + ".myshopify.com/invoices/" + number(id));
                            draft.put("createdAt", Instant.now().toString());
                            draft.put("totalPriceSet", money("12.50"));
                            drafts.add(draft);
                            return payload("draftOrder", draft, List.of());
                        })
                        .dataFetcher("refundCreate", env -> {
                            Map<String, Object> input = env.getArgument("input");
                            if (!orders.containsKey(String.valueOf(input.get("orderId")))) {
                                return payload("refund", null, refusal("orderId", "Order does not exist"));
                            }
                            String id = gid("Refund");
                            return payload("refund", Map.of("id", id, "legacyResourceId", number(id), "note", String.valueOf(input.getOrDefault("note", "")),
                                    "createdAt", Instant.now().toString(), "totalRefundedSet", money("0.00")), List.of());
                        })
                        .dataFetcher("inventoryAdjustQuantities", env -> {
                            Map<String, Object> input = env.getArgument("input");
                            if (!List.of("correction", "damaged", "received", "restock", "shrinkage", "other").contains(String.valueOf(input.get("reason")))) {
                                return Map.of("userErrors", refusal("input.reason", "The specified reason is invalid"));
                            }
                            List<Map<String, Object>> changes = ((List<Map<String, Object>>) input.get("changes")).stream().map(change ->
                                    Map.<String, Object>of("name", input.get("name"), "delta", change.get("delta"), "quantityAfterChange", 10 + (Integer) change.get("delta"))).toList();
                            return Map.of("inventoryAdjustmentGroup", Map.of("id", gid("InventoryAdjustmentGroup"), "reason", input.get("reason"),
                                    "createdAt", Instant.now().toString(), "changes", changes), "userErrors", List.of());
                        })
                        .dataFetcher("orderCancel", env -> Map.of("job", Map.of("id", gid("Job"), "done", false), "orderCancelUserErrors",
                                orders.containsKey(env.<String>getArgument("orderId")) ? List.of() : refusal("orderId", "Order does not exist"), "userErrors", List.of()))
                        .dataFetcher("productCreate", env -> {
                            Map<String, Object> input = new LinkedHashMap<>(env.getArgument("product"));
                            List<Map<String, Object>> media = env.getArgument("media");
                            Map<String, Object> product = addProduct(input);
                            if (media != null) {
                                product.put("media", Map.of("nodes", media.stream().map(m -> Map.<String, Object>of("id", gid("MediaImage"), "alt",
                                        String.valueOf(m.getOrDefault("alt", "")), "mediaContentType", m.get("mediaContentType"), "status", "UPLOADED")).toList()));
                            }
                            return payload("product", product, List.of());
                        })
                        .dataFetcher("productUpdate", env -> {
                            Map<String, Object> input = env.getArgument("product");
                            Map<String, Object> product = products.get(String.valueOf(input.get("id")));
                            if (product == null) {
                                return payload("product", null, refusal("id", "Product does not exist"));
                            }
                            input.forEach((k, v) -> {
                                if (v != null && !k.equals("id")) product.put(k, v);
                            });
                            product.put("updatedAt", Instant.now().toString());
                            return payload("product", product, List.of());
                        })
                        .dataFetcher("productDelete", env -> {
                            String id = String.valueOf(env.<Map<String, Object>>getArgument("input").get("id"));
                            if (products.remove(id) == null) {
                                return Map.of("userErrors", refusal("id", "Product does not exist"));
                            }
                            return Map.of("deletedProductId", id, "userErrors", List.of());
                        })
                        .dataFetcher("productVariantsBulkUpdate", env -> {
                            Map<String, Object> product = products.get(env.<String>getArgument("productId"));
                            if (product == null) {
                                return Map.of("userErrors", refusal("productId", "Product does not exist"));
                            }
                            List<Map<String, Object>> variants = (List<Map<String, Object>>) ((Map<String, Object>) product.get("variants")).get("nodes");
                            List<Map<String, Object>> changed = new ArrayList<>();
                            for (Map<String, Object> change : env.<List<Map<String, Object>>>getArgument("variants")) {
                                Map<String, Object> variant = variants.stream().filter(v -> v.get("id").equals(change.get("id"))).findFirst().orElse(null);
                                if (variant == null) {
                                    return Map.of("userErrors", refusal("variants", "Product variant does not exist"));
                                }
                                change.forEach((k, v) -> {
                                    if (v != null && !k.equals("id")) variant.put(k, v.toString());
                                });
                                changed.add(variant);
                            }
                            return Map.of("productVariants", changed, "userErrors", List.of());
                        })
                        .dataFetcher("publishablePublish", env -> {
                            String id = env.getArgument("id");
                            if (!products.containsKey(id)) {
                                return Map.of("userErrors", refusal("id", "Product does not exist"));
                            }
                            for (Map<String, Object> publication : env.<List<Map<String, Object>>>getArgument("input")) {
                                published.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(String.valueOf(publication.get("publicationId")));
                            }
                            return Map.of("userErrors", List.of());
                        })));
    }

    @Override
    protected String credentialOf(Context ctx) {
        return ctx.header("X-Shopify-Access-Token");
    }

    @Override
    protected void routes(RoutesConfig routes) {
        post(routes, "/admin/api/2025-01/graphql.json", "graphql", (ctx, body) -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> variables = body.has("variables") ? JSON.convertValue(body.get("variables"), Map.class) : Map.of();
            ExecutionResult result = graphql.execute(ExecutionInput.newExecutionInput(body.path("query").asString(""))
                    .operationName(body.path("operationName").asString(null)).variables(variables).build());
            ObjectNode answer = JSON.valueToTree(result.toSpecification());
            answer.putObject("extensions").putObject("cost").put("requestedQueryCost", 12).put("actualQueryCost", 10)
                    .putObject("throttleStatus").put("maximumAvailable", 2000.0).put("currentlyAvailable", 1990).put("restoreRate", 100.0);
            // Shopify answers a document it cannot run with 200 and errors too; 400 only for a body that is not GraphQL.
            boolean invalid = result.getErrors().stream().anyMatch(e -> e.getErrorType() instanceof ErrorType type
                    && (type == ErrorType.ValidationError || type == ErrorType.InvalidSyntax));
            json(ctx, invalid ? 400 : 200, answer);
        });
    }

    @Override
    protected void rejectCredential(Context ctx) {
        json(ctx, 401, NODES.objectNode().put("errors", "[API] Invalid API key or access token (unrecognized login or wrong password)"));
    }

    /** Shopify's throttling: a 200 whose errors say THROTTLED, the cost asked for and what the bucket holds. */
    @Override
    protected void rateLimit(Context ctx, int retryAfterSeconds) {
        ObjectNode body = NODES.objectNode();
        body.putArray("errors").addObject().put("message", "Throttled").putObject("extensions").put("code", "THROTTLED")
                .put("documentation", "https://shopify.dev/api/usage/rate-limits");
        body.putObject("extensions").putObject("cost").put("requestedQueryCost", 152).put("actualQueryCost", (String) null)
                .putObject("throttleStatus").put("maximumAvailable", 2000.0).put("currentlyAvailable", 2).put("restoreRate", 100.0);
        json(ctx, 200, body);
    }

    @Override
    protected void error(Context ctx, VendorError error) {
        ObjectNode body = NODES.objectNode();
        body.putArray("errors").addObject().put("message", error.message()).putObject("extensions").put("code", error.code() == null ? "INTERNAL_SERVER_ERROR" : error.code());
        json(ctx, error.status(), body);
    }
}
