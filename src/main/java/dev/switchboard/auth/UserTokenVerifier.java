package dev.switchboard.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.switchboard.outcomes.Echo;
import dev.switchboard.outcomes.Failure;
import dev.switchboard.store.SigningKeyRepository.SigningKey;
import dev.switchboard.store.SigningKeyRepository;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Verifies ActionKit user tokens: RS256 JWTs signed with one of the project's active keys. Every failure is
 * the same 401, so a caller cannot tell which check failed.
 */
public final class UserTokenVerifier {
    public static final int DEFAULT_CACHED_TOKENS = 10_000;
    static final String PERMISSIONS_CLAIM = "urn:useparagon:connect:permissions";
    private static final long SKEW_MILLIS = 60_000;
    private static final Base64.Encoder URL_ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder URL_DECODER = Base64.getUrlDecoder();

    private final SigningKeyRepository keys;
    private final Clock clock;
    /** Hosts accepted in a token's {@code aud} as {@code <host>/<projectId>}, besides useparagon.com. */
    private final java.util.Set<String> publicHosts;
    // Parsing a PEM costs more than verifying a signature; a kid's PEM never changes, so its parsed key is kept.
    private final Map<String, RSASSAVerifier> verifiers = new ConcurrentHashMap<>();
    // Verifying an RS256 signature costs tens of microseconds; most callers send the same token many times.
    private final Cache<TokenInProject, Verified> verified; // null: no caching

    /** @param cachedTokens how many verified tokens to remember (0: verify every request in full) */
    public UserTokenVerifier(SigningKeyRepository keys, Clock clock, String publicHost, int cachedTokens) {
        this.keys = keys;
        this.clock = clock;
        this.publicHosts = java.util.Set.of(publicHost.split(","));
        // Cache upkeep on the caller's thread: the default executor wakes a pool thread for it (a system call and a
        // context switch from the event loop, issue 24's profile).
        this.verified = cachedTokens == 0 ? null
                : Caffeine.newBuilder().executor(Runnable::run).maximumSize(cachedTokens).expireAfterWrite(Duration.ofMinutes(10)).recordStats().<TokenInProject, Verified>build();
    }

