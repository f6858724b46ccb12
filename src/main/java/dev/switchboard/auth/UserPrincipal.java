package dev.switchboard.auth;

import dev.switchboard.outcomes.Failure;
import java.util.List;

/**
 * The verified caller of a user-facing endpoint: a connected user of one project, with the permissions
 * their token carries.
 *
 * @param permissions the {@code urn:useparagon:connect:permissions} claim, or null when the token has none (no restriction)
 */
public record UserPrincipal(String projectId, String userId, List<String> permissions) {
    /** The longest user id the stores hold (their {@code user_id} columns). */
    public static final int MAX_USER_ID_LENGTH = 255;

    /**
     * Running calls on the user's accounts (the actions endpoints, MCP's tools/list and tools/call, the proxy)
     * needs {@code actionkit} whenever the token lists permissions at all, an empty list included. The Users API
     * and the Connect page need none; integration and credential scopes narrow what every endpoint reaches.
     */
    public void requireActionKit() {
        if (permissions != null && !permissions.contains("actionkit")) {
            throw Failure.forbidden("This token's permissions do not include 'actionkit'.");
        }
    }

    /** Whether the token reaches this integration: unrestricted unless it lists integration scopes. */
    public boolean mayUseIntegration(String integration) {
        return allows("integration:", integration);
    }

    /** Whether the token reaches this credential: unrestricted unless it lists credential scopes. */
    public boolean mayUseCredential(String credentialId) {
        return allows("credential:", credentialId);
    }

    private boolean allows(String prefix, String name) {
        if (permissions == null || permissions.stream().noneMatch(p -> p.startsWith(prefix))) {
            return true;
        }
        return permissions.contains(prefix + "*") || permissions.contains(prefix + name);
    }
}
