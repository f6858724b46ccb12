package dev.switchboard.integrations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.fakes.ShopifyFake;
import dev.switchboard.fakes.VendorFake;
import dev.switchboard.testing.Http.Answer;
import dev.switchboard.testing.TestDatabases;
import dev.switchboard.testing.TestServer;
import dev.switchboard.testing.TestServer.Project;
import dev.switchboard.testing.Tokens;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Shopify's actions as ActionKit's clients call them, against a fake store that executes every request on Shopify's
 * own GraphQL schema: ActionKit's REST-era list parameters arrive as Shopify's search syntax with every value a quoted
 * term, lists page exactly once, customers' flat addresses and orders' line items arrive in Shopify's input types,
 * products are priced and published, mutations' userErrors reach the caller, and throttling is waited out.
 */
class ShopifyTest {
    private static final ShopifyFake shopify = new ShopifyFake();
    private static TestServer server;
    private static Project project;
    private static String token;

    @BeforeAll
    static void start() {
        shopify.start();
        server = TestServer.start(TestDatabases.Kind.SQLITE);
        project = server.createProject("shopify");
        server.configureIntegration(project.id(), "shopify", shopify.apiUrl());
        server.importCredential(project.id(), "ada", Map.of("integration", "shopify", "accessToken", "shpat_ada",
                "providerData", Map.of("shop", ShopifyFake.SHOP)));
        shopify.accept("shpat_ada");
        token = Tokens.sign(project.privateKeyPem(), "ada", c -> c);
    }

    @AfterAll
    static void stop() {
        server.close();
        shopify.close();
    }

    @BeforeEach
    void reset() {
        shopify.reset();
    }

    private static Answer run(String action, Map<String, Object> parameters) {
        return server.runAction(project, token, action, parameters);
    }

    /** The variables of the n-th GraphQL request from the end (0: the last). */
    private static JsonNode sent(int fromEnd) {
        List<VendorFake.Received> calls = shopify.received("POST", "/admin/api/2025-01/graphql.json");
        return calls.get(calls.size() - 1 - fromEnd).json();
    }

    private static List<String> emails(JsonNode page) {
        List<String> emails = new ArrayList<>();
        page.path("nodes").forEach(c -> emails.add(c.path("email").asString()));
        return emails;
    }

    private static String customerNumber(String email) {
        return shopify.customers().values().stream().filter(c -> email.equals(c.get("email"))).findFirst().orElseThrow().get("legacyResourceId").toString();
    }

