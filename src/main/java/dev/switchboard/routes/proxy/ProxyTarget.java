package dev.switchboard.routes.proxy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.switchboard.mapping.VendorUrls;
import dev.switchboard.outcomes.Failure;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collection;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Where a proxy call may go (SPEC 3.5). A relative path is resolved below the integration's {@code api} URL and
 * may not climb out of it; an absolute URL must have the scheme, host and port of one of the integration's
 * configured URLs, and no user info. Everything else is refused with {@code proxy_url_not_allowed} before
 * anything is sent anywhere.
 */
public final class ProxyTarget {
    private static final Pattern CONTROL = Pattern.compile("[\\x00-\\x20\\x7f\\\\]");
    // The integrations' api URLs, parsed once: they come from configuration, so there are few.
    private static final Cache<String, URI> API_BASES = Caffeine.newBuilder().maximumSize(10_000).executor(Runnable::run).build();

    private ProxyTarget() {}

    /**
     * @param apiUrl       the integration's api URL, placeholders filled
     * @param allowedUrls  every configured URL of the integration, placeholders filled
     * @param relativePath the raw path after {@code /sdk/proxy/{integration}/}, or null
     * @param rawQuery     the raw query string of the proxy request, or null
     * @param headerUrl    the {@code X-Paragon-Proxy-Url} header, or null
     */
    public static URI resolve(String apiUrl, Collection<String> allowedUrls, String relativePath, String rawQuery, String headerUrl) {
        return resolve(apiUrl, () -> allowedUrls, relativePath, rawQuery, headerUrl);
    }

    /** As above, the allowed URLs made only for an absolute URL, the one case that checks them. */
    public static URI resolve(String apiUrl, Supplier<Collection<String>> allowedUrls, String relativePath, String rawQuery, String headerUrl) {
        if (headerUrl != null && !headerUrl.isBlank()) {
            String url = headerUrl.strip();
            if (url.regionMatches(true, 0, "http://", 0, 7) || url.regionMatches(true, 0, "https://", 0, 8) || url.contains("://")
                    || url.startsWith("//")) {
                return absolute(url, allowedUrls.get());
            }
            int question = url.indexOf('?');
            return relative(apiUrl, question < 0 ? url : url.substring(0, question), question < 0 ? null : url.substring(question + 1));
        }
        if (relativePath == null || relativePath.isEmpty()) {
            throw refused("Give the vendor path after /sdk/proxy/{integration}/ or a URL in X-Paragon-Proxy-Url.");
        }
        return relative(apiUrl, relativePath, rawQuery);
    }

    private static URI absolute(String url, Collection<String> allowedUrls) {
        URI uri = parse(url);
        if (uri.getScheme() == null || !(uri.getScheme().equalsIgnoreCase("https") || uri.getScheme().equalsIgnoreCase("http"))) {
            throw refused("X-Paragon-Proxy-Url must be an http(s) URL of this integration.");
        }
        if (uri.getRawUserInfo() != null || uri.getHost() == null || uri.getRawAuthority().contains("@")) {
            throw refused("X-Paragon-Proxy-Url must not carry user info and must name a host.");
        }
        if (uri.getRawFragment() != null) {
            throw refused("X-Paragon-Proxy-Url must not carry a fragment.");
        }
        if (!VendorUrls.onOneOf(uri, allowedUrls)) {
            throw refused("X-Paragon-Proxy-Url must stay on this integration's own hosts.");
        }
        checkPath(uri.getRawPath());
        return uri;
    }

    private static URI relative(String apiUrl, String path, String rawQuery) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        checkPath("/" + trimmed);
        if (rawQuery != null && CONTROL.matcher(rawQuery).find()) {
            throw refused("The query string holds characters that are not allowed.");
        }
        String base = apiUrl.endsWith("/") ? apiUrl.substring(0, apiUrl.length() - 1) : apiUrl;
        URI api = API_BASES.get(base, ProxyTarget::parse);
        URI target = parse(base + "/" + trimmed + (rawQuery == null || rawQuery.isEmpty() ? "" : "?" + rawQuery));
        // A '#' would end the path early: what was checked would not be what is sent.
        if (target.getRawFragment() != null) {
            throw refused("The path and query must not hold '#'.");
        }
        checkPath(target.getRawPath());
        // Defence in depth: whatever the path held, the result stays on the api URL's origin and below its path.
        if (!VendorUrls.origin(target).equals(VendorUrls.origin(api)) || target.getRawUserInfo() != null
                || !(target.getRawPath() + "/").startsWith(api.getRawPath() + "/")) {
            throw refused("The path must stay below this integration's api URL.");
        }
        return target;
    }

    /** No dot segments (plain or percent-encoded), encoded slashes or backslashes, or control characters. */
    private static void checkPath(String rawPath) {
        if (rawPath == null) {
            return;
        }
        // One pass per rule, without copies: this runs twice on every proxied request.
        for (int i = 0; i < rawPath.length(); i++) {
            char c = rawPath.charAt(i);
            if (c <= 0x20 || c == 0x7f || c == '\\') {
                throw refused("The path holds characters that are not allowed.");
            }
        }
        for (int i = rawPath.indexOf('%'); i >= 0; i = rawPath.indexOf('%', i + 1)) {
            if (rawPath.regionMatches(true, i, "%2f", 0, 3) || rawPath.regionMatches(true, i, "%5c", 0, 3)
                    || rawPath.startsWith("%00", i)) {
                throw refused("The path must not hold encoded slashes, backslashes or NUL.");
            }
        }
        for (int start = 0; start <= rawPath.length(); ) {
            int end = rawPath.indexOf('/', start);
            if (end < 0) {
                end = rawPath.length();
            }
            if (isDotSegment(rawPath, start, end)) {
                throw refused("The path must not hold '.' or '..' segments.");
            }
            start = end + 1;
        }
    }

    /** Whether {@code path[start, end)} is "." or "..", each dot plain or as {@code %2e}. */
    private static boolean isDotSegment(String path, int start, int end) {
        int dots = 0;
        for (int i = start; i < end; ) {
            if (path.charAt(i) == '.') {
                i++;
            } else if (path.regionMatches(true, i, "%2e", 0, 3)) {
                i += 3;
            } else {
                return false;
            }
            dots++;
        }
        return dots == 1 || dots == 2;
    }

    private static URI parse(String url) {
        try {
            return new URI(url);
        } catch (URISyntaxException e) {
            throw refused("Not a valid URL: " + e.getReason() + ".");
        }
    }

    private static Failure refused(String message) {
        return Failure.invalidInput("proxy_url_not_allowed", message);
    }
}
