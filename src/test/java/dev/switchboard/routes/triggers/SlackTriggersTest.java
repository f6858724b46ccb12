package dev.switchboard.routes.triggers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.config.Setting;
import dev.switchboard.json.Json;
import dev.switchboard.testing.Http.Answer;
import dev.switchboard.testing.SlackEventsApi;
import dev.switchboard.testing.TestDatabases;
import dev.switchboard.testing.TestServer;
import dev.switchboard.testing.Tokens;
import dev.switchboard.testing.WebhookReceiver;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Slack's triggers end to end: ActionKit's Triggers API (the types, subscribing, listing, changing, pausing,
 * unsubscribing), Slack's Events API posting to the project's endpoint as Slack does (signed with the app's signing
 * secret), and delivery to the application's receiver, which checks every signature. Delivery is driven by the
 * test's own instants (the node's delivery loop is off), so backoff is checked without sleeping.
 */
class SlackTriggersTest {
    private static final String SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
    private static TestServer server;
    private static WebhookReceiver receiver;

    @BeforeAll
    static void start() {
        dev.switchboard.testing.SecretScanningAppender.watch(SIGNING_SECRET);
        server = TestServer.start(TestDatabases.Kind.SQLITE, Map.of(Setting.TRIGGER_DELIVERY_INTERVAL_MS, "0",
                Setting.TRIGGER_RETRY_HORIZON_HOURS, "1"));
        receiver = new WebhookReceiver();
    }

    @AfterAll
    static void stop() {
        server.close();
        receiver.close();
    }

    /** A project with Slack enabled (its signing secret set), its webhook at the receiver, and a user on workspace T1. */
    private record Setup(TestServer.Project project, String token, String credential) {}

    private static Setup setup(String name, String userId, String team) {
        TestServer.Project project = server.createProject(name);
        TestServer.expect(server.admin("PUT", "/admin/projects/" + project.id() + "/integrations/slack",
                Map.of("clientId", "cid", "clientSecret", "cs", "signingSecret", SIGNING_SECRET)), 200);
        JsonNode webhook = TestServer.expect(server.admin("PUT", "/admin/projects/" + project.id() + "/trigger-webhook",
                Map.of("url", receiver.url())), 200);
        receiver.secret(webhook.get("secret").asString());
        String credential = server.importCredential(project.id(), userId, Map.of("integration", "slack", "accessToken", "xoxb-1", "providerId", team));
        return new Setup(project, Tokens.sign(project.privateKeyPem(), userId, c -> c), credential);
    }

    private static Answer subscribe(Setup setup, Object body) {
        return server.user("POST", "/projects/" + setup.project().id() + "/trigger-subscriptions", setup.token(), body, Map.of());
    }

    private static Answer slackPosts(TestServer.Project project, String body, long timestamp, String secret) {
        return SlackEventsApi.post(server, project.id(), body, timestamp, secret);
    }

    private static Answer slackPosts(TestServer.Project project, String body) {
        return SlackEventsApi.post(server, project.id(), body, SIGNING_SECRET);
    }

    private static String messageEvent(String eventId, String team, String channel, String text, String extra) {
        return SlackEventsApi.messageEvent(eventId, team, channel, text, extra);
    }

    private static List<String> texts(List<WebhookReceiver.Delivery> deliveries, String subscriptionId) {
        return deliveries.stream().filter(d -> d.body().get("triggerSubscriptionId").asString().equals(subscriptionId))
                .map(d -> d.body().at("/payload/text").asString()).toList();
    }

