package dev.switchboard.routes.connect;

import dev.switchboard.auth.UserPrincipal;
import dev.switchboard.calls.AccountSelector;
import dev.switchboard.credentials.ProviderDataLookups;
import dev.switchboard.credentials.TokenEndpoint;
import dev.switchboard.http.JsonBodies;
import dev.switchboard.http.RequestIds;
import dev.switchboard.http.UserAuthenticator;
import dev.switchboard.integrations.IntegrationCatalog;
import dev.switchboard.integrations.IntegrationDefinition;
import dev.switchboard.json.Json;
import dev.switchboard.mapping.VendorUrls;
import dev.switchboard.outbound.AnonymousVendorClient;
import dev.switchboard.outbound.Placeholders;
import dev.switchboard.outbound.VendorTimeoutException;
import dev.switchboard.outbound.VendorUnreachableException;
import dev.switchboard.outbound.VendorUnreadableException;
import dev.switchboard.outcomes.Echo;
import dev.switchboard.outcomes.Failure;
import dev.switchboard.store.Credential;
import dev.switchboard.store.CredentialStore;
import dev.switchboard.store.IntegrationConfigRepository.IntegrationConfig;
import dev.switchboard.store.IntegrationConfigRepository;
import dev.switchboard.store.OAuthStates;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Connecting accounts (SPEC 3.7). The Connect page ({@code /projects/{id}/connect#token=<user token>}) lists the
 * project's integrations and the user's accounts. OAuth integrations connect by the authorization code flow:
 * start (a state bound to the project, the user, the integration and this browser's cookie; PKCE where the
 * vendor supports it) ─► the vendor's consent ─► callback (state taken once, code exchanged) ─► an encrypted
 * credential. API-key integrations connect by posting the key.
 */
public final class ConnectRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectRoutes.class);
    private static final Duration STATE_LIFETIME = Duration.ofMinutes(10);
    private static final String BROWSER_COOKIE = "sb_connect";
    private static final String CALLBACK_PATH = "/connect/oauth/callback";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final UserAuthenticator users;
    private final IntegrationCatalog catalog;
    private final IntegrationConfigRepository configs;
    private final AccountSelector accounts;
    private final CredentialStore credentials;
    private final OAuthStates states;
    private final TokenEndpoint tokens;
    private final ProviderDataLookups lookups;
    private final String publicUrl;
    private final Clock clock;
    private final String page;

    /** @param publicUrl the server's address as browsers and vendors reach it, or null to take it from each request */
    public ConnectRoutes(UserAuthenticator users, IntegrationCatalog catalog, IntegrationConfigRepository configs, AccountSelector accounts,
                         CredentialStore credentials, OAuthStates states, TokenEndpoint tokens, AnonymousVendorClient vendors,
                         String publicUrl, Clock clock) {
        this.users = users;
        this.catalog = catalog;
        this.configs = configs;
        this.accounts = accounts;
        this.credentials = credentials;
        this.states = states;
        this.tokens = tokens;
        this.lookups = new ProviderDataLookups(vendors);
        this.publicUrl = publicUrl;
        this.clock = clock;
        try (InputStream in = ConnectRoutes.class.getClassLoader().getResourceAsStream("connect/index.html")) {
            this.page = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void register(RoutesConfig routes) {
        routes.get("/projects/{projectId}/connect", ctx -> ctx.contentType("text/html; charset=utf-8")
                .header("Content-Security-Policy", "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'")
                .header("Referrer-Policy", "no-referrer").header("X-Frame-Options", "DENY").result(page));
        routes.get("/projects/{projectId}/connect/integrations", this::options);
        routes.post("/projects/{projectId}/connect/{integration}/start", this::start);
        routes.post("/projects/{projectId}/connect/{integration}/api-key", this::apiKey);
        routes.get(CALLBACK_PATH, this::callback);
    }

    /** The integrations the page shows: each with how it connects and the user's accounts. */
    private void options(Context ctx) {
        UserPrincipal user = users.authenticate(ctx);
        List<Credential> mine = credentials.listForUser(user.projectId(), user.userId());
        ArrayNode list = Json.MAPPER.createArrayNode();
        for (IntegrationConfig config : configs.listEnabled(user.projectId())) {
            IntegrationDefinition definition = catalog.integration(config.integration()).orElse(null);
            if (definition == null || !user.mayUseIntegration(config.integration())) {
                continue;
            }
            ObjectNode item = list.addObject().put("key", definition.key()).put("name", definition.name())
                    .put("connectWith", definition.auth().isApiKey() ? "apiKey" : "oauth2");
            ArrayNode accountList = item.putArray("accounts");
            mine.stream().filter(c -> c.integration().equals(definition.key()) && user.mayUseCredential(c.id()))
                    .forEach(c -> accountList.addObject().put("id", c.id()).put("status", c.status().name()).put("providerId", c.providerId())
                            .put("statusReason", c.status() == Credential.Status.VALID ? null : c.statusReason()));
        }
        ctx.contentType("application/json").result(Json.write(list));
    }

    private IntegrationDefinition definition(String key) {
        return catalog.integration(key).orElseThrow(() -> Failure.notFound("integration_not_found", "Unknown integration " + Echo.quote(key) + "."));
    }

    private void start(Context ctx) {
        UserPrincipal user = users.authenticate(ctx);
        IntegrationDefinition definition = definition(ctx.pathParam("integration"));
        IntegrationConfig config = accounts.enabledConfig(user, definition.key());
        Map<String, String> urls = VendorUrls.of(definition, config);
        if (definition.auth().isApiKey() || urls.get("authorize") == null || config.clientId() == null) {
            throw Failure.invalidInput("connect_not_available", definition.name() + " does not connect through OAuth here"
                    + (definition.auth().isApiKey() ? "; post its API key instead." : ": the project has not set its OAuth app (clientId)."));
        }
        String state = random(24);
        String browser = random(24);
        String verifier = definition.oauth().pkce() ? random(48) : null;
        String redirectUri = base(ctx) + CALLBACK_PATH;
        states.save(new OAuthStates.PendingAuthorization(state, user.projectId(), user.userId(), definition.key(), sha256(browser),
                verifier, redirectUri, clock.millis() + STATE_LIFETIME.toMillis()));
        Map<String, String> query = new LinkedHashMap<>();
        query.put("response_type", "code");
        query.put("client_id", config.clientId());
        query.put("redirect_uri", redirectUri);
        query.put("state", state);
        if (!config.scopes().isEmpty()) {
            query.put("scope", String.join(definition.oauth().scopeSeparator(), config.scopes()));
        }
        if (verifier != null) {
            query.put("code_challenge", base64Url(sha256Bytes(verifier)));
            query.put("code_challenge_method", "S256");
        }
        query.putAll(definition.oauth().authorizeParams());
        String authorize = Placeholders.fill(urls.get("authorize"), Map.of(), true);
        String url = authorize + (authorize.contains("?") ? "&" : "?") + query.entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue())).collect(Collectors.joining("&"));
        ctx.res().addHeader("Set-Cookie", BROWSER_COOKIE + "=" + browser + "; Path=" + CALLBACK_PATH + "; Max-Age="
                + STATE_LIFETIME.toSeconds() + "; HttpOnly; SameSite=Lax" + (base(ctx).startsWith("https") ? "; Secure" : ""));
        ctx.contentType("application/json").result(Json.write(Json.object().put("authorizeUrl", url)));
    }

    private void callback(Context ctx) {
        String stateParam = ctx.queryParam("state");
        OAuthStates.PendingAuthorization pending = stateParam == null ? null : states.take(stateParam).orElse(null);
        if (pending == null) {
            throw Failure.invalidInput("invalid_state", "This authorization is unknown, used or expired; start connecting again.");
        }
        String back = "/projects/" + pending.projectId() + "/connect#";
        String browser = ctx.cookie(BROWSER_COOKIE);
        if (browser == null || !MessageDigest.isEqual(sha256(browser).getBytes(StandardCharsets.US_ASCII),
                pending.browserHash().getBytes(StandardCharsets.US_ASCII))) {
            throw Failure.invalidInput("invalid_state", "This authorization was started in another browser; start connecting again.");
        }
        ctx.removeCookie(BROWSER_COOKIE, CALLBACK_PATH);
        if (ctx.queryParam("error") != null || ctx.queryParam("code") == null) {
            ctx.redirect(back + "error=" + encode(ctx.queryParam("error") == null ? "no_code" : ctx.queryParam("error")));
            return;
        }
        IntegrationDefinition definition = definition(pending.integration());
        IntegrationConfig config = configs.find(pending.projectId(), pending.integration()).filter(IntegrationConfig::enabled)
                .orElseThrow(() -> Failure.invalidInput("integration_not_connected", "The integration was disabled meanwhile."));
        TokenEndpoint.Tokens granted;
        try {
            granted = tokens.exchangeCode(definition, config, Map.of(), ctx.queryParam("code"), pending.redirectUri(), pending.codeVerifier());
        } catch (TokenEndpoint.GrantRefused refused) {
            ctx.redirect(back + "error=" + encode(refused.code));
            return;
        } catch (VendorTimeoutException | VendorUnreachableException | VendorUnreadableException e) {
            LOG.warn("{}: {}'s token endpoint failed during a connect: {}", RequestIds.of(ctx), definition.key(), e.getMessage());
            ctx.redirect(back + "error=token_endpoint_unavailable");
            return;
        }
        Map<String, Object> providerData;
        try {
            providerData = lookups.lookUp(definition, config, granted);
        } catch (ProviderDataLookups.LookupFailed | VendorTimeoutException | VendorUnreachableException | VendorUnreadableException e) {
            // Nothing is stored: an account whose calls could not be addressed would only fail later.
            LOG.warn("{}: connecting {} for a user of project {} failed: {}", RequestIds.of(ctx), definition.key(), pending.projectId(), e.getMessage());
            ctx.redirect(back + "error=account_lookup_failed");
            return;
        }
        String providerId = definition.oauth().providerId() == null ? null : granted.raw().at(definition.oauth().providerId()).asString(null);
        if (providerId != null && providerId.length() > CredentialStore.MAX_PROVIDER_ID_LENGTH) {
            // checked before the insert: PostgreSQL would refuse the row after the code was spent
            LOG.warn("{}: {} answered an account id of {} characters; nothing stored", RequestIds.of(ctx), definition.key(), providerId.length());
            ctx.redirect(back + "error=invalid_token_answer");
            return;
        }
        Long expiresAt = granted.expiresInSeconds() == null ? null : clock.millis() + granted.expiresInSeconds() * 1000;
        Credential created = credentials.insert(new CredentialStore.NewCredential(pending.projectId(), pending.userId(), definition.key(),
                granted.accessToken(), granted.refreshToken(), null, expiresAt, providerId, providerData));
        ctx.redirect(back + "connected=" + encode(definition.key()) + "&credential=" + encode(created.id()));
    }

    private void apiKey(Context ctx) {
        UserPrincipal user = users.authenticate(ctx);
        IntegrationDefinition definition = definition(ctx.pathParam("integration"));
        accounts.enabledConfig(user, definition.key());
        if (!definition.auth().isApiKey()) {
            throw Failure.invalidInput("connect_not_available", definition.name() + " connects through OAuth, not an API key.");
        }
        JsonNode body = JsonBodies.read(ctx);
        String key = body.path("apiKey").asString("").strip();
        if (key.isEmpty() || key.length() > 1000) {
            throw Failure.invalidInput("invalid_request", "Field 'apiKey' is required.");
        }
        Credential created = credentials.insert(new CredentialStore.NewCredential(user.projectId(), user.userId(), definition.key(),
                null, null, key, null, null, Map.of()));
        ctx.status(201).contentType("application/json").result(Json.write(Json.object().put("id", created.id()).put("status", created.status().name())));
    }

    private String base(Context ctx) {
        if (publicUrl != null) {
            return publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
        }
        return ctx.scheme() + "://" + ctx.host();
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return base64Url(b);
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static byte[] sha256Bytes(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha256(String text) {
        return base64Url(sha256Bytes(text));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
