package dev.switchboard.integrations;

import dev.switchboard.mapping.VendorProtocol;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One integration as its definition file ({@code integrations/<key>.yaml}) describes it. Field by field
 * documentation is in docs/integrations.md; {@link IntegrationLoader} checks every rule on load.
 *
 * @param description one line saying what the service is, for the Connect page and the SDK's listings
 * @param accountLabel how a connected account is named to its user, a template over its providerData ({@code {teamName}}); null: its vendor id
 * @param brandColor  the vendor's brand colour, {@code #RRGGBB} (the SDK's {@code brandColor}; the icon fallback's background)
 * @param urls       default vendor URLs by role; {@code api} is the base that action paths are appended to
 * @param pagination the integration's pagination style, used by actions marked {@code paginated}
 * @param protocol   names the {@link VendorProtocol} that builds requests and reads answers, for vendors a definition cannot describe
 * @param providerDataDefaults values for URL and header placeholders that a credential's providerData lacks
 * @param rateLimit  the vendor's documented limit per account, kept by each node before calls go out; null: none
 * @param accountFields how to read an account's own fields, for actions that take them; null: none
 * @param connectFields values a user gives when connecting an account, which name it in the vendor's URLs (Shopify's
 *                   store, Zendesk's subdomain) and become its providerData; by placeholder name
 * @param actions    by action name, in file order
 */
