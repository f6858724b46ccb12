package dev.switchboard.outbound;

import dev.switchboard.integrations.IntegrationDefinition;
import dev.switchboard.store.Credential;

/**
 * What every step of the pipeline may need to know about the call it is handling.
 *
 * @param credential   the account whose auth is added, or null for a call without (a download redirect to another host)
 * @param safeToRepeat a read, or a write the action marks idempotent: may be retried after a 5xx or network error
 * @param deadlineNanos {@link System#nanoTime()} after which no retry starts
 * @param streamResponse hand the answer's body over as a stream (the proxy) instead of reading it into memory
 * @param protocol     the vendor protocol that reads the answer (the integration's, or the action's own), or null
 */
public record VendorCall(IntegrationDefinition integration, Credential credential, boolean safeToRepeat, long deadlineNanos,
                         boolean streamResponse, String protocol) {
    /** A call in the integration's own protocol (JSON, for all but Sage Intacct). */
    public VendorCall(IntegrationDefinition integration, Credential credential, boolean safeToRepeat, long deadlineNanos, boolean streamResponse) {
        this(integration, credential, safeToRepeat, deadlineNanos, streamResponse, integration.protocol());
    }
}
