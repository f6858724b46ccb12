package dev.switchboard.calls;

import dev.switchboard.auth.UserPrincipal;
import dev.switchboard.outcomes.Echo;
import dev.switchboard.outcomes.Failure;
import dev.switchboard.store.Credential;
import dev.switchboard.store.CredentialStore;
import dev.switchboard.store.IntegrationConfigRepository.IntegrationConfig;
import dev.switchboard.store.IntegrationConfigRepository;
import java.util.List;
import java.util.Optional;

/**
 * Which account a call uses (SPEC 3.2), for actions and the proxy alike: the integration must be enabled in
 * the project and reachable by the token; then the credential named by {@code X-Paragon-Credential}, or the
 * user's oldest VALID one. A credential of another user, project or integration is simply not found.
 */
public final class AccountSelector {
    /** The project's configuration of the integration and the chosen credential. */
    public record Account(IntegrationConfig config, Credential credential) {}

    private final IntegrationConfigRepository configs;
    private final CredentialStore credentials;

    public AccountSelector(IntegrationConfigRepository configs, CredentialStore credentials) {
        this.configs = configs;
        this.credentials = credentials;
    }

    public IntegrationConfig enabledConfig(UserPrincipal user, String integration) {
        if (!user.mayUseIntegration(integration)) {
            throw Failure.forbidden("This token's permissions do not include integration " + Echo.quote(integration) + ".");
        }
        return configs.find(user.projectId(), integration).filter(IntegrationConfig::enabled).orElseThrow(() ->
                Failure.notConnected().withDetail("reason", "The integration is not enabled in this project."));
    }

    /** @param credentialId the {@code X-Paragon-Credential} header, or null */
    public Account select(UserPrincipal user, String integration, String credentialId) {
        IntegrationConfig config = enabledConfig(user, integration);
        if (credentialId != null) {
            Credential credential = credentials.find(user.projectId(), user.userId(), credentialId)
                    .filter(c -> c.integration().equals(integration))
                    .orElseThrow(() -> Failure.notFound("credential_not_found", "No such credential."));
            if (!user.mayUseCredential(credential.id())) {
                throw Failure.forbidden("This token's permissions do not include this credential.");
            }
            if (credential.status() != Credential.Status.VALID) {
                throw Failure.credentialInvalid(integration, credential.statusReason());
            }
            return new Account(config, credential);
        }
        return oldestUsable(user, integration, credentials.listForUser(user.projectId(), user.userId()))
                // before saying "not connected", make sure no other node has connected it since this one cached
                .or(() -> oldestUsable(user, integration, credentials.listForUserFromDatabase(user.projectId(), user.userId())))
                .map(c -> new Account(config, c))
                .orElseThrow(Failure::notConnected);
    }

    private static Optional<Credential> oldestUsable(UserPrincipal user, String integration, List<Credential> mine) {
        return mine.stream()
                .filter(c -> c.integration().equals(integration) && c.status() == Credential.Status.VALID)
                .filter(c -> user.mayUseCredential(c.id()))
                .findFirst();
    }
}
