package dev.switchboard.mapping;

import dev.switchboard.integrations.IntegrationDefinition;
import dev.switchboard.outbound.Placeholders;
import dev.switchboard.outcomes.Failure;
import dev.switchboard.store.IntegrationConfigRepository.IntegrationConfig;
import java.net.URI;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** An integration's URLs as one project configures them: the definition's, overridden by the project's. */
public final class VendorUrls {
    private VendorUrls() {}

    /** By role, placeholders not yet filled. */
    public static Map<String, String> of(IntegrationDefinition integration, IntegrationConfig config) {
        if (config.urls().isEmpty()) {
            return java.util.Collections.unmodifiableMap(integration.urls()); // the common case, on every call: no copy
        }
        Map<String, String> urls = new HashMap<>(integration.urls());
        urls.putAll(config.urls());
        return urls;
    }

    /** One role's URL, placeholders not yet filled: what {@link #of} gives for it, without building the whole map. */
    public static String url(IntegrationDefinition integration, IntegrationConfig config, String role) {
        String overridden = config.urls().get(role);
        return overridden != null ? overridden : integration.urls().get(role);
    }

    /** By role, filled for one account; a URL the account cannot fill (it lacks the value) is left out. */
    public static Map<String, String> filled(Map<String, String> urls, Map<String, String> values) {
        Map<String, String> filled = new LinkedHashMap<>();
        urls.forEach((role, url) -> {
            try {
                filled.put(role, Placeholders.fill(url, values, true));
            } catch (Failure unfillable) {
                // not a destination for this account
            }
        });
        return filled;
    }

    /**
     * Whether a configured URL is an absolute http(s) URL with a host, its {@code {placeholders}} (filled from
     * each credential's providerData at call time) counting as host or path characters.
     */
    public static boolean isHttpTemplate(String url) {
        try {
            URI uri = URI.create(url.replaceAll("\\{[A-Za-z0-9_]+}", "x"));
            return uri.getHost() != null && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()));
        } catch (IllegalArgumentException | NullPointerException e) {
            return false;
        }
    }

    /** Whether the text is an absolute http(s) URL with a host (a webhook's address, a logo's), at most 2,000 characters. */
    public static boolean isHttpUrl(String url) {
        return url != null && url.length() <= 2000 && !url.contains("{") && isHttpTemplate(url);
    }

    /** Whether the URI has the scheme, host and port of one of the URLs. */
    public static boolean onOneOf(URI uri, Collection<String> urls) {
        String origin = origin(uri);
        return urls.stream().anyMatch(url -> {
            try {
                return origin.equals(origin(new URI(url)));
            } catch (Exception unusable) {
                return false;
            }
        });
    }

    public static String origin(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : scheme.equals("http") ? 80 : -1;
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        return scheme + "://" + host + ":" + port;
    }
}
