package dev.switchboard.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.integrations.IntegrationDefinition.Errors;
import dev.switchboard.outbound.Classification.Kind;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How a vendor's answer is read, by the rules of a definition's errors block: pure, no I/O. */
class ResponseClassifierTest {
    /** Slack's rules: a 200 with ok:false is an error; its codes say which. */
    private static final Errors SLACK = new Errors("/ok", "/error", List.of("token_expired"), List.of("invalid_auth"),
            List.of("ratelimited"), null, null, null);

    private static Classification classify(int status, Map<String, List<String>> headers, String body, Errors errors) {
        return ResponseClassifier.classify(new VendorResponse(status, headers, body.getBytes(StandardCharsets.UTF_8)), errors);
    }

    @ParameterizedTest(name = "HTTP {0} {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "200 | {\"ok\": true}                            | SUCCESS             | ",
            "200 | {\"ok\": false, \"error\": \"invalid_auth\"} | CREDENTIAL_REJECTED | invalid_auth",
            "200 | {\"ok\": false, \"error\": \"token_expired\"}| TOKEN_EXPIRED       | token_expired",
            "200 | {\"ok\": false, \"error\": \"ratelimited\"}  | RATE_LIMITED        | ratelimited",
            "200 | {\"ok\": false, \"error\": \"not_in_channel\"}| VENDOR_ERROR       | not_in_channel",
            "401 | {}                                        | CREDENTIAL_REJECTED | ",
            "404 | {\"ok\": false, \"error\": \"not_found\"}    | VENDOR_ERROR        | not_found",
            "429 | {}                                        | RATE_LIMITED        | ",
            "503 | not json                                  | SERVER_ERROR        | ",
            "200 | not json                                  | SUCCESS             | ",
    })
    void theStatusAndTheVendorsCodeDecide(int status, String body, Kind kind, String code) {
        Classification classification = classify(status, Map.of(), body, SLACK);
        assertThat(classification.kind()).isEqualTo(kind);
        assertThat(classification.errorCode()).isEqualTo(code);
    }

    @Test
    void aLargeAnswerIsClassifiedFromItsEnvelopeWithoutBecomingATree() {
        // Over AnswerMemory.LARGE, the envelope's fields are read as a stream: the tree is built only once the answer
        // has its place in memory, so concurrent large answers do not all become trees at once.
        StringBuilder members = new StringBuilder("{\"members\": [");
        for (int i = 0; members.length() < 2 * AnswerMemory.LARGE; i++) {
            members.append(i == 0 ? "" : ",").append("{\"id\": \"U").append(i).append("\", \"profile\": {\"ok\": true}}");
        }
        String failed = members + "], \"ok\": false, \"error\": \"ratelimited\"}";
        VendorResponse response = new VendorResponse(200, Map.of(), failed.getBytes(StandardCharsets.UTF_8));
        Classification classification = ResponseClassifier.classify(response, SLACK);
        assertThat(classification.kind()).isEqualTo(Kind.RATE_LIMITED);
        assertThat(classification.errorCode()).isEqualTo("ratelimited");
        assertThat(response.at("/members/3/id").asString()).isEqualTo("U3");
        assertThat(response.at("/members/3/profile/nothing").isMissingNode()).isTrue();

        Errors graphql = new Errors(null, "/errors/0/extensions/type", List.of(), List.of("authentication error"), List.of(), null, "/errors", null);
        String errors = members + "], \"errors\": [{\"message\": \"no\", \"extensions\": {\"type\": \"authentication error\"}}]}";
        assertThat(ResponseClassifier.classify(new VendorResponse(200, Map.of(), errors.getBytes(StandardCharsets.UTF_8)), graphql).kind())
                .isEqualTo(Kind.CREDENTIAL_REJECTED);
    }

