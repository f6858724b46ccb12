package dev.switchboard.routes.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.auth.Pem;
import dev.switchboard.testing.Http.Answer;
import dev.switchboard.testing.Http;
import dev.switchboard.testing.TestDatabases;
import dev.switchboard.testing.TestServer.Project;
import dev.switchboard.testing.TestServer;
import dev.switchboard.testing.Tokens;
import java.security.KeyPair;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The operator API (SPEC 3.8): every call needs the operator secret, every bad field is named. */
class AdminApiTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(TestDatabases.Kind.SQLITE);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void missingOrWrongOperatorSecretIs401() {
        Answer none = Http.send("POST", server.url("/admin/projects"), Map.of("Content-Type", "application/json"), "{\"name\":\"x\"}");
        Answer wrong = Http.send("POST", server.url("/admin/projects"),
                Map.of("Content-Type", "application/json", "Authorization", "Bearer " + TestServer.ADMIN_TOKEN + "x"), "{\"name\":\"x\"}");
        Answer prefix = Http.send("GET", server.url("/admin/projects/x/runs"),
                Map.of("Authorization", "Bearer " + TestServer.ADMIN_TOKEN.substring(0, 5)), null);
        for (Answer answer : new Answer[] {none, wrong, prefix}) {
            assertThat(answer.status()).isEqualTo(401);
            assertThat(answer.json().get("code").asString()).isEqualTo("unauthorized");
        }
    }

    @Test
    void createProjectValidatesItsName() {
        JsonNode created = TestServer.expect(server.admin("POST", "/admin/projects", Map.of("name", "acme")), 201);
        assertThat(created.get("name").asString()).isEqualTo("acme");
        assertThat(created.get("id").asString()).isNotBlank();
        assertThat(server.admin("POST", "/admin/projects", Map.of()).json().get("message").asString()).contains("'name'");
        assertThat(server.admin("POST", "/admin/projects", Map.of("name", "a", "owner", "b")).json().get("message").asString())
                .contains("Unknown field 'owner'");
        assertThat(server.admin("POST", "/admin/projects", Map.of("name", 5)).status()).isEqualTo(201);
        assertThat(server.admin("POST", "/admin/projects", Map.of("name", Map.of())).json().get("message").asString()).contains("'name'");
    }

    @Test
    void brandingIsCheckedWholeBeforeAnythingChanges() {
        String id = TestServer.expect(server.admin("POST", "/admin/projects", Map.of("name", "branded")), 201).get("id").asString();
        JsonNode set = TestServer.expect(server.admin("PATCH", "/admin/projects/" + id, Map.of("branding",
                Map.of("displayName", "Acme", "accentColor", "#0B57D0", "logoUrl", "https://acme.example/logo.svg"))), 200);
        assertThat(set.at("/branding/displayName").asString()).isEqualTo("Acme");

        for (Map<String, Object> bad : List.<Map<String, Object>>of(Map.of("accentColor", "blue"), Map.of("logoUrl", "javascript:alert(1)"),
                Map.of("displayName", "x".repeat(81)))) {
            JsonNode refused = TestServer.expect(server.admin("PATCH", "/admin/projects/" + id,
                    Map.of("unknownParameters", "ignore", "branding", bad)), 400);
            assertThat(refused.get("message").asString()).contains("branding." + bad.keySet().iterator().next());
        }
        JsonNode unchanged = TestServer.expect(server.admin("GET", "/admin/projects/" + id, null), 200);
        assertThat(unchanged.at("/branding/accentColor").asString()).isEqualTo("#0B57D0");
        assertThat(unchanged.get("unknownParameters").asString()).as("a refused request changes nothing").isEqualTo("refuse");
    }

    @Test
    void uploadedPublicKeyVerifiesTokensSignedWithItsPrivateKey() {
        Project project = server.createProject("upload");
        KeyPair pair = Pem.generateRsa();
        JsonNode added = TestServer.expect(server.admin("POST", "/admin/projects/" + project.id() + "/signing-keys",
                Map.of("publicKeyPem", Pem.encodePublic((RSAPublicKey) pair.getPublic()))), 201);
        assertThat(added.has("privateKeyPem")).as("an uploaded key's private half is never known to us").isFalse();
        String privatePem = Pem.encodePrivate((RSAPrivateKey) pair.getPrivate());
        String token = Tokens.sign(privatePem, Tokens.claims("u1").build(), added.get("kid").asString());
        assertThat(server.user("GET", "/projects/" + project.id() + "/actions", token, null, Map.of()).status()).isEqualTo(200);

        Answer again = server.admin("POST", "/admin/projects/" + project.id() + "/signing-keys",
                Map.of("publicKeyPem", Pem.encodePublic((RSAPublicKey) pair.getPublic())));
        assertThat(again.status()).isEqualTo(409);
        Answer garbage = server.admin("POST", "/admin/projects/" + project.id() + "/signing-keys", Map.of("publicKeyPem", "hello"));
        assertThat(garbage.status()).isEqualTo(400);
        assertThat(garbage.json().get("message").asString()).contains("publicKeyPem");

        JsonNode keys = TestServer.expect(server.admin("GET", "/admin/projects/" + project.id() + "/signing-keys", null), 200);
        assertThat(keys.get("signingKeys")).hasSize(2);
        assertThat(keys.toString()).doesNotContain("PRIVATE KEY");
    }

    @Test
    void generatedPrivateKeyIsReturnedOnceOnly() {
        Project project = server.createProject("generated");
        JsonNode keys = TestServer.expect(server.admin("GET", "/admin/projects/" + project.id() + "/signing-keys", null), 200);
        assertThat(keys.toString()).contains(project.kid()).doesNotContain("PRIVATE");
        assertThat(server.admin("DELETE", "/admin/projects/" + project.id() + "/signing-keys/nope", null).status()).isEqualTo(404);
    }

    @Test
    void integrationConfigurationChecksIntegrationAndUrlRoles() {
        Project project = server.createProject("config");
        String path = "/admin/projects/" + project.id() + "/integrations/";
        JsonNode saved = TestServer.expect(server.admin("PUT", path + "slack", Map.of("clientId", "cid", "clientSecret", "shh",
                "scopes", java.util.List.of("chat:write"), "urls", Map.of("api", "http://127.0.0.1:9001/api"))), 200);
        assertThat(saved.get("hasClientSecret").asBoolean()).isTrue();
        assertThat(saved.toString()).doesNotContain("shh");
        JsonNode read = TestServer.expect(server.admin("GET", path + "slack", null), 200);
        assertThat(read.at("/urls/api").asString()).isEqualTo("http://127.0.0.1:9001/api");
        assertThat(read.toString()).doesNotContain("shh");

        Answer unknownRole = server.admin("PUT", path + "slack", Map.of("urls", Map.of("upload", "http://x")));
        assertThat(unknownRole.status()).isEqualTo(400);
        assertThat(unknownRole.json().get("message").asString()).contains("urls.upload").contains("api");
        Answer notUrl = server.admin("PUT", path + "slack", Map.of("urls", Map.of("api", "file:///etc/passwd")));
        assertThat(notUrl.status()).isEqualTo(400);
        Answer unknownIntegration = server.admin("PUT", path + "myspace", Map.of());
        assertThat(unknownIntegration.status()).isEqualTo(404);
        assertThat(unknownIntegration.json().get("message").asString()).contains("slack");
        assertThat(server.admin("PUT", "/admin/projects/nope/integrations/slack", Map.of()).status()).isEqualTo(404);
    }

    @Test
    void credentialImportValidatesItsFields() {
        Project project = server.createProject("import");
        String path = "/admin/projects/" + project.id() + "/users/u1/credentials";
        JsonNode created = TestServer.expect(server.admin("POST", path, Map.of("integration", "slack", "accessToken", "xoxb-1",
                "refreshToken", "xoxe-1", "expiresAt", "2026-12-01T00:00:00Z", "providerId", "T123",
                "providerData", Map.of("team", "T123"))), 201);
        assertThat(created.get("status").asString()).isEqualTo("VALID");
        assertThat(created.toString()).doesNotContain("xoxb-1");

        assertThat(server.admin("POST", path, Map.of("integration", "slack")).json().get("message").asString()).contains("accessToken");
        assertThat(server.admin("POST", path, Map.of("integration", "nope", "accessToken", "x")).json().get("message").asString())
                .contains("unknown integration");
        assertThat(server.admin("POST", path, Map.of("integration", "slack", "accessToken", "x", "expiresAt", "tomorrow"))
                .json().get("message").asString()).contains("expiresAt");
        assertThat(server.admin("POST", path, Map.of("integration", "slack", "accessToken", "x", "accesToken", "y"))
                .json().get("message").asString()).contains("accesToken");
    }
}
