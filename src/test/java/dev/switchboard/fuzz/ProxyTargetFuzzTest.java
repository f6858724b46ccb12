package dev.switchboard.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.switchboard.outcomes.Failure;
import dev.switchboard.routes.proxy.ProxyTarget;
import java.net.URI;
import java.util.List;

/**
 * The proxy's URL rules under arbitrary paths, queries and X-Paragon-Proxy-Url values: every target is refused
 * with proxy_url_not_allowed, or stays on one of the integration's own origins (below the api URL's path for a
 * relative one), with no segment that climbs. Replays its corpus in every test run; fuzzes with JAZZER_FUZZ=1 (scripts/fuzz).
 */
class ProxyTargetFuzzTest {
    private static final String API = "https://api.example.com/v2";
    private static final List<String> ALLOWED = List.of(API, "https://upload.example.com/api/v2");

    @FuzzTest(maxDuration = "10m")
    void targetsStayOnTheIntegrationsOrigins(FuzzedDataProvider data) {
        boolean viaHeader = data.consumeBoolean();
        String query = data.consumeBoolean() ? data.consumeString(100) : null;
        String input = data.consumeRemainingAsString();
        URI target;
        try {
            target = viaHeader ? ProxyTarget.resolve(API, ALLOWED, null, null, input) : ProxyTarget.resolve(API, ALLOWED, input, query, null);
        } catch (Failure refused) {
            assertThat(refused.code()).isEqualTo("proxy_url_not_allowed");
            return;
        }
        // the same origin, however written: https://host:443 is https://host
        int port = target.getPort() == -1 ? (target.getScheme().equalsIgnoreCase("https") ? 443 : 80) : target.getPort();
        String origin = target.getScheme().toLowerCase() + "://" + target.getHost().toLowerCase() + (port == 443 ? "" : ":" + port);
        assertThat(origin).isIn("https://api.example.com", "https://upload.example.com");
        assertThat(target.getRawUserInfo()).isNull();
        String path = target.getRawPath();
        if (!viaHeader) {
            // a path is resolved below the api URL; an absolute URL in the header is held to its origin only (SPEC 3.5)
            assertThat(path.startsWith("/v2/") || path.equals("/v2")).as(target.toString()).isTrue();
        }
        assertThat(path.toLowerCase()).doesNotContain("%2f", "%5c", "\\\\");
        for (String segment : path.split("/", -1)) {
            // "..2" is a name; "." and ".." (however encoded) would climb
            assertThat(segment.toLowerCase().replace("%2e", ".")).as(target.toString()).isNotIn(".", "..");
        }
    }
}
