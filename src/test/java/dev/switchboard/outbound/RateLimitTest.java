package dev.switchboard.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.fakes.XeroFake;
import dev.switchboard.testing.Http.Answer;
import dev.switchboard.testing.TestDatabases;
import dev.switchboard.testing.TestServer.Project;
import dev.switchboard.testing.TestServer;
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
        // busy and colleague connected the same organisation; calm another one
        for (String[] user : new String[][] {{"busy", XeroFake.TENANT_ID}, {"colleague", XeroFake.TENANT_ID}, {"calm", XeroFake.OTHER_TENANT_ID}}) {
            server.importCredential(project.id(), user[0], Map.of("integration", "xero", "accessToken", "xero-" + user[0],
                    "providerData", Map.of("tenantId", user[1])));
            xero.accept("xero-" + user[0]);
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

        // the limit is the organisation's: another account of it is over it too, an account of another is not
        Answer sameOrganisation = server.runAction(project, Tokens.sign(project.privateKeyPem(), "colleague", c -> c), "XERO_GET_INVOICES", Map.of());
        assertThat(sameOrganisation.status()).isEqualTo(429);
        Answer other = server.runAction(project, Tokens.sign(project.privateKeyPem(), "calm", c -> c), "XERO_GET_INVOICES", Map.of());
        assertThat(other.status()).isEqualTo(200);
    }
}
