package dev.switchboard.triggers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.cli.Main;
import dev.switchboard.testing.Http;
import dev.switchboard.testing.ServerProcesses;
import dev.switchboard.testing.SlackEventsApi;
import dev.switchboard.testing.Tokens;
import dev.switchboard.testing.WebhookReceiver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Kills the server (SIGKILL) with trigger events stored but not yet delivered, and in the middle of a delivery (the
 * receiver has the request, the server never gets the answer), restarts it on the same data directory, and counts
 * what the receiver got: every event delivered, in order, none lost, a duplicate only as the same event id sent
 * again. Trials per case: {@code -Dcrash.trials=N} (default 1).
 */
class TriggerCrashTest {
    private static final String ADMIN = "trigger-crash-operator-secret";
    private static final String MASTER_KEY = "Y3Jhc2gtdGVzdC1tYXN0ZXIta2V5LTMyLWJ5dGVzISE=";
    private static final String SIGNING_SECRET = "trigger-crash-signing-secret";
    private static final int EVENTS = 5;

    @ParameterizedTest(name = "killed {0}")
    @ValueSource(strings = {"between-store-and-delivery", "during-delivery"})
    void noEventIsLostWhenTheNodeIsKilled(String when) throws Exception {
        int trials = Integer.getInteger("crash.trials", 1);
        int produced = 0;
        int delivered = 0;
        int duplicated = 0;
        for (int trial = 1; trial <= trials; trial++) {
            int[] counts = runTrial(when);
            produced += counts[0];
            delivered += counts[1];
            duplicated += counts[2];
        }
        System.out.printf("trigger crash test: killed %s, %d trials: %d events produced, %d delivered, %d lost, %d received again with the same id%n",
                when, trials, produced, delivered, produced - delivered, duplicated);
        assertThat(delivered).isEqualTo(produced);
    }

    /** @return events produced, distinct events delivered, receptions of an event the receiver already had */
    private int[] runTrial(String when) throws Exception {
        Path data = Files.createTempDirectory("trigger-crash");
        int port = ServerProcesses.freePort();
        String base = "http://127.0.0.1:" + port;
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            Process first = start(data, port);
            CountDownLatch[] held = null;
            try {
                ServerProcesses.waitForHealth(base, first);
                String project = setUp(base, receiver);
                if (when.equals("between-store-and-delivery")) {
                    receiver.answerWith(503);
                } else {
                    held = receiver.holdNext();
                }
                for (int n = 1; n <= EVENTS; n++) {
                    String event = SlackEventsApi.messageEvent("Ev-crash-" + n, "T-crash", "C1", "m" + n, "");
                    assertThat(post(base, project, event).status()).isEqualTo(200);
                }
                if (held != null) {
                    assertThat(held[0].await(30, TimeUnit.SECONDS)).as("the receiver has the first delivery").isTrue();
                } else {
                    waitUntil(() -> !receiver.received().isEmpty(), first);
                }
                first.destroyForcibly(); // SIGKILL: no shutdown hook, no commit, no cleanup
                first.waitFor(30, TimeUnit.SECONDS);
            } finally {
                first.destroyForcibly();
                if (held != null) {
                    held[1].countDown();
                }
            }
            int refusedBeforeRestart = receiver.received().size() - receiver.deliveries().size();
            receiver.answerWith(200);

            Process second = start(data, port);
            try {
                ServerProcesses.waitForHealth(base, second);
                waitUntil(() -> distinct(receiver) == EVENTS, second);
                Thread.sleep(300); // nothing more comes
            } finally {
                second.destroyForcibly();
                second.waitFor(30, TimeUnit.SECONDS);
            }
            List<String> order = receiver.deliveries().stream().map(d -> d.body().at("/payload/text").asString()).distinct().toList();
            assertThat(order).as("delivered in order").containsExactly("m1", "m2", "m3", "m4", "m5");
            assertThat(receiver.deliveries()).allSatisfy(d -> assertThat(d.signedCorrectly()).isTrue());
            // a receiver that answered 503 did not take the event: only what reached it and was not refused counts twice
            int taken = receiver.received().size() - (when.equals("between-store-and-delivery") ? refusedBeforeRestart : 0);
            return new int[] {EVENTS, distinct(receiver), taken - distinct(receiver)};
        }
    }

    private static int distinct(WebhookReceiver receiver) {
        Set<String> ids = new HashSet<>();
        receiver.deliveries().forEach(d -> ids.add(d.webhookId()));
        return ids.size();
    }

    private static String setUp(String base, WebhookReceiver receiver) {
        Map<String, String> admin = Map.of("Authorization", "Bearer " + ADMIN, "Content-Type", "application/json");
        String project = Http.send("POST", base + "/admin/projects", admin, "{\"name\":\"crash\"}").json().get("id").asString();
        String key = Http.send("POST", base + "/admin/projects/" + project + "/signing-keys", admin, "{}").json().get("privateKeyPem").asString();
        Http.send("PUT", base + "/admin/projects/" + project + "/integrations/slack", admin,
                Http.json(Map.of("clientId", "cid", "signingSecret", SIGNING_SECRET)));
        receiver.secret(Http.send("PUT", base + "/admin/projects/" + project + "/trigger-webhook", admin,
                Http.json(Map.of("url", receiver.url()))).json().get("secret").asString());
        Http.send("POST", base + "/admin/projects/" + project + "/users/u1/credentials", admin,
                Http.json(Map.of("integration", "slack", "accessToken", "xoxb-crash", "providerId", "T-crash")));
        Http.Answer subscribed = Http.send("POST", base + "/projects/" + project + "/trigger-subscriptions",
                Map.of("Authorization", "Bearer " + Tokens.sign(key, "u1", c -> c), "Content-Type", "application/json"),
                "{\"integration\":\"slack\",\"type\":\"SLACK_TRIGGER_CHANNEL_MESSAGE_POSTED\"}");
        assertThat(subscribed.status()).as(subscribed.text()).isEqualTo(200);
        return project;
    }

    private static Http.Answer post(String base, String project, String body) {
        return SlackEventsApi.post(base, project, body, Instant.now().getEpochSecond(), SIGNING_SECRET);
    }

    private static Process start(Path data, int port) throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "--enable-native-access=ALL-UNNAMED",
                "-Dswitchboard.triggerLeaseSeconds=2", "-cp", System.getProperty("java.class.path"), Main.class.getName(), "serve",
                "--port", String.valueOf(port), "--data-dir", data.resolve("data").toString(), "--trigger-delivery-interval-ms", "100"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(data.resolve("server.log").toFile()));
        builder.environment().keySet().removeIf(name -> name.startsWith("SWITCHBOARD_"));
        builder.environment().put("SWITCHBOARD_ADMIN_TOKEN", ADMIN);
        builder.environment().put("SWITCHBOARD_MASTER_KEY", MASTER_KEY);
        return builder.start();
    }

    private static void waitUntil(BooleanSupplier condition, Process process) throws InterruptedException {
        for (int i = 0; i < 1500 && !condition.getAsBoolean(); i++) {
            assertThat(process.isAlive()).as("the server is running").isTrue();
            Thread.sleep(20);
        }
        assertThat(condition.getAsBoolean()).as("reached within 30 s").isTrue();
    }
}
