package dev.switchboard.actions;

import dev.switchboard.api.ApiException;
import dev.switchboard.auth.UserPrincipal;
import dev.switchboard.credentials.Credential;
import dev.switchboard.credentials.CredentialStore;
import dev.switchboard.integrations.ActionDefinition;
import dev.switchboard.integrations.IntegrationCatalog;
import dev.switchboard.integrations.IntegrationDefinition;
import dev.switchboard.integrations.Protocols;
import dev.switchboard.integrations.VendorProtocol;
import dev.switchboard.json.Json;
import dev.switchboard.outbound.Classification;
import dev.switchboard.outbound.Placeholders;
import dev.switchboard.outbound.VendorCall;
import dev.switchboard.outbound.VendorClient;
import dev.switchboard.outbound.VendorResponse;
import dev.switchboard.outbound.VendorTimeoutException;
import dev.switchboard.outbound.VendorUnreachableException;
import dev.switchboard.outbound.VendorUnreadableException;
import dev.switchboard.store.IntegrationConfigRepository;
import dev.switchboard.store.IntegrationConfigRepository.IntegrationConfig;
import dev.switchboard.store.RunRepository;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs one action, the same way for every entry point (HTTP, and later MCP):
 * catalog lookup ─► permissions ─► input validation ─► credential ─► vendor pipeline ─► result mapping,
 * and records the run whatever happened.
 */
public final class ActionRunner {
    /** The action's result and the credential that produced it. */
    public record Result(JsonNode body, String credentialId) {}

    private final IntegrationCatalog catalog;
    private final IntegrationConfigRepository configs;
    private final CredentialStore credentials;
    private final VendorClient vendors;
    private final RunRepository runs;
    private final MeterRegistry meters;
    private final Clock clock;

    public ActionRunner(IntegrationCatalog catalog, IntegrationConfigRepository configs, CredentialStore credentials,
                        VendorClient vendors, RunRepository runs, MeterRegistry meters, Clock clock) {
        this.catalog = catalog;
        this.configs = configs;
        this.credentials = credentials;
        this.vendors = vendors;
        this.runs = runs;
        this.meters = meters;
        this.clock = clock;
    }

    /**
     * @param actionName   as the caller sent it
     * @param parameters   the caller's parameters (null means none)
     * @param credentialId the {@code X-Paragon-Credential} header, or null for the oldest VALID account
     */
    public Result run(UserPrincipal user, String actionName, JsonNode parameters, String credentialId, String requestId) {
        long started = System.nanoTime();
        ActionDefinition.Compiled action = null;
        String usedCredential = null;
        int status = 500;
        String errorCode = "internal_error";
        try {
            user.requireActionKit();
            action = lookUp(actionName);
            IntegrationConfig config = enabledConfig(user, action);
            Credential credential = selectCredential(user, action, credentialId);
            usedCredential = credential.id();
            JsonNode body = callVendor(action, parameters, credential, config);
            status = 200;
            errorCode = null;
            return new Result(body, credential.id());
        } catch (ApiException e) {
            status = e.status();
            errorCode = e.code();
            if (usedCredential != null) {
                e.withHeader("X-Paragon-Credential", usedCredential);
            }
            throw e;
        } finally {
            long durationNanos = System.nanoTime() - started;
            String recordedAction = action != null ? action.name() : String.valueOf(actionName);
            runs.insert(new RunRepository.Run(UUID.randomUUID().toString(), user.projectId(), user.userId(),
                    recordedAction.length() > 128 ? recordedAction.substring(0, 128) : recordedAction,
                    action == null ? null : action.integration(), usedCredential,
                    status == 200 ? "SUCCEEDED" : "FAILED", status, errorCode,
                    TimeUnit.NANOSECONDS.toMillis(durationNanos), requestId, clock.millis()));
            Timer.builder("switchboard.action.runs")
                    .tag("action", action == null ? "unknown" : action.name())
                    .tag("status", String.valueOf(status))
                    .register(meters)
                    .record(durationNanos, TimeUnit.NANOSECONDS);
        }
    }

    private ActionDefinition.Compiled lookUp(String actionName) {
        if (actionName == null || actionName.isBlank()) {
            throw ApiException.badRequest("invalid_request", "The body must name the action to run in 'action' (or 'tool').");
        }
        return catalog.action(actionName).orElseThrow(() -> {
            String closest = Suggestions.closest(actionName, catalog.actionNames());
            return ApiException.badRequest("unknown_action", "Unknown action '" + actionName + "'"
                    + (closest == null ? "." : "; did you mean '" + closest + "'?"));
        });
    }

    private IntegrationConfig enabledConfig(UserPrincipal user, ActionDefinition.Compiled action) {
        String integration = action.integration();
        if (!user.mayUseIntegration(integration)) {
            throw ApiException.forbidden("This token's permissions do not include integration '" + integration + "'.");
        }
        return configs.find(user.projectId(), integration).filter(IntegrationConfig::enabled).orElseThrow(() ->
                ApiException.notConnected().withMeta("reason", "The integration is not enabled in this project."));
    }

