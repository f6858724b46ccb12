package dev.switchboard.credentials;

import dev.switchboard.integrations.IntegrationDefinition;
import dev.switchboard.json.Json;
import dev.switchboard.mapping.VendorUrls;
import dev.switchboard.outbound.AnonymousVendorClient;
import dev.switchboard.outbound.Placeholders;
import dev.switchboard.outbound.VendorBody;
import dev.switchboard.outbound.VendorCall;
import dev.switchboard.outbound.VendorRequest;
import dev.switchboard.outbound.VendorResponse;
import dev.switchboard.store.Credential;
import dev.switchboard.store.IntegrationConfigRepository.IntegrationConfig;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The vendor's OAuth 2 token endpoint ({@code urls.token}): grants (refresh token, authorization code) sent
 * the way the integration's {@code oauth} block says, answers read as RFC 6749 section 5 (and Slack's
 * {@code ok:false} envelope).
 */
public final class TokenEndpoint {
    /** New tokens; {@code refreshToken} is null when the vendor keeps the old one. */
    public record Tokens(String accessToken, String refreshToken, Long expiresInSeconds, JsonNode raw) {
        @Override
        public String toString() {
            return "Tokens[expiresIn=" + expiresInSeconds + "]";
        }
    }

    /** The vendor refused the grant; {@code dead} when its code says the refresh token (or code) is no good. */
    public static final class GrantRefused extends RuntimeException {
        public final boolean dead;
        public final String code;

        GrantRefused(String code, boolean dead) {
            super("the token endpoint refused the grant: " + code, null, false, false);
            this.code = code;
            this.dead = dead;
        }
    }

    private final AnonymousVendorClient vendors;

    public TokenEndpoint(AnonymousVendorClient vendors) {
        this.vendors = vendors;
    }

    public Tokens refresh(IntegrationDefinition integration, IntegrationConfig config, Credential credential) {
        Map<String, String> grant = new LinkedHashMap<>();
        grant.put("grant_type", "refresh_token");
        grant.put("refresh_token", credential.refreshToken());
        return call(integration, config, Placeholders.values(integration, credential), grant);
    }

    public Tokens exchangeCode(IntegrationDefinition integration, IntegrationConfig config, Map<String, String> values,
                               String code, String redirectUri, String codeVerifier) {
        Map<String, String> grant = new LinkedHashMap<>();
        grant.put("grant_type", "authorization_code");
        grant.put("code", code);
        grant.put("redirect_uri", redirectUri);
        if (codeVerifier != null) {
            grant.put("code_verifier", codeVerifier);
        }
        return call(integration, config, values, grant);
    }

    private Tokens call(IntegrationDefinition integration, IntegrationConfig config, Map<String, String> values, Map<String, String> grant) {
        String tokenUrl = VendorUrls.of(integration, config).get("token");
        if (tokenUrl == null || config.clientId() == null || config.clientSecret() == null) {
            throw new GrantRefused("not_configured: the integration has no token URL or OAuth client", false);
        }
        IntegrationDefinition.OAuth oauth = integration.oauth();
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.put("Accept", List.of("application/json"));
        if (oauth.clientAuth().equals("basic")) {
            String pair = encode(config.clientId()) + ":" + encode(config.clientSecret());
            headers.put("Authorization", List.of("Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8))));
        } else {
            grant.put("client_id", config.clientId());
            grant.put("client_secret", config.clientSecret());
        }
        byte[] body;
        if (oauth.format().equals("json")) {
            ObjectNode json = Json.object();
            grant.forEach(json::put);
            body = json.toString().getBytes(StandardCharsets.UTF_8);
            headers.put("Content-Type", List.of("application/json"));
        } else {
            body = grant.entrySet().stream().map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                    .collect(Collectors.joining("&")).getBytes(StandardCharsets.UTF_8);
            headers.put("Content-Type", List.of("application/x-www-form-urlencoded"));
        }
        VendorCall call = new VendorCall(integration, null, false, vendors.deadlineFromNow(), false);
        VendorResponse response = vendors.execute(new VendorRequest(call, "POST",
                URI.create(Placeholders.fill(tokenUrl, values, true)), headers, VendorBody.Bytes.of(body)));
        JsonNode answer = response.json();
        String error = answer == null ? null : answer.path("error").asString(null);
        boolean envelopeFailure = answer != null && answer.path("ok").isBoolean() && !answer.path("ok").asBoolean();
        if (response.status() >= 400 || error != null || envelopeFailure || answer == null) {
            String code = error != null ? error : "HTTP " + response.status();
            boolean dead = error != null && oauth.invalidGrant().contains(error);
            throw new GrantRefused(code, dead);
        }
        // A token is text: an object, a number, true or "" would be stored as a VALID account that can never work.
        JsonNode access = answer.get("access_token");
        JsonNode refresh = answer.get("refresh_token");
        if (access == null || !access.isString() || access.asString().isBlank() || (refresh != null && !refresh.isNull() && !refresh.isString())) {
            throw new GrantRefused("invalid_token_answer", false);
        }
        JsonNode expiresIn = answer.get("expires_in");
        return new Tokens(answer.get("access_token").asString(), answer.path("refresh_token").asString(null),
                expiresIn != null && expiresIn.asLong(0) > 0 ? expiresIn.asLong() : null, answer);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