    @Test
    void listParametersAreShopifySearchTermsAndPagesComeOnce() {
        JsonNode byIds = TestServer.expect(run("SHOPIFY_GET_CUSTOMERS", Map.of("customerIds", customerNumber("ada@example.com") + ", " + customerNumber("alan@example.com"))), 200);
        assertThat(sent(0).at("/variables/query").asString()).matches("\\(id:\\d+ OR id:\\d+\\)");
        assertThat(emails(byIds)).containsExactlyInAnyOrder("ada@example.com", "alan@example.com");
        assertThat(sent(0).get("query").asString()).contains("customers(first: $first");
        assertThat(shopify.received().get(0).headers().get("X-Shopify-Access-Token")).isEqualTo("shpat_ada");

        // Created since February, one a page: Grace, then Alan, each once, and the list ends.
        List<String> seen = new ArrayList<>();
        Map<String, Object> parameters = new HashMap<>(Map.of("createdAtMin", "2025-02-01T00:00:00Z", "limit", "1"));
        for (int calls = 0; calls < 5; calls++) {
            JsonNode page = TestServer.expect(run("SHOPIFY_GET_CUSTOMERS", parameters), 200);
            seen.addAll(emails(page));
            if (!page.has("pageCursor")) break;
            parameters.put("paginationParameters", Map.of("pageCursor", page.get("pageCursor").asString()));
        }
        assertThat(seen).containsExactly("grace@example.com", "alan@example.com");
        assertThat(sent(0).at("/variables/query").asString()).isEqualTo("customer_date:>=\"2025-02-01T00:00:00Z\"");
        assertThat(sent(0).at("/variables/first").asInt()).isEqualTo(1);

        // A filter formula's value stays one quoted term, whatever it holds.
        JsonNode ada = TestServer.expect(run("SHOPIFY_SEARCH_CUSTOMERS", Map.of("filterFormula", Map.of("operator", "AND", "conditions",
                List.of(Map.of("field", "email", "operator", "$stringExactlyMatches", "value", "ada@example.com"))))), 200);
        assertThat(emails(ada)).containsExactly("ada@example.com");
        JsonNode injected = TestServer.expect(run("SHOPIFY_SEARCH_CUSTOMERS", Map.of("filterFormula", Map.of("field", "email",
                "operator", "$stringExactlyMatches", "value", "x\" OR email:*"))), 200);
        assertThat(sent(0).at("/variables/query").asString()).isEqualTo("email:\"x\\\" OR email:*\"");
        assertThat(emails(injected)).isEmpty();
        JsonNode contains = TestServer.expect(run("SHOPIFY_SEARCH_CUSTOMERS", Map.of("filterFormula", Map.of("field", "email",
                "operator", "$stringContains", "value", "example"))), 400);
        assertThat(contains.get("message").asString()).contains("filterFormula.operator").contains("$stringContains");

        // Orders since April (Unix seconds), newest first; open abandoned checkouts; products by vendor and status.
        JsonNode orders = TestServer.expect(run("SHOPIFY_GET_ORDERS", Map.of("createdAtMin", 1743465600)), 200);
        assertThat(sent(0).at("/variables/query").asString()).isEqualTo("created_at:>=\"2025-04-01T00:00:00Z\"");
        assertThat(orders.get("nodes")).hasSize(3);
        assertThat(orders.at("/nodes/0/createdAt").asString()).isGreaterThan(orders.at("/nodes/2/createdAt").asString());
        JsonNode carts = TestServer.expect(run("SHOPIFY_GET_ABANDONED_CARTS", Map.of()), 200);
        assertThat(sent(0).at("/variables/query").asString()).isEqualTo("status:open");
        assertThat(carts.get("nodes")).hasSize(1);
        JsonNode products = TestServer.expect(run("SHOPIFY_GET_PRODUCTS", Map.of("vendor", "Coffee Co", "status", "active")), 200);
        assertThat(sent(0).at("/variables/query").asString()).isEqualTo("vendor:\"Coffee Co\" AND status:active");
        assertThat(products.at("/nodes/0/title").asString()).isEqualTo("Coffee mug");
        JsonNode drafts = TestServer.expect(run("SHOPIFY_GET_PRODUCTS_GRAPHQL", Map.of("productFilterFormula", Map.of("field", "status",
                "operator", "$stringExactlyMatches", "value", "draft"))), 200);
        assertThat(drafts.at("/nodes/0/title").asString()).isEqualTo("Espresso cup");
    }

    @Test
    void aCustomerIsWrittenWithAnAddressInShopifysTypesAndInvited() {
        JsonNode created = TestServer.expect(run("SHOPIFY_CREATE_CUSTOMER", Map.of("firstName", "Mary", "lastName", "Somerville",
                "email", "mary@example.com", "streetAddressLine1", "1 Burntisland Rd", "city", "Ottawa", "state", "ON", "country", "Canada",
                "zipCode", "K1A 0B1", "tags", "vip, newsletter", "sendEmailInvite", true)), 200);
        JsonNode input = sent(1).at("/variables/input");
        assertThat(input.at("/addresses/0/countryCode").asString()).isEqualTo("CA");
        assertThat(input.at("/addresses/0/provinceCode").asString()).isEqualTo("ON");
        assertThat(input.get("tags").toString()).isEqualTo("[\"vip\",\"newsletter\"]");
        String id = created.at("/customer/id").asString();
        assertThat(shopify.invited()).containsExactly(id);
        assertThat(created.get("invitationSent").asBoolean()).isTrue();

        // Shopify's refusal (the email taken) reaches the caller, and nobody is invited.
        JsonNode taken = TestServer.expect(run("SHOPIFY_CREATE_CUSTOMER", Map.of("firstName", "A", "lastName", "B", "email", "ada@example.com",
                "sendEmailInvite", true)), 400);
        assertThat(taken.get("message").asString()).contains("email: Email has already been taken");
        assertThat(shopify.invited()).hasSize(1);
        int calls = shopify.received().size();
        JsonNode country = TestServer.expect(run("SHOPIFY_CREATE_CUSTOMER", Map.of("firstName", "A", "lastName", "B", "email", "b@example.com",
                "country", "Narnia")), 400);
        assertThat(country.get("message").asString()).contains("parameters.country").contains("Narnia");
        assertThat(shopify.received()).hasSize(calls);

        TestServer.expect(run("SHOPIFY_UPDATE_CUSTOMER", Map.of("customerId", customerNumber("ada@example.com"), "note", "Prefers email")), 200);
        assertThat(sent(0).at("/variables/input/id").asString()).startsWith("gid://shopify/Customer/");
        assertThat(shopify.customers().values().stream().filter(c -> "ada@example.com".equals(c.get("email"))).findFirst().orElseThrow().get("note"))
                .isEqualTo("Prefers email");
    }

