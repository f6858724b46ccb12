package dev.switchboard.operations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.fakes.SlackFake;
import dev.switchboard.operations.ImageTest.Ran;
import dev.switchboard.testing.Http;
import dev.switchboard.testing.Http.Answer;
import dev.switchboard.testing.ServerProcesses;
import dev.switchboard.testing.Tokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/compose.yaml as shipped, run with podman-compose on the image of {@code ./switchboard image}: PostgreSQL and
 * Caddy are images built here from Debian's packages (nothing can be pulled), taking the official images' settings.
 * Both nodes come up behind Caddy on the secrets given as files, actions run through it and are served by both nodes,
 * and each node lists the runs the other recorded.
 */
class ComposeTest {
    private static final String POSTGRES = "localhost/switchboard-test-postgres:15";
    private static final String CADDY = "localhost/switchboard-test-caddy:2";

    @Test
    void twoNodesOnPostgresBehindCaddyServeAsOne(@TempDir Path dir) throws Exception {
        Ran loaded = ImageTest.podman("load", "-i", ImageTest.imageTar().toString());
        assertThat(loaded.exitCode()).as(loaded.output()).isZero();
        assertThat(ImageTest.podman("image", "exists", "localhost/switchboard-os:bookworm").exitCode())
                .as("the Debian base that ./switchboard image makes (remove target/image-base and build the image again)").isZero();
        for (String[] image : new String[][] {{POSTGRES, "postgres"}, {CADDY, "caddy"}}) {
            if (ImageTest.podman("image", "exists", image[0]).exitCode() != 0) {
                Ran built = ImageTest.podman("build", "-q", "-t", image[0], "src/test/resources/compose/" + image[1]);
                assertThat(built.exitCode()).as(built.output()).isZero();
            }
        }
        Files.copy(Path.of("deploy/compose.yaml"), dir.resolve("compose.yaml"));
        Files.copy(Path.of("deploy/Caddyfile"), dir.resolve("Caddyfile"));
        Path secrets = Files.createDirectories(dir.resolve("secrets"));
        String admin = "compose-admin-token-" + System.nanoTime();
        Files.writeString(secrets.resolve("admin_token"), admin + "\n");
        Files.writeString(secrets.resolve("master_key"), "Y29tcG9zZS1tYXN0ZXIta2V5LTMyLWJ5dGVzLWxvbmc=\n");
        Files.writeString(secrets.resolve("postgres_password"), "compose-db-password-" + System.nanoTime() + "\n");

        int port = ServerProcesses.freePort();
        String project = "sbcompose" + port;
        try (SlackFake slack = new SlackFake(3, 2).acceptToken("xoxb-compose-token").startOnAllInterfaces(0)) {
            Ran up = compose(dir, port, project, "up", "-d");
            assertThat(up.exitCode()).as(up.output()).isZero();
            try {
                String base = "http://127.0.0.1:" + port;
                awaitReady(base, project);

                Map<String, String> headers = Map.of("Authorization", "Bearer " + admin, "Content-Type", "application/json");
                String projectId = Http.send("POST", base + "/admin/projects", headers, "{\"name\":\"compose\"}").json().get("id").asString();
                String key = Http.send("POST", base + "/admin/projects/" + projectId + "/signing-keys", headers, "{}").json()
                        .get("privateKeyPem").asString();
                String slackUrl = "http://host.containers.internal:" + slack.port() + "/api";
                assertThat(Http.send("PUT", base + "/admin/projects/" + projectId + "/integrations/slack", headers,
                        "{\"enabled\":true,\"urls\":{\"api\":\"" + slackUrl + "\"}}").status()).isEqualTo(200);
                assertThat(Http.send("POST", base + "/admin/projects/" + projectId + "/users/u1/credentials", headers,
                        "{\"integration\":\"slack\",\"accessToken\":\"xoxb-compose-token\"}").status()).isEqualTo(201);
                String user = Tokens.sign(key, "u1", c -> c);

                Set<String> nodes = new HashSet<>();
                List<String> requestIds = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    Answer sent = Http.send("POST", base + "/projects/" + projectId + "/actions",
                            Map.of("Authorization", "Bearer " + user, "Content-Type", "application/json"),
                            "{\"action\":\"SLACK_SEND_MESSAGE\",\"parameters\":{\"channel\":\"#general\",\"message\":\"hello " + i + "\"}}");
                    assertThat(sent.status()).as(sent.text()).isEqualTo(200);
                    requestIds.add(sent.header("X-Request-Id"));
                }
                assertThat(slack.received("chat.postMessage")).hasSize(6);
                for (String node : List.of("switchboard-1", "switchboard-2")) {
                    String logs = ImageTest.podman("logs", project + "_" + node + "_1").output();
                    if (requestIds.stream().anyMatch(logs::contains)) {
                        nodes.add(node);
                    }
                    assertThat(logs).doesNotContain(admin).doesNotContain("xoxb-compose-token");
                }
                assertThat(nodes).as("Caddy spread the actions over both nodes").containsExactlyInAnyOrder("switchboard-1", "switchboard-2");
                for (int i = 0; i < 2; i++) { // round robin: one listing from each node
                    Answer runs = Http.send("GET", base + "/admin/projects/" + projectId + "/runs", headers, null);
                    assertThat(runs.json().get("runs").valueStream().map(r -> r.get("requestId").asString()))
                            .containsExactlyInAnyOrderElementsOf(requestIds);
                }
            } finally {
                Ran down = compose(dir, port, project, "down", "-v");
                assertThat(down.exitCode()).as(down.output()).isZero();
            }
        }
    }

    private static Ran compose(Path dir, int port, String project, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("env", "POSTGRES_IMAGE=" + POSTGRES, "CADDY_IMAGE=" + CADDY,
                "SWITCHBOARD_IMAGE=localhost/switchboard:latest", "SWITCHBOARD_HTTP_PORT=" + port,
                "SWITCHBOARD_JAVA_TOOL_OPTIONS=-Xmx256m", "podman-compose", "-p", project, "-f", dir.resolve("compose.yaml").toString()));
        command.addAll(List.of(args));
        return ImageTest.run(command);
    }

    /** Both nodes have started (their logs say so) and Caddy answers /readyz through them. */
    private static void awaitReady(String base, String project) throws Exception {
        long deadline = System.nanoTime() + 180_000_000_000L;
        for (String node : List.of("switchboard-1", "switchboard-2")) {
            while (!ImageTest.podman("logs", project + "_" + node + "_1").output().contains("Switchboard listening on port")) {
                assertThat(System.nanoTime()).as("%s started within 3 minutes", node).isLessThan(deadline);
                Thread.sleep(500);
            }
        }
        int readyInARow = 0;
        while (readyInARow < 4) {
            assertThat(System.nanoTime()).as("the cluster was ready within 3 minutes").isLessThan(deadline);
            try {
                readyInARow = Http.send("GET", base + "/readyz", Map.of(), null).status() == 200 ? readyInARow + 1 : 0;
            } catch (RuntimeException notYet) {
                readyInARow = 0;
            }
            Thread.sleep(500);
        }
    }
}
