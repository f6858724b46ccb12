package dev.switchboard.outbound;

import java.time.Duration;

/**
 * What a vendor's answer means for the pipeline.
 *
 * @param errorCode  the vendor's own error code when it gave one
 * @param retryAfter how long the vendor asked us to wait, when it said
 */
public record Classification(Kind kind, String errorCode, Duration retryAfter) {
    public enum Kind {
        SUCCESS,
        /** The vendor refused this request (bad input, not found, ...): not worth repeating. */
        VENDOR_ERROR,
        /** Slow down; the vendor did nothing, so repeating is always safe. */
        RATE_LIMITED,
        /** The access token expired: a refresh may help. */
        TOKEN_EXPIRED,
        /** The vendor no longer accepts this credential. */
        CREDENTIAL_REJECTED,
        /** The vendor failed (5xx): repeat only what is safe to repeat. */
        SERVER_ERROR,
        /** The vendor redirected (3xx); the pipeline never follows, an action's caller gets a failure. */
        REDIRECT
    }
}
