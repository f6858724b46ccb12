package dev.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.fakes.SlackFake;
import dev.switchboard.testing.Http.Answer;
import dev.switchboard.testing.Http;
import dev.switchboard.testing.ServerProcesses;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The operator's path, as separate processes: {@code serve} with flags from the environment, the admin
 * and token commands against it, then an action over HTTP. The server's log must hold no secret.
 */
class ServeProcessTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static ProcessBuilder switchboard(Path dataDir, int port, String... args) {
        return ServerProcesses.switchboard(dataDir, port, args);
    }

    private static JsonNode cli(Path dataDir, int port, String... args) throws Exception {
        Process process = switchboard(dataDir, port, args).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(out).isZero();
        return out.strip().startsWith("{") ? JSON.readTree(out) : JSON.getNodeFactory().stringNode(out.strip());
    }

    @Test
    void aBadSettingEndsServeWithOneLineNamingIt(@TempDir Path dataDir) throws Exception {
        for (List<String> args : List.of(List.of("serve", "--cache-ttl-ms", "-5"), List.of("serve", "--db-url", "mysql://db/switchboard"))) {
            Process process = switchboard(dataDir, ServerProcesses.freePort(), args.toArray(String[]::new)).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as(out).isEqualTo(2);
            assertThat(out).as(String.join(" ", args)).contains("switchboard: ").doesNotContain("\tat ").doesNotContain("Exception");
        }
    }

    @Test
    void operatorWalkthroughWorksAndTheLogHoldsNoSecret(@TempDir Path dataDir) throws Exception {
        int port = ServerProcesses.freePort();
        Path log = dataDir.resolve("server.log");
        long started = System.nanoTime();
        Process server = switchboard(dataDir.resolve("data"), port, "serve").redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try (SlackFake slack = new SlackFake(5, 2).acceptToken("xoxb-walkthrough-secret").start(0)) {
            long firstAnswerMillis = ServerProcesses.waitForHealth("http://127.0.0.1:" + port, server);
            System.out.printf("serve: first answered request %d ms after process start%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            assertThat(firstAnswerMillis).isPositive();

            Path data = dataDir.resolve("data");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("admin-token")))).isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("master-key")))).isEqualTo("rw-------");
            String adminToken = Files.readString(data.resolve("admin-token")).strip();

            String projectId = cli(data, port, "admin", "create-project", "--name", "acme").get("id").asString();
            JsonNode key = cli(data, port, "admin", "add-signing-key", "--project", projectId);
            Path privateKey = dataDir.resolve("private.pem");
            Files.writeString(privateKey, key.get("privateKeyPem").asString());
            cli(data, port, "admin", "configure-integration", "--project", projectId, "--integration", "slack", "--url", "api=" + slack.apiUrl());
            String credentialId = cli(data, port, "admin", "import-credential", "--project", projectId, "--user", "user-1",
                    "--integration", "slack", "--access-token", "xoxb-walkthrough-secret").get("id").asString();
            String userToken = cli(data, port, "token", "--project", projectId, "--user", "user-1", "--key", privateKey.toString(), "--ttl", "10m").asString();

            Answer sent = Http.send("POST", "http://127.0.0.1:" + port + "/projects/" + projectId + "/actions",
                    Map.of("Authorization", "Bearer " + userToken, "Content-Type", "application/json"),
                    "{\"action\":\"SLACK_SEND_MESSAGE\",\"parameters\":{\"channel\":\"#general\",\"message\":\"Hello from the CLI\"}}");
            assertThat(sent.status()).as(sent.text()).isEqualTo(200);
            assertThat(sent.header("X-Paragon-Credential")).isEqualTo(credentialId);
            assertThat(slack.received("chat.postMessage")).singleElement()
                    .satisfies(r -> assertThat(r.body().get("text").asString()).isEqualTo("Hello from the CLI"));

            JsonNode runs = cli(data, port, "admin", "runs", "--project", projectId, "--status", "SUCCEEDED");
            assertThat(runs.get("runs")).singleElement().satisfies(r -> assertThat(r.get("requestId").asString()).isEqualTo(sent.header("X-Request-Id")));

            server.destroy();
            assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String logText = Files.readString(log);
            assertThat(logText).contains(sent.header("X-Request-Id")).contains("admin-token");
            assertThat(logText).doesNotContain("xoxb-walkthrough-secret").doesNotContain(adminToken)
                    .doesNotContain(userToken).doesNotContain("PRIVATE KEY");
        } finally {
            server.destroyForcibly();
        }
    }

}