public record IntegrationDefinition(
        String key,
        String name,
        String description,
        String brandColor,
        String accountLabel,
        List<String> categories,
        Map<String, String> urls,
        Auth auth,
        OAuth oauth,
        Errors errors,
        Pagination pagination,
        String protocol,
        Map<String, String> providerDataDefaults,
        RateLimit rateLimit,
        AccountFields accountFields,
        Map<String, ConnectField> connectFields,
        LinkedHashMap<String, ActionDefinition> actions) {

    /**
     * A value the user gives on the Connect page before connecting, such as Shopify's store ({@code acme} of
     * acme.myshopify.com): it fills the placeholder of its name in the integration's URLs, from the authorize URL on,
     * and is kept in the account's providerData.
     *
     * @param label       what the Connect page calls it
     * @param description how to find it, for the user
     * @param pattern     the values it takes, anchored; anything else is refused before a URL is built
     * @param example     a value of the right form
     */
    public record ConnectField(String label, String description, String pattern, String example) {
        /** Whether the value may fill the placeholder: present, and of the field's form. */
        public boolean accepts(String value) {
            return value != null && java.util.regex.Pattern.compile(pattern).matcher(value).matches();
        }
    }

    /**
     * How to read the fields an account has for one record type (a Zoho CRM module, a Salesforce object), for actions
     * whose parameters are those fields ({@link ActionDefinition.AccountFieldInputs}). Pointers are JSON pointers
     * into one field's entry of the answer.
     *
     * @param path      GET below the {@code api} URL; {@code {recordType}} takes the record type
     * @param list      pointer to the list of fields in the answer
     * @param name      the field's API name, which is the parameter's name
     * @param label     the field's label, the parameter's description (optional)
     * @param type      the field's vendor type, looked up in {@code types}
     * @param maxLength the field's maximum length, for text types (optional)
     * @param options   the field's allowed values, which become an {@code enum} (optional)
     * @param required  pointers and the values they must have for the field to be required on create
     * @param create    ... for the field to be settable on create; fields that fail this are left out of create actions
     * @param update    ... for the field to be settable on update
     * @param types     JSON Schema per vendor type; a field of a type not listed is left out
     */
    /**
     * @param subtype JSON pointers to finer types, tried in order: {@code types} is looked up by {@code type/subtype} for
     *                each before {@code type} alone (HubSpot's {@code enumeration/checkbox} is a multi-select,
     *                {@code enumeration/select} one value; Jira's {@code array/option} beside {@code string/description})
     * @param as      a conversion of {@link dev.switchboard.mapping.ValueConversions} every field's value is sent through
     *                (HubSpot's {@code semicolonText}: every value as text)
     */
    public record AccountFields(String path, String list, String name, String label, String type, List<String> subtype, String maxLength,
                                Options options, Map<String, Object> required, Map<String, Object> create,
                                Map<String, Object> update, Map<String, tools.jackson.databind.node.ObjectNode> types, String as) {
        /**
         * @param active     when an option may be chosen (Salesforce's inactive picklist values may not); default all
         * @param restricted when the field takes only its options (Salesforce's unrestricted picklists take any text); default always
         */
        public record Options(String list, String value, Map<String, Object> active, Map<String, Object> restricted) {
            public Options {
                active = active == null ? Map.of() : active;
                restricted = restricted == null ? Map.of() : restricted;
            }
        }

        public AccountFields {
            required = required == null ? Map.of() : required;
            create = create == null ? Map.of() : create;
            update = update == null ? Map.of() : update;
            subtype = subtype == null ? List.of() : List.copyOf(subtype);
        }

        /** The placeholders of {@code path}: the inputs (or the action's {@code recordType}) that name a record type. */
        public List<String> pathInputs() {
            return PATH_PLACEHOLDER.matcher(path).results().map(m -> m.group(1)).toList();
        }

        private static final java.util.regex.Pattern PATH_PLACEHOLDER = java.util.regex.Pattern.compile("\\{([A-Za-z0-9_]+)}");
    }

    /**
     * At most {@code requests} calls per {@code seconds} for one account, or for all accounts that share the
     * providerData value named by {@code per} (Xero: 60 per 60 s per organisation, {@code per: tenantId}).
     */
    public record RateLimit(Integer requests, Integer seconds, String per) {}

    /**
     * How the credential is put on a request.
     *
     * @param type    {@code oauth2} (the access token), {@code apiKey} (the stored key), or {@code protocol}
     *                (the integration's protocol writes the credential into the request body)
     * @param header  the header that carries it
     * @param prefix  written before the secret, {@code "Bearer "} for OAuth bearer tokens
     * @param basic   {@code username} or {@code password}: send HTTP Basic auth with the secret in that place
     *                (and {@code basicOther} in the other), instead of header and prefix
     * @param basicOther the other half of the Basic pair (Mailchimp takes any user name)
     * @param headers further headers on every call, with {@code {placeholders}} from the credential's providerData
     * @param providerDataFromApiKey providerData values derived from the API key: name to the separator after
     *                whose last occurrence the value follows (Mailchimp's data center: {@code dc: "-"})
     */
    /**
     * @param idempotencyKeyHeader a header in which the vendor takes a key that makes a write safe to send again
     *                             (Stripe's {@code Idempotency-Key}): each write carries a new one, kept on its
     *                             retries, so that a write is retried after a network error like a read
     */
    public record Auth(String type, String header, String prefix, String basic, String basicOther,
                       Map<String, String> headers, Map<String, String> providerDataFromApiKey, String idempotencyKeyHeader) {
        public boolean isApiKey() {
            return "apiKey".equals(type);
        }

        public boolean isInBody() {
            return "protocol".equals(type);
        }
    }

    /**
     * How the vendor's token endpoint ({@code urls.token}) is called, to refresh and to connect.
     *
     * @param clientAuth   {@code body} (client id and secret as form fields, the default) or {@code basic} (HTTP Basic)
     * @param format       {@code form} (the default) or {@code json} (Atlassian, Dropbox Sign)
     * @param invalidGrant error codes meaning the refresh token is dead; the account must be reconnected
     * @param pkce         the vendor supports PKCE on the authorization code flow
     * @param scopeSeparator how the authorize URL joins scopes (a space, or Slack's comma)
     * @param authorizeParams further query parameters of the authorize URL ({@code access_type: offline})
     * @param providerId   JSON pointer to the account's id in the code exchange's answer (Slack {@code /team/id})
     * @param providerData the account's providerData values read when it connects, by name
     */
    public record OAuth(String clientAuth, String format, List<String> invalidGrant, Boolean pkce, String scopeSeparator,
                        Map<String, String> authorizeParams, String providerId, Map<String, ProviderDataLookup> providerData) {
        public static OAuth defaults() {
            return new OAuth("body", "form", List.of("invalid_grant"), false, " ", Map.of(), null, Map.of());
        }
    }

    /**
     * Where one providerData value comes from when an account connects: the code exchange's answer (Zoho's
     * {@code api_domain}), or the answer to a GET of one of the integration's URLs with the new access token
     * (Atlassian's accessible resources for {@code cloudId}, Xero's connections for {@code tenantId}).
     *
     * @param url     the key in {@code urls} to GET; absent: read the token answer
     * @param pointer JSON pointer to the value in that answer
     * @param match   a regular expression whose first group is the value kept ({@code ^https://www\.(.+)$})
     * @param optional the value only labels the account: connecting goes on without it
     */
    public record ProviderDataLookup(String url, String pointer, String match, Boolean optional, String method,
                                     tools.jackson.databind.JsonNode body) {
        /** Whether {@code url} is asked by POST without a body (Dropbox's account lookup) rather than GET. */
        public boolean posts() {
            return "POST".equals(method);
        }

        /** A value only shown (an account's label), not needed by its calls: connecting goes on without it. */
        public boolean isOptional() {
            return Boolean.TRUE.equals(optional);
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
     * @param rateLimitResetHeader a header holding the Unix time when a rate limit ends, for vendors that send no Retry-After
     * @param errorList          JSON pointer to a list that, when it holds anything, makes an HTTP 2xx answer an error
     *                           (GraphQL's {@code /errors})
     * @param costBucket         for a rate limit answered without Retry-After: the leaky bucket the answer describes,
     *                           from which the wait is computed (Shopify's query cost)
     * Codes match when the vendor's code starts with the listed text (Xero's {@code "TokenExpired: token expired at ..."}).
     */
    public record Errors(String okField, String codeField, List<String> tokenExpired,
                         List<String> credentialRejected, List<String> rateLimited, String rateLimitResetHeader, String errorList,
                         CostBucket costBucket) {
        public static Errors none() {
            return new Errors(null, null, List.of(), List.of(), List.of(), null, null, null);
        }

        /**
         * Pointers into a throttled answer: the cost the request asked for, the points available now, and how many
         * return each second. The wait is {@code (requested - available) / restoreRate} seconds.
         */
        public record CostBucket(String requested, String available, String restoreRate) {}

        public Errors {
            tokenExpired = tokenExpired == null ? List.of() : tokenExpired;
            credentialRejected = credentialRejected == null ? List.of() : credentialRejected;
            rateLimited = rateLimited == null ? List.of() : rateLimited;
        }
    }

    /**
     * How a list is paged: {@code style} is what the caller sees (ActionKit's cursor, offset or page number);
     * {@code wire} is how the vendor pages, when that differs (Zoho: offset for the caller, pages on the wire).
     *
     * @param cursorParam        wire cursor: the request field that carries the vendor's cursor
     * @param nextCursor         wire cursor: JSON pointer to the next cursor (or next-page URL) in the answer
     * @param nextCursorUrlParam wire cursor: when {@code nextCursor} points at a URL, the query parameter in it that is the cursor
     * @param offsetParam        wire offset: the request field for the number of records to skip
     * @param pageParam          wire page: the request field for the page number
     * @param firstPage          wire page: the number of the first page (default 1)
     * @param pageSizeParam      the request field for the page size
     * @param defaultPageSize    the page size sent when the caller gives none
     * @param more               JSON pointer to a boolean that is true while more records remain
     * @param total              JSON pointer to the total number of records
     * @param pageCount          JSON pointer to the number of pages
     * @param linkNext           more remain while the answer's {@code Link} header has {@code rel="next"}
     * @param nextCursorMatch    wire cursor: a regular expression whose first group is the cursor within the value at
     *                           {@code nextCursor} (Salesforce's query locator at the end of its next-records path)
     * @param nextCursorFromLastRecord wire cursor: a JSON pointer within the page's last record to the next cursor
     *                           (Stripe's {@code starting_after} is the last record's ID)
     * Without more, total, pageCount or linkNext, a full page means there may be more.
     */
    public record Pagination(String style, String wire, String cursorParam, String nextCursor, String nextCursorUrlParam,
                             String offsetParam, String pageParam, Integer firstPage, String pageSizeParam,
                             Integer defaultPageSize, String more, String total, String pageCount, Boolean linkNext,
                             String nextCursorMatch, String nextCursorFromLastRecord) {
        public String wireStyle() {
            return wire == null ? style : wire;
        }
    }
}