    @Test
    void aThrottledGraphQlAnswerWaitsUntilTheCostBucketHoldsTheRequestedPoints() {
        Errors shopify = new Errors(null, "/errors/0/extensions/code", List.of(), List.of(), List.of("THROTTLED"), null, "/errors",
                new Errors.CostBucket("/extensions/cost/requestedQueryCost", "/extensions/cost/throttleStatus/currentlyAvailable",
                        "/extensions/cost/throttleStatus/restoreRate"));
        String throttled = "{\"errors\": [{\"message\": \"Throttled\", \"extensions\": {\"code\": \"THROTTLED\"}}], \"extensions\": {\"cost\": "
                + "{\"requestedQueryCost\": 152, \"throttleStatus\": {\"maximumAvailable\": 2000.0, \"currentlyAvailable\": 2, \"restoreRate\": 100.0}}}}";
        Classification classification = classify(200, Map.of(), throttled, shopify);
        assertThat(classification.kind()).isEqualTo(Kind.RATE_LIMITED);
        assertThat(classification.retryAfter()).isEqualTo(java.time.Duration.ofMillis(1500));
        // A Retry-After the vendor sends wins; without the cost, no wait is made up.
        assertThat(classify(429, Map.of("Retry-After", List.of("3")), throttled, shopify).retryAfter()).isEqualTo(java.time.Duration.ofSeconds(3));
        assertThat(classify(200, Map.of(), "{\"errors\": [{\"extensions\": {\"code\": \"THROTTLED\"}}]}", shopify).retryAfter()).isNull();
    }

    @Test
    void codesMatchByTheirStartAndTheStatusAloneDecidesWithoutAnErrorsBlock() {
        Errors xero = new Errors(null, "/Detail", List.of("TokenExpired"), List.of(), List.of(), null, null, null);
        assertThat(classify(401, Map.of(), "{\"Detail\": \"TokenExpired: token expired at 11/29/2026\"}", xero).kind())
                .isEqualTo(Kind.TOKEN_EXPIRED);
        assertThat(classify(400, Map.of(), "{\"Detail\": \"x\"}", Errors.none()).kind()).isEqualTo(Kind.VENDOR_ERROR);
        assertThat(classify(200, Map.of(), "{\"ok\": false}", Errors.none()).kind()).as("no okField: 200 is success").isEqualTo(Kind.SUCCESS);
    }

    @Test
    void retryAfterIsReadAsSecondsOrAsAnHttpDateAndNeverNegative() {
        assertThat(classify(429, Map.of("Retry-After", List.of("7")), "", SLACK).retryAfter()).isEqualTo(Duration.ofSeconds(7));
        String inTenSeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(Instant.now().plusSeconds(10).atOffset(ZoneOffset.UTC));
        assertThat(classify(429, Map.of("Retry-After", List.of(inTenSeconds)), "", SLACK).retryAfter())
                .isBetween(Duration.ofSeconds(8), Duration.ofSeconds(10));
        assertThat(classify(429, Map.of("Retry-After", List.of("-5")), "", SLACK).retryAfter()).isEqualTo(Duration.ZERO);
        assertThat(classify(429, Map.of("Retry-After", List.of("soon")), "", SLACK).retryAfter()).isNull();
    }

    @Test
    void aResetHeaderStandsInForRetryAfter() {
        Errors dropboxSign = new Errors(null, "/error/error_name", List.of(), List.of(), List.of("exceeded_rate"), "X-Ratelimit-Reset", null, null);
        String inFiveSeconds = String.valueOf(Instant.now().getEpochSecond() + 5);
        Classification limited = classify(400, Map.of("X-Ratelimit-Reset", List.of(inFiveSeconds)),
                "{\"error\": {\"error_name\": \"exceeded_rate\"}}", dropboxSign);
        assertThat(limited.kind()).isEqualTo(Kind.RATE_LIMITED);
        assertThat(limited.retryAfter()).isBetween(Duration.ofSeconds(3), Duration.ofSeconds(5));
    }
}
