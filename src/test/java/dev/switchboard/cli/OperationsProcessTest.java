package dev.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.fakes.SlackFake;
import dev.switchboard.testing.Http;
import dev.switchboard.testing.Http.Answer;
import dev.switchboard.testing.ServerProcesses;
import dev.switchboard.testing.Tokens;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The operator's kit, on a real {@code serve} process: the effective configuration printed, bad settings refused at
 * start, JSON logs whose lines carry the request's id (the caller's own, passed on to the vendor with its trace), the
 * reason of a 401 in the log only, and a drain on SIGTERM that lets the call in flight finish and records its run.
 */
class OperationsProcessTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String ADMIN = "operations-admin-token-0123456789";
    private static final String MASTER_KEY = "dGVzdC1tYXN0ZXIta2V5LTMyLWJ5dGVzLWxvbmctLS0=";

    private record Ran(int exitCode, String output) {}

    private static Ran run(ProcessBuilder builder) throws Exception {
        Process process = builder.redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Ran(process.exitValue(), out);
    }

    @Test
    void configPrintsTheEffectiveSettingsWithTheirSourcesAndSecretsMasked(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("switchboard.yaml");
        Files.writeString(file, "log-format: json\nrun-retention-days: 7\nmetrics-token: metrics-secret-in-the-file\n");
        ProcessBuilder config = ServerProcesses.switchboard(dir.resolve("data"), 9001, "config", "--config", file.toString(),
                "--shutdown-grace-ms", "5000");
        config.environment().put("SWITCHBOARD_ADMIN_TOKEN", ADMIN);
        Ran ran = run(config);

        assertThat(ran.exitCode()).as(ran.output()).isZero();
        assertThat(ran.output())
                .containsPattern("port +=\\s9001 +\\(environment variable SWITCHBOARD_PORT\\)")
                .containsPattern("shutdown-grace-ms += 5000 +\\(flag --shutdown-grace-ms\\)")
                .containsPattern("log-format += json +\\(config file " + java.util.regex.Pattern.quote(file.toString()) + " \\(key log-format\\)\\)")
                .containsPattern("max-body-bytes += 10MiB +\\(default\\)")
                .containsPattern("admin-token += \\*+ \\(set, 33 characters\\) +\\(environment variable SWITCHBOARD_ADMIN_TOKEN\\)")
                .doesNotContain(ADMIN).doesNotContain("metrics-secret-in-the-file");
    }

    @Test
    void aBadSettingStopsTheStartNamingTheKeyAndItsSource(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("switchboard.properties");
        Files.writeString(file, "management-port=99999\n");
        Ran badFile = run(ServerProcesses.switchboard(dir.resolve("data"), ServerProcesses.freePort(), "serve", "--config", file.toString()));
        assertThat(badFile.exitCode()).as(badFile.output()).isEqualTo(2);
        assertThat(badFile.output()).contains("switchboard: management-port: \"99999\" from config file " + file
                + " (key management-port) is out of range: expected a port (0 to 65535)").doesNotContain("\tat ");

        Files.writeString(file, "vendor-timeout=5\n");
        Ran unknownKey = run(ServerProcesses.switchboard(dir.resolve("data"), ServerProcesses.freePort(), "serve", "--config", file.toString()));
        assertThat(unknownKey.exitCode()).isEqualTo(2);
        assertThat(unknownKey.output()).contains("switchboard: vendor-timeout: unknown key in config file " + file);
        assertThat(Files.exists(dir.resolve("data").resolve("switchboard.db"))).as("nothing was started").isFalse();
    }

    /** A started node with Slack configured at the fake and one user connected; its log goes to a file. */
    private record Node(Process process, String base, String projectId, String userToken, Path log, Path dataDir) {
        Answer action(Map<String, String> extraHeaders, String body) {
            Map<String, String> headers = new java.util.HashMap<>(Map.of("Authorization", "Bearer " + userToken, "Content-Type", "application/json"));
            headers.putAll(extraHeaders);
            return Http.send("POST", base + "/projects/" + projectId + "/actions", headers, body);
        }
    }

    private static Node startNode(Path dir, SlackFake slack, String... flags) throws Exception {
        int port = ServerProcesses.freePort();
        List<String> args = new ArrayList<>(List.of("serve"));
        args.addAll(List.of(flags));
        ProcessBuilder serve = ServerProcesses.switchboard(dir.resolve("data"), port, args.toArray(String[]::new));
        serve.environment().put("SWITCHBOARD_ADMIN_TOKEN", ADMIN);
        serve.environment().put("SWITCHBOARD_MASTER_KEY", MASTER_KEY);
        Path log = dir.resolve("server.log");
        Process process = serve.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        String base = "http://127.0.0.1:" + port;
        ServerProcesses.waitForHealth(base, process);
        Map<String, String> admin = Map.of("Authorization", "Bearer " + ADMIN, "Content-Type", "application/json");
        String projectId = Http.send("POST", base + "/admin/projects", admin, "{\"name\":\"ops\"}").json().get("id").asString();
        String privateKey = Http.send("POST", base + "/admin/projects/" + projectId + "/signing-keys", admin, "{}").json()
                .get("privateKeyPem").asString();
        Http.send("PUT", base + "/admin/projects/" + projectId + "/integrations/slack", admin,
                "{\"enabled\":true,\"urls\":{\"api\":\"" + slack.apiUrl() + "\"}}");
        Answer imported = Http.send("POST", base + "/admin/projects/" + projectId + "/users/user-1/credentials", admin,
                "{\"integration\":\"slack\",\"accessToken\":\"xoxb-operations-secret\"}");
        assertThat(imported.status()).as(imported.text()).isEqualTo(201);
        return new Node(process, base, projectId, Tokens.sign(privateKey, "user-1", c -> c), log, dir.resolve("data"));
    }

    private static final String MESSAGE = "{\"action\":\"SLACK_SEND_MESSAGE\",\"parameters\":{\"channel\":\"#general\",\"message\":\"hi\"}}";

    @Test
    void jsonLogLinesCarryTheCallersRequestIdWhichTravelsOnToTheVendorWithItsTrace(@TempDir Path dir) throws Exception {
        try (SlackFake slack = new SlackFake(3, 2).acceptToken("xoxb-operations-secret").start(0)) {
            Node node = startNode(dir, slack, "--log-format", "json");
            try {
                String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
                Answer sent = node.action(Map.of("X-Request-Id", "client-req-42", "traceparent", "00-" + traceId + "-00f067aa0ba902b7-01"), MESSAGE);
                assertThat(sent.status()).as(sent.text()).isEqualTo(200);
                assertThat(sent.header("X-Request-Id")).isEqualTo("client-req-42");
                Map<String, String> atVendor = slack.received("chat.postMessage").get(0).headers();
                assertThat(atVendor.get("X-Request-Id")).isEqualTo("client-req-42");
                assertThat(atVendor.get("traceparent")).matches("00-" + traceId + "-[0-9a-f]{16}-01").doesNotContain("00f067aa0ba902b7");

                // An id that is not a plain token is replaced, not echoed.
                Answer odd = node.action(Map.of("X-Request-Id", "has spaces and <tags>"), MESSAGE);
                assertThat(odd.header("X-Request-Id")).startsWith("req_");

                // A forged token: the answer says only that it is invalid; the log says why.
                Answer forged = Http.send("POST", node.base() + "/projects/" + node.projectId() + "/actions",
                        Map.of("Authorization", "Bearer not-a-jwt", "Content-Type", "application/json", "X-Request-Id", "forged-1"), MESSAGE);
                assertThat(forged.status()).isEqualTo(401);
                assertThat(forged.text()).doesNotContain("compact JWS");
            } finally {
                node.process().destroy();
                assertThat(node.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(node.process().exitValue()).as("a SIGTERM is an orderly stop").isZero();

            List<JsonNode> lines = new ArrayList<>();
            for (String line : Files.readAllLines(node.log())) {
                if (!line.isBlank() && !line.startsWith("WARNING:")) { // the JVM's own warnings are not Switchboard's log
                    lines.add(JSON.readTree(line));
                }
            }
            assertThat(lines).isNotEmpty().allSatisfy(line -> assertThat(line.has("@timestamp") && line.has("level") && line.has("message")).isTrue());
            assertThat(lines).anySatisfy(line -> {
                assertThat(line.path("requestId").asString()).isEqualTo("client-req-42");
                assertThat(line.path("traceId").asString()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
                assertThat(line.path("message").asString()).contains("/actions -> 200");
            });
            assertThat(lines).anySatisfy(line -> {
                assertThat(line.path("requestId").asString()).isEqualTo("forged-1");
                assertThat(line.path("message").asString()).contains("401").contains("not a compact JWS");
            });
            assertThat(Files.readString(node.log())).doesNotContain("xoxb-operations-secret").doesNotContain(ADMIN).doesNotContain(MASTER_KEY);
        }
    }

    @Test
    void sigtermLetsTheCallInFlightFinishRefusesNewOnesAndRecordsTheRun(@TempDir Path dir) throws Exception {
        try (SlackFake slack = new SlackFake(3, 2).acceptToken("xoxb-operations-secret").start(0)) {
            Node node = startNode(dir, slack, "--shutdown-grace-ms", "20000");
            slack.failNext("chat.postMessage", new SlackFake.Slow(3_000));
            CompletableFuture<Answer> inFlight = CompletableFuture.supplyAsync(() -> node.action(Map.of("X-Request-Id", "slow-call-1"), MESSAGE));
            long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (slack.received("chat.postMessage").isEmpty() && System.nanoTime() < waitUntil) {
                Thread.sleep(10);
            }
            assertThat(slack.received("chat.postMessage")).as("the slow call reached the vendor").hasSize(1);
            assertThat(Http.send("GET", node.base() + "/readyz", Map.of(), null).status()).isEqualTo(200);

            node.process().destroy(); // SIGTERM
            Answer readiness = null;
            Answer refused = null;
            while (!inFlight.isDone() && (readiness == null || readiness.status() != 503)) {
                readiness = Http.send("GET", node.base() + "/readyz", Map.of(), null);
                Thread.sleep(20);
            }
            refused = node.action(Map.of(), MESSAGE);
            assertThat(inFlight).as("the slow call is still running while the node drains").isNotDone();
            assertThat(readiness.status()).isEqualTo(503);
            assertThat(readiness.json().get("reason").asString()).contains("draining");
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.header("Retry-After")).isEqualTo("5");
            assertThat(refused.json().get("code").asString()).isEqualTo("shutting_down");

            Answer finished = inFlight.get(30, TimeUnit.SECONDS);
            assertThat(finished.status()).as(finished.text()).isEqualTo(200);
            assertThat(node.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(node.process().exitValue()).isZero();

            try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + node.dataDir().resolve("switchboard.db"));
                 ResultSet run = db.createStatement().executeQuery("SELECT status, http_status FROM runs WHERE request_id = 'slow-call-1'")) {
                assertThat(run.next()).as("the run of the call that finished during the drain is recorded").isTrue();
                assertThat(run.getString(1)).isEqualTo("SUCCEEDED");
                assertThat(run.getInt(2)).isEqualTo(200);
            }
            assertThat(Files.readString(node.log())).containsPattern("draining: [12] requests in flight").contains("stopped");
        }
    }
}
