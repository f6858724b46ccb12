package dev.switchboard.credentials;

import dev.switchboard.integrations.IntegrationDefinition.ProviderDataLookup;
import dev.switchboard.integrations.IntegrationDefinition;
import dev.switchboard.mapping.VendorUrls;
import dev.switchboard.outbound.AnonymousVendorClient;
import dev.switchboard.outbound.Placeholders;
import dev.switchboard.outbound.VendorBody;
import dev.switchboard.outbound.VendorCall;
import dev.switchboard.outbound.VendorRequest;
import dev.switchboard.outbound.VendorResponse;
import dev.switchboard.store.IntegrationConfigRepository.IntegrationConfig;
import java.net.URI;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Reads the vendor facts a newly connected account's calls need, as the integration's {@code oauth.providerData}
 * says: Confluence's {@code cloudId} and Xero's {@code tenantId} from a GET with the new token (Dropbox's account from a POST), Zoho's data-center
 * domain from the token answer. Where the vendor lists several (sites, organisations), the first is taken; a
 * value that has a default in {@code providerDataDefaults} may be missing.
 */
public final class ProviderDataLookups {
    /** A value the account needs could not be read; the message names it and says why. */
    public static final class LookupFailed extends RuntimeException {
        LookupFailed(String message) {
            super(message, null, false, false);
        }
    }

    private final AnonymousVendorClient vendors;

    public ProviderDataLookups(AnonymousVendorClient vendors) {
        this.vendors = vendors;
    }

    /** @param connectValues the user's values for the integration's connect fields, which fill the lookup URLs' placeholders */
    public Map<String, Object> lookUp(IntegrationDefinition integration, IntegrationConfig config, TokenEndpoint.Tokens granted,
                                      Map<String, String> connectValues) {
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, JsonNode> answers = new HashMap<>(); // one request per URL (and body), however many values it holds
        integration.oauth().providerData().forEach((name, lookup) -> {
            JsonNode answer = lookup.url() == null ? granted.raw()
                    : answers.computeIfAbsent(lookup.url() + (lookup.body() == null ? "" : " " + lookup.body()),
                            asked -> ask(integration, config, lookup, granted.accessToken(), connectValues));
            JsonNode found = answer.at(lookup.pointer());
            String value = found.isString() || found.isNumber() ? found.asString() : null;
            if (value != null && lookup.match() != null) {
                Matcher matcher = Pattern.compile(lookup.match()).matcher(value);
                value = matcher.find() ? matcher.group(1) : null;
            }
            if (value == null || value.isBlank()) {
                if (integration.providerDataDefaults().containsKey(name) || lookup.isOptional()) {
                    return; // the default stands in, as for an imported account without it
                }
                throw new LookupFailed(integration.name() + " did not say the account's " + name + " ("
                        + (lookup.url() == null ? "token answer" : lookup.url()) + " has nothing usable at " + lookup.pointer() + ")");
            }
            values.put(name, value);
        });
        return values;
    }

    private JsonNode ask(IntegrationDefinition integration, IntegrationConfig config, IntegrationDefinition.ProviderDataLookup lookup,
                         String accessToken, Map<String, String> connectValues) {
        String urlKey = lookup.url();
        String url = Placeholders.fill(VendorUrls.of(integration, config).get(urlKey), connectValues, true);
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.put("Accept", List.of("application/json"));
        headers.put(integration.auth().header(), List.of(integration.auth().prefix() + accessToken));
        // The integration's own headers too (Intercom-Version, Notion-Version), where they need no account value yet.
        integration.auth().headers().forEach((name, value) -> {
            if (!value.contains("{")) {
                headers.put(name, List.of(value));
            }
        });
        VendorCall call = new VendorCall(integration, null, true, vendors.deadlineFromNow(), false);
        VendorBody body = null;
        if (lookup.body() != null) {
            headers.put("Content-Type", List.of("application/json"));
            body = VendorBody.Bytes.of(lookup.body().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        VendorResponse response = vendors.execute(new VendorRequest(call, lookup.posts() ? "POST" : "GET", URI.create(url), headers, body));
        if (response.status() / 100 != 2 || response.json() == null) {
            throw new LookupFailed(integration.name() + " answered " + urlKey + " with HTTP " + response.status());
        }
        return response.json();
    }
}