    @Test
    void anOrderTakesRestStyleLineItemsAndTheStoresCurrency() {
        String variant = ShopifyFake.firstVariant(shopify.products().values().stream().filter(p -> p.get("title").equals("Coffee mug")).findFirst().orElseThrow());
        String number = variant.substring(variant.lastIndexOf('/') + 1);
        JsonNode created = TestServer.expect(run("SHOPIFY_CREATE_ORDER", Map.of("email", "ada@example.com",
                "lineItems", "[{\"variant_id\": " + number + ", \"quantity\": 2}, {\"title\": \"Gift wrap\", \"price\": \"5.00\", \"quantity\": \"1\"}]",
                "financialStatus", "paid", "fulfillmentStatus", "null", "inventoryBehaviour", "decrement_obeying_policy", "sendReceipt", true)), 200);
        JsonNode variables = sent(0).get("variables");
        assertThat(variables.at("/order/financialStatus").asString()).isEqualTo("PAID");
        assertThat(variables.at("/order").has("fulfillmentStatus")).isFalse();
        assertThat(variables.at("/order/lineItems/0/variantId").asString()).isEqualTo(variant);
        assertThat(variables.at("/order/lineItems/1/priceSet/shopMoney/currencyCode").asString()).isEqualTo("CAD");
        assertThat(variables.at("/options/inventoryBehaviour").asString()).isEqualTo("DECREMENT_OBEYING_POLICY");
        String orderId = created.at("/order/legacyResourceId").asString();

        TestServer.expect(run("SHOPIFY_UPDATE_ORDER", Map.of("orderId", orderId, "note", "Leave at the door")), 200);
        assertThat(shopify.orders().get("gid://shopify/Order/" + orderId).get("note")).isEqualTo("Leave at the door");
        JsonNode items = TestServer.expect(run("SHOPIFY_UPDATE_ORDER", Map.of("orderId", orderId, "lineItems", List.of())), 400);
        assertThat(items.get("message").asString()).contains("lineItems");
        JsonNode missing = TestServer.expect(run("SHOPIFY_GET_ORDER_BY_ID", Map.of("orderId", "999999")), 404);
        assertThat(missing.get("message").asString()).contains("no such record");
        JsonNode custom = TestServer.expect(run("SHOPIFY_CREATE_ORDER", Map.of("email", "ada@example.com", "lineItems", List.of(Map.of("quantity", 1)))), 400);
        assertThat(custom.get("message").asString()).contains("parameters.lineItems[0]");
    }

    @Test
    void aProductByItsRestNameIsPricedAndPublished() {
        JsonNode created = TestServer.expect(run("SHOPIFY_CREATE_PRODUCT", Map.of("title", "Travel mug", "productType", "Mugs", "vendor", "Coffee Co",
                "price", "18.00", "inventoryPolicy", "continue", "imageUrl", "https://example.com/travel-mug.png", "isPublished", true,
                "publishToPointToSale", true)), 200);
        String id = created.at("/product/id").asString();
        Map<String, Object> product = shopify.products().get(id);
        assertThat(product.get("status")).isEqualTo("ACTIVE");
        assertThat(created.at("/variants/0/price").asString()).isEqualTo("18.00");
        assertThat(created.at("/variants/0/inventoryPolicy").asString()).isEqualTo("CONTINUE");
        assertThat(shopify.published().get(id)).containsExactly("gid://shopify/Publication/1", "gid://shopify/Publication/2");
        assertThat(created.get("publishedTo").toString()).isEqualTo("[\"Online Store\",\"Point of Sale\"]");

        JsonNode draft = TestServer.expect(run("SHOPIFY_CREATE_PRODUCT_GRAPHQL", Map.of("title", "Tea cup", "productType", "Cups", "vendor", "Tea Co",
                "additionalFields", Map.of("status", "DRAFT"))), 200);
        assertThat(draft.at("/product/status").asString()).isEqualTo("DRAFT");
        // A value Shopify's schema does not have is Shopify's refusal, named.
        JsonNode lower = TestServer.expect(run("SHOPIFY_CREATE_PRODUCT_GRAPHQL", Map.of("title", "Tea cup", "productType", "Cups", "vendor", "Tea Co",
                "additionalFields", Map.of("status", "draft"))), 400);
        assertThat(lower.toString()).contains("ProductStatus");
        TestServer.expect(run("SHOPIFY_DELETE_PRODUCT", Map.of("productId", id)), 200);
        assertThat(shopify.products()).doesNotContainKey(id);
    }