    private Credential selectCredential(UserPrincipal user, ActionDefinition.Compiled action, String credentialId) {
        String integration = action.integration();
        if (credentialId != null) {
            Credential credential = credentials.find(user.projectId(), user.userId(), credentialId)
                    .filter(c -> c.integration().equals(integration))
                    .orElseThrow(() -> ApiException.notFound("credential_not_found", "No such credential."));
            if (!user.mayUseCredential(credential.id())) {
                throw ApiException.forbidden("This token's permissions do not include this credential.");
            }
            if (credential.status() != Credential.Status.VALID) {
                throw credentialInvalid(integration, credential.statusReason());
            }
            return credential;
        }
        return credentials.listForUser(user.projectId(), user.userId()).stream()
                .filter(c -> c.integration().equals(integration) && c.status() == Credential.Status.VALID)
                .filter(c -> user.mayUseCredential(c.id()))
                .findFirst()
                .orElseThrow(ApiException::notConnected);
    }

    private JsonNode callVendor(ActionDefinition.Compiled action, JsonNode parameters, Credential credential, IntegrationConfig config) {
        JsonNode input = parameters == null || parameters.isNull() ? Json.object() : parameters;
        if (!input.isObject()) {
            throw ApiException.badRequest("invalid_parameters", "parameters must be a JSON object");
        }
        InputValidator.validate(action, input);
        IntegrationDefinition integration = catalog.integration(action.integration()).orElseThrow();
        Map<String, String> urls = new HashMap<>(integration.urls());
        urls.putAll(config.urls());
        String apiBase = Placeholders.fill(urls.get("api"), Placeholders.values(integration, credential), true);
        boolean safeToRepeat = action.definition().isRead() || action.definition().idempotent();
        VendorCall call = new VendorCall(integration, credential, safeToRepeat, vendors.deadlineFromNow());

        VendorProtocol.Mapped mapped = Protocols.of(integration)
                .map(protocol -> protocol.map(action, input, apiBase, call, config))
                .orElseGet(() -> VendorRequestMapper.map(action, input, apiBase, call));
        VendorResponse response;
        try {
            response = vendors.execute(mapped.request());
        } catch (VendorTimeoutException e) {
            throw new ApiException(504, "integration_timeout", integration.name() + " did not answer in time.");
        } catch (VendorUnreachableException e) {
            throw new ApiException(502, "integration_unreachable", integration.name() + " could not be reached (" + e.getMessage() + ").");
        } catch (VendorUnreadableException e) {
            throw new ApiException(502, "integration_response_unreadable", integration.name() + ": " + e.getMessage());
        }
        return mapResult(mapped, integration, credential, response);
    }

    private JsonNode mapResult(VendorProtocol.Mapped mapped, IntegrationDefinition integration, Credential credential,
                               VendorResponse response) {
        Classification classification = response.classification();
        switch (classification.kind()) {
            case SUCCESS -> {
                JsonNode body = response.json();
                if (body == null && response.body().length > 0) {
                    throw new ApiException(502, "integration_response_unreadable", integration.name() + " answered with a body that is not JSON.");
                }
                ObjectNode result = body == null ? Json.object() : body.isObject() ? (ObjectNode) body : Json.object().set("data", body);
                if (mapped.pages() != null) {
                    mapped.pages().annotate(result, response);
                }
                return result;
            }
            case RATE_LIMITED -> {
                ApiException e = integrationError(new ApiException(429, "rate_limited",
                        integration.name() + " is rate limiting this account; retry later."), response);
                if (classification.retryAfter() != null) {
                    e.withHeader("Retry-After", String.valueOf(Math.max(1, (classification.retryAfter().toMillis() + 999) / 1000)));
                }
                throw e;
            }
            case TOKEN_EXPIRED, CREDENTIAL_REJECTED -> {
                // Refreshing comes with the accounts work; until then a rejected credential cannot recover by itself.
                String reason = integration.name() + " rejected the credential ("
                        + (classification.errorCode() != null ? classification.errorCode() : "HTTP " + response.status()) + ")";
                credentials.markInvalid(credential.id(), reason);
                throw integrationError(credentialInvalid(integration.key(), reason), response);
            }
            case SERVER_ERROR -> throw integrationError(new ApiException(502, "integration_error",
                    integration.name() + " failed with HTTP " + response.status() + "."), response);
            case VENDOR_ERROR -> {
                int status = response.status();
                // Never pass on 401 or 403: ActionKit's SDK logs its user out on those.
                int ours = status >= 400 && status < 500 && status != 401 && status != 403 ? status : 400;
                String detail = classification.errorCode() != null ? ": " + classification.errorCode() : " (HTTP " + status + ")";
                throw integrationError(new ApiException(ours, "integration_error",
                        integration.name() + " returned an error" + detail + "."), response);
            }
            default -> throw new IllegalStateException("unclassified vendor response");
        }
    }

    private static ApiException credentialInvalid(String integration, String reason) {
        return new ApiException(424, "credential_invalid", "The connected " + integration
                + " account is no longer valid" + (reason == null ? "" : " (" + reason + ")") + "; reconnect it.");
    }

    private static ApiException integrationError(ApiException e, VendorResponse response) {
        JsonNode json = response.json();
        return e.withMeta("isIntegrationError", true)
                .withMeta("integrationStatus", response.status())
                .withMeta("integrationResponse", json != null ? json
                        : new String(response.body(), 0, Math.min(response.body().length, 2000), StandardCharsets.UTF_8));
    }
}
