package dev.switchboard.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.fakes.XeroFake;
import dev.switchboard.testing.Http.Answer;
import dev.switchboard.testing.TestDatabases;
import dev.switchboard.testing.TestServer;
import dev.switchboard.testing.TestServer.Project;
import dev.switchboard.testing.Tokens;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Xero allows 60 calls a minute per organisation: the 61st is answered 429 here and never reaches Xero. */
class RateLimitTest {
    private static XeroFake xero;
    private static TestServer server;
    private static Project project;

    @BeforeAll
    static void start() {
        xero = new XeroFake(2).start();
        server = TestServer.start(TestDatabases.Kind.SQLITE);
        project = server.createProject("rate-limit");
        server.configureIntegration(project.id(), "xero", xero.apiUrl());
        for (String user : new String[] {"busy", "calm"}) {
            server.importCredential(project.id(), user, Map.of("integration", "xero", "accessToken", "xero-" + user,
                    "providerData", Map.of("tenantId", XeroFake.TENANT_ID)));
            xero.accept("xero-" + user);
        }
    }

    @AfterAll
    static void stop() {
        server.close();
        xero.close();
    }

    @Test
    void anAccountOverItsVendorsLimitIsAnswered429WithoutCallingTheVendor() {
        String busy = Tokens.sign(project.privateKeyPem(), "busy", c -> c);
        for (int i = 0; i < 60; i++) {
            Answer answer = server.runAction(project, busy, "XERO_GET_INVOICES", Map.of());
            assertThat(answer.status()).as("call %d: %s", i + 1, answer.text()).isEqualTo(200);
        }

        Answer over = server.runAction(project, busy, "XERO_GET_INVOICES", Map.of());
        assertThat(over.status()).isEqualTo(429);
        assertThat(over.json().get("code").asString()).isEqualTo("rate_limited");
        assertThat(over.json().get("message").asString()).contains("60 calls per 60 s");
        assertThat(Integer.parseInt(over.header("Retry-After"))).isBetween(1, 60);
        assertThat(xero.received("GET", "/api.xro/2.0/Invoices").stream()
                .filter(r -> "Bearer xero-busy".equals(r.headers().get("Authorization")))).hasSize(60);

        // the limit is the account's, not the integration's
        Answer other = server.runAction(project, Tokens.sign(project.privateKeyPem(), "calm", c -> c), "XERO_GET_INVOICES", Map.of());
        assertThat(other.status()).isEqualTo(200);
    }
}
