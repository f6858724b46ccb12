package dev.switchboard.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.switchboard.auth.Pem;
import dev.switchboard.auth.UserPrincipal;
import dev.switchboard.auth.UserTokenVerifier;
import dev.switchboard.outcomes.Failure;
import dev.switchboard.store.Database;
import dev.switchboard.store.ProjectRepository;
import dev.switchboard.store.SigningKeyRepository;
import dev.switchboard.testing.Tokens;
import java.nio.file.Files;
import java.security.KeyPair;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;

/**
 * The user-token check under arbitrary Authorization headers and under a valid token changed anywhere: only the
 * token exactly as it was signed verifies; everything else is the one 401. Replays its corpus in every test run;
 * fuzzes with JAZZER_FUZZ=1 (scripts/fuzz).
 */
class UserTokenFuzzTest {
    private static final String PROJECT;
    private static final String VALID;
    private static final UserTokenVerifier VERIFIER;

    static {
        try {
            Database database = Database.open(null, Files.createTempDirectory("token-fuzz"));
            Clock clock = Clock.systemUTC();
            PROJECT = new ProjectRepository(database.jdbi(), clock, Duration.ZERO).create("fuzz").id();
            KeyPair pair = Pem.generateRsa();
            SigningKeyRepository keys = new SigningKeyRepository(database.jdbi(), clock, Duration.ZERO);
            keys.add(PROJECT, "k1", Pem.encodePublic((RSAPublicKey) pair.getPublic()));
            VALID = Tokens.sign(Pem.encodePrivate((RSAPrivateKey) pair.getPrivate()), "u1", c -> c.expirationTime(
                    java.util.Date.from(java.time.Instant.now().plus(Duration.ofDays(365)))));
            VERIFIER = new UserTokenVerifier(keys, clock, "localhost", 0);
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @FuzzTest(maxDuration = "10m")
    void onlyTheSignedTokenVerifies(FuzzedDataProvider data) {
        String token;
        if (data.consumeBoolean()) {
            // the valid token with some characters replaced, inserted or appended
            StringBuilder changed = new StringBuilder(VALID);
            int edits = data.consumeInt(1, 4);
            for (int i = 0; i < edits; i++) {
                int at = data.consumeInt(0, changed.length());
                char c = data.consumeChar();
                if (data.consumeBoolean() && at < changed.length()) {
                    changed.setCharAt(at, c);
                } else {
                    changed.insert(at, c);
                }
            }
            token = changed.toString();
        } else {
            token = data.consumeRemainingAsString();
        }
        UserPrincipal principal;
        try {
            principal = VERIFIER.verify(PROJECT, "Bearer " + token);
        } catch (Failure refused) {
            assertThat(refused.kind()).isEqualTo(Failure.Kind.UNAUTHENTICATED);
            assertThat(refused.getMessage()).isEqualTo("Invalid or missing user token.");
            return;
        }
        assertThat(token.strip()).as("only the signed token verifies").isEqualTo(VALID);
        assertThat(principal.userId()).isEqualTo("u1");
    }
}
