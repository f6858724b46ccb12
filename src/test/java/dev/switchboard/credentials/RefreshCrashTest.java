package dev.switchboard.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.cli.Main;
import dev.switchboard.fakes.SlackFake;
import dev.switchboard.testing.Http.Answer;
import dev.switchboard.testing.Http;
import dev.switchboard.testing.ServerProcesses;
import dev.switchboard.testing.Tokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/**
 * Kills the server (SIGKILL) at each step of a refresh, restarts it on the same data directory, and checks that
 * the account still works or is INVALID with a reason that says why: never silently lost. The vendor rotates
 * refresh tokens and revokes the old one at once (Slack), or keeps it usable for a grace period (Xero's 30 minutes).
 * Trials per case: {@code -Dcrash.trials=N} (default 1).
 */
class RefreshCrashTest {
    private static final String ADMIN = "crash-operator-secret";
    private static final String MASTER_KEY = "Y3Jhc2gtdGVzdC1tYXN0ZXIta2V5LTMyLWJ5dGVzISE=";

    @ParameterizedTest(name = "killed {0}, grace {1} ms: expect {2}")
    @CsvSource({
            "before-vendor-call,  0,       works",
            "after-vendor-answer, 0,       invalid",
            "after-vendor-answer, 1800000, works",
            "after-commit,        0,       works",
    })
    void accountSurvivesAKillAtEveryStep(String step, long graceMillis, String expected) throws Exception {
        int trials = Integer.getInteger("crash.trials", 1);
        for (int trial = 1; trial <= trials; trial++) {
            runTrial(step, graceMillis, expected);
        }
        System.out.printf("crash test: killed %s (grace %d ms): %d/%d trials ended as expected (%s)%n", step, graceMillis, trials, trials, expected);
    }

    private void runTrial(String step, long graceMillis, String expected) throws Exception {
        Path data = Files.createTempDirectory("crash");
        Path marker = data.resolve("paused");
        try (SlackFake slack = new SlackFake(2, 1).start(0)) {
            slack.setRefreshGracePeriod(graceMillis);
            int port = ServerProcesses.freePort();
            String base = "http://127.0.0.1:" + port;
            Process first = start(data, PausingServer.class.getName(), String.valueOf(port), data.resolve("data").toString(), step, marker.toString());
            String[] account;
            try {
                ServerProcesses.waitForHealth(base, first);
                account = connect(base, slack);
                CompletableFuture<Answer> interrupted = CompletableFuture.supplyAsync(() -> send(base, account));
                waitFor(marker, first);
                first.destroyForcibly(); // SIGKILL: no shutdown hook, no commit, no cleanup
                first.waitFor(30, TimeUnit.SECONDS);
                interrupted.handle((answer, error) -> null).get(30, TimeUnit.SECONDS);
            } finally {
                first.destroyForcibly();
            }
            int callsBeforeRestart = slack.refreshCalls();
            assertThat(callsBeforeRestart).as("the vendor was called only past the step before it").isEqualTo(step.equals("before-vendor-call") ? 0 : 1);

            Process second = start(data, Main.class.getName(), "serve", "--port", String.valueOf(port), "--data-dir", data.resolve("data").toString());
            try {
                ServerProcesses.waitForHealth(base, second);
                Thread.sleep(1500); // the dead node's lease (1 s here) runs out
                Answer answer = send(base, account);
                JsonNode stored = credential(base, account);
                if (expected.equals("works")) {
                    assertThat(answer.status()).as(answer.text()).isEqualTo(200);
                    assertThat(stored.get("status").asString()).isEqualTo("VALID");
                    if (step.equals("after-commit")) {
                        assertThat(slack.refreshCalls()).as("the committed tokens are used, no second refresh").isEqualTo(1);
                    }
                    assertThat(send(base, account).status()).as("and keeps working").isEqualTo(200);
                } else {
                    assertThat(answer.status()).isEqualTo(424);
                    assertThat(answer.json().get("message").asString()).contains("interrupted").contains("reconnect");
                    assertThat(stored.get("status").asString()).isEqualTo("INVALID");
                    assertThat(stored.get("statusReason").asString()).contains("earlier refresh was interrupted");
                }
            } finally {
                second.destroyForcibly();
                second.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /** @return project id, user token, credential id */
    private static String[] connect(String base, SlackFake slack) {
        Map<String, String> admin = Map.of("Authorization", "Bearer " + ADMIN, "Content-Type", "application/json");
        String project = Http.send("POST", base + "/admin/projects", admin, "{\"name\":\"crash\"}").json().get("id").asString();
        String key = Http.send("POST", base + "/admin/projects/" + project + "/signing-keys", admin, "{}").json().get("privateKeyPem").asString();
        Http.send("PUT", base + "/admin/projects/" + project + "/integrations/slack", admin, Http.json(Map.of("enabled", true,
                "clientId", "client-id", "clientSecret", "client-secret",
                "urls", Map.of("api", slack.apiUrl(), "token", slack.apiUrl() + "/oauth.v2.access"))));
        String access = "xoxe.xoxb-" + UUID.randomUUID();
        String refresh = "xoxe-1-" + UUID.randomUUID();
        slack.acceptToken(access).acceptRefreshToken(refresh);
        slack.expireToken(access);
        String id = Http.send("POST", base + "/admin/projects/" + project + "/users/u1/credentials", admin, Http.json(Map.of(
                "integration", "slack", "accessToken", access, "refreshToken", refresh, "expiresAt", Instant.now().plusSeconds(3600).toString())))
                .json().get("id").asString();
        return new String[] {project, Tokens.sign(key, "u1", c -> c), id};
    }

    private static Answer send(String base, String[] account) {
        return Http.send("POST", base + "/projects/" + account[0] + "/actions",
                Map.of("Authorization", "Bearer " + account[1], "Content-Type", "application/json"),
                "{\"action\":\"SLACK_SEND_MESSAGE\",\"parameters\":{\"channel\":\"#general\",\"message\":\"hi\"}}");
    }

    private static JsonNode credential(String base, String[] account) {
        JsonNode list = Http.send("GET", base + "/projects/" + account[0] + "/sdk/credentials", Map.of("Authorization", "Bearer " + account[1]), null).json();
        for (JsonNode c : list) {
            if (c.get("id").asString().equals(account[2])) return c;
        }
        throw new AssertionError("the credential is gone: " + list);
    }

    /** Runs {@code mainAndArgs} (the real server, or one that stops its refreshes at a step) as its own process. */
    private static Process start(Path data, String... mainAndArgs) throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "--enable-native-access=ALL-UNNAMED",
                "-Dswitchboard.refreshLeaseSeconds=1", "-cp", System.getProperty("java.class.path")));
        command.addAll(List.of(mainAndArgs));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(data.resolve("server.log").toFile()));
        builder.environment().put("SWITCHBOARD_ADMIN_TOKEN", ADMIN);
        builder.environment().put("SWITCHBOARD_MASTER_KEY", MASTER_KEY);
        return builder.start();
    }

    private static void waitFor(Path marker, Process process) throws InterruptedException {
        for (int i = 0; i < 600 && !Files.exists(marker); i++) {
            assertThat(process.isAlive()).isTrue();
            Thread.sleep(20);
        }
        assertThat(marker).exists();
    }


}
