package dev.switchboard.routes.connect;

import dev.switchboard.auth.UserPrincipal;
import dev.switchboard.calls.AccountSelector;
import dev.switchboard.credentials.ProviderDataLookups;
import dev.switchboard.credentials.TokenEndpoint;
import dev.switchboard.http.JsonBodies;
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
import dev.switchboard.store.ProjectRepository;
import dev.switchboard.store.SdkSessions;
import dev.switchboard.sdk.SdkShapes;
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
    private static final String BEGIN_PATH = "/connect/oauth/begin";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final UserAuthenticator users;
    private final ProjectRepository projects;
    private final IntegrationCatalog catalog;
    private final IntegrationConfigRepository configs;
    private final AccountSelector accounts;
    private final CredentialStore credentials;
    private final OAuthStates states;
    private final SdkSessions sessions;
    private final TokenEndpoint tokens;
    private final ProviderDataLookups lookups;
    private final String publicUrl;
    private final Clock clock;
    private final String page;
    /** The portal Paragon's Connect SDK frames from its connect host ({@code /ui}). */
    private final String portal;

    /** @param publicUrl the server's address as browsers and vendors reach it, or null to take it from each request */
    public ConnectRoutes(UserAuthenticator users, ProjectRepository projects, IntegrationCatalog catalog, IntegrationConfigRepository configs, AccountSelector accounts,
                         CredentialStore credentials, OAuthStates states, SdkSessions sessions, TokenEndpoint tokens,
                         AnonymousVendorClient vendors, String publicUrl, Clock clock) {
        this.users = users;
        this.projects = projects;
        this.catalog = catalog;
        this.configs = configs;
        this.accounts = accounts;
        this.credentials = credentials;
        this.states = states;
        this.sessions = sessions;
        this.tokens = tokens;
        this.lookups = new ProviderDataLookups(vendors);
        this.publicUrl = publicUrl;
        this.clock = clock;
        this.page = resource("connect/index.html").replace("/*MESSAGES*/{}", Json.write(ConnectMessages.all()).replace("<", "\\u003c"));
        this.portal = resource("connect/portal.html");
    }

    private static String resource(String name) {
        try (InputStream in = ConnectRoutes.class.getClassLoader().getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void register(RoutesConfig routes) {
        routes.get("/projects/{projectId}/connect", ctx -> ctx.contentType("text/html; charset=utf-8")
                .header("Content-Security-Policy", "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src 'self' https:")
                .header("Referrer-Policy", "no-referrer").header("X-Frame-Options", "DENY").result(page));
        // Framed by the application's page: no X-Frame-Options; it acts only through the SDK in that page.
        routes.get("/ui", ctx -> ctx.contentType("text/html; charset=utf-8")
                .header("Content-Security-Policy", "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; frame-ancestors *")
                .header("Referrer-Policy", "no-referrer").result(portal));
        routes.get("/projects/{projectId}/connect/integrations", this::options);
        routes.post("/projects/{projectId}/connect/{integration}/start", this::start);
        routes.post("/projects/{projectId}/connect/{integration}/api-key", this::apiKey);
        routes.get(CALLBACK_PATH, this::callback);
        routes.get("/projects/{projectId}/sdk/actions/oauth-nonce", this::sdkNonce);
        routes.get("/v2/projects/{projectId}/sdk/actions/build-oauth", this::sdkBuildOAuth);
        routes.get(BEGIN_PATH, this::sdkBegin);
        routes.get("/projects/{projectId}/sdk/actions/session-id/{sessionId}", this::sdkSession);
        routes.delete("/projects/{projectId}/sdk/actions/session-id/{sessionId}", this::sdkSessionDelete);
        routes.post("/projects/{projectId}/sdk/credentials", this::sdkSaveCredential);
    }

    /**
     * What the Connect page shows: the project's branding, and each integration the user may connect with its icon,
     * description, how it connects, and the user's accounts, each named as its user knows it and with its state.
     */
    private void options(Context ctx) {
        UserPrincipal user = users.authenticate(ctx);
        List<Credential> mine = credentials.listForUser(user.projectId(), user.userId());
        ObjectNode page = Json.object();
        page.set("branding", Json.MAPPER.valueToTree(projects.find(user.projectId()).map(ProjectRepository.Project::branding)
                .orElse(ProjectRepository.Branding.NONE)));
        ArrayNode list = page.putArray("integrations");
        for (IntegrationConfig config : configs.listEnabled(user.projectId())) {
            IntegrationDefinition definition = catalog.integration(config.integration()).orElse(null);
            if (definition == null || !user.mayUseIntegration(config.integration())) {
                continue;
            }
            ObjectNode item = list.addObject().put("key", definition.key()).put("name", definition.name())
                    .put("description", definition.description()).put("brandColor", definition.brandColor())
                    .put("icon", "/integrations/" + definition.key() + ".svg")
                    .put("connectWith", definition.auth().isApiKey() ? "apiKey" : "oauth2");
            ArrayNode fields = item.putArray("connectFields");
            Map<String, IntegrationDefinition.ConnectField> asked = ConnectFieldValues.asked(definition, VendorUrls.of(definition, config));
            asked.forEach((name, field) -> fields.addObject().put("name", name).put("label", field.label())
                    .put("description", field.description()).put("pattern", field.pattern()).put("example", field.example()));
            ArrayNode accountList = item.putArray("accounts");
            mine.stream().filter(c -> c.integration().equals(definition.key()) && user.mayUseCredential(c.id()))
                    .forEach(c -> {
                        ObjectNode account = accountList.addObject().put("id", c.id()).put("status", c.status().name())
                                .put("label", SdkShapes.label(c, definition)).put("providerId", c.providerId())
                                .put("dateCreated", java.time.Instant.ofEpochMilli(c.createdAt()).toString());
                        // What it was connected with (a store's name, not a secret), so that reconnecting asks nothing again.
                        ObjectNode given = account.putObject("connectValues");
                        asked.keySet().forEach(name -> {
                            Object value = c.providerData() == null ? null : c.providerData().get(name);
                            if (value != null) {
                                given.put(name, value.toString());
                            }
                        });
                        if (c.status() != Credential.Status.VALID) {
                            account.put("problem", "credential_invalid").put("problemDetail", c.statusReason());
                        }
                    });
        }
        ctx.contentType("application/json").result(Json.write(page));
    }

    private IntegrationDefinition definition(String key) {
        return catalog.integration(key).orElseThrow(() -> Failure.notFound("integration_not_found", "Unknown integration " + Echo.quote(key) + "."));
    }

    private void start(Context ctx) {
        UserPrincipal user = users.authenticate(ctx);
        IntegrationDefinition definition = definition(ctx.pathParam("integration"));
        String browser = random(24);
        // A body only when the integration asks for connect fields: {"fields": {"shop": "acme"}}.
        JsonNode fields = ctx.contentType() == null && ctx.req().getContentLengthLong() <= 0 ? Json.object() : JsonBodies.read(ctx).path("fields");
        Authorization started = authorize(ctx, user, definition, sha256(browser), null, null, name -> fields.path(name).asString(null));
        ctx.contentType("application/json").result(Json.write(Json.object().put("authorizeUrl", firstStop(ctx, started, browser))));
    }

    /**
     * The address a browser starts an authorization at: Switchboard's first stop, on the callback's own host, which sets
     * the browser's cookie there and goes on to the vendor. (A cookie set by the page's request would live on the page's
     * host, which need not be the callback's.)
     */
    private String firstStop(Context ctx, Authorization started, String browser) {
        return base(ctx) + BEGIN_PATH + "?state=" + encode(started.state()) + "&browser=" + encode(browser);
    }

    /** An authorization under way: its state, saved, and the vendor's authorize URL that carries it. */
    private record Authorization(String state, String url) {}

    /**
     * Starts an authorization: a single-use state bound to the project, the user, the integration and the browser
     * holding the secret whose hash is given (PKCE where the vendor supports it).
     *
     * @param sdkSession   the Connect SDK's session id, when its popup drives the flow
     * @param openerOrigin the SDK's page, told when the flow fails
     * @param given        the user's value for each of the integration's connect fields, by name, or null
     */
    private Authorization authorize(Context ctx, UserPrincipal user, IntegrationDefinition definition, String browserHash,
                                    String sdkSession, String openerOrigin, java.util.function.Function<String, String> given) {
        IntegrationConfig config = accounts.enabledConfig(user, definition.key());
        Map<String, String> urls = VendorUrls.of(definition, config);
        Map<String, String> connectValues = ConnectFieldValues.of(definition, urls, given);
        if (definition.auth().isApiKey() || urls.get("authorize") == null || config.clientId() == null) {
            throw Failure.invalidInput("connect_not_available", definition.name() + " does not connect through OAuth here"
                    + (definition.auth().isApiKey() ? "; post its API key instead." : ": the project has not set its OAuth app (clientId)."));
        }
        String state = random(24);
        String verifier = definition.oauth().pkce() ? random(48) : null;
        String redirectUri = base(ctx) + CALLBACK_PATH;
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
        String authorize = Placeholders.fill(urls.get("authorize"), connectValues, true);
        String url = authorize + (authorize.contains("?") ? "&" : "?") + query.entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue())).collect(Collectors.joining("&"));
        states.save(new OAuthStates.PendingAuthorization(state, user.projectId(), user.userId(), definition.key(), browserHash,
                verifier, redirectUri, clock.millis() + STATE_LIFETIME.toMillis(), sdkSession, openerOrigin, url, connectValues));
        return new Authorization(state, url);
    }

    /** The secret that proves, at the callback, that the browser finishing an authorization is the one that started it. */
    private void setBrowserCookie(Context ctx, String browser) {
        ctx.res().addHeader("Set-Cookie", BROWSER_COOKIE + "=" + browser + "; Path=" + CALLBACK_PATH + "; Max-Age="
                + STATE_LIFETIME.toSeconds() + "; HttpOnly; SameSite=Lax" + (base(ctx).startsWith("https") ? "; Secure" : ""));
    }

    private void callback(Context ctx) {
        String stateParam = ctx.queryParam("state");
        OAuthStates.PendingAuthorization pending = stateParam == null ? null : states.take(stateParam).orElse(null);
        if (pending == null) {
            throw Failure.invalidInput("invalid_state", "This authorization is unknown, used or expired; start connecting again.");
        }
        String browser = ctx.cookie(BROWSER_COOKIE);
        if (browser == null || !MessageDigest.isEqual(sha256(browser).getBytes(StandardCharsets.US_ASCII),
                pending.browserHash().getBytes(StandardCharsets.US_ASCII))) {
            throw Failure.invalidInput("invalid_state", "This authorization was started in another browser; start connecting again.");
        }
        ctx.removeCookie(BROWSER_COOKIE, CALLBACK_PATH);
        if (ctx.queryParam("error") != null || ctx.queryParam("code") == null) {
            finish(ctx, pending, null, ctx.queryParam("error") == null ? "no_code" : ctx.queryParam("error"));
            return;
        }
        IntegrationDefinition definition = definition(pending.integration());
        IntegrationConfig config = configs.find(pending.projectId(), pending.integration()).filter(IntegrationConfig::enabled)
                .orElseThrow(() -> Failure.invalidInput("integration_not_connected", "The integration was disabled meanwhile."));
        try {
            Credential created = connectWithCode(ctx, definition, config, pending.projectId(), pending.userId(), ctx.queryParam("code"),
                    pending.redirectUri(), pending.codeVerifier(), pending.connectValues());
            finish(ctx, pending, created, null);
        } catch (ConnectFailed failed) {
            finish(ctx, pending, null, failed.code);
        }
    }

    /** Why connecting stopped, as the code the Connect page and the SDK's popup show. */
    private static final class ConnectFailed extends Exception {
        final String code;

        ConnectFailed(String code) {
            super(code, null, false, false);
            this.code = code;
        }
    }

    /**
     * Trades an authorization code for tokens, reads what the account's calls need (its providerData), and stores the
     * credential; nothing is stored when any step fails.
     */
    /** @param connectValues the user's values for the integration's connect fields: they fill its URLs and join the providerData */
    private Credential connectWithCode(Context ctx, IntegrationDefinition definition, IntegrationConfig config, String projectId, String userId,
                                       String code, String redirectUri, String codeVerifier, Map<String, String> connectValues) throws ConnectFailed {
        TokenEndpoint.Tokens granted;
        try {
            granted = tokens.exchangeCode(definition, config, connectValues, code, redirectUri, codeVerifier);
        } catch (TokenEndpoint.GrantRefused refused) {
            throw new ConnectFailed(refused.code);
        } catch (VendorTimeoutException | VendorUnreachableException | VendorUnreadableException e) {
            LOG.warn("{}'s token endpoint failed during a connect: {}", definition.key(), e.getMessage());
            throw new ConnectFailed("token_endpoint_unavailable");
        }
        Map<String, Object> providerData = new LinkedHashMap<>(connectValues);
        try {
            providerData.putAll(lookups.lookUp(definition, config, granted, connectValues));
        } catch (ProviderDataLookups.LookupFailed | VendorTimeoutException | VendorUnreachableException | VendorUnreadableException e) {
            // Nothing is stored: an account whose calls could not be addressed would only fail later.
            LOG.warn("connecting {} for a user of project {} failed: {}", definition.key(), projectId, e.getMessage());
            throw new ConnectFailed("account_lookup_failed");
        }
        String providerId = definition.oauth().providerId() == null ? null : granted.raw().at(definition.oauth().providerId()).asString(null);
        if (providerId != null && providerId.length() > CredentialStore.MAX_PROVIDER_ID_LENGTH) {
            // checked before the insert: PostgreSQL would refuse the row after the code was spent
            LOG.warn("{} answered an account id of {} characters; nothing stored", definition.key(), providerId.length());
            throw new ConnectFailed("invalid_token_answer");
        }
        Long expiresAt = granted.expiresInSeconds() == null ? null : clock.millis() + granted.expiresInSeconds() * 1000;
        return credentials.insert(new CredentialStore.NewCredential(projectId, userId, definition.key(),
                granted.accessToken(), granted.refreshToken(), null, expiresAt, providerId, providerData));
    }

    /**
     * Where an authorization ends: back on the Connect page, or, for the Connect SDK's popup, a page that records the
     * outcome for the SDK's polling, tells the SDK's window of a failure, and closes itself.
     */
    private void finish(Context ctx, OAuthStates.PendingAuthorization pending, Credential created, String errorCode) {
        if (pending.sdkSession() == null) {
            String back = "/projects/" + pending.projectId() + "/connect#";
            ctx.redirect(back + (created != null ? "connected=" + encode(created.integration()) + "&credential=" + encode(created.id())
                    : "error=" + encode(errorCode)));
            return;
        }
        sessions.finish(pending.projectId(), pending.sdkSession(), pending.userId(), created == null ? null : created.id(), errorCode);
        ObjectNode message = Json.object().put("type", "oauth_error_callback").put("error", errorCode)
                .put("integrationId", SdkShapes.integrationId(pending.projectId(), pending.integration()));
        message.putObject("errorResponse").put("message", ConnectMessages.plain(errorCode));
        String script = created != null ? "window.close();"
                : "if (window.opener) window.opener.postMessage(" + scriptJson(message) + ", " + scriptJson(Json.MAPPER.getNodeFactory()
                        .stringNode(pending.openerOrigin())) + "); setTimeout(function () { window.close(); }, 4000);";
        String text = created != null ? "Connected. You can close this window." : ConnectMessages.plain(errorCode);
        popupPage(ctx, text, script);
    }

    // ---- Paragon's Connect SDK: its OAuth popup, its polling, and headless installs --------------------------------

    /**
     * The SDK popup's first page: it tells the SDK's window it has loaded, and the SDK then sends it on to the
     * {@code redirectUrl} of {@link #sdkBuildOAuth}. The user token in its address is not needed here and not logged.
     */
    private void sdkNonce(Context ctx) {
        String origin = origin(ctx.queryParam("originForPostMessage"));
        popupPage(ctx, "Connecting…", origin == null ? "" : "if (window.opener) window.opener.postMessage({type: 'oauth-nonce-loaded'}, "
                + scriptJson(Json.MAPPER.getNodeFactory().stringNode(origin)) + ");");
    }

    /**
     * The SDK asks where its popup goes ({@code GET /v2/projects/{id}/sdk/actions/build-oauth}): an authorization bound
     * to its session id, whose first stop ({@link #sdkBegin}) sets the browser's cookie and goes on to the vendor.
     */
    private void sdkBuildOAuth(Context ctx) {
        UserPrincipal user = users.authenticate(ctx);
        String session = ctx.queryParam("oauthMetaKeyId");
        if (session == null || !session.matches("[A-Za-z0-9_-]{1,64}")) {
            throw Failure.invalidInput("invalid_request", "oauthMetaKeyId must be the SDK's session id (letters and digits, at most 64).");
        }
        String origin = origin(ctx.queryParam("originForPostMessage"));
        if (origin == null) {
            throw Failure.invalidInput("invalid_request", "originForPostMessage must be the origin of the page that opened the popup.");
        }
        IntegrationDefinition definition = sdkIntegration(user, ctx.queryParam("action"), ctx.queryParam("integrationId"));
        String browser = random(24);
        Authorization started = authorize(ctx, user, definition, sha256(browser), session, origin, ctx::queryParam);
        ctx.contentType("application/json").result(Json.write(Json.object().put("redirectUrl", firstStop(ctx, started, browser))));
    }

    /** The stop before the vendor (the Connect page's and the SDK popup's): the browser's secret becomes its cookie, checked at the callback. */
    private void sdkBegin(Context ctx) {
        String state = ctx.queryParam("state");
        String browser = ctx.queryParam("browser");
        String authorizeUrl = state == null || browser == null ? null : states.authorizeUrl(state, sha256(browser)).orElse(null);
        if (authorizeUrl == null) {
            popupPage(ctx.status(400), "This connection link is unknown, used or expired. Close this window and start connecting again.", "");
            return;
        }
        setBrowserCookie(ctx, browser);
        ctx.header("Referrer-Policy", "no-referrer").redirect(authorizeUrl);
    }

    /** The SDK's poll: {@code {"connectCredentialId"}} once its session connected an account; {@code {}} until then. */
    private void sdkSession(Context ctx) {
        UserPrincipal user = users.authenticate(ctx);
        ObjectNode body = Json.object();
        sessions.find(user.projectId(), ctx.pathParam("sessionId"), user.userId()).ifPresent(outcome -> {
            if (outcome.credentialId() != null) {
                body.put("connectCredentialId", outcome.credentialId());
            } else {
                body.put("error", outcome.errorCode()).put("message", ConnectMessages.plain(outcome.errorCode()));
            }
        });
        ctx.contentType("application/json").result(Json.write(body));
    }

    private void sdkSessionDelete(Context ctx) {
        UserPrincipal user = users.authenticate(ctx);
        sessions.delete(user.projectId(), ctx.pathParam("sessionId"), user.userId());
        ctx.contentType("application/json").result(Json.write(Json.object().put("success", true)));
    }

    /**
     * The SDK saves a credential ({@code POST /sdk/credentials}): an API key from its headless install flow
     * ({@code {"integrationId", "payload": {"apiKey"}}}), or an authorization code the application's own redirect
     * received ({@code completeInstall}: {@code {"integrationId", "code", "redirectUrl"}}).
     */
    private void sdkSaveCredential(Context ctx) {
        UserPrincipal user = users.authenticate(ctx);
        JsonNode body = JsonBodies.read(ctx);
        IntegrationDefinition definition = sdkIntegration(user, null, body.path("integrationId").asString(null));
        IntegrationConfig config = accounts.enabledConfig(user, definition.key());
        Credential created;
        if (body.hasNonNull("code")) {
            String redirectUrl = body.path("redirectUrl").asString(null);
            if (redirectUrl == null || origin(redirectUrl) == null) {
                throw Failure.invalidInput("invalid_request", "redirectUrl must be the address the code was sent to, as registered with "
                        + definition.name() + ".");
            }
            try {
                created = connectWithCode(ctx, definition, config, user.projectId(), user.userId(), body.get("code").asString(), redirectUrl, null,
                        ConnectFieldValues.of(definition, VendorUrls.of(definition, config), name -> body.path("payload").path(name).asString(null)));
            } catch (ConnectFailed failed) {
                throw Failure.invalidInput(failed.code, ConnectMessages.plain(failed.code));
            }
        } else {
            if (!definition.auth().isApiKey()) {
                throw Failure.invalidInput("connect_not_available", definition.name() + " connects through OAuth: use installIntegration "
                        + "(its popup), or completeInstall with an authorization code.");
            }
            JsonNode payload = body.path("payload");
            String key = payload.path("apiKey").asString(payload.path("api_key").asString("")).strip();
            if (key.isEmpty() || key.length() > 1000) {
                throw Failure.invalidInput("invalid_request", "payload.apiKey is required: the account's API key.");
            }
            Map<String, String> values = ConnectFieldValues.of(definition, VendorUrls.of(definition, config), name -> payload.path(name).asString(null));
            created = credentials.insert(new CredentialStore.NewCredential(user.projectId(), user.userId(), definition.key(),
                    null, null, key, null, null, providerDataOfKey(ctx, definition, config, key, values)));
        }
        ctx.status(200).contentType("application/json").result(Json.write(SdkShapes.credential(created, definition)));
    }

    /** The integration the SDK names, by key ({@code action}) or by the id its lists give. */
    private IntegrationDefinition sdkIntegration(UserPrincipal user, String key, String integrationId) {
        for (IntegrationConfig config : configs.listEnabled(user.projectId())) {
            String candidate = config.integration();
            if (candidate.equals(key) || candidate.equals(integrationId) || SdkShapes.integrationId(user.projectId(), candidate).equals(integrationId)) {
                if (!user.mayUseIntegration(candidate)) {
                    throw Failure.forbidden("This token's permissions do not include integration " + Echo.quote(candidate) + ".");
                }
                return definition(candidate);
            }
        }
        throw Failure.notFound("integration_not_found", "No integration " + Echo.quote(key != null ? key : String.valueOf(integrationId))
                + " is enabled in this project.");
    }

    /** The origin of an http(s) address ({@code https://app.example.com}), or null when it is not one. */
    private static String origin(String url) {
        if (url == null) {
            return null;
        }
        try {
            java.net.URI uri = java.net.URI.create(url);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null || uri.getRawUserInfo() != null) {
                return null;
            }
            return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** JSON to write inside a script element: nothing in it can end the element. */
    private static String scriptJson(JsonNode value) {
        return Json.write(value).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026");
    }

    /** A small page for the SDK's popup: a line of text, and its script. */
    private static void popupPage(Context ctx, String text, String script) {
        String html = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">"
                + "<title>Connect</title><style>body{font:16px/1.5 system-ui,sans-serif;margin:3rem auto;max-width:28rem;padding:0 1rem;color:#1d1d1f}</style>"
                + "</head><body><main><p role=\"status\">" + escapeHtml(text) + "</p></main><script>" + script + "</script></body></html>";
        ctx.contentType("text/html; charset=utf-8").header("Cache-Control", "no-store").header("Referrer-Policy", "no-referrer")
                .header("Content-Security-Policy", "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'")
                .result(html);
    }

    private static String escapeHtml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private void apiKey(Context ctx) {
        UserPrincipal user = users.authenticate(ctx);
        IntegrationDefinition definition = definition(ctx.pathParam("integration"));
        IntegrationConfig config = accounts.enabledConfig(user, definition.key());
        if (!definition.auth().isApiKey()) {
            throw Failure.invalidInput("connect_not_available", definition.name() + " connects through OAuth, not an API key.");
        }
        JsonNode body = JsonBodies.read(ctx);
        String key = body.path("apiKey").asString("").strip();
        if (key.isEmpty() || key.length() > 1000) {
            throw Failure.invalidInput("invalid_request", "Field 'apiKey' is required.");
        }
        Map<String, String> values = ConnectFieldValues.of(definition, VendorUrls.of(definition, config), name -> body.path("fields").path(name).asString(null));
        Credential created = credentials.insert(new CredentialStore.NewCredential(user.projectId(), user.userId(), definition.key(),
                null, null, key, null, null, providerDataOfKey(ctx, definition, config, key, values)));
        ctx.status(201).contentType("application/json").result(Json.write(Json.object().put("id", created.id()).put("status", created.status().name())));
    }

    /**
     * What an API key's account is, read with the key as the definition's lookups say (Stripe's account and its name),
     * which also proves the vendor takes the key: one it refuses is not saved. Without lookups, the connect values alone.
     */
    private Map<String, Object> providerDataOfKey(Context ctx, IntegrationDefinition definition, IntegrationConfig config, String key,
                                                  Map<String, String> connectValues) {
        Map<String, Object> providerData = new LinkedHashMap<>(connectValues);
        if (definition.oauth().providerData().isEmpty()) {
            return providerData;
        }
        try {
            providerData.putAll(lookups.lookUp(definition, config, new TokenEndpoint.Tokens(key, null, null, Json.object()), connectValues));
        } catch (ProviderDataLookups.LookupFailed refused) {
            LOG.info("{} refused an API key being saved: {}", definition.key(), refused.getMessage());
            throw Failure.invalidInput("api_key_refused", definition.name() + " did not accept this API key (" + refused.getMessage()
                    + "): check that it is the whole key, of the right account, and not revoked.");
        } catch (VendorTimeoutException | VendorUnreachableException | VendorUnreadableException e) {
            throw new Failure(Failure.Kind.UNREACHABLE, "integration_unreachable", definition.name() + " could not be reached to check the API key; try again.");
        }
        return providerData;
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
