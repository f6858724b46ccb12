package dev.switchboard.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.switchboard.testing.Http.Answer;
import dev.switchboard.testing.TestDatabases;
import dev.switchboard.testing.TestServer.Project;
import dev.switchboard.testing.TestServer;
import dev.switchboard.testing.Tokens;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/** Forged, stale and misdirected user tokens all get the same 401, which reveals nothing about why. */
class UserTokenAttackTest {
    private static TestServer server;
    private static Project project;
    private static Project otherProject;
    private static String publicKeyPem;

    @BeforeAll
    static void start() {
        server = TestServer.start(TestDatabases.Kind.SQLITE);
        project = server.createProject("victim");
        otherProject = server.createProject("attacker");
        JsonNode keys = TestServer.expect(server.admin("GET", "/admin/projects/" + project.id() + "/signing-keys", null), 200);
        publicKeyPem = keys.get("signingKeys").get(0).get("publicKeyPem").asString();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Answer listActions(Project target, String authorization) {
        return server.user("GET", "/projects/" + target.id() + "/actions?limit_to_available=false", null, null,
                authorization == null ? Map.of() : Map.of("Authorization", authorization));
    }

    private static String valid(JWTClaimsSet.Builder claims) {
        return Tokens.sign(project.privateKeyPem(), claims.build(), null);
    }

    private static Date in(Duration offset) {
        return Date.from(Instant.now().plus(offset));
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    static Stream<Arguments> attacks() {
        Supplier<String> algNone = () -> b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + b64("{\"sub\":\"u1\",\"iat\":"
                + Instant.now().getEpochSecond() + ",\"exp\":" + (Instant.now().getEpochSecond() + 3600) + "}") + ".";
        Supplier<String> hs256WithPublicKey = () -> {
            try {
                SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), Tokens.claims("u1").build());
                jwt.sign(new MACSigner(publicKeyPem.getBytes(StandardCharsets.UTF_8)));
                return jwt.serialize();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        Supplier<String> rs512 = () -> {
            try {
                SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS512), Tokens.claims("u1").build());
                jwt.sign(new RSASSASigner(Pem.parsePrivate(project.privateKeyPem())));
                return jwt.serialize();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        Supplier<String> tampered = () -> {
            String[] parts = valid(Tokens.claims("u1")).split("\\.");
            return parts[0] + "." + b64("{\"sub\":\"admin\",\"iat\":" + Instant.now().getEpochSecond() + ",\"exp\":"
                    + (Instant.now().getEpochSecond() + 3600) + "}") + "." + parts[2];
        };
        return Stream.of(
                Arguments.of("no header", (Supplier<String>) () -> null),
                Arguments.of("not bearer", (Supplier<String>) () -> "Basic dXNlcjpwYXNz"),
                Arguments.of("garbage", (Supplier<String>) () -> "Bearer not.a.jwt"),
                Arguments.of("empty bearer", (Supplier<String>) () -> "Bearer "),
                Arguments.of("alg none", (Supplier<String>) () -> "Bearer " + algNone.get()),
                Arguments.of("HS256 signed with the public key", (Supplier<String>) () -> "Bearer " + hs256WithPublicKey.get()),
                Arguments.of("RS512 instead of RS256", (Supplier<String>) () -> "Bearer " + rs512.get()),
                Arguments.of("payload tampered after signing", (Supplier<String>) () -> "Bearer " + tampered.get()),
                Arguments.of("expired beyond the skew", (Supplier<String>) () -> "Bearer " + valid(Tokens.claims("u1").expirationTime(in(Duration.ofSeconds(-90))))),
                Arguments.of("not yet valid", (Supplier<String>) () -> "Bearer " + valid(Tokens.claims("u1").notBeforeTime(in(Duration.ofMinutes(5))))),
                Arguments.of("issued in the future", (Supplier<String>) () -> "Bearer " + valid(Tokens.claims("u1").issueTime(in(Duration.ofMinutes(5))))),
                Arguments.of("missing sub", (Supplier<String>) () -> "Bearer " + valid(Tokens.claims("u1").subject(null))),
                Arguments.of("sub longer than the stores hold", (Supplier<String>) () -> "Bearer " + valid(Tokens.claims("u".repeat(256)))),
                Arguments.of("sub with a control character", (Supplier<String>) () -> "Bearer " + valid(Tokens.claims("u1\u0000admin"))),
                Arguments.of("missing exp", (Supplier<String>) () -> "Bearer " + valid(Tokens.claims("u1").expirationTime(null))),
                Arguments.of("missing iat", (Supplier<String>) () -> "Bearer " + valid(Tokens.claims("u1").issueTime(null))),
                Arguments.of("wrong aud", (Supplier<String>) () -> "Bearer " + valid(Tokens.claims("u1").audience("useparagon.com/" + otherProject.id()))),
                Arguments.of("unknown kid", (Supplier<String>) () -> "Bearer " + Tokens.sign(project.privateKeyPem(), Tokens.claims("u1").build(), "no-such-kid")),
                Arguments.of("another project's key", (Supplier<String>) () -> "Bearer " + Tokens.sign(otherProject.privateKeyPem(), "u1", c -> c)),
                Arguments.of("characters appended to the signature", (Supplier<String>) () -> "Bearer " + valid(Tokens.claims("u1")) + "A"),
                Arguments.of("padding after the signature", (Supplier<String>) () -> "Bearer " + valid(Tokens.claims("u1")) + "=="),
                Arguments.of("a signature's last character changed in its unused bits", (Supplier<String>) () -> {
                    String token = valid(Tokens.claims("u1"));
                    char last = token.charAt(token.length() - 1);
                    // 256 signature bytes end on 4 unused bits: the next character differs only in them
                    return "Bearer " + token.substring(0, token.length() - 1) + (char) (last + 1);
                }),
                Arguments.of("permissions claim not a list", (Supplier<String>) () -> "Bearer " + valid(Tokens.claims("u1").claim("urn:useparagon:connect:permissions", "actionkit"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attacks")
    void rejected(String attack, Supplier<String> authorization) {
        Answer answer = listActions(project, authorization.get());

        assertThat(answer.status()).isEqualTo(401);
        JsonNode body = answer.json();
        assertThat(body.get("code").asString()).isEqualTo("unauthorized");
        assertThat(body.get("message").asString()).as("one message for every failure").isEqualTo("Invalid or missing user token.");
        assertThat(body.get("status").asInt()).isEqualTo(401);
        assertThat(body.at("/meta/requestId").asString()).isEqualTo(answer.header("X-Request-Id"));
        assertThat(body.get("meta").size()).as("nothing else is revealed").isEqualTo(1);
    }

    @Test
    void wellFormedTokensAreAccepted() {
        List<String> accepted = List.of(
                Tokens.sign(project.privateKeyPem(), "u1", c -> c),
                Tokens.sign(project.privateKeyPem(), Tokens.claims("u1").build(), project.kid()),
                valid(Tokens.claims("u1").audience("useparagon.com/" + project.id())),
                valid(Tokens.claims("u1").audience("localhost/" + project.id())),
                valid(Tokens.claims("u1").expirationTime(in(Duration.ofSeconds(-30)))),
                valid(Tokens.claims("u1").claim("payload", Map.of("anything", 1)).claim("urn:useparagon:connect:permissions", List.of("actionkit"))));
        for (String token : accepted) {
            assertThat(listActions(project, "Bearer " + token).status()).as(token).isEqualTo(200);
        }
    }

    @Test
    void aTokenAcceptedBeforeIsRefusedOnceItExpires() throws InterruptedException {
        // Within the 60 s clock-skew allowance for another 1.5 s: accepted now, and remembered as verified.
        String token = valid(Tokens.claims("u1").issueTime(in(Duration.ofMinutes(-5)))
                .expirationTime(in(Duration.ofMillis(-58_500))));
        assertThat(listActions(project, "Bearer " + token).status()).isEqualTo(200);

        Thread.sleep(2_000);

        assertThat(listActions(project, "Bearer " + token).status()).isEqualTo(401);
    }

    @Test
    void aValidTokenOfOneProjectIsRejectedByAnother() {
        String token = Tokens.sign(project.privateKeyPem(), "u1", c -> c);
        assertThat(listActions(project, "Bearer " + token).status()).isEqualTo(200);
        assertThat(listActions(otherProject, "Bearer " + token).status()).isEqualTo(401);
    }

    @Test
    void retiredKeysStopWorkingWhileOtherKeysGoOn() {
        Project rotating = server.createProject("rotating");
        JsonNode second = TestServer.expect(server.admin("POST", "/admin/projects/" + rotating.id() + "/signing-keys", Map.of()), 201);
        String oldToken = Tokens.sign(rotating.privateKeyPem(), "u1", c -> c);
        String newToken = Tokens.sign(second.get("privateKeyPem").asString(), "u1", c -> c);
        assertThat(listActions(rotating, "Bearer " + oldToken).status()).isEqualTo(200);
        assertThat(listActions(rotating, "Bearer " + newToken).status()).isEqualTo(200);

        assertThat(server.admin("DELETE", "/admin/projects/" + rotating.id() + "/signing-keys/" + rotating.kid(), null).status()).isEqualTo(204);

        assertThat(listActions(rotating, "Bearer " + oldToken).status()).isEqualTo(401);
        assertThat(listActions(rotating, "Bearer " + newToken).status()).isEqualTo(200);
    }

    /** Running calls needs actionkit whenever permissions are listed, an empty list too; the Users API needs none. */
    @ParameterizedTest(name = "permissions {0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"[]", "[\"integration:slack\"]"})
    void everyDoorThatRunsCallsNeedsActionKit(String permissions) {
        String token = valid(Tokens.claims("u1").claim("urn:useparagon:connect:permissions",
                tools.jackson.databind.json.JsonMapper.builder().build().readValue(permissions, List.class)));
        String base = "/projects/" + project.id();
        Map<String, String> json = Map.of("Accept", "application/json, text/event-stream");
        for (Answer answer : List.of(server.user("GET", base + "/actions", token, null, Map.of()),
                server.user("POST", base + "/actions", token, Map.of("action", "SLACK_LIST_MEMBERS", "parameters", Map.of()), Map.of()),
                server.user("GET", base + "/sdk/proxy/slack/users.list", token, null, Map.of()),
                server.user("POST", base + "/mcp", token, Map.of("jsonrpc", "2.0", "id", 1, "method", "tools/list"), json))) {
            assertThat(answer.status()).as(answer.text()).isEqualTo(403);
            assertThat(answer.json().get("message").asString()).contains("actionkit");
        }
        assertThat(server.user("GET", base + "/sdk/me", token, null, Map.of()).status()).isEqualTo(200);
    }

    @Test
    void permissionsClaimWithoutActionKitIsForbidden() {
        String token = valid(Tokens.claims("u1").claim("urn:useparagon:connect:permissions", List.of("connect")));
        Answer answer = listActions(project, "Bearer " + token);
        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.json().get("message").asString()).contains("actionkit");
    }

    @Test
    void unknownProjectIs404() {
        Answer answer = server.user("GET", "/projects/00000000-0000-0000-0000-000000000000/actions", "x", null, Map.of());
        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.json().get("code").asString()).isEqualTo("project_not_found");
    }
}