    @Test
    void theTriggerTypesAreListedInActionKitsShape() {
        Setup setup = setup("types", "u-types", "T-types");
        JsonNode triggers = TestServer.expect(server.user("GET", "/projects/" + setup.project().id() + "/triggers", setup.token(), null, Map.of()), 200)
                .get("triggers");
        assertThat(triggers.propertyNames()).containsExactly("slack");
        assertThat(triggers.get("slack").valueStream().map(t -> t.get("type").asString())).containsExactlyInAnyOrder(
                "SLACK_TRIGGER_CHANNEL_MESSAGE_POSTED", "SLACK_TRIGGER_DIRECT_MESSAGE_CREATED", "SLACK_TRIGGER_APP_MENTIONED",
                "SLACK_TRIGGER_CHANNEL_CREATED", "SLACK_TRIGGER_NEW_REACTION");
        JsonNode posted = triggers.get("slack").valueStream().filter(t -> t.get("type").asString().equals("SLACK_TRIGGER_CHANNEL_MESSAGE_POSTED"))
                .findFirst().orElseThrow();
        assertThat(posted.get("triggerModel").asString()).isEqualTo("WEBHOOK");
        assertThat(posted.get("title").asString()).isNotBlank();
        assertThat(posted.get("parameters").get(0).get("id").asString()).isEqualTo("channel");
        assertThat(posted.get("parameters").get(0).get("required").asBoolean()).isFalse();
        assertThat(TestServer.expect(server.user("GET", "/projects/" + setup.project().id() + "/triggers?integrations=hubspot", setup.token(),
                null, Map.of()), 200).get("triggers").propertyNames()).isEmpty();
        assertThat(server.user("GET", "/projects/" + setup.project().id() + "/triggers", "not-a-token", null, Map.of()).status()).isEqualTo(401);

        JsonNode examples = TestServer.expect(server.user("POST", "/projects/" + setup.project().id() + "/triggers/examples", setup.token(),
                Map.of("integration", "slack", "type", "SLACK_TRIGGER_NEW_REACTION", "parameters", Map.of()), Map.of()), 200);
        assertThat(examples.get(0).get("type").asString()).as("the shape of Slack's event").isEqualTo("reaction_added");
        assertThat(server.user("POST", "/projects/" + setup.project().id() + "/triggers/examples", setup.token(),
                Map.of("integration", "slack", "type", "SLACK_TRIGGER_NOPE"), Map.of()).status()).isEqualTo(400);
    }

    @Test
    void subscribingRefusesWhatItCannotTakeNamingIt() {
        Setup setup = setup("refusals", "u-refusals", "T-refusals");
        Answer unknownType = subscribe(setup, Map.of("integration", "slack", "type", "SLACK_TRIGGER_NOPE", "parameters", Map.of()));
        assertThat(unknownType.status()).isEqualTo(400);
        assertThat(unknownType.json().get("message").asString()).contains("SLACK_TRIGGER_NOPE").contains("SLACK_TRIGGER_APP_MENTIONED");
        Answer badParameter = subscribe(setup, Map.of("integration", "slack", "type", "SLACK_TRIGGER_CHANNEL_MESSAGE_POSTED",
                "parameters", Map.of("channel", List.of("C1"))));
        assertThat(badParameter.status()).isEqualTo(400);
        assertThat(badParameter.json().get("message").asString()).contains("parameters.channel");
        Answer unknownParameter = subscribe(setup, Map.of("integration", "slack", "type", "SLACK_TRIGGER_CHANNEL_CREATED",
                "parameters", Map.of("channel", "C1")));
        assertThat(unknownParameter.status()).isEqualTo(400);
        assertThat(unknownParameter.json().get("message").asString()).contains("channel");
        Answer badOverride = subscribe(setup, Map.of("integration", "slack", "type", "SLACK_TRIGGER_CHANNEL_CREATED",
                "parameters", Map.of(), "webhookOverride", Map.of("url", "ftp://example.com")));
        assertThat(badOverride.json().get("message").asString()).contains("webhookOverride.url");
        String stranger = Tokens.sign(setup.project().privateKeyPem(), "u-without-slack", c -> c);
        Answer notConnected = server.user("POST", "/projects/" + setup.project().id() + "/trigger-subscriptions", stranger,
                Map.of("integration", "slack", "type", "SLACK_TRIGGER_CHANNEL_CREATED", "parameters", Map.of()), Map.of());
        assertThat(notConnected.status()).isEqualTo(400);
        assertThat(notConnected.json().get("message").asString()).isEqualTo("Integration not enabled for user.");
        assertThat(server.user("GET", "/projects/" + setup.project().id() + "/trigger-subscriptions", setup.token(), null, Map.of()).json()
                .get("triggers").propertyNames()).as("nothing was subscribed").isEmpty();
    }

