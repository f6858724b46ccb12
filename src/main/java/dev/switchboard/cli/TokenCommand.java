package dev.switchboard.cli;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.switchboard.auth.Pem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "token", mixinStandardHelpOptions = true,
        description = "Mint a user token (RS256 JWT) for testing, signed with a project's private key.")
final class TokenCommand implements Callable<Integer> {
    @Option(names = "--project", required = true, description = "Project id (goes into aud).")
    String project;

    @Option(names = "--user", required = true, description = "Connected user id (sub).")
    String user;

    @Option(names = "--key", required = true, description = "PKCS#8 PEM file of the project's private key.")
    Path key;

    @Option(names = "--ttl", defaultValue = "1h", description = "Lifetime such as 30m, 1h, 2d (default ${DEFAULT-VALUE}).")
    String ttl;

    @Option(names = "--kid", description = "Put this key id in the header (ActionKit tokens carry none).")
    String kid;

    @Override
    public Integer call() throws Exception {
        System.out.println(mint(project, user, Files.readString(key), parseTtl(ttl), kid));
        return 0;
    }

    static String mint(String project, String user, String privateKeyPem, Duration ttl, String kid) throws JOSEException {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject(user)
                .audience("useparagon.com/" + project)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).build(), claims);
        jwt.sign(new RSASSASigner(Pem.parsePrivate(privateKeyPem)));
        return jwt.serialize();
    }

    static Duration parseTtl(String text) {
        java.util.regex.Matcher ttl = java.util.regex.Pattern.compile("(\\d{1,9})([smhd])").matcher(text.strip());
        if (!ttl.matches() || Long.parseLong(ttl.group(1)) == 0) {
            throw new IllegalArgumentException("--ttl takes a positive number and s, m, h or d, such as 30m or 1h; not " + text);
        }
        String unit = ttl.group(2);
        long amount = Long.parseLong(ttl.group(1));
        return switch (unit) {
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            case "d" -> Duration.ofDays(amount);
            default -> throw new IllegalArgumentException("--ttl takes a number and s, m, h or d, such as 1h");
        };
    }
}
