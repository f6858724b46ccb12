package dev.switchboard.actions;

import dev.switchboard.api.ApiException;
import dev.switchboard.auth.UserPrincipal;
import dev.switchboard.credentials.AccountSelector;
import dev.switchboard.credentials.Credential;
import dev.switchboard.credentials.CredentialStore;
import dev.switchboard.files.FileBytes;
import dev.switchboard.files.FileObjects;
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
import dev.switchboard.outbound.VendorRequest;
import dev.switchboard.outbound.VendorResponse;
import dev.switchboard.outbound.VendorUrls;
import dev.switchboard.outbound.VendorTimeoutException;
import dev.switchboard.outbound.VendorUnreachableException;
import dev.switchboard.outbound.VendorUnreadableException;
import dev.switchboard.store.IntegrationConfigRepository.IntegrationConfig;
import dev.switchboard.store.RunRepository;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.net.URI;
import java.util.List;
import java.util.TreeMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs one action, the same way for every entry point (HTTP, and later MCP):
 * catalog lookup ─► permissions ─► input validation ─► credential ─► vendor pipeline ─► result mapping,
 * and records the run whatever happened.
 */
public final class ActionRunner {
    private static final Pattern EXTENDED_FILENAME = Pattern.compile("filename\\*=UTF-8''([^;]+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern PLAIN_FILENAME = Pattern.compile("filename=\"?([^\";]+)\"?", Pattern.CASE_INSENSITIVE);

    /** The action's result and the credential that produced it. */
    public record Result(JsonNode body, String credentialId) {}

    private final IntegrationCatalog catalog;
    private final AccountSelector accounts;
    private final CredentialStore credentials;
    private final VendorClient vendors;
    private final RunRepository runs;
    private final MeterRegistry meters;
    private final Clock clock;

    public ActionRunner(IntegrationCatalog catalog, AccountSelector accounts, CredentialStore credentials,
                        VendorClient vendors, RunRepository runs, MeterRegistry meters, Clock clock) {
        this.catalog = catalog;
        this.accounts = accounts;
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
            AccountSelector.Account account = accounts.select(user, action.integration(), credentialId);
            Credential credential = account.credential();
            usedCredential = credential.id();
            JsonNode body = callVendor(action, parameters, credential, account.config());
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
            runs.insert(new RunRepository.Run(RunRepository.newId(), user.projectId(), user.userId(),
                    action != null ? action.name() : String.valueOf(actionName),
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

    private JsonNode callVendor(ActionDefinition.Compiled action, JsonNode parameters, Credential credential, IntegrationConfig config) {
        JsonNode input = parameters == null || parameters.isNull() ? Json.object() : parameters;
        if (!input.isObject()) {
            throw ApiException.badRequest("invalid_parameters", "parameters must be a JSON object");
        }
        InputValidator.validate(action, input);
        IntegrationDefinition integration = catalog.integration(action.integration()).orElseThrow();
        Map<String, String> urls = VendorUrls.of(integration, config);
        Map<String, String> values = Placeholders.values(integration, credential);
        String apiBase = Placeholders.fill(urls.get("api"), values, true);
        String base = Placeholders.fill(urls.get(action.definition().base()), values, true);
        boolean safeToRepeat = action.definition().isRead() || action.definition().idempotent();
        VendorCall call = new VendorCall(integration, credential, safeToRepeat, vendors.deadlineFromNow(), false);

        VendorProtocol.Mapped mapped = Protocols.of(integration)
                .map(protocol -> protocol.map(action, input, apiBase, call, config))
                .orElseGet(() -> VendorRequestMapper.map(action, input, base, call));
        VendorResponse response;
        try {
            response = vendors.execute(mapped.request());
            if (action.definition().returnsFile() && response.status() / 100 == 3 && response.header("Location") != null) {
                response = followDownload(mapped.request(), response, urls, values);
            }
        } catch (VendorTimeoutException e) {
            throw new ApiException(504, "integration_timeout", integration.name() + " did not answer in time.");
        } catch (VendorUnreachableException e) {
            throw new ApiException(502, "integration_unreachable", integration.name() + " could not be reached (" + e.getMessage() + ").");
        } catch (VendorUnreadableException e) {
            throw new ApiException(502, "integration_response_unreadable", integration.name() + ": " + e.getMessage());
        }
        return mapResult(mapped, action, integration, credential, response);
    }

    /**
     * Vendors answer a download with a redirect to their file host (Box to dl.boxcloud.com). It is followed once,
     * only to one of the integration's configured URLs, and without the credential.
     */
    private VendorResponse followDownload(VendorRequest sent, VendorResponse redirect, Map<String, String> urls, Map<String, String> values) {
        URI location = sent.uri().resolve(redirect.header("Location"));
        if (!VendorUrls.onOneOf(location, VendorUrls.filled(urls, values).values()) || location.getRawUserInfo() != null) {
            throw new ApiException(502, "integration_error", sent.call().integration().name()
                    + " redirected the download to a host that is not one of its configured URLs.");
        }
        VendorCall anonymous = new VendorCall(sent.call().integration(), null, true, sent.call().deadlineNanos(), false);
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.put("Accept", List.of("*/*"));
        return vendors.execute(new VendorRequest(anonymous, "GET", location, headers, null));
    }

    private JsonNode mapResult(VendorProtocol.Mapped mapped, ActionDefinition.Compiled action, IntegrationDefinition integration,
                               Credential credential, VendorResponse response) {
        Classification classification = response.classification();
        switch (classification.kind()) {
            case SUCCESS -> {
                if (action.definition().returnsFile()) {
                    return FileObjects.result(mimeType(response), fileName(response), FileBytes.of(response.body()));
                }
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
                // The pipeline already refreshed the token and tried again where it could: the vendor still refuses it.
                String reason = integration.name() + " rejected the credential ("
                        + (classification.errorCode() != null ? classification.errorCode() : "HTTP " + response.status()) + ")";
                credentials.markInvalid(credential.id(), reason);
                throw integrationError(AccountSelector.credentialInvalid(integration.key(), reason), response);
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

    private static String mimeType(VendorResponse response) {
        String type = response.header("Content-Type");
        return type == null || type.isBlank() ? "application/octet-stream" : type.split(";")[0].strip();
    }

    /** The file name of {@code Content-Disposition}, preferring the UTF-8 {@code filename*} form. */
    private static String fileName(VendorResponse response) {
        String disposition = response.header("Content-Disposition");
        if (disposition == null) {
            return null;
        }
        Matcher extended = EXTENDED_FILENAME.matcher(disposition);
        if (extended.find()) {
            return java.net.URLDecoder.decode(extended.group(1).strip(), StandardCharsets.UTF_8);
        }
        Matcher plain = PLAIN_FILENAME.matcher(disposition);
        return plain.find() ? plain.group(1).strip() : null;
    }

    private static ApiException integrationError(ApiException e, VendorResponse response) {
        return e.fromIntegration(response.status(), response.json(), response.body());
    }
}
