package dev.switchboard.credentials;

import dev.switchboard.integrations.IntegrationCatalog;
import dev.switchboard.integrations.IntegrationDefinition;
import dev.switchboard.outbound.Reauthorizer;
import dev.switchboard.outbound.VendorTimeoutException;
import dev.switchboard.outbound.VendorUnreachableException;
import dev.switchboard.outbound.VendorUnreadableException;
import dev.switchboard.outcomes.Failure;
import dev.switchboard.store.Credential;
import dev.switchboard.store.CredentialStore;
import dev.switchboard.store.IntegrationConfigRepository.IntegrationConfig;
import dev.switchboard.store.IntegrationConfigRepository;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refreshes an access token once per expiry, however many requests and nodes meet it at the same moment:
 * <ol>
 *   <li>take the credential's refresh lease in one conditional UPDATE (only for the token version the caller saw
 *       fail, and only if no live lease is held); everyone else waits for the version to move on, then uses it;</li>
 *   <li>call the vendor's token endpoint;</li>
 *   <li>save the new access token, and the new refresh token of a vendor that rotates them, as the next version
 *       in one statement; only then is the new token used.</li>
 * </ol>
 * A node that dies between 2 and 3 leaves its lease behind. When the lease runs out the next caller refreshes
 * with the stored refresh token: vendors without rotation (or with a grace period) answer and the account
 * works; a vendor that already rotated it refuses, and the credential becomes INVALID with a reason saying the
 * earlier refresh was interrupted. It is never silently lost.
 */
public final class CredentialRefresher implements Reauthorizer {
    private static final Logger LOG = LoggerFactory.getLogger(CredentialRefresher.class);
    /** Tokens this close to expiry are refreshed before the call. */
    private static final Duration EARLY = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(50);

    private final CredentialStore store;
    private final IntegrationCatalog catalog;
    private final IntegrationConfigRepository configs;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Duration leaseTtl;
    private final TokenEndpoint tokens;
    private final Steps steps;

    /**
     * The steps of a refresh, as they are reached: a seam for tests that stop a node at each step (the crash
     * tests); {@link #NONE} in production.
     */
    public interface Steps {
        Steps NONE = step -> {};

        /** @param step {@code before-vendor-call}, {@code after-vendor-answer} or {@code after-commit} */
        void reached(String step);
    }

    public CredentialRefresher(CredentialStore store, IntegrationCatalog catalog, IntegrationConfigRepository configs,
                               TokenEndpoint tokens, Clock clock, MeterRegistry meters, Duration leaseTtl, Steps steps) {
        this.store = store;
        this.catalog = catalog;
        this.configs = configs;
        this.tokens = tokens;
        this.clock = clock;
        this.meters = meters;
        this.leaseTtl = leaseTtl;
        this.steps = steps;
    }

    @Override
    public Credential beforeCall(Credential credential) {
        return dueBeforeCall(credential) ? refresh(credential) : credential;
    }

    @Override
    public boolean dueBeforeCall(Credential credential) {
        boolean dueSoon = credential.expiresAt() != null && credential.expiresAt() - clock.millis() < EARLY.toMillis();
        return dueSoon && refreshable(credential).isPresent();
    }

    @Override
    public Credential afterRejection(Credential credential) {
        return refreshable(credential).isPresent() ? refresh(credential) : null;
    }

    private Optional<IntegrationConfig> refreshable(Credential credential) {
        if (credential.refreshToken() == null) {
            return Optional.empty();
        }
        return configs.find(credential.projectId(), credential.integration())
                .filter(c -> c.clientId() != null && c.clientSecret() != null);
    }

    /** Refreshes the version of the credential the caller holds, or waits for whoever is already doing it. */
    Credential refresh(Credential seen) {
        dev.switchboard.blocking.Blocking.mayBlock("a token refresh");
        long waitUntil = clock.millis() + leaseTtl.toMillis() * 2;
        while (true) {
            Credential current = store.reload(seen).orElseThrow(() -> Failure.notFound("credential_not_found", "No such credential."));
            if (current.status() != Credential.Status.VALID) {
                throw Failure.credentialInvalid(current.integration(), current.statusReason());
            }
            if (current.tokenVersion() > seen.tokenVersion()) {
                return current; // refreshed by another request or node meanwhile
            }
            long now = clock.millis();
            boolean interrupted = current.refreshLease() != null && current.refreshLeaseUntil() != null && current.refreshLeaseUntil() < now;
            String lease = UUID.randomUUID().toString();
            if (store.takeRefreshLease(current.id(), seen.tokenVersion(), lease, now + leaseTtl.toMillis(), now)) {
                return performRefresh(current, lease, interrupted);
            }
            if (now > waitUntil) {
                throw new Failure(Failure.Kind.BUSY, "refresh_in_progress", "The connected " + seen.integration()
                        + " account's token is being refreshed and the refresh has not finished; retry shortly.")
                        .retryAfter(java.time.Duration.ofSeconds(1));
            }
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Failure(Failure.Kind.BUSY, "refresh_in_progress", "Interrupted while waiting for a token refresh.");
            }
        }
    }

    private Credential performRefresh(Credential current, String lease, boolean interrupted) {
        IntegrationDefinition integration = catalog.integration(current.integration()).orElseThrow();
        IntegrationConfig config = refreshable(current).orElseThrow();
        steps.reached("before-vendor-call");
        TokenEndpoint.Tokens fresh;
        try {
            fresh = tokens.refresh(integration, config, current);
        } catch (TokenEndpoint.GrantRefused refused) {
            count(integration, refused.dead ? "refused" : "failed");
            if (refused.dead) {
                String reason = integration.name() + " refused the refresh token (" + refused.code + ")"
                        + (interrupted ? "; an earlier refresh was interrupted before its new tokens were saved" : "");
                store.refreshFailed(current.id(), lease, true, reason);
                LOG.warn("credential {} is INVALID: {}", current.id(), reason);
                throw Failure.credentialInvalid(integration.key(), reason);
            }
            store.refreshFailed(current.id(), lease, false, null);
            throw new Failure(Failure.Kind.VENDOR_FAILED, "refresh_failed", "Refreshing the " + integration.name()
                    + " token failed (" + refused.code + "); the account is kept, retry later.");
        } catch (VendorUnreachableException | VendorTimeoutException | VendorUnreadableException e) {
            count(integration, "failed");
            store.refreshFailed(current.id(), lease, false, null);
            throw new Failure(Failure.Kind.VENDOR_FAILED, "refresh_failed", "Refreshing the " + integration.name()
                    + " token failed (" + e.getMessage() + "); the account is kept, retry later.");
        }
        steps.reached("after-vendor-answer");
        Long expiresAt = fresh.expiresInSeconds() == null ? null : clock.millis() + fresh.expiresInSeconds() * 1000;
        boolean saved = store.saveRefreshed(current.id(), current.tokenVersion(), fresh.accessToken(), fresh.refreshToken(), expiresAt, clock.millis());
        steps.reached("after-commit");
        count(integration, saved ? "refreshed" : "superseded");
        LOG.info("credential {} refreshed to version {} ({})", current.id(), current.tokenVersion() + 1,
                fresh.refreshToken() != null ? "refresh token rotated" : "refresh token kept");
        return store.reload(current).orElseThrow();
    }

    private void count(IntegrationDefinition integration, String outcome) {
        Counter.builder("switchboard.credential.refreshes").tag("integration", integration.key()).tag("outcome", outcome)
                .register(meters).increment();
    }
}
