package dev.switchboard.store;

import java.util.Map;

/**
 * One connected account, decrypted for use. {@link #toString()} never prints a secret.
 *
 * @param providerData vendor facts about the account (Slack team, Mailchimp data center, ...) used in URL placeholders
 * @param tokenVersion incremented by every refresh; a caller refreshes only the version it saw fail
 * @param refreshLease the id of a refresh under way (or interrupted, when its lease has run out), or null
 */
public record Credential(
        String id,
        String projectId,
        String userId,
        String integration,
        Status status,
        String statusReason,
        String accessToken,
        String refreshToken,
        String apiKey,
        Long expiresAt,
        String providerId,
        Map<String, Object> providerData,
        long createdAt,
        Long refreshedAt,
        int refreshFailureCount,
        int tokenVersion,
        String refreshLease,
        Long refreshLeaseUntil) {

    public enum Status { VALID, INVALID }

    @Override
    public String toString() {
        return "Credential[id=" + id + ", integration=" + integration + ", status=" + status + ", version=" + tokenVersion + "]";
    }
}
