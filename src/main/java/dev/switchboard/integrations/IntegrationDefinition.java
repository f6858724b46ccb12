package dev.switchboard.integrations;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One integration as its definition file ({@code integrations/<key>.yaml}) describes it. Field by field
 * documentation is in docs/integrations.md; {@link IntegrationLoader} checks every rule on load.
 *
 * @param urls       default vendor URLs by role; {@code api} is the base that action paths are appended to
 * @param pagination the integration's pagination style, used by actions marked {@code paginated}
 * @param actions    by action name, in file order
 */
public record IntegrationDefinition(
        String key,
        String name,
        List<String> categories,
        Map<String, String> urls,
        Auth auth,
        Errors errors,
        Pagination pagination,
        LinkedHashMap<String, ActionDefinition> actions) {

    /**
     * How the credential is put on a request.
     *
     * @param type   {@code oauth2} (the access token) or {@code apiKey} (the stored key)
     * @param header the header that carries it
     * @param prefix written before the secret, {@code "Bearer "} for OAuth bearer tokens
     */
    public record Auth(String type, String header, String prefix) {
        public boolean isApiKey() {
            return "apiKey".equals(type);
        }
    }

    /**
     * How the vendor says something went wrong.
     *
     * @param okField            JSON pointer to a boolean that is false when an HTTP 2xx answer is really an error (Slack's {@code /ok})
     * @param codeField          JSON pointer to the vendor's error code in an error body
     * @param tokenExpired       error codes meaning the access token expired (a refresh may help)
     * @param credentialRejected error codes meaning the vendor no longer accepts the credential
     * @param rateLimited        error codes meaning "slow down", besides HTTP 429
     */
    public record Errors(String okField, String codeField, List<String> tokenExpired,
                         List<String> credentialRejected, List<String> rateLimited) {
        public static Errors none() {
            return new Errors(null, null, List.of(), List.of(), List.of());
        }
    }

    /**
     * @param style       {@code cursor} (more styles come with the integrations that need them)
     * @param cursorParam the vendor's request field that carries the cursor
     * @param nextCursor  JSON pointer to the next cursor in the vendor's answer; empty or absent means last page
     */
    public record Pagination(String style, String cursorParam, String nextCursor) {}
}
