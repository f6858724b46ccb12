package dev.switchboard.routes.triggers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.config.Setting;
import dev.switchboard.testing.SlackEventsApi;
import dev.switchboard.testing.TestDatabases;
import dev.switchboard.testing.TestServer;
import dev.switchboard.testing.Tokens;
import dev.switchboard.testing.WebhookReceiver;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Two nodes on one PostgreSQL, both delivering: Slack's events reach either node (and Slack's retries the other one),
 * and each event is delivered exactly once per subscription, in the order stored, with no coordination but the
 * database's claims ({@code FOR UPDATE SKIP LOCKED} and leases).
 */
class TriggerClusterTest {
    private static final String SIGNING_SECRET = "cluster-signing-secret";
    private static final int EVENTS = 40;
    private static final int SUBSCRIPTIONS = 3;

    @Test
    void eachEventIsDeliveredOncePerSubscriptionAcrossTwoNodes() throws Exception {
        String dbUrl = TestDatabases.newDatabaseUrl(TestDatabases.Kind.POSTGRES);
        Map<Setting, String> delivering = Map.of(Setting.TRIGGER_DELIVERY_INTERVAL_MS, "50");
        try (WebhookReceiver receiver = new WebhookReceiver();
             TestServer a = TestServer.startOn(dbUrl, Files.createTempDirectory("trigger-a"), delivering);
             TestServer b = TestServer.startOn(dbUrl, Files.createTempDirectory("trigger-b"), delivering)) {
            TestServer.Project project = a.createProject("cluster");
            TestServer.expect(a.admin("PUT", "/admin/projects/" + project.id() + "/integrations/slack",
                    Map.of("clientId", "cid", "signingSecret", SIGNING_SECRET)), 200);
            receiver.secret(TestServer.expect(a.admin("PUT", "/admin/projects/" + project.id() + "/trigger-webhook",
                    Map.of("url", receiver.url())), 200).get("secret").asString());
            List<String> subscriptions = new ArrayList<>();
            for (int i = 0; i < SUBSCRIPTIONS; i++) {
                String user = "cluster-user-" + i;
                a.importCredential(project.id(), user, Map.of("integration", "slack", "accessToken", "xoxb-" + i, "providerId", "T-cluster"));
                String token = Tokens.sign(project.privateKeyPem(), user, c -> c);
                subscriptions.add(TestServer.expect(a.user("POST", "/projects/" + project.id() + "/trigger-subscriptions", token,
                        Map.of("integration", "slack", "type", "SLACK_TRIGGER_CHANNEL_MESSAGE_POSTED"), Map.of()), 200).get("id").asString());
            }

            for (int n = 1; n <= EVENTS; n++) {
                String event = SlackEventsApi.messageEvent("Ev-cluster-" + n, "T-cluster", "C1", "m" + n, "");
                TestServer first = n % 2 == 0 ? a : b;
                TestServer second = n % 2 == 0 ? b : a;
                assertThat(SlackEventsApi.post(first, project.id(), event, SIGNING_SECRET).status()).isEqualTo(200);
                if (n % 5 == 0) {
                    // Slack retrying at the other node
                    assertThat(SlackEventsApi.post(second, project.id(), event, SIGNING_SECRET).status()).isEqualTo(200);
                }
            }

            long deadline = System.nanoTime() + 60_000_000_000L;
            while (receiver.deliveries().size() < EVENTS * SUBSCRIPTIONS && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            Thread.sleep(500); // and nothing more arrives after
            List<WebhookReceiver.Delivery> delivered = receiver.deliveries();
            assertThat(delivered).allSatisfy(d -> assertThat(d.signedCorrectly()).isTrue());
            assertThat(delivered.stream().map(WebhookReceiver.Delivery::webhookId)).as("no event twice").doesNotHaveDuplicates();
            Map<String, List<String>> bySubscription = delivered.stream().collect(Collectors.groupingBy(
                    d -> d.body().get("triggerSubscriptionId").asString(), Collectors.mapping(d -> d.body().at("/payload/text").asString(), Collectors.toList())));
            List<String> expected = new ArrayList<>();
            for (int n = 1; n <= EVENTS; n++) {
                expected.add("m" + n);
            }
            for (String subscription : subscriptions) {
                assertThat(bySubscription.get(subscription)).as("subscription %s, in order", subscription).containsExactlyElementsOf(expected);
            }
            System.out.printf("trigger cluster: %d events x %d subscriptions through two nodes: %d delivered, %d duplicated, %d lost%n",
                    EVENTS, SUBSCRIPTIONS, delivered.size(), delivered.size() - delivered.stream().map(WebhookReceiver.Delivery::webhookId).distinct().count(),
                    EVENTS * SUBSCRIPTIONS - delivered.stream().map(WebhookReceiver.Delivery::webhookId).distinct().count());
        }
    }

    @Test
    void twoNodesPollingTogetherFireEachRecordOnceAndSubscriptionsChangeOnPostgres() throws Exception {
        String dbUrl = TestDatabases.newDatabaseUrl(TestDatabases.Kind.POSTGRES);
        Map<Setting, String> driven = Map.of(Setting.TRIGGER_DELIVERY_INTERVAL_MS, "0");
        String key = "sk_test_clusterPolling0000000000";
        dev.switchboard.fakes.StripeFake stripe = new dev.switchboard.fakes.StripeFake(2);
        stripe.start();
        stripe.accept(key);
        try (WebhookReceiver receiver = new WebhookReceiver();
             TestServer a = TestServer.startOn(dbUrl, Files.createTempDirectory("poll-a"), driven);
             TestServer b = TestServer.startOn(dbUrl, Files.createTempDirectory("poll-b"), driven)) {
            TestServer.Project project = a.createProject("cluster-polling");
            TestServer.expect(a.admin("PUT", "/admin/projects/" + project.id() + "/integrations/stripe", Map.of("enabled", true,
                    "urls", Map.of("api", stripe.apiUrl(), "account", stripe.apiUrl() + "/account"))), 200);
            receiver.secret(TestServer.expect(a.admin("PUT", "/admin/projects/" + project.id() + "/trigger-webhook",
                    Map.of("url", receiver.url())), 200).get("secret").asString());
            List<String> subscriptions = new ArrayList<>();
            for (int i = 0; i < SUBSCRIPTIONS; i++) {
                String user = "poll-user-" + i;
                a.importCredential(project.id(), user, Map.of("integration", "stripe", "apiKey", key));
                subscriptions.add(TestServer.expect(a.user("POST", "/projects/" + project.id() + "/trigger-subscriptions",
                        Tokens.sign(project.privateKeyPem(), user, c -> c), Map.of("integration", "stripe", "type", "STRIPE_TRIGGER_CUSTOMER_CREATED"),
                        Map.of()), 200).get("id").asString());
            }
            java.time.Instant t = java.time.Instant.now();
            assertThat(a.node().triggerPoller().pollDue(t) + b.node().triggerPoller().pollDue(t)).as("baselines").isZero();
            for (int n = 1; n <= 10; n++) {
                stripe.add("customer", "cus", tools.jackson.databind.json.JsonMapper.builder().build().createObjectNode().put("email", "c" + n + "@example.com"));
            }
            java.util.concurrent.CompletableFuture<Integer> onA = java.util.concurrent.CompletableFuture.supplyAsync(() -> a.node().triggerPoller().pollDue(t.plusSeconds(61)));
            java.util.concurrent.CompletableFuture<Integer> onB = java.util.concurrent.CompletableFuture.supplyAsync(() -> b.node().triggerPoller().pollDue(t.plusSeconds(61)));
            assertThat(onA.get() + onB.get()).as("each new record once per subscription, whichever node polled").isEqualTo(10 * SUBSCRIPTIONS);
            while (a.node().triggerDelivery().deliverDue(t.plusSeconds(62)) + b.node().triggerDelivery().deliverDue(t.plusSeconds(62)) > 0) {
                // deliver everything
            }
            assertThat(receiver.deliveries()).hasSize(10 * SUBSCRIPTIONS);
            assertThat(receiver.deliveries().stream().map(WebhookReceiver.Delivery::webhookId)).doesNotHaveDuplicates();

            String token = Tokens.sign(project.privateKeyPem(), "poll-user-0", c -> c);
            String path = "/projects/" + project.id() + "/trigger-subscriptions/" + subscriptions.get(0);
            assertThat(TestServer.expect(b.user("PATCH", path, token, Map.of("status", "PAUSED"), Map.of()), 200).get("status").asString()).isEqualTo("PAUSED");
            assertThat(TestServer.expect(b.user("PATCH", path, token, Map.of("status", "ACTIVE"), Map.of()), 200).get("status").asString()).isEqualTo("ACTIVE");
            assertThat(TestServer.expect(b.user("DELETE", path, token, null, Map.of()), 200).get("success").asBoolean()).isTrue();
        } finally {
            stripe.close();
        }
    }
}
