package dev.switchboard.integrations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.fakes.StripeFake;
import dev.switchboard.fakes.VendorFake;
import dev.switchboard.testing.Http.Answer;
import dev.switchboard.testing.TestDatabases;
import dev.switchboard.testing.TestServer;
import dev.switchboard.testing.TestServer.Project;
import dev.switchboard.testing.Tokens;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Stripe's actions as ActionKit's clients call them, against a fake that takes form bodies only: the bodies as Stripe
 * reads them (metadata[key], items[0][price]), lists paged by the last record's id exactly once, times given as ISO
 * or Unix, a metadata key that would nest refused, the secret key sent as a bearer token and never logged, and
 * Stripe's errors and 429.
 */
class StripeTest {
    private static final String KEY = "sk_test_51Mz9cVLkdIwHu7ix4Bq2";
    private static final StripeFake stripe = new StripeFake(7);
    private static TestServer server;
    private static Project project;
    private static String token;

    @BeforeAll
    static void start() {
        stripe.start();
        server = TestServer.start(TestDatabases.Kind.SQLITE);
        project = server.createProject("stripe");
        TestServer.expect(server.admin("PUT", "/admin/projects/" + project.id() + "/integrations/stripe", Map.of("enabled", true,
                "urls", Map.of("api", stripe.apiUrl(), "account", stripe.apiUrl() + "/account"))), 200);
        server.importCredential(project.id(), "ada", Map.of("integration", "stripe", "apiKey", KEY));
        stripe.accept(KEY);
        token = Tokens.sign(project.privateKeyPem(), "ada", c -> c);
    }

    @AfterAll
    static void stop() {
        server.close();
        stripe.close();
    }

    @BeforeEach
    void reset() {
        stripe.reset();
    }

    private static Answer run(String action, Map<String, Object> parameters) {
        return server.runAction(project, token, action, parameters);
    }

    /** The form body Stripe received, as name=value pairs decoded, in the order sent. */
    private static List<String> form(VendorFake.Received request) {
        assertThat(request.headers().get("Content-Type")).startsWith("application/x-www-form-urlencoded");
        return Arrays.stream(request.body().split("&")).map(pair -> URLDecoder.decode(pair, StandardCharsets.UTF_8)).toList();
    }

    @Test
    void writesAreFormBodiesWithBracketedKeys() {
        JsonNode customer = TestServer.expect(run("STRIPE_CREATE_CUSTOMER", Map.of("emailCreateCustomer", "grace@example.com", "name", "Grace Hopper",
                "metadataCreateCustomer", Map.of("crmId", "0031x00000AbCdE", "seats", 12))), 200);
        VendorFake.Received create = stripe.received("POST", "/v1/customers").get(0);
        assertThat(form(create)).containsExactlyInAnyOrder("email=grace@example.com", "name=Grace Hopper", "metadata[crmId]=0031x00000AbCdE", "metadata[seats]=12");
        assertThat(create.headers().get("Authorization")).isEqualTo("Bearer " + KEY);
        assertThat(create.headers().get("Stripe-Version")).isEqualTo("2025-03-31.basil");
        assertThat(customer.at("/metadata/seats").asString()).isEqualTo("12");

        String id = customer.get("id").asString();
        TestServer.expect(run("STRIPE_UPDATE_CUSTOMER", Map.of("customerId", id, "metadataUpdateCustomer", Map.of("plan", "pro"))), 200);
        assertThat(stripe.objects("customer").get(id).at("/metadata/crmId").asString()).as("Stripe merges metadata").isEqualTo("0031x00000AbCdE");
        assertThat(TestServer.expect(run("STRIPE_GET_CUSTOMER_BY_ID", Map.of("idGetCustomer", id)), 200).at("/metadata/plan").asString()).isEqualTo("pro");

        String plan = stripe.objects("plan").keySet().iterator().next();
        TestServer.expect(run("STRIPE_CREATE_SUBSCRIPTION", Map.of("customerIdCreateSubscription", id, "plan", plan)), 200);
        assertThat(form(stripe.received("POST", "/v1/subscriptions").get(0))).containsExactly("customer=" + id, "items[0][price]=" + plan);

        TestServer.expect(run("STRIPE_CREATE_CHECKOUT_SESSION", Map.of("mode", "subscription", "successUrl", "https://example.com/thanks",
                "cancelUrl", "https://example.com/cart", "lineItems", List.of(Map.of("price", "price_1", "quantity", 2), Map.of("price", "price_2")))), 200);
        assertThat(form(stripe.received("POST", "/v1/checkout/sessions").get(0))).contains("line_items[0][price]=price_1", "line_items[0][quantity]=2",
                "line_items[1][price]=price_2", "success_url=https://example.com/thanks");

        // A key with a bracket would be read as more nesting: refused before any call, naming it.
        stripe.reset();
        JsonNode refused = TestServer.expect(run("STRIPE_CREATE_PRODUCT", Map.of("productName", "Gold", "metadataProduct", Map.of("a][b", "x"))), 400);
        assertThat(refused.get("message").asString()).contains("a][b");
        assertThat(stripe.received()).isEmpty();
    }

