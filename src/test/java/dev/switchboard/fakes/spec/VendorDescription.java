package dev.switchboard.fakes.spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * How one integration is served from its vendor's own description, as written in
 * {@code src/test/resources/conformance/<integration>.yaml}: which document, where Switchboard's URLs for the vendor
 * point below the fake, what its accounts carry, the fixes the document needs before it is read, and the rules it is
 * known to get wrong. Everything vendor-specific about the conformance check lives in that file, as data.
 *
 * @param document       a file of {@link SpecFake#DOCUMENTS}
 * @param urls           Switchboard's URL for each of the integration's roles, as a path below the fake's address
 *                       (Xero: {@code api: /api.xro/2.0})
 * @param pathsBelowUrls whether the document's paths start below those URLs' paths (true for most; false where the
 *                       document writes whole paths, as Zoho's {@code /crm/v8/...} and Google's discovery documents do)
 * @param providerData   what the test account carries besides its token (Xero's tenant id)
 * @param credential     the test account's secret fields, instead of an access token (Mailchimp: an API key)
 * @param patches        fixes of the document before it is read ({@link DescriptionPatches}), each with a {@code why}
 * @param exceptions     where the document is wrong about the vendor: these messages are not counted as violations
 * @param accountValues  parameters whose value must be one the account has (a status its workflow reaches), which
 *                       answers built from the document cannot have: left out of the run, and sent by the
 *                       integration's own tests against its fake
 */
public record VendorDescription(String integration, String document, Map<String, String> urls, boolean pathsBelowUrls,
                                Map<String, Object> providerData, Map<String, Object> credential,
                                List<Map<String, Object>> patches, List<Exception> exceptions, boolean resolveFully,
                                List<AccountValue> accountValues) {
    private static final YAMLMapper YAML = YAMLMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    /**
     * A rule of the document the vendor does not keep.
     *
     * @param operation the operation, as {@code METHOD /path/{template}} in the document's own paths
     * @param rule      the validator's message key, or its start, such as {@code validation.request.body.schema.required}
     * @param why       what the vendor really does
     * @param link      the vendor's documentation that says so
     */
    public record Exception(String operation, String rule, String why, String link) {
        public Exception {
            if (operation == null || rule == null || why == null || link == null) {
                throw new IllegalArgumentException("an exception names its operation, rule, why and link: " + operation + " " + rule);
            }
        }
    }

    /** A parameter of an action whose value must be the account's own; {@code why} says what. */
    public record AccountValue(String action, String parameter, String why) {
        public AccountValue {
            if (action == null || parameter == null || why == null) {
                throw new IllegalArgumentException("an account value names its action, parameter and why: " + action + "." + parameter);
            }
        }
    }

    public VendorDescription {
        accountValues = accountValues == null ? List.of() : List.copyOf(accountValues);
        urls = Map.copyOf(urls);
        providerData = providerData == null ? Map.of() : Map.copyOf(providerData);
        credential = credential == null ? Map.of() : Map.copyOf(credential);
        patches = patches == null ? List.of() : List.copyOf(patches);
        exceptions = exceptions == null ? List.of() : List.copyOf(exceptions);
    }

    /** The integration's entry, if it is served from a description. */
    public static Optional<VendorDescription> of(String integration) {
        try (InputStream in = VendorDescription.class.getResourceAsStream("/conformance/" + integration + ".yaml")) {
            if (in == null) {
                return Optional.empty();
            }
            Entry entry = YAML.readValue(in, Entry.class);
            return Optional.of(new VendorDescription(integration, entry.document, entry.urls, entry.pathsBelowUrls == null || entry.pathsBelowUrls,
                    entry.providerData, entry.credential, entry.patches, entry.exceptions, entry.resolveFully == null || entry.resolveFully,
                    entry.accountValues));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The file as written; {@link #of} fills the defaults. */
    private record Entry(String document, Map<String, String> urls, Boolean pathsBelowUrls, Map<String, Object> providerData,
                         Map<String, Object> credential, List<Map<String, Object>> patches, List<Exception> exceptions,
                         Boolean resolveFully, List<AccountValue> accountValues) {}

    /** Whether the document is where the tests read descriptions from (CI has them; a bare clone may not). */
    public boolean available() {
        return SpecFake.available(document);
    }
}
