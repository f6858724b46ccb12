package dev.switchboard.outcomes;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Why a request could not be done, in the domain's words: what kind of failure, a stable code for clients, a
 * message for people, and the details a caller may need (the vendor's answer, when to retry, which account was
 * used). Nothing here knows HTTP: the HTTP edge turns a kind into a status and the SPEC 4 error body, in one place.
 */
public final class Failure extends RuntimeException {
    /** The vendor's answer text kept in a failure: enough to read the vendor's error, never a whole download. */
    public static final int MAX_VENDOR_TEXT = 2000;

    public enum Kind {
        /** The caller's input is wrong: a malformed body, an unknown action, a parameter that breaks the schema. */
        INVALID_INPUT,
        /** The caller did not prove who they are (user token or operator secret). */
        UNAUTHENTICATED,
        /** The caller is known but may not do this (token permissions). */
        FORBIDDEN,
        NOT_FOUND,
        /** The request contradicts what is stored (a key that is already there). */
        CONFLICT,
        /** The request body is larger than Switchboard takes. */
        TOO_LARGE,
        /** The request body is not in a format Switchboard reads. */
        UNSUPPORTED_MEDIA_TYPE,
        /** The user has no usable account of this integration, or the project has not enabled it. */
        NOT_CONNECTED,
        /** The account cannot be used as it is: rejected by the vendor, or lacking what its calls need. */
        CREDENTIAL_INVALID,
        /** Too many calls: the vendor's limit or the one Switchboard keeps for it. */
        RATE_LIMITED,
        /** Switchboard is busy with this account (a token refresh elsewhere); the same call may work shortly. */
        BUSY,
        /** The vendor refused the request (its 4xx): the caller's input or permissions, not the account. */
        VENDOR_REFUSED,
        /** The vendor failed (its 5xx, an unreadable answer, a refused redirect, a token endpoint error). */
        VENDOR_FAILED,
        /** The vendor could not be reached. */
        UNREACHABLE,
        /** The vendor did not answer within the call's deadline. */
        TIMEOUT,
        /** Switchboard itself failed. */
        INTERNAL
    }

    /** What the vendor answered: its status and its body, as JSON when it is, else as text. */
    public record VendorAnswer(int status, JsonNode json, String text) {
        public static VendorAnswer of(int status, JsonNode json, byte[] body) {
            return new VendorAnswer(status, json,
                    json != null ? null : new String(body, 0, Math.min(body.length, MAX_VENDOR_TEXT), StandardCharsets.UTF_8));
        }
    }

    private final Kind kind;
    private final String code;
    private final Map<String, Object> details = new LinkedHashMap<>();
    private Duration retryAfter;
    private VendorAnswer vendorAnswer;
    private String credentialId;
    private String logReason;

    public Failure(Kind kind, String code, String message) {
        super(message, null, false, false);
        this.kind = kind;
        this.code = code;
    }

    public static Failure invalidInput(String code, String message) {
        return new Failure(Kind.INVALID_INPUT, code, message);
    }

    /**
     * One message for every token problem: the caller learns nothing about which check failed. The reason goes to the
     * server's log only (no token text in it), for the operator who must find out.
     */
    public static Failure unauthenticated(String reason) {
        Failure failure = new Failure(Kind.UNAUTHENTICATED, "unauthorized", "Invalid or missing user token.");
        failure.logReason = reason;
        return failure;
    }

    /** The operator's secret (admin API, /metrics) was missing or wrong; the reason goes to the log only. */
    public static Failure operatorUnauthenticated(String secretName, String reason) {
        Failure failure = new Failure(Kind.UNAUTHENTICATED, "unauthorized", "Missing or invalid " + secretName + ".");
        failure.logReason = reason;
        return failure;
    }

    /** Why a request was refused, for the log and never the answer; null when the message says it all. */
    public String logReason() {
        return logReason;
    }

    public static Failure forbidden(String message) {
        return new Failure(Kind.FORBIDDEN, "forbidden", message);
    }

    public static Failure notFound(String code, String message) {
        return new Failure(Kind.NOT_FOUND, code, message);
    }

    public static Failure notConnected() {
        // ActionKit clients match on this exact text.
        return new Failure(Kind.NOT_CONNECTED, "integration_not_connected", "Integration not enabled for user.");
    }

    public static Failure credentialInvalid(String integration, String reason) {
        return new Failure(Kind.CREDENTIAL_INVALID, "credential_invalid", "The connected " + integration
                + " account is no longer valid" + (reason == null ? "" : " (" + reason + ")") + "; reconnect it.");
    }

    public static Failure rateLimited(String message, Duration retryAfter) {
        return new Failure(Kind.RATE_LIMITED, "rate_limited", message).retryAfter(retryAfter);
    }

    /** Extra fields of the error body's {@code meta}, such as the validation problems. */
    public Failure withDetail(String key, Object value) {
        details.put(key, value);
        return this;
    }

    /** Marks this failure as the vendor's answer (SPEC 4: its status and body go to the caller). */
    public Failure fromVendor(VendorAnswer answer) {
        this.vendorAnswer = answer;
        return this;
    }

    public Failure retryAfter(Duration wait) {
        this.retryAfter = wait;
        return this;
    }

    /** The account the failed call used, so the caller learns which one failed. */
    public Failure usingCredential(String id) {
        this.credentialId = id;
        return this;
    }

    public Kind kind() { return kind; }
    public String code() { return code; }
    public Map<String, Object> details() { return details; }
    /** How long the caller should wait before trying again, or null. */
    public Duration retryAfter() { return retryAfter; }
    /** The vendor's answer when the vendor caused this failure, or null. */
    public VendorAnswer vendorAnswer() { return vendorAnswer; }
    public String credentialId() { return credentialId; }
}
