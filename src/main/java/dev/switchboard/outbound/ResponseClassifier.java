package dev.switchboard.outbound;

import dev.switchboard.integrations.IntegrationDefinition.Errors;
import dev.switchboard.outbound.Classification.Kind;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import tools.jackson.databind.JsonNode;

/** Reads a vendor's answer by the rules of its definition's {@code errors} block. Pure: no I/O. */
public final class ResponseClassifier {
    /** The longest wait a vendor's answer is taken to ask for; beyond it the vendor's number is not believable. */
    static final Duration MAX_RETRY_AFTER = Duration.ofDays(1);

    private ResponseClassifier() {}

    public static Classification classify(VendorResponse response, Errors errors) {
        Duration retryAfter = retryAfter(response.header("Retry-After"));
        if (retryAfter == null && errors.rateLimitResetHeader() != null) {
            retryAfter = untilUnixTime(response.header(errors.rateLimitResetHeader()));
        }
        if (retryAfter != null && retryAfter.compareTo(MAX_RETRY_AFTER) > 0) {
            retryAfter = MAX_RETRY_AFTER;
        }
        String code = errorCode(response, errors);
        int status = response.status();
        if (status == 429 || matches(code, errors.rateLimited())) {
            return new Classification(Kind.RATE_LIMITED, code, retryAfter != null || errors.costBucket() == null ? retryAfter
                    : untilRefilled(response, errors.costBucket()));
        }
        if (matches(code, errors.tokenExpired())) {
            return new Classification(Kind.TOKEN_EXPIRED, code, null);
        }
        if (status == 401 || matches(code, errors.credentialRejected())) {
            return new Classification(Kind.CREDENTIAL_REJECTED, code, null);
        }
        if (status >= 500) {
            return new Classification(Kind.SERVER_ERROR, code, retryAfter);
        }
        if (status >= 300 && status < 400) {
            return new Classification(Kind.REDIRECT, code, null);
        }
        if (status >= 400 || isEnvelopeFailure(response, errors)) {
            return new Classification(Kind.VENDOR_ERROR, code, null);
        }
        return new Classification(Kind.SUCCESS, null, null);
    }

    /** How long until the vendor's bucket holds the points the request asked for (Shopify's query cost), or null. */
    private static Duration untilRefilled(VendorResponse response, Errors.CostBucket bucket) {
        JsonNode requested = response.at(bucket.requested());
        JsonNode available = response.at(bucket.available());
        JsonNode rate = response.at(bucket.restoreRate());
        if (!requested.isNumber() || !available.isNumber() || !rate.isNumber() || rate.asDouble() <= 0) {
            return null;
        }
        double seconds = Math.max(0, requested.asDouble() - available.asDouble()) / rate.asDouble();
        return Duration.ofMillis((long) Math.ceil(Math.min(seconds, MAX_RETRY_AFTER.toSeconds()) * 1000));
    }

    private static boolean matches(String code, java.util.List<String> prefixes) {
        return code != null && prefixes.stream().anyMatch(code::startsWith);
    }

    private static Duration untilUnixTime(String header) {
        try {
            Duration wait = Duration.between(Instant.now(), Instant.ofEpochSecond(Long.parseLong(header.strip())));
            return wait.isNegative() ? Duration.ZERO : wait;
        } catch (RuntimeException unreadable) {
            return null;
        }
    }

    /** Whether a 2xx answer says it failed: Slack's {@code "ok": false}, GraphQL's non-empty {@code errors}. */
    private static boolean isEnvelopeFailure(VendorResponse response, Errors errors) {
        if (errors.okField() == null && errors.errorList() == null) {
            return false;
        }
        if (errors.errorList() != null) {
            JsonNode list = response.at(errors.errorList());
            if (list.isArray() && !list.isEmpty()) {
                return true;
            }
        }
        JsonNode ok = errors.okField() == null ? null : response.at(errors.okField());
        return ok != null && ok.isBoolean() && !ok.asBoolean();
    }

    private static String errorCode(VendorResponse response, Errors errors) {
        if (errors.codeField() == null || (response.status() < 400 && !isEnvelopeFailure(response, errors))) {
            return null;
        }
        JsonNode code = response.at(errors.codeField());
        return code.isValueNode() ? code.asString() : null;
    }

    /** {@code Retry-After} is either delay-seconds or an HTTP date (RFC 9110 section 10.2.3). */
    static Duration retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.strip();
        if (value.chars().allMatch(Character::isDigit)) {
            return value.length() > 12 ? MAX_RETRY_AFTER : Duration.ofSeconds(Long.parseLong(value)); // 12 digits: past any cap
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value)));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration wait = Duration.between(Instant.now(), at);
                return wait.isNegative() ? Duration.ZERO : wait;
            } catch (DateTimeParseException unreadable) {
                return null;
            }
        }
    }
}