    @Test
    void anOrderIsFulfilledOnceAndDraftOrdersRefundsAndInventoryGoAsShopifyTakesThem() {
        String orderId = shopify.orders().values().iterator().next().get("legacyResourceId").toString();
        JsonNode fulfilled = TestServer.expect(run("SHOPIFY_CREATE_FULFILLMENT", Map.of("orderId", orderId, "trackingNumber", "1Z999",
                "trackingCompany", "UPS", "notifyCustomer", true)), 200);
        assertThat(fulfilled.at("/fulfillment/trackingInfo/0/number").asString()).isEqualTo("1Z999");
        JsonNode fulfillment = sent(0).at("/variables/fulfillment");
        assertThat(fulfillment.at("/lineItemsByFulfillmentOrder/0/fulfillmentOrderId").asString()).startsWith("gid://shopify/FulfillmentOrder/");
        assertThat(fulfillment.get("notifyCustomer").asBoolean()).isTrue();
        // Nothing left to ship: said before a second fulfillment is attempted.
        int calls = shopify.received().size();
        JsonNode again = TestServer.expect(run("SHOPIFY_CREATE_FULFILLMENT", Map.of("orderId", orderId)), 400);
        assertThat(again.get("message").asString()).contains("nothing left to fulfil");
        assertThat(shopify.received()).hasSize(calls + 1);

        TestServer.expect(run("SHOPIFY_CREATE_DRAFT_ORDER", Map.of("email", "ada@example.com", "tags", "phone-order, vip",
                "lineItems", List.of(Map.of("title", "Custom engraving", "quantity", 1, "originalUnitPriceWithCurrency", Map.of("amount", "15.00", "currencyCode", "CAD"))))), 200);
        assertThat(shopify.drafts().get(0).get("tags")).isEqualTo(List.of("phone-order", "vip"));
        JsonNode refunded = TestServer.expect(run("SHOPIFY_CREATE_REFUND", Map.of("orderId", orderId, "note", "Damaged", "fullShipping", true)), 200);
        assertThat(refunded.at("/refund/note").asString()).isEqualTo("Damaged");
        assertThat(sent(0).at("/variables/input/shipping/fullRefund").asBoolean()).isTrue();
        JsonNode adjusted = TestServer.expect(run("SHOPIFY_ADJUST_INVENTORY", Map.of("inventoryItemId", "30322695", "locationId", "124656943", "delta", -2)), 200);
        assertThat(sent(0).at("/variables/input/changes/0/inventoryItemId").asString()).isEqualTo("gid://shopify/InventoryItem/30322695");
        assertThat(sent(0).at("/variables/input/reason").asString()).isEqualTo("correction");
        assertThat(adjusted.at("/inventoryAdjustmentGroup/changes/0/quantityAfterChange").asInt()).isEqualTo(8);
        TestServer.expect(run("SHOPIFY_ADJUST_INVENTORY", Map.of("inventoryItemId", "30322695", "locationId", "124656943", "delta", 0)), 400);
    }

    @Test
    void throttlingIsWaitedOutFromTheQueryCost() {
        shopify.failNext("graphql", new VendorFake.RateLimited(0));
        TestServer.expect(run("SHOPIFY_GET_SHOP", Map.of()), 200);
        assertThat(shopify.received("POST", "/admin/api/2025-01/graphql.json")).hasSize(2);
    }

    @Test
    void anExpiringOfflineTokenIsRefreshedAndARejectedOneIsSaid() {
        // Expiring offline tokens come with a refresh token (legacy offline tokens never expire).
        int refreshes = dev.switchboard.testing.Refreshes.callsAfterEachExpiry(server, project, shopify, "shopify",
                Map.of("api", shopify.apiUrl()), "shpat_expired", "shprt_refresh", "SHOPIFY_GET_SHOP", Map.of(), 3);
        assertThat(refreshes).isEqualTo(3);
        // A token revoked with no refresh token: Shopify's 401 (its errors as text) makes the account unusable, said as such.
        server.importCredential(project.id(), "revoked", Map.of("integration", "shopify", "accessToken", "shpat_revoked",
                "providerData", Map.of("shop", ShopifyFake.SHOP)));
        Answer rejected = server.runAction(project, Tokens.sign(project.privateKeyPem(), "revoked", c -> c), "SHOPIFY_GET_SHOP", Map.of());
        assertThat(rejected.status()).isEqualTo(424);
        assertThat(rejected.json().get("code").asString()).isEqualTo("credential_invalid");
    }
}
