package dev.switchboard.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.fakes.VendorFake;
import java.util.HashMap;
import java.util.Map;

/**
 * An account whose access token has expired, used again and again: the project's OAuth app points its token URL at
 * the vendor's fake, the account is imported with an expired token and a refresh token the fake knows, and each call
 * must succeed although the fake lets every token it issued expire after it. What each vendor does with the refresh
 * token (keep it, or rotate it) is the fake's; the caller asserts how many refreshes reached it.
 */
public final class Refreshes {
    private Refreshes() {}

    /**
     * @param urls        the integration's URLs on the fake; its token URL is added
     * @return how many refresh grants reached the fake's token endpoint
     */
    public static int callsAfterEachExpiry(TestServer server, TestServer.Project project, VendorFake fake, String integration,
                                           Map<String, String> urls, String expiredToken, String refreshToken, String action,
                                           Map<String, Object> parameters, int calls) {
        Map<String, String> withToken = new HashMap<>(urls);
        withToken.put("token", fake.baseUrl() + "/oauth/token");
        TestServer.expect(server.admin("PUT", "/admin/projects/" + project.id() + "/integrations/" + integration, Map.of("enabled", true,
                "clientId", "client-id", "clientSecret", "client-secret", "urls", withToken)), 200);
        server.importCredential(project.id(), "grace", Map.of("integration", integration, "accessToken", expiredToken,
                "refreshToken", refreshToken, "expiresAt", java.time.Instant.now().plusSeconds(3600).toString()));
        fake.acceptRefreshToken(refreshToken);
        String grace = Tokens.sign(project.privateKeyPem(), "grace", c -> c);
        int before = fake.refreshes();
        for (int i = 0; i < calls; i++) {
            Http.Answer answer = server.runAction(project, grace, action, parameters);
            assertThat(answer.status()).as(answer.text()).isEqualTo(200);
            fake.expireIssuedAccessTokens();
        }
        return fake.refreshes() - before;
    }
}
