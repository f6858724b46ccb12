package dev.switchboard.auth;

import dev.switchboard.outcomes.Failure;
import dev.switchboard.store.ConsoleSessionRepository;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The operator console's sign-in: the admin token, once, buys a session whose id lives only in an HttpOnly cookie.
 * The store keeps a hash of the id keyed by the admin token, so a copy of the store signs no one in and a new admin
 * token ends every session. Each session's CSRF token is derived from its id the same way, so nothing else is stored.
 */
public final class ConsoleSessions {
    public static final Duration LIFETIME = Duration.ofHours(8);

    private final byte[] adminToken;
    private final SecretKeySpec key;
    private final ConsoleSessionRepository store;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public ConsoleSessions(String adminToken, ConsoleSessionRepository store, Clock clock) {
        this.adminToken = adminToken.getBytes(StandardCharsets.UTF_8);
        this.key = new SecretKeySpec(this.adminToken, "HmacSHA256");
        this.store = store;
        this.clock = clock;
    }

    /** A new session for whoever gave the admin token; a refusal (401) otherwise, naming no part of the token. */
    public String signIn(String givenToken) {
        if (givenToken == null || !MessageDigest.isEqual(adminToken, givenToken.strip().getBytes(StandardCharsets.UTF_8))) {
            throw Failure.operatorUnauthenticated("admin token", givenToken == null || givenToken.isBlank()
                    ? "the console's sign-in form held no token" : "the console's sign-in form held a token that is not the admin token");
        }
        byte[] id = new byte[32];
        random.nextBytes(id);
        String sessionId = Base64.getUrlEncoder().withoutPadding().encodeToString(id);
        store.create(hash("session", sessionId), clock.millis() + LIFETIME.toMillis());
        return sessionId;
    }

    /** The session id from the cookie, when it names a session that is still open. */
    public Optional<String> active(String cookieValue) {
        if (cookieValue == null || cookieValue.length() != 43) {
            return Optional.empty();
        }
        return store.isActive(hash("session", cookieValue)) ? Optional.of(cookieValue) : Optional.empty();
    }

    public String csrfToken(String sessionId) {
        return hash("csrf", sessionId);
    }

    public boolean csrfMatches(String sessionId, String given) {
        return given != null && MessageDigest.isEqual(csrfToken(sessionId).getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }

    public void signOut(String sessionId) {
        store.delete(hash("session", sessionId));
    }

    private String hash(String purpose, String sessionId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal((purpose + "|" + sessionId).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
