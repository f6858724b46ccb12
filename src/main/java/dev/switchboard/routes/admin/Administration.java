package dev.switchboard.routes.admin;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.RSAKey;
import dev.switchboard.auth.Pem;
import dev.switchboard.auth.UserPrincipal;
import dev.switchboard.integrations.IntegrationCatalog;
import dev.switchboard.integrations.IntegrationDefinition;
import dev.switchboard.mapping.VendorUrls;
import dev.switchboard.outcomes.Echo;
import dev.switchboard.outcomes.Failure;
import dev.switchboard.store.ConnectedUserRepository;
import dev.switchboard.store.Credential;
import dev.switchboard.store.CredentialStore;
import dev.switchboard.store.IntegrationConfigRepository.IntegrationConfig;
import dev.switchboard.store.IntegrationConfigRepository;
import dev.switchboard.store.ProjectRepository.Project;
import dev.switchboard.store.ProjectRepository;
import dev.switchboard.store.Run;
import dev.switchboard.store.RunQueries;
import dev.switchboard.store.SigningKeyRepository;
import dev.switchboard.store.TriggerEventRepository;
import dev.switchboard.store.TriggerSubscriptionRepository;
import dev.switchboard.store.TriggerWebhookRepository;
import dev.switchboard.triggers.WebhookSignatures;
import java.security.KeyPair;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What an operator may do, with its rules, once: the admin API (JSON) and the console (HTML forms) are two ways in
 * to the same operations, so a rule checked for one holds for the other. Each refusal is a {@link Failure} naming
 * what was wrong; nothing is changed before every check has passed.
 */
public final class Administration {
    /**
     * An integration's OAuth app and settings as an operator gives them; a null field is "not given".
     *
     * @param signingSecret the secret the vendor signs the events it pushes with (Slack's app Signing Secret)
     */
    record IntegrationSettings(Boolean enabled, String clientId, String clientSecret, List<String> scopes, Map<String, String> urls,
                               String signingSecret) {
        @Override
        public String toString() {
            return "IntegrationSettings[enabled=" + enabled + ", clientId=" + clientId + "]";
        }
    }

    /** A user's account as an operator imports it (tokens obtained elsewhere); the secrets are never in its toString. */
    record ImportedAccount(String integration, String accessToken, String refreshToken, String expiresAt, String apiKey,
                           String providerId, Map<String, Object> providerData) {
        @Override
        public String toString() {
            return "ImportedAccount[integration=" + integration + "]";
        }
    }

    /** A signing key just added; {@code privateKeyPem} only when Switchboard generated the pair (shown once, never stored). */
    record AddedKey(String kid, String privateKeyPem) {}

    static final int MAX_PROJECT_NAME = 200;

    final ProjectRepository projects;
    final SigningKeyRepository signingKeys;
    final IntegrationConfigRepository configs;
    final ConnectedUserRepository users;
    final CredentialStore credentials;
    final RunQueries runs;
    final IntegrationCatalog catalog;
    final TriggerWebhookRepository triggerWebhooks;
    final TriggerEventRepository triggerEvents;
    final TriggerSubscriptionRepository triggerSubscriptions;
    private final Runnable eventsDue;

    /** @param eventsDue told when an event is to be delivered now (a replay) */
    public Administration(ProjectRepository projects, SigningKeyRepository signingKeys, IntegrationConfigRepository configs,
                          ConnectedUserRepository users, CredentialStore credentials, RunQueries runs, IntegrationCatalog catalog,
                          TriggerWebhookRepository triggerWebhooks, TriggerEventRepository triggerEvents,
                          TriggerSubscriptionRepository triggerSubscriptions, Runnable eventsDue) {
        this.projects = projects;
        this.signingKeys = signingKeys;
        this.configs = configs;
        this.users = users;
        this.credentials = credentials;
        this.runs = runs;
        this.catalog = catalog;
        this.triggerWebhooks = triggerWebhooks;
        this.triggerEvents = triggerEvents;
        this.triggerSubscriptions = triggerSubscriptions;
        this.eventsDue = eventsDue;
    }

