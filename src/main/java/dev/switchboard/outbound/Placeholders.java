package dev.switchboard.outbound;

import dev.switchboard.integrations.IntegrationDefinition;
import dev.switchboard.outcomes.Failure;
import dev.switchboard.store.Credential;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code {name}} placeholders in vendor URLs and headers (Mailchimp's {@code {dc}}, Confluence's {@code {cloudId}},
 * Xero's {@code {tenantId}}), filled from the credential's providerData, then values derived from its API key,
 * then the definition's defaults.
 */
public final class Placeholders {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z0-9_]+)}");
    /** What a value in an address may hold: no slash, colon, at-sign or query that would change host or path. */
    private static final Pattern URL_SAFE = Pattern.compile("[A-Za-z0-9._~-]+");

    private Placeholders() {}

    public static Map<String, String> values(IntegrationDefinition integration, Credential credential) {
        Map<String, String> values = new HashMap<>(integration.providerDataDefaults());
        String apiKey = credential.apiKey();
        if (apiKey != null) {
            integration.auth().providerDataFromApiKey().forEach((name, separator) -> {
                int at = apiKey.lastIndexOf(separator);
                if (at >= 0 && at + separator.length() < apiKey.length()) {
                    values.put(name, apiKey.substring(at + separator.length()));
                }
            });
        }
        credential.providerData().forEach((name, value) -> {
            if (value != null) {
                values.put(name, value.toString());
            }
        });
        return values;
    }

    /**
     * providerData is written by the operator or by the vendor's own token answer, never by the end user; still,
     * in an address a value may only be letters, digits and {@code . _ ~ -}.
     *
     * @param inAddress the template is an address (headers take values as they are)
     */
    public static String fill(String template, Map<String, String> values, boolean inAddress) {
        if (template.indexOf('{') < 0) {
            return template; // most addresses have nothing to fill, and this runs on every call
        }
        Matcher matcher = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String value = values.get(matcher.group(1));
            if (value == null) {
                throw new Failure(Failure.Kind.CREDENTIAL_INVALID, "credential_incomplete", "The connected account lacks '" + matcher.group(1)
                        + "' in its providerData, which this integration needs; reconnect it.");
            }
            if (inAddress && !URL_SAFE.matcher(value).matches()) {
                throw new Failure(Failure.Kind.CREDENTIAL_INVALID, "credential_incomplete", "The connected account's providerData." + matcher.group(1)
                        + " is not a valid part of this integration's address; reconnect it.");
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        return out.toString();
    }
}