    @Test
    void aListPagesByItsLastRecordExactlyOnceWithinTheTimesGiven() {
        long after = 1_700_000_002L; // the first two customers were created at ...001 and ...002
        List<String> expected = stripe.objects("customer").values().stream().filter(c -> c.get("created").asLong() > after)
                .map(c -> c.get("email").asString()).toList();
        List<String> emails = new ArrayList<>();
        Map<String, Object> parameters = new HashMap<>(Map.of("createdAfter", String.valueOf(after), "limitGetCustomers", "3"));
        for (int calls = 0; calls < 10; calls++) {
            JsonNode page = TestServer.expect(run("STRIPE_GET_CUSTOMERS", parameters), 200);
            page.get("data").forEach(c -> emails.add(c.get("email").asString()));
            if (!page.has("nextPaginationParameters")) break;
            parameters.put("paginationParameters", Map.of("pageCursor", page.get("pageCursor").asString()));
        }
        assertThat(emails).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected).doesNotContain("person1@example.com", "person2@example.com");
        List<VendorFake.Received> calls = stripe.received("GET", "/v1/customers");
        assertThat(calls).hasSize((expected.size() + 2) / 3);
        assertThat(calls.get(1).query().get("starting_after")).isEqualTo(stripe.objects("customer").values().stream()
                .filter(c -> c.get("email").asString().equals(emails.get(2))).findFirst().orElseThrow().get("id").asString());