    public UserPrincipal verify(String projectId, String authorizationHeader) {
        if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw Failure.unauthenticated(authorizationHeader == null ? "no Authorization header" : "the Authorization header is not a Bearer token");
        }
        String token = authorizationHeader.substring(7).strip();
        TokenInProject cacheKey = new TokenInProject(projectId, token);
        Verified seen = verified == null ? null : verified.getIfPresent(cacheKey);
        if (seen != null && seen.stillValid(clock.millis(), keys.list(projectId))) {
            return seen.principal();
        }
        Verified fresh = verifyFully(projectId, token);
        if (verified != null) {
            verified.put(cacheKey, fresh);
        }
        return fresh.principal();
    }

    private record TokenInProject(String projectId, String token) {}

    /**
     * A token that passed every check, remembered by its exact text. The signature cannot change, so a later
     * request with the same text needs only the checks that can: the clock, and whether its key is still active.
     */
    private record Verified(UserPrincipal principal, SigningKey key, long expiresAt, long issuedAt, Long notBefore) {
        boolean stillValid(long now, List<SigningKey> projectKeys) {
            return timesAccepted(now, expiresAt, issuedAt, notBefore) && projectKeys.contains(key);
        }
    }

    private Verified verifyFully(String projectId, String token) {
        if (!isCanonicalCompact(token)) {
            throw Failure.unauthenticated("the token is not a compact JWS (three base64url parts, each in its one encoding)");
        }
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(token);
        } catch (ParseException | RuntimeException e) {
            throw Failure.unauthenticated("the token does not parse as a signed JWT");
        }
        if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())) {
            throw Failure.unauthenticated("the token is signed with " + jwt.getHeader().getAlgorithm() + ", not RS256");
        }
        SigningKey key = signingKey(projectId, jwt).orElseThrow(() -> Failure.unauthenticated("no active signing key of project "
                + projectId + " verifies the token's signature" + (jwt.getHeader().getKeyID() == null ? "" : " (its kid names "
                + Echo.quote(jwt.getHeader().getKeyID()) + ")")));
        JWTClaimsSet claims;
        try {
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw Failure.unauthenticated("the token's claims are not a JSON object");
        }
        Date exp = claims.getExpirationTime();
        Date iat = claims.getIssueTime();
        Date nbf = claims.getNotBeforeTime();
        String sub = claims.getSubject();
        if (!isUserId(sub)) {
            throw Failure.unauthenticated("the token's sub is missing, blank, longer than " + UserPrincipal.MAX_USER_ID_LENGTH
                    + " characters or holds control characters");
        }
        if (exp == null || iat == null) {
            throw Failure.unauthenticated("the token has no " + (exp == null ? "exp" : "iat") + " claim");
        }
        if (!timesAccepted(clock.millis(), exp.getTime(), iat.getTime(), nbf == null ? null : nbf.getTime())) {
            throw Failure.unauthenticated("the token is outside its validity (exp " + exp.toInstant() + ", iat " + iat.toInstant()
                    + (nbf == null ? "" : ", nbf " + nbf.toInstant()) + ", now " + clock.instant() + ", 60 s of skew allowed)");
        }
        if (!audienceAccepted(projectId, claims.getAudience())) {
            throw Failure.unauthenticated("the token's aud " + claims.getAudience() + " names neither useparagon.com/" + projectId
                    + " nor an accepted public host");
        }
        return new Verified(new UserPrincipal(projectId, sub, permissions(claims)), key,
                exp.getTime(), iat.getTime(), nbf == null ? null : nbf.getTime());
    }

    /**
     * Three parts of base64url without padding, each the one encoding of its bytes: characters appended to a
     * signature (bits a decoder drops) would otherwise give one token many spellings that all verify.
     */
    private static boolean isCanonicalCompact(String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return false;
        }
        for (String part : parts) {
            try {
                if (!URL_ENCODER.encodeToString(URL_DECODER.decode(part)).equals(part)) {
                    return false;
                }
            } catch (IllegalArgumentException notBase64url) {
                return false;
            }
        }
        return true;
    }

    /** A user id the stores can hold as it is: not blank, at most 255 characters, no control characters. */
    private static boolean isUserId(String sub) {
        return sub != null && !sub.isBlank() && sub.length() <= UserPrincipal.MAX_USER_ID_LENGTH
                && sub.chars().noneMatch(Character::isISOControl);
    }

    private static boolean timesAccepted(long now, long expiresAt, long issuedAt, Long notBefore) {
        return expiresAt + SKEW_MILLIS > now
                && issuedAt - SKEW_MILLIS <= now
                && (notBefore == null || notBefore - SKEW_MILLIS <= now);
    }

    /** The project's active key that signed this token, if any. */
    private Optional<SigningKey> signingKey(String projectId, SignedJWT jwt) {
        String kid = jwt.getHeader().getKeyID();
        for (SigningKey key : keys.list(projectId)) {
            if (!key.active() || (kid != null && !kid.equals(key.kid()))) {
                continue;
            }
            try {
                if (jwt.verify(verifierFor(key))) {
                    return Optional.of(key);
                }
            } catch (JOSEException | RuntimeException e) {
                // a key that cannot verify this token is no match; try the next
            }
        }
        return Optional.empty();
    }

    private RSASSAVerifier verifierFor(SigningKey key) {
        return verifiers.computeIfAbsent(key.projectId() + "/" + key.kid() + "/" + key.publicKeyPem().hashCode(), k -> {
            RSAPublicKey publicKey = Pem.parsePublic(key.publicKeyPem());
            return new RSASSAVerifier(publicKey);
        });
    }

    private boolean audienceAccepted(String projectId, List<String> audience) {
        if (audience == null || audience.isEmpty()) {
            return true;
        }
        return audience.stream().anyMatch(aud -> aud.equals("useparagon.com/" + projectId)
                || (aud.endsWith("/" + projectId) && publicHosts.contains(aud.substring(0, aud.length() - projectId.length() - 1))));
    }

    private static List<String> permissions(JWTClaimsSet claims) {
        Object value = claims.getClaim(PERMISSIONS_CLAIM);
        if (value == null) {
            return null;
        }
        if (!(value instanceof List<?> list) || !list.stream().allMatch(String.class::isInstance)) {
            throw Failure.unauthenticated("the token's " + PERMISSIONS_CLAIM + " claim is not a list of strings");
        }
        return list.stream().map(String.class::cast).toList();
    }

    public void bindCacheMetrics(io.micrometer.core.instrument.MeterRegistry meters) {
        if (verified != null) {
            io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics.monitor(meters, verified, "verified_tokens");
        }
    }
}
