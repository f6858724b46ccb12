package dev.switchboard.operations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.config.Setting;
import dev.switchboard.fakes.HubSpotFake;
import dev.switchboard.testing.Http;
import dev.switchboard.testing.Http.Answer;
import dev.switchboard.testing.TestDatabases;
import dev.switchboard.testing.TestServer;
import dev.switchboard.testing.Tokens;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The limits an operator sets take effect: the JSON body limit, and how long a call may wait for its rate limit. */
class ConfiguredLimitsTest {
    @Test
    void aSmallerBodyLimitRefusesLargerBodies() {
        try (TestServer server = TestServer.start(TestDatabases.Kind.SQLITE, Map.of(Setting.MAX_BODY_BYTES, "1KiB"))) {
            TestServer.Project project = server.createProject("limits");
            String token = Tokens.sign(project.privateKeyPem(), "u1", c -> c);
            String large = "{\"action\":\"SLACK_SEND_MESSAGE\",\"parameters\":{\"channel\":\"#general\",\"message\":\"" + "x".repeat(2000) + "\"}}";
            Answer refused = Http.send("POST", server.url("/projects/" + project.id() + "/actions"),
                    Map.of("Authorization", "Bearer " + token, "Content-Type", "application/json"), large);
            assertThat(refused.status()).isEqualTo(413);
            assertThat(refused.json().get("message").asString()).startsWith("The request body is larger than 1024 bytes.");
            Answer small = Http.send("POST", server.url("/projects/" + project.id() + "/actions"),
                    Map.of("Authorization", "Bearer " + token, "Content-Type", "application/json"),
                    "{\"action\":\"SLACK_SEND_MESSAGE\",\"parameters\":{\"channel\":\"#general\",\"message\":\"hi\"}}");
            assertThat(small.status()).as("under the limit, it is read: the refusal is another").isEqualTo(400);
            assertThat(small.json().get("code").asString()).isEqualTo("integration_not_connected");
        }
    }

    @Test
    void withNoRateLimitWaitACallOverTheLimitIsRefusedAtOnce() {
        HubSpotFake hubspot = new HubSpotFake(3);
        hubspot.start();
        try (TestServer server = TestServer.start(TestDatabases.Kind.SQLITE, Map.of(Setting.RATE_LIMIT_MAX_WAIT_MS, "0"))) {
            TestServer.Project project = server.createProject("limits");
            server.configureIntegration(project.id(), "hubspot", hubspot.apiUrl());
            server.importCredential(project.id(), "u1", Map.of("integration", "hubspot", "accessToken", "hubspot-limits-token",
                    "providerData", Map.of("hubId", String.valueOf(HubSpotFake.HUB_ID))));
            hubspot.accept("hubspot-limits-token");
            String token = Tokens.sign(project.privateKeyPem(), "u1", c -> c);
            // HubSpot allows 100 calls per 10 s per portal; by default a call past them waits (up to the retry budget) for
            // the next period. With no wait allowed, the first call past them is refused at once.
            Answer over = null;
            long tookMillis = 0;
            int calls = 0;
            while (over == null || over.status() == 200) {
                assertThat(calls++).as("a call past the limit came").isLessThan(300);
                long started = System.nanoTime();
                over = server.runAction(project, token, "HUBSPOT_GET_RECORDS_CONTACTS", Map.of());
                tookMillis = (System.nanoTime() - started) / 1_000_000;
            }
            assertThat(calls).isGreaterThan(100);
            assertThat(over.status()).isEqualTo(429);
            assertThat(over.json().get("code").asString()).isEqualTo("rate_limited");
            assertThat(tookMillis).as("answered without waiting for a permit").isLessThan(2_000);
        } finally {
            hubspot.close();
        }
    }
}