    Project project(String projectId) {
        return projects.find(projectId).orElseThrow(() -> Failure.notFound("project_not_found", "No project with this id."));
    }

    private static String projectName(String name) {
        if (name == null || name.isBlank() || name.strip().length() > MAX_PROJECT_NAME) {
            throw Failure.invalidInput("invalid_request", "Field 'name' is required (1 to " + MAX_PROJECT_NAME + " characters).");
        }
        return name.strip();
    }

    Project createProject(String name) {
        return projects.create(projectName(name));
    }

    /**
     * Renames the project and changes its settings: each argument optional (null: as it is), every one checked before
     * anything changes.
     *
     * @param unknownParameters {@code refuse} or {@code ignore}
     * @param branding          its Connect page's look, replaced as a whole
     */
    Project updateProject(String projectId, String name, String unknownParameters, ProjectRepository.Branding branding) {
        String checkedName = name == null ? null : projectName(name);
        if (unknownParameters != null && !Project.UNKNOWN_PARAMETER_MODES.contains(unknownParameters)) {
            throw Failure.invalidInput("invalid_request", "Field 'unknownParameters' must be \"refuse\" (a parameter an action does not"
                    + " declare is refused, naming it) or \"ignore\" (it is dropped, and the answer's X-Switchboard-Ignored-Parameters"
                    + " header names it).");
        }
        if (branding != null) {
            checkBranding(branding);
        }
        String id = project(projectId).id();
        if (checkedName != null) {
            projects.rename(id, checkedName);
        }
        if (unknownParameters != null) {
            projects.setUnknownParameters(id, unknownParameters);
        }
        if (branding != null) {
            projects.setBranding(id, branding);
        }
        return project(id);
    }

    private static void checkBranding(ProjectRepository.Branding branding) {
        if (branding.displayName() != null && (branding.displayName().isBlank() || branding.displayName().length() > 80)) {
            throw Failure.invalidInput("invalid_request", "branding.displayName must be 1 to 80 characters.");
        }
        if (branding.accentColor() != null && !branding.accentColor().matches("#[0-9A-Fa-f]{6}")) {
            throw Failure.invalidInput("invalid_request", "branding.accentColor must be a colour as #RRGGBB, such as #0B57D0.");
        }
        if (branding.logoUrl() != null && !VendorUrls.isHttpUrl(branding.logoUrl())) {
            throw Failure.invalidInput("invalid_request", "branding.logoUrl must be an https (or http) address of an image.");
        }
    }

    void deleteProject(String projectId) {
        if (!projects.delete(project(projectId).id())) {
            throw Failure.notFound("project_not_found", "No project with this id.");
        }
    }

    /** Adds the public key given in PEM, or, when none is given, generates a pair and returns its private half once. */
    AddedKey addSigningKey(String projectId, String publicKeyPem) {
        String id = project(projectId).id();
        RSAPublicKey publicKey;
        String privateKeyPem = null;
        if (publicKeyPem == null) {
            KeyPair pair = Pem.generateRsa();
            publicKey = (RSAPublicKey) pair.getPublic();
            privateKeyPem = Pem.encodePrivate((RSAPrivateKey) pair.getPrivate());
        } else {
            try {
                publicKey = Pem.parsePublic(publicKeyPem);
            } catch (IllegalArgumentException e) {
                throw Failure.invalidInput("invalid_request", e.getMessage().startsWith("publicKeyPem") ? e.getMessage() : "publicKeyPem: " + e.getMessage());
            }
        }
        String kid = thumbprint(publicKey);
        if (!signingKeys.add(id, kid, Pem.encodePublic(publicKey))) {
            throw new Failure(Failure.Kind.CONFLICT, "signing_key_exists", "This project already holds this key (kid " + kid + ").");
        }
        return new AddedKey(kid, privateKeyPem);
    }