    @Test
    void aSubscriptionIsListedReadChangedPausedAndDeletedByItsUserOnly() {
        Setup setup = setup("lifecycle", "u-life", "T-life");
        JsonNode created = TestServer.expect(subscribe(setup, Map.of("integration", "slack", "type", "SLACK_TRIGGER_CHANNEL_MESSAGE_POSTED",
                "parameters", Map.of("channel", "C1"), "webhookOverride", Map.of("url", receiver.url(), "metadata", Map.of("team", "blue")))), 200);
        String id = created.get("id").asString();
        assertThat(created.get("status").asString()).isEqualTo("ACTIVE");
        assertThat(created.get("credentialId").asString()).isEqualTo(setup.credential());
        assertThat(created.get("parameters").get("channel").asString()).isEqualTo("C1");
        assertThat(created.get("dateCreated").asString()).isNotBlank();
        String base = "/projects/" + setup.project().id() + "/trigger-subscriptions";
        JsonNode listed = TestServer.expect(server.user("GET", base + "?integrations=slack&status=ACTIVE", setup.token(), null, Map.of()), 200);
        assertThat(listed.get("triggers").get("slack").get(0).get("id").asString()).isEqualTo(id);

        JsonNode changed = TestServer.expect(server.user("PATCH", base + "/" + id, setup.token(),
                Json.parse("{\"parameters\":{\"channel\":null},\"webhookOverride\":null}"), Map.of()), 200);
        assertThat(changed.get("parameters").has("channel")).as("null removes a parameter").isFalse();
        assertThat(changed.has("webhookOverride")).isFalse();
        Answer badChange = server.user("PATCH", base + "/" + id, setup.token(), Map.of("parameters", Map.of("nope", 1)), Map.of());
        assertThat(badChange.status()).isEqualTo(400);
        assertThat(TestServer.expect(server.user("PATCH", base + "/" + id, setup.token(), Map.of("status", "PAUSED"), Map.of()), 200)
                .get("status").asString()).isEqualTo("PAUSED");

        String other = Tokens.sign(setup.project().privateKeyPem(), "someone-else", c -> c);
        assertThat(server.user("GET", base + "/" + id, other, null, Map.of()).status()).as("another user's subscription").isEqualTo(404);
        assertThat(server.user("DELETE", base + "/" + id, other, null, Map.of()).status()).isEqualTo(404);
        assertThat(TestServer.expect(server.user("DELETE", base + "/" + id, setup.token(), null, Map.of()), 200).get("success").asBoolean()).isTrue();
        assertThat(server.user("GET", base + "/" + id, setup.token(), null, Map.of()).status()).isEqualTo(404);
    }

