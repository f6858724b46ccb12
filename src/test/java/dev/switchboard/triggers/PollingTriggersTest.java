package dev.switchboard.triggers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.config.Setting;
import dev.switchboard.fakes.StripeFake;
import dev.switchboard.testing.TestDatabases;
import dev.switchboard.testing.TestServer;
import dev.switchboard.testing.Tokens;
import dev.switchboard.testing.WebhookReceiver;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Polling triggers against Stripe's fake, driven with the test's own instants: the first poll records a baseline and
 * fires nothing; later polls fire each new record once; a poll before the interval does nothing; a key Stripe stops
 * taking stops the subscription with its reason, and reconnecting the account resumes it from where it was, so only
 * what was created meanwhile fires.
 */
class PollingTriggersTest {
    private static final String KEY = "sk_test_pollingKey000000000000";
    private static final StripeFake stripe = new StripeFake(3);
    private static TestServer server;
    private static WebhookReceiver receiver;

    @BeforeAll
    static void start() {
        stripe.start();
        stripe.accept(KEY);
        server = TestServer.start(TestDatabases.Kind.SQLITE, Map.of(Setting.TRIGGER_DELIVERY_INTERVAL_MS, "0"));
        receiver = new WebhookReceiver();
    }

    @AfterAll
    static void stop() {
        server.close();
        receiver.close();
        stripe.close();
    }

    private static String newCustomer(String email) {
        return stripe.add("customer", "cus", JsonMapper.builder().build().createObjectNode().put("email", email)).get("id").asString();
    }

    private static List<String> deliveredEmails(String subscription) {
        while (server.node().triggerDelivery().deliverDue(Instant.now().plusSeconds(3600)) > 0) {
            // deliver everything due
        }
        return receiver.deliveries().stream().filter(d -> d.body().get("triggerSubscriptionId").asString().equals(subscription))
                .map(d -> d.body().at("/payload/email").asString()).toList();
    }

    @Test
    void newRecordsFireOnceAfterTheBaselineAndAReconnectResumesWithoutReplaying() {
        TestServer.Project project = server.createProject("polling");
        TestServer.expect(server.admin("PUT", "/admin/projects/" + project.id() + "/integrations/stripe", Map.of("enabled", true,
                "urls", Map.of("api", stripe.apiUrl(), "account", stripe.apiUrl() + "/account"))), 200);
        receiver.secret(TestServer.expect(server.admin("PUT", "/admin/projects/" + project.id() + "/trigger-webhook",
                Map.of("url", receiver.url())), 200).get("secret").asString());
        server.importCredential(project.id(), "ada", Map.of("integration", "stripe", "apiKey", KEY, "providerId", "acct_polling"));
        String token = Tokens.sign(project.privateKeyPem(), "ada", c -> c);
        JsonNode types = TestServer.expect(server.user("GET", "/projects/" + project.id() + "/triggers", token, null, Map.of()), 200);
        assertThat(types.at("/triggers/stripe/0/triggerModel").asString()).isEqualTo("POLLING");
        JsonNode examples = TestServer.expect(server.user("POST", "/projects/" + project.id() + "/triggers/examples", token,
                Map.of("integration", "stripe", "type", "STRIPE_TRIGGER_CUSTOMER_CREATED"), Map.of()), 200);
        assertThat(examples).as("three real records, newest first").hasSize(3);
        assertThat(examples.get(0).get("object").asString()).isEqualTo("customer");
        String subscription = TestServer.expect(server.user("POST", "/projects/" + project.id() + "/trigger-subscriptions", token,
                Map.of("integration", "stripe", "type", "STRIPE_TRIGGER_CUSTOMER_CREATED"), Map.of()), 200).get("id").asString();

        Instant t = Instant.now();
        assertThat(server.node().triggerPoller().pollDue(t)).as("the baseline fires nothing").isZero();
        assertThat(deliveredEmails(subscription)).isEmpty();

        newCustomer("new-1@example.com");
        newCustomer("new-2@example.com");
        assertThat(server.node().triggerPoller().pollDue(t.plusSeconds(30))).as("not before the interval").isZero();
        assertThat(server.node().triggerPoller().pollDue(t.plusSeconds(61))).isEqualTo(2);
        assertThat(server.node().triggerPoller().pollDue(t.plusSeconds(122))).as("each new record once").isZero();
        assertThat(deliveredEmails(subscription)).containsExactlyInAnyOrder("new-1@example.com", "new-2@example.com");

        stripe.revoke(KEY); // the key was rolled at Stripe
        assertThat(server.node().triggerPoller().pollDue(t.plusSeconds(183))).isZero();
        JsonNode stopped = TestServer.expect(server.user("GET", "/projects/" + project.id() + "/trigger-subscriptions/" + subscription,
                token, null, Map.of()), 200);
        assertThat(stopped.get("status").asString()).isEqualTo("ERRORED");
        assertThat(stopped.get("error").asString()).contains("reconnect");
        JsonNode operatorView = TestServer.expect(server.admin("GET", "/admin/projects/" + project.id() + "/users/ada/trigger-subscriptions", null), 200);
        assertThat(operatorView.at("/subscriptions/0/status").asString()).as("the operator sees it too").isEqualTo("ERRORED");
        assertThat(operatorView.at("/subscriptions/0/error").asString()).contains("reconnect");

        newCustomer("while-stopped@example.com");
        String newKey = "sk_test_pollingKeyRolled000000";
        stripe.accept(newKey);
        String reconnected = server.importCredential(project.id(), "ada", Map.of("integration", "stripe", "apiKey", newKey, "providerId", "acct_polling"));
        assertThat(server.node().triggerPoller().pollDue(t.plusSeconds(244))).as("resumed, and only what is new since fires").isEqualTo(1);
        JsonNode resumed = TestServer.expect(server.user("GET", "/projects/" + project.id() + "/trigger-subscriptions/" + subscription,
                token, null, Map.of()), 200);
        assertThat(resumed.get("status").asString()).isEqualTo("ACTIVE");
        assertThat(resumed.has("error")).isFalse();
        assertThat(resumed.get("credentialId").asString()).as("moved to the reconnected account").isEqualTo(reconnected);
        assertThat(deliveredEmails(subscription)).containsExactlyInAnyOrder("new-1@example.com", "new-2@example.com", "while-stopped@example.com");

        for (int i = 1; i <= 130; i++) {
            newCustomer("burst-" + i + "@example.com");
        }
        assertThat(server.node().triggerPoller().pollDue(t.plusSeconds(305))).as("more new records than a page holds: every one")
                .isEqualTo(130);
        assertThat(deliveredEmails(subscription).stream().filter(e -> e.startsWith("burst-"))).hasSize(130).doesNotHaveDuplicates();

        String late = TestServer.expect(server.user("POST", "/projects/" + project.id() + "/trigger-subscriptions", token,
                Map.of("integration", "stripe", "type", "STRIPE_TRIGGER_CUSTOMER_CREATED"), Map.of()), 200).get("id").asString();
        assertThat(server.node().triggerPoller().pollDue(t.plusSeconds(366))).as("a new subscription's baseline: no flood").isZero();
        assertThat(deliveredEmails(late)).isEmpty();
    }

