package dev.switchboard.outbound;

import dev.switchboard.api.ApiException;
import dev.switchboard.credentials.Credential;
import dev.switchboard.integrations.IntegrationDefinition;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
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

    /** @param urlEncode encode each value (for URLs; headers take them as they are) */
    public static String fill(String template, Map<String, String> values, boolean urlEncode) {
        Matcher matcher = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String value = values.get(matcher.group(1));
            if (value == null) {
                throw new ApiException(424, "credential_incomplete", "The connected account lacks '" + matcher.group(1)
                        + "' in its providerData, which this integration needs; reconnect it.");
            }
            String filled = urlEncode ? URLEncoder.encode(value, StandardCharsets.UTF_8) : value;
            matcher.appendReplacement(out, Matcher.quoteReplacement(filled));
        }
        matcher.appendTail(out);
        return out.toString();
    }
}
