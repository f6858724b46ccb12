package dev.switchboard.auth;

import dev.switchboard.outcomes.Failure;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Checks the operator secret in constant time. */
public final class AdminAuth {
    private final byte[] secret;

    public AdminAuth(String secret) {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    public void check(String authorizationHeader) {
        if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new Failure(Failure.Kind.UNAUTHENTICATED, "unauthorized", "Missing or invalid operator secret.");
        }
        byte[] given = authorizationHeader.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(secret, given)) {
            throw new Failure(Failure.Kind.UNAUTHENTICATED, "unauthorized", "Missing or invalid operator secret.");
        }
    }
}