    @Test
    void slacksEventsAreCheckedThenDeliveredOnceSignedToTheMatchingSubscriptions() {
        Setup setup = setup("events", "u-events", "T1");
        String inC1 = TestServer.expect(subscribe(setup, Map.of("integration", "slack", "type", "SLACK_TRIGGER_CHANNEL_MESSAGE_POSTED",
                "parameters", Map.of("channel", "C1"))), 200).get("id").asString();
        String anywhere = TestServer.expect(subscribe(setup, Map.of("integration", "slack", "type", "SLACK_TRIGGER_CHANNEL_MESSAGE_POSTED",
                "parameters", Map.of())), 200).get("id").asString();
        String paused = TestServer.expect(subscribe(setup, Map.of("integration", "slack", "type", "SLACK_TRIGGER_CHANNEL_MESSAGE_POSTED",
                "parameters", Map.of())), 200).get("id").asString();
        TestServer.expect(server.user("PATCH", "/projects/" + setup.project().id() + "/trigger-subscriptions/" + paused, setup.token(),
                Map.of("status", "PAUSED"), Map.of()), 200);

        Answer challenge = slackPosts(setup.project(), "{\"token\":\"t\",\"challenge\":\"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P\",\"type\":\"url_verification\"}");
        assertThat(challenge.status()).isEqualTo(200);
        assertThat(challenge.json().get("challenge").asString()).isEqualTo("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P");

        String hello = messageEvent("Ev1", "T1", "C1", "hello", "");
        assertThat(slackPosts(setup.project(), hello, Instant.now().getEpochSecond(), "not-the-signing-secret").status())
                .as("a forged signature").isEqualTo(401);
        assertThat(slackPosts(setup.project(), hello, Instant.now().minusSeconds(600).getEpochSecond(), SIGNING_SECRET).status())
                .as("a request recorded ten minutes ago, replayed").isEqualTo(401);
        assertThat(server.node().triggerDelivery().deliverDue(Instant.now())).as("nothing was stored from them").isZero();

        assertThat(slackPosts(setup.project(), hello).status()).isEqualTo(200);
        assertThat(slackPosts(setup.project(), hello).status()).as("Slack's retry of the same event").isEqualTo(200);
        assertThat(slackPosts(setup.project(), messageEvent("Ev2", "T1", "C2", "elsewhere", "")).status()).isEqualTo(200);
        assertThat(slackPosts(setup.project(), messageEvent("Ev3", "T1", "C1", "from a bot", ",\"bot_id\":\"B1\"")).status()).isEqualTo(200);
        assertThat(slackPosts(setup.project(), messageEvent("Ev4", "T-other", "C1", "another workspace", "")).status()).isEqualTo(200);

        Instant now = Instant.now();
        while (server.node().triggerDelivery().deliverDue(now) > 0) {
            // each subscription's events go one at a time
        }
        List<WebhookReceiver.Delivery> delivered = receiver.deliveries();
        assertThat(delivered).allSatisfy(d -> assertThat(d.signedCorrectly()).as("both signatures check").isTrue());
        assertThat(texts(delivered, inC1)).containsExactly("hello");
        assertThat(texts(delivered, anywhere)).containsExactly("hello", "elsewhere");
        assertThat(texts(delivered, paused)).isEmpty();
        JsonNode first = delivered.stream().filter(d -> d.body().get("triggerSubscriptionId").asString().equals(inC1)).findFirst().orElseThrow().body();
        assertThat(first.get("userId").asString()).isEqualTo("u-events");
        assertThat(first.get("integration").asString()).isEqualTo("slack");
        assertThat(first.get("triggerType").asString()).isEqualTo("SLACK_TRIGGER_CHANNEL_MESSAGE_POSTED");
        assertThat(first.get("credentialId").asString()).isEqualTo(setup.credential());
        assertThat(first.get("projectId").asString()).isEqualTo(setup.project().id());
        assertThat(first.get("occurredAt").asString()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(first.at("/payload/channel").asString()).isEqualTo("C1");
    }

    @Test
    void aReceiverThatIsDownGetsEachEventAfterBackoffInOrderWithItsIdKept() {
        Setup setup = setup("backoff", "u-backoff", "T-backoff");
        String subscription = TestServer.expect(subscribe(setup, Map.of("integration", "slack", "type", "SLACK_TRIGGER_CHANNEL_MESSAGE_POSTED",
                "parameters", Map.of())), 200).get("id").asString();
        receiver.answerWith(503);
        slackPosts(setup.project(), messageEvent("Ev-b1", "T-backoff", "C1", "first", ""));
        slackPosts(setup.project(), messageEvent("Ev-b2", "T-backoff", "C1", "second", ""));
        Instant t0 = Instant.now();
        assertThat(server.node().triggerDelivery().deliverDue(t0)).as("only the subscription's oldest event goes").isEqualTo(1);
        assertThat(server.node().triggerDelivery().deliverDue(t0.plusSeconds(2))).as("not before its backoff").isZero();

        receiver.answerWith(200);
        assertThat(server.node().triggerDelivery().deliverDue(t0.plusSeconds(7))).isEqualTo(1);
        assertThat(server.node().triggerDelivery().deliverDue(t0.plusSeconds(7))).as("then the next one").isEqualTo(1);
        assertThat(texts(receiver.deliveries(), subscription)).containsExactly("first", "second");

        JsonNode events = TestServer.expect(server.admin("GET", "/admin/projects/" + setup.project().id() + "/trigger-events?subscriptionId="
                + subscription, null), 200).get("events");
        String firstId = events.valueStream().filter(e -> e.get("attempts").asInt() == 2).findFirst().orElseThrow().get("id").asString();
        JsonNode first = TestServer.expect(server.admin("GET", "/admin/projects/" + setup.project().id() + "/trigger-events/" + firstId, null), 200);
        assertThat(first.get("status").asString()).isEqualTo("DELIVERED");
        assertThat(first.get("deliveries").valueStream().map(a -> a.get("statusCode").asInt())).containsExactly(503, 200);
        assertThat(receiver.deliveries().stream().filter(d -> d.webhookId().equals(firstId))).hasSize(1);
        assertThat(first.get("body").get("eventId").asString()).isEqualTo(firstId);
    }

    @Test
    void anEventNotDeliveredWithinTheHorizonFailsAndIsReplayedWithItsId() {
        Setup setup = setup("horizon", "u-horizon", "T-horizon");
        String subscription = TestServer.expect(subscribe(setup, Map.of("integration", "slack", "type", "SLACK_TRIGGER_CHANNEL_MESSAGE_POSTED",
                "parameters", Map.of())), 200).get("id").asString();
        receiver.answerWith(500);
        try {
            slackPosts(setup.project(), messageEvent("Ev-h1", "T-horizon", "C1", "late", ""));
            Instant at = Instant.now();
            for (int i = 0; i < 6; i++) { // every 20 minutes, well past each backoff, for two hours
                server.node().triggerDelivery().deliverDue(at);
                at = at.plus(Duration.ofMinutes(20));
            }
            JsonNode events = TestServer.expect(server.admin("GET", "/admin/projects/" + setup.project().id()
                    + "/trigger-events?status=FAILED&subscriptionId=" + subscription, null), 200).get("events");
            assertThat(events).as("given up within the one-hour horizon").hasSize(1);
            assertThat(events.get(0).get("lastStatus").asInt()).isEqualTo(500);
            String eventId = events.get(0).get("id").asString();

            receiver.answerWith(200);
            assertThat(server.admin("POST", "/admin/projects/" + setup.project().id() + "/trigger-events/" + eventId + "/replay", null).status())
                    .isEqualTo(202);
            server.node().triggerDelivery().deliverDue(Instant.now());
            assertThat(receiver.deliveries().stream().filter(d -> d.webhookId().equals(eventId)).map(d -> d.body().at("/payload/text").asString()))
                    .containsExactly("late");
            assertThat(server.admin("POST", "/admin/projects/" + setup.project().id() + "/trigger-events/nope/replay", null).status()).isEqualTo(404);
        } finally {
            receiver.answerWith(200);
        }
    }

    @Test
    void deliveredEventsPastTheRetentionArePrunedAndFailedOnesKeptForReplay() throws Exception {
        Setup setup = setup("retention", "u-retention", "T-retention");
        String subscription = TestServer.expect(subscribe(setup, Map.of("integration", "slack", "type", "SLACK_TRIGGER_CHANNEL_MESSAGE_POSTED",
                "parameters", Map.of())), 200).get("id").asString();
        slackPosts(setup.project(), messageEvent("Ev-r1", "T-retention", "C1", "delivered", ""));
        server.node().triggerDelivery().deliverDue(Instant.now());
        receiver.answerWith(500);
        try {
            slackPosts(setup.project(), messageEvent("Ev-r2", "T-retention", "C1", "failed", ""));
            Instant at = Instant.now();
            for (int i = 0; i < 6; i++) {
                server.node().triggerDelivery().deliverDue(at);
                at = at.plus(Duration.ofMinutes(20));
            }
        } finally {
            receiver.answerWith(200);
        }
        String events = "/admin/projects/" + setup.project().id() + "/trigger-events?subscriptionId=" + subscription;
        JsonNode before = TestServer.expect(server.admin("GET", events, null), 200).get("events");
        assertThat(before.valueStream().map(e -> e.get("status").asString())).containsExactlyInAnyOrder("DELIVERED", "FAILED");
        String delivered = before.valueStream().filter(e -> e.get("status").asString().equals("DELIVERED")).findFirst().orElseThrow().get("id").asString();
        long fortyDaysAgo = System.currentTimeMillis() - Duration.ofDays(40).toMillis(); // past the default 30 days
        try (java.sql.Connection db = java.sql.DriverManager.getConnection("jdbc:sqlite:" + server.dataDir().resolve("switchboard.db"))) {
            db.createStatement().executeUpdate("UPDATE trigger_events SET created_at = " + fortyDaysAgo + " WHERE subscription_id = '" + subscription + "'");
        }

        server.node().pruneRunsNow();

        JsonNode after = TestServer.expect(server.admin("GET", events, null), 200).get("events");
        assertThat(after.valueStream().map(e -> e.get("status").asString())).as("the failed one is kept for replay").containsExactly("FAILED");
        assertThat(server.admin("GET", "/admin/projects/" + setup.project().id() + "/trigger-events/" + delivered, null).status())
                .as("the delivered one is gone, with its delivery log").isEqualTo(404);
    }
}
