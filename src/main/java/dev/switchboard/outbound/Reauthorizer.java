package dev.switchboard.outbound;

import dev.switchboard.store.Credential;

/** Renews a credential's access token: the hook the pipeline's {@link RefreshInterceptor} calls. */
public interface Reauthorizer {
    /** The credential to call with: refreshed first when its token is about to expire. */
    Credential beforeCall(Credential credential);

    /** Whether {@link #beforeCall} would refresh (and so block) first. */
    default boolean dueBeforeCall(Credential credential) {
        return false;
    }

    /**
     * The vendor refused this credential's token: a refreshed credential to try once more, or null when it
     * cannot be refreshed (no refresh token).
     */
    Credential afterRejection(Credential credential);
}
