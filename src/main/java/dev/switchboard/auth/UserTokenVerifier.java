package dev.switchboard.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.switchboard.api.ApiException;
import dev.switchboard.store.SigningKeyRepository;
import dev.switchboard.store.SigningKeyRepository.SigningKey;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Verifies ActionKit user tokens: RS256 JWTs signed with one of the project's active keys. Every failure is
 * the same 401, so a caller cannot tell which check failed.
 */
public final class UserTokenVerifier {
    static final String PERMISSIONS_CLAIM = "urn:useparagon:connect:permissions";
    private static final long SKEW_MILLIS = 60_000;

    private final SigningKeyRepository keys;
    private final Clock clock;
    private final String publicHost;
    // Parsing a PEM costs more than verifying a signature; a kid's PEM never changes, so its parsed key is kept.
    private final Map<String, RSASSAVerifier> verifiers = new ConcurrentHashMap<>();

    public UserTokenVerifier(SigningKeyRepository keys, Clock clock, String publicHost) {
        this.keys = keys;
        this.clock = clock;
        this.publicHost = publicHost;
    }

    public UserPrincipal verify(String projectId, String authorizationHeader) {
        if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw ApiException.unauthorized();
        }
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(authorizationHeader.substring(7).strip());
        } catch (ParseException | RuntimeException e) {
            throw ApiException.unauthorized();
        }
        if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm()) || !signedByProject(projectId, jwt)) {
            throw ApiException.unauthorized();
        }
        JWTClaimsSet claims;
        try {
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw ApiException.unauthorized();
        }
        long now = clock.millis();
        Date exp = claims.getExpirationTime();
        Date iat = claims.getIssueTime();
        Date nbf = claims.getNotBeforeTime();
        String sub = claims.getSubject();
        if (sub == null || sub.isBlank() || exp == null || iat == null
                || exp.getTime() + SKEW_MILLIS <= now
                || iat.getTime() - SKEW_MILLIS > now
                || (nbf != null && nbf.getTime() - SKEW_MILLIS > now)
                || !audienceAccepted(projectId, claims.getAudience())) {
            throw ApiException.unauthorized();
        }
        return new UserPrincipal(projectId, sub, permissions(claims));
    }

    private boolean signedByProject(String projectId, SignedJWT jwt) {
        String kid = jwt.getHeader().getKeyID();
        List<SigningKey> active = keys.list(projectId).stream().filter(SigningKey::active).toList();
        for (SigningKey key : active) {
            if (kid != null && !kid.equals(key.kid())) {
                continue;
            }
            try {
                if (jwt.verify(verifierFor(key))) {
                    return true;
                }
            } catch (JOSEException | RuntimeException e) {
                // a key that cannot verify this token is no match; try the next
            }
        }
        return false;
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
                || aud.equals(publicHost + "/" + projectId));
    }

    private static List<String> permissions(JWTClaimsSet claims) {
        Object value = claims.getClaim(PERMISSIONS_CLAIM);
        if (value == null) {
            return null;
        }
        if (!(value instanceof List<?> list) || !list.stream().allMatch(String.class::isInstance)) {
            throw ApiException.unauthorized();
        }
        return list.stream().map(String.class::cast).toList();
    }
}
