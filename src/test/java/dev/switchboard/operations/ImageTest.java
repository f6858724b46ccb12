package dev.switchboard.operations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.fakes.SlackFake;
import dev.switchboard.testing.Http;
import dev.switchboard.testing.Http.Answer;
import dev.switchboard.testing.Prerequisites;
import dev.switchboard.testing.ServerProcesses;
import dev.switchboard.testing.Tokens;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The container image of {@code ./switchboard image}, loaded and run with Podman: its configuration (user, volume,
 * ports, health check), the health check itself, an action against a vendor fake through it, JSON logs, and an orderly
 * stop. Also the plain Dockerfile, built on the same base. Runs when SWITCHBOARD_IMAGE_TAR names the image (CI builds it
 * first); SWITCHBOARD_REQUIRE_IMAGE=1 makes its absence a failure.
 */
class ImageTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String ADMIN = "image-test-admin-token-0123456789";

    record Ran(int exitCode, String output) {}

    static Ran podman(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("podman"));
        command.addAll(List.of(args));
        return run(command);
    }

    static Ran run(List<String> command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (System.getenv("CONTAINERS_CONF") == null) {
            builder.environment().put("CONTAINERS_CONF", Path.of("deploy/image/containers.conf").toAbsolutePath().toString());
        }
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).as(String.join(" ", command)).isTrue();
        return new Ran(process.exitValue(), out);
    }

    static Path imageTar() {
        String tar = System.getenv("SWITCHBOARD_IMAGE_TAR");
        Prerequisites.require(tar != null && Files.isRegularFile(Path.of(tar)), "SWITCHBOARD_REQUIRE_IMAGE",
                "no image to test: SWITCHBOARD_IMAGE_TAR does not name one (./switchboard test builds it with ./switchboard image)");
        return Path.of(tar);
    }

    @Test
    void theImageIsConfiguredForProduction() throws Exception {
        Path tar = imageTar();
        Ran inspected = run(List.of("skopeo", "inspect", "--config", "--raw", "docker-archive:" + tar));
        assertThat(inspected.exitCode()).as(inspected.output()).isZero();
        JsonNode config = JSON.readTree(inspected.output()).get("config");
        assertThat(config.get("User").asString()).isEqualTo("10001:10001");
        assertThat(config.get("Volumes").has("/data")).isTrue();
        assertThat(config.get("ExposedPorts").propertyNames()).containsExactlyInAnyOrder("8080/tcp", "9464/tcp");
        assertThat(config.get("Env").valueStream().map(JsonNode::asString))
                .contains("SWITCHBOARD_DATA_DIR=/data", "SWITCHBOARD_LOG_FORMAT=json", "SWITCHBOARD_MANAGEMENT_PORT=9464");
        assertThat(config.get("Healthcheck").get("Test").toString()).contains("/healthz");
        assertThat(config.get("Entrypoint").toString()).contains("-XX:MaxRAMPercentage=75").contains("dev.switchboard.cli.Main");
        assertThat(config.get("Cmd").toString()).contains("serve");
    }

    @Test
    void theImageServesAnActionAndStopsInOrder() throws Exception {
        Path tar = imageTar();
        Ran loaded = podman("load", "-i", tar.toString());
        assertThat(loaded.exitCode()).as(loaded.output()).isZero();
        assertThat(loaded.output()).contains("localhost/switchboard:latest");
        runsAnAction("localhost/switchboard:latest");
    }

    @Test
    void theDockerfileBuildsTheSameOnTheSameBase() throws Exception {
        imageTar();
        assertThat(Files.isRegularFile(Path.of("target/switchboard.jar"))).as("the package phase ran").isTrue();
        if (podman("image", "exists", "localhost/switchboard-base:latest").exitCode() != 0) {
            assertThat(podman("load", "-i", "target/image-base/switchboard-base.tar").exitCode()).isZero();
        }
        Ran built = podman("build", "--format", "docker", "--build-arg", "BASE=localhost/switchboard-base:latest",
                "-t", "localhost/switchboard-dockerfile:test", "-f", "Dockerfile", ".");
        assertThat(built.exitCode()).as(built.output()).isZero();
        runsAnAction("localhost/switchboard-dockerfile:test");
    }

    /** Runs the image on the host's network (so that it reaches the fake), connects Slack and sends a message through it. */
    private static void runsAnAction(String image) throws Exception {
        int port = ServerProcesses.freePort();
        int management = ServerProcesses.freePort();
        String name = "switchboard-image-test-" + port;
        try (SlackFake slack = new SlackFake(3, 2).acceptToken("xoxb-image-token").start(0)) {
            Ran started = podman("run", "-d", "--init", "--name", name, "--network", "host",
                    "-e", "SWITCHBOARD_PORT=" + port, "-e", "SWITCHBOARD_MANAGEMENT_PORT=" + management,
                    "-e", "SWITCHBOARD_ADMIN_TOKEN=" + ADMIN, "-e", "JAVA_TOOL_OPTIONS=-Xmx256m", image);
            assertThat(started.exitCode()).as(started.output()).isZero();
            try {
                String base = "http://127.0.0.1:" + port;
                ServerProcesses.waitForHealth(base, null);
                assertThat(Http.send("GET", "http://127.0.0.1:" + management + "/readyz", Map.of(), null).status()).isEqualTo(200);
                Ran health = podman("healthcheck", "run", name);
                assertThat(health.exitCode()).as("the image's HEALTHCHECK: " + health.output()).isZero();

                Map<String, String> admin = Map.of("Authorization", "Bearer " + ADMIN, "Content-Type", "application/json");
                String projectId = Http.send("POST", base + "/admin/projects", admin, "{\"name\":\"image\"}").json().get("id").asString();
                String key = Http.send("POST", base + "/admin/projects/" + projectId + "/signing-keys", admin, "{}").json().get("privateKeyPem").asString();
                Http.send("PUT", base + "/admin/projects/" + projectId + "/integrations/slack", admin,
                        "{\"enabled\":true,\"urls\":{\"api\":\"" + slack.apiUrl() + "\"}}");
                Http.send("POST", base + "/admin/projects/" + projectId + "/users/u1/credentials", admin,
                        "{\"integration\":\"slack\",\"accessToken\":\"xoxb-image-token\"}");
                Answer sent = Http.send("POST", base + "/projects/" + projectId + "/actions",
                        Map.of("Authorization", "Bearer " + Tokens.sign(key, "u1", c -> c), "Content-Type", "application/json"),
                        "{\"action\":\"SLACK_SEND_MESSAGE\",\"parameters\":{\"channel\":\"#general\",\"message\":\"from the image\"}}");
                assertThat(sent.status()).as(sent.text()).isEqualTo(200);
                assertThat(slack.received("chat.postMessage")).singleElement()
                        .satisfies(r -> assertThat(r.body().get("text").asString()).isEqualTo("from the image"));

                assertThat(podman("stop", "--time", "40", name).exitCode()).isZero();
                assertThat(podman("inspect", "--format", "{{.State.ExitCode}}", name).output().strip()).as("SIGTERM drains and exits 0").isEqualTo("0");
                String logs = podman("logs", name).output();
                List<String> lines = logs.lines().filter(line -> line.startsWith("{")).toList();
                assertThat(lines).isNotEmpty();
                for (String line : lines) {
                    JSON.readTree(line); // every line Switchboard writes is one JSON object
                }
                assertThat(logs).contains(sent.header("X-Request-Id")).doesNotContain(ADMIN).doesNotContain("xoxb-image-token");
            } finally {
                podman("rm", "-f", "-v", name);
            }
        }
    }
}
