package dev.switchboard.auth;

import dev.switchboard.outcomes.Failure;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Checks an operator's bearer secret (the admin token, the metrics token) in constant time. */
public final class AdminAuth {
    private final byte[] secret;
    private final String name;

    public AdminAuth(String secret) {
        this(secret, "operator secret");
    }

    /** @param name what the secret is, as the refusal names it */
    public AdminAuth(String secret, String name) {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.name = name;
    }

    public void check(String authorizationHeader) {
        if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw Failure.operatorUnauthenticated(name, authorizationHeader == null ? "no Authorization header"
                    : "the Authorization header is not a Bearer token");
        }
        byte[] given = authorizationHeader.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(secret, given)) {
            throw Failure.operatorUnauthenticated(name, "the bearer token is not the " + name);
        }
    }
}