        // An ISO time is Unix seconds on the wire.
        TestServer.expect(run("STRIPE_GET_PRODUCTS", Map.of("createdAfter", "2023-11-14T22:13:20Z")), 200);
        assertThat(stripe.received("GET", "/v1/products").get(0).query()).containsEntry("created[gt]", "1700000000");
        JsonNode active = TestServer.expect(run("STRIPE_GET_PLANS", Map.of("isPlanActive", true)), 200);
        assertThat(active.get("data")).hasSize(1).allMatch(p -> p.get("active").asBoolean());
    }

    @Test
    void aWriteCarriesAnIdempotencyKeyAndIsRetriedWithTheSameOne() {
        int before = stripe.objects("product").size();
        stripe.failNext("create:product", new VendorFake.VendorError(500, "api_error", "Something went wrong on Stripe's end."));
        TestServer.expect(run("STRIPE_CREATE_PRODUCT", Map.of("productName", "Retried")), 200);

        List<VendorFake.Received> posts = stripe.received("POST", "/v1/products");
        assertThat(posts).hasSize(2);
        assertThat(posts.get(0).headers().get("Idempotency-Key")).isNotBlank().isEqualTo(posts.get(1).headers().get("Idempotency-Key"));
        assertThat(stripe.objects("product")).hasSize(before + 1);
        // Another write is another key: Stripe would otherwise answer it with the first one's result.
        TestServer.expect(run("STRIPE_CREATE_PRODUCT", Map.of("productName", "Second")), 200);
        assertThat(stripe.received("POST", "/v1/products").get(2).headers().get("Idempotency-Key")).isNotEqualTo(posts.get(0).headers().get("Idempotency-Key"));
    }

    @Test
    void stripesErrorsAndLimitsReachTheCallerWithoutTheKey() {
        JsonNode missing = TestServer.expect(run("STRIPE_GET_CUSTOMER_BY_ID", Map.of("idGetCustomer", "cus_nope")), 404);
        assertThat(missing.get("message").asString()).contains("resource_missing");
        JsonNode invalid = TestServer.expect(run("STRIPE_CREATE_CUSTOMER", Map.of("emailCreateCustomer", "not-an-address")), 400);
        assertThat(invalid.toString()).contains("email_invalid");

        stripe.failNext("list:product", new VendorFake.RateLimited(0));
        TestServer.expect(run("STRIPE_GET_PRODUCTS", Map.of()), 200);
        assertThat(stripe.received("GET", "/v1/products")).hasSize(2);

        // A rolled (revoked) key: Stripe answers 401; the account is marked invalid and the key appears nowhere.
        server.importCredential(project.id(), "bob", Map.of("integration", "stripe", "apiKey", "sk_test_rolledKey00000000000"));
        Answer rejected = server.runAction(project, Tokens.sign(project.privateKeyPem(), "bob", c -> c), "STRIPE_GET_PRODUCTS", Map.of());
        assertThat(rejected.status()).isEqualTo(424);
        assertThat(rejected.text()).doesNotContain("sk_test_rolledKey00000000000");
    }

    @Test
    void aKeySavedOnTheConnectPageIsCheckedWithStripeAndNamesItsAccount() {
        String user = Tokens.sign(project.privateKeyPem(), "grace", c -> c);
        String saveUrl = server.url("/projects/" + project.id() + "/connect/stripe/api-key");
        Map<String, String> headers = Map.of("Authorization", "Bearer " + user, "Content-Type", "application/json");
        String revoked = "sk_test_revoked0000000000000000";
        JsonNode refused = TestServer.expect(dev.switchboard.testing.Http.send("POST", saveUrl, headers, "{\"apiKey\": \"" + revoked + "\"}"), 400);
        assertThat(refused.get("code").asString()).isEqualTo("api_key_refused");
        assertThat(refused.toString()).doesNotContain(revoked);
        JsonNode before = TestServer.expect(dev.switchboard.testing.Http.send("GET", server.url("/projects/" + project.id() + "/connect/integrations"),
                Map.of("Authorization", "Bearer " + user), null), 200);
        assertThat(before.at("/integrations/0/accounts")).isEmpty();

        String good = "sk_test_51Grace0000000000000000";
        stripe.accept(good);
        TestServer.expect(dev.switchboard.testing.Http.send("POST", saveUrl, headers, "{\"apiKey\": \"" + good + "\"}"), 201);
        JsonNode after = TestServer.expect(dev.switchboard.testing.Http.send("GET", server.url("/projects/" + project.id() + "/connect/integrations"),
                Map.of("Authorization", "Bearer " + user), null), 200);
        assertThat(after.at("/integrations/0/accounts/0/label").asString()).isEqualTo(StripeFake.ACCOUNT_NAME);
        assertThat(stripe.received("GET", "/v1/account").get(1).headers().get("Authorization")).isEqualTo("Bearer " + good);
    }

    @Test
    void customerSearchWritesStripesQueryAndPagesByItsOwnToken() {
        List<String> ids = new ArrayList<>();
        Map<String, Object> parameters = new HashMap<>(Map.of("filterFormula", Map.of("operator", "OR", "conditions", List.of(Map.of("operator", "AND",
                "conditions", List.of(Map.of("field", "email", "operator", "$stringContains", "value", "example.com"))))),
                "paginationParameters", Map.of("pageSize", 3)));
        for (int calls = 0; calls < 5; calls++) {
            JsonNode page = TestServer.expect(run("STRIPE_SEARCH_CUSTOMERS", parameters), 200);
            page.get("data").forEach(c -> ids.add(c.get("id").asString()));
            if (!page.has("pageCursor")) break;
            parameters.put("paginationParameters", Map.of("pageCursor", page.get("pageCursor").asString(), "pageSize", 3));
        }
        assertThat(ids).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(stripe.objects("customer").keySet());
        VendorFake.Received first = stripe.received("GET", "/v1/customers/search").get(0);
        assertThat(first.query().get("query")).isEqualTo("email~\"example.com\"");
        assertThat(stripe.received("GET", "/v1/customers/search")).hasSize(3);

        JsonNode exact = TestServer.expect(run("STRIPE_SEARCH_CUSTOMERS", Map.of("filterFormula", Map.of("operator", "OR", "conditions", List.of(
                Map.of("field", "email", "operator", "$stringIsIn", "value", List.of("person2@example.com", "person5@example.com")))))), 200);
        assertThat(exact.get("data")).hasSize(2);
        // A value stays within its quotes.
        TestServer.expect(run("STRIPE_SEARCH_CUSTOMERS", Map.of("filterFormula", Map.of("field", "name", "operator", "$stringExactlyMatches",
                "value", "x\" OR email~\"example"))), 200);
        assertThat(stripe.received("GET", "/v1/customers/search").get(4).query().get("query")).isEqualTo("name:\"x\\\" OR email~\\\"example\"");
        int searches = stripe.received("GET", "/v1/customers/search").size();
        JsonNode mixed = TestServer.expect(run("STRIPE_SEARCH_CUSTOMERS", Map.of("filterFormula", Map.of("operator", "AND", "conditions", List.of(
                Map.of("field", "email", "operator", "$stringContains", "value", "example"),
                Map.of("operator", "OR", "conditions", List.of(Map.of("field", "name", "operator", "$stringExactlyMatches", "value", "a"),
                        Map.of("field", "name", "operator", "$stringExactlyMatches", "value", "b"))))))), 400);
        assertThat(mixed.get("message").asString()).contains("not both");
        JsonNode short_ = TestServer.expect(run("STRIPE_SEARCH_CUSTOMERS", Map.of("filterFormula", Map.of("field", "email", "operator", "$stringContains", "value", "ex"))), 400);
        assertThat(short_.get("message").asString()).contains("at least 3");
        assertThat(stripe.received("GET", "/v1/customers/search")).hasSize(searches);
    }
}