    @Test
    void shopifysNewCustomersFireOnceNewestFirstAcrossPages() {
        org.junit.jupiter.api.Assumptions.assumeTrue(dev.switchboard.fakes.ShopifyFake.available(), "Shopify's GraphQL schema is not here");
        dev.switchboard.fakes.ShopifyFake shopify = new dev.switchboard.fakes.ShopifyFake().start();
        try {
            TestServer.Project project = server.createProject("polling-shopify");
            server.configureIntegration(project.id(), "shopify", shopify.apiUrl());
            receiver.secret(TestServer.expect(server.admin("PUT", "/admin/projects/" + project.id() + "/trigger-webhook",
                    Map.of("url", receiver.url())), 200).get("secret").asString());
            server.importCredential(project.id(), "ada", Map.of("integration", "shopify", "accessToken", "shpat_polling",
                    "providerData", Map.of("shop", dev.switchboard.fakes.ShopifyFake.SHOP)));
            shopify.accept("shpat_polling");
            String token = Tokens.sign(project.privateKeyPem(), "ada", c -> c);
            String subscription = TestServer.expect(server.user("POST", "/projects/" + project.id() + "/trigger-subscriptions", token,
                    Map.of("integration", "shopify", "type", "SHOPIFY_TRIGGER_CUSTOMER_CREATED"), Map.of()), 200).get("id").asString();

            Instant t = Instant.now().plusSeconds(1000); // after the Stripe test's instants: each test's polls are its own
            assertThat(server.node().triggerPoller().pollDue(t)).as("the baseline").isZero();
            for (int i = 1; i <= 60; i++) {
                shopify.addCustomer(Map.of("firstName", "New", "lastName", "Customer " + i, "email", "shop-" + i + "@example.com"),
                        Instant.parse("2026-12-01T00:00:00Z").plusSeconds(i).toString());
            }
            assertThat(server.node().triggerPoller().pollDue(t.plusSeconds(61))).as("every new customer, over more than a page").isEqualTo(60);
            assertThat(server.node().triggerPoller().pollDue(t.plusSeconds(122))).isZero();
            List<String> emails = deliveredEmails(subscription);
            assertThat(emails).hasSize(60).doesNotHaveDuplicates().allSatisfy(e -> assertThat(e).startsWith("shop-"));
        } finally {
            shopify.close();
        }
    }
}