    /** The key's RFC 7638 thumbprint: the same key always gets the same kid. */
    private static String thumbprint(RSAPublicKey key) {
        try {
            return new RSAKey.Builder(key).build().computeThumbprint().toString();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    void retireSigningKey(String projectId, String kid) {
        if (!signingKeys.retire(project(projectId).id(), kid)) {
            throw Failure.notFound("signing_key_not_found", "No active signing key with this kid.");
        }
    }

    IntegrationDefinition integration(String key) {
        return catalog.integration(key).orElseThrow(() -> Failure.notFound("integration_not_found",
                "Unknown integration " + Echo.quote(key) + "; known: " + catalog.integrationKeys()));
    }

    IntegrationConfig integrationConfig(String projectId, String key) {
        return configs.find(project(projectId).id(), integration(key).key())
                .orElseThrow(() -> Failure.notFound("integration_not_configured", "This integration is not configured in this project."));
    }

    /** Replaces the integration's settings; a client secret not given keeps the one stored. */
    IntegrationConfig putIntegration(String projectId, String key, IntegrationSettings settings) {
        String id = project(projectId).id();
        IntegrationDefinition definition = integration(key);
        Map<String, String> urls = settings.urls() == null ? Map.of() : settings.urls();
        urls.forEach((role, url) -> {
            if (!definition.urls().containsKey(role)) {
                throw Failure.invalidInput("invalid_request", "urls." + role + ": " + definition.key()
                        + " has no such URL; it uses " + definition.urls().keySet());
            }
            if (!VendorUrls.isHttpTemplate(url)) {
                throw Failure.invalidInput("invalid_request", "urls." + role + " must be an absolute http(s) URL.");
            }
        });
        Optional<IntegrationConfig> stored = configs.find(id, definition.key());
        String secret = settings.clientSecret() != null ? settings.clientSecret() : stored.map(IntegrationConfig::clientSecret).orElse(null);
        String signingSecret = settings.signingSecret() != null ? settings.signingSecret() : stored.map(IntegrationConfig::signingSecret).orElse(null);
        IntegrationConfig config = new IntegrationConfig(id, definition.key(), settings.enabled() == null || settings.enabled(),
                settings.clientId(), secret, settings.scopes() == null ? List.of() : settings.scopes(), urls, signingSecret);
        configs.upsert(config);
        return config;
    }

    /** Changes only the fields given; the others (the client secret among them) stay as they are. */
    IntegrationConfig patchIntegration(String projectId, String key, IntegrationSettings changes) {
        IntegrationConfig current = configs.find(project(projectId).id(), integration(key).key())
                .orElseThrow(() -> Failure.notFound("integration_not_configured", "This integration is not configured in this project; PUT it first."));
        return putIntegration(projectId, key, new IntegrationSettings(
                changes.enabled() != null ? changes.enabled() : current.enabled(),
                changes.clientId() != null ? changes.clientId() : current.clientId(),
                changes.clientSecret(),
                changes.scopes() != null ? changes.scopes() : current.scopes(),
                changes.urls() != null ? changes.urls() : current.urls(),
                changes.signingSecret()));
    }

    Credential credential(String projectId, String userId, String credentialId) {
        return credentials.find(project(projectId).id(), userId, credentialId)
                .orElseThrow(() -> Failure.notFound("credential_not_found", "This user has no account with this id."));
    }

    void disconnect(String projectId, String userId, String credentialId) {
        Credential credential = credential(projectId, userId, credentialId);
        credentials.delete(credential.projectId(), credential.userId(), credential.integration(), credential.id());
    }

    /** Stores an account for the user (who is created with it when new), after checking it holds what its integration needs. */
    Credential importCredential(String projectId, String userId, ImportedAccount account) {
        String id = project(projectId).id();
        if (userId == null || userId.isBlank() || userId.length() > UserPrincipal.MAX_USER_ID_LENGTH) {
            throw Failure.invalidInput("invalid_request", "The user id must be 1 to " + UserPrincipal.MAX_USER_ID_LENGTH + " characters.");
        }
        if (account.integration() == null) {
            throw Failure.invalidInput("invalid_request", "Field 'integration' is required.");
        }
        IntegrationDefinition definition = catalog.integration(account.integration()).orElseThrow(() ->
                Failure.invalidInput("invalid_request", "integration: unknown integration " + Echo.quote(account.integration())
                        + "; known: " + catalog.integrationKeys()));
        if (definition.auth().isInBody() ? account.apiKey() == null && account.accessToken() == null
                : definition.auth().isApiKey() ? account.apiKey() == null : account.accessToken() == null) {
            throw Failure.invalidInput("invalid_request", definition.key() + " authenticates with "
                    + (definition.auth().isInBody() ? "a password ('apiKey') or a session ('accessToken'): one is required."
                    : definition.auth().isApiKey() ? "an API key: field 'apiKey' is required." : "OAuth: field 'accessToken' is required."));
        }
        Long expiresAt = null;
        if (account.expiresAt() != null) {
            try {
                expiresAt = Instant.parse(account.expiresAt()).toEpochMilli();
            } catch (DateTimeParseException e) {
                throw Failure.invalidInput("invalid_request", "expiresAt must be an ISO-8601 instant such as 2026-12-01T00:00:00Z.");
            }
        }
        if (account.providerId() != null && account.providerId().length() > CredentialStore.MAX_PROVIDER_ID_LENGTH) {
            throw Failure.invalidInput("invalid_request", "providerId must be at most " + CredentialStore.MAX_PROVIDER_ID_LENGTH + " characters.");
        }
        users.ensure(id, userId);
        return credentials.insert(new CredentialStore.NewCredential(id, userId, definition.key(), account.accessToken(),
                account.refreshToken(), account.apiKey(), expiresAt, account.providerId(), account.providerData()));
    }

    /**
     * Sets where the project's trigger events are delivered. The signing secret is made when the webhook is first set,
     * and kept after, unless a new one is asked for (the receiver must then be given it).
     */
    TriggerWebhookRepository.TriggerWebhook setTriggerWebhook(String projectId, String url, boolean newSecret) {
        String id = project(projectId).id();
        if (!VendorUrls.isHttpUrl(url == null ? null : url.strip())) {
            throw Failure.invalidInput("invalid_request", "Field 'url' must be the absolute http(s) address of your webhook receiver.");
        }
        String secret = newSecret ? null : triggerWebhooks.find(id).map(TriggerWebhookRepository.TriggerWebhook::secret).orElse(null);
        TriggerWebhookRepository.TriggerWebhook webhook = new TriggerWebhookRepository.TriggerWebhook(url.strip(),
                secret != null ? secret : WebhookSignatures.newSecret());
        triggerWebhooks.set(id, webhook);
        return webhook;
    }

    TriggerWebhookRepository.TriggerWebhook triggerWebhook(String projectId) {
        return triggerWebhooks.find(project(projectId).id()).orElseThrow(() -> Failure.notFound("trigger_webhook_not_set",
                "This project has no trigger webhook; set one with PUT /admin/projects/{id}/trigger-webhook."));
    }

    TriggerEventRepository.StoredEvent triggerEvent(String projectId, String eventId) {
        return triggerEvents.find(project(projectId).id(), eventId).orElseThrow(() -> Failure.notFound("event_not_found",
                "This project has no trigger event with this id."));
    }

    /** A user's trigger subscriptions, with their state (an account that stopped working stops them, saying why). */
    List<TriggerSubscriptionRepository.TriggerSubscription> triggerSubscriptions(String projectId, String userId) {
        return triggerSubscriptions.list(project(projectId).id(), userId, new TriggerSubscriptionRepository.Filter(null, null, null, null));
    }

    /** Sends the event again now, with the same id (a receiver that deduplicates by it keeps one). */
    void replayTriggerEvent(String projectId, String eventId) {
        triggerEvents.replay(project(projectId).id(), triggerEvent(projectId, eventId).id());
        eventsDue.run();
    }

    Run run(String projectId, String runId) {
        return runs.find(project(projectId).id(), runId).orElseThrow(() -> Failure.notFound("run_not_found", "This project has no run with this id."));
    }

    /** A page of runs, filtered by the query parameters the admin API and the console's filter form share. */
    List<Run> runs(String projectId, Function<String, String> query, int defaultLimit) {
        return runs.list(project(projectId).id(), RunFilters.read(query, defaultLimit));
    }
}
