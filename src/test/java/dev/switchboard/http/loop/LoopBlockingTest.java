package dev.switchboard.http.loop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.fakes.GoogleDriveFake;
import dev.switchboard.testing.BlockHoundMain;
import dev.switchboard.testing.Http;
import dev.switchboard.testing.ServerProcesses;
import dev.switchboard.testing.Tokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing blocks an event loop (issue 24): a node with the front door, started under BlockHound, which fails any
 * blocking call made on a loop thread, serves actions and the proxy through every way the loop has (caches cold and
 * warm, refusals before the vendor call, a vendor's refusal after it, the ordinary path's routes on the same port), and
 * its log shows BlockHound installed and no blocking call.
 */
class LoopBlockingTest {
    private static final String ADMIN = "loop-blocking-secret";

    @Test
    void noRequestBlocksALoop(@TempDir Path dir) throws Exception {
        GoogleDriveFake drive = new GoogleDriveFake(3);
        drive.start();
        int port = ServerProcesses.freePort();
        Path log = dir.resolve("server.log");
        ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                "-XX:+AllowRedefinitionToAddDeleteMethods", "-XX:+EnableDynamicAgentLoading", "-Djdk.attach.allowAttachSelf=true",
                "-Dswitchboard.frontDoor=true", "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                BlockHoundMain.class.getName(), "serve", "--port", String.valueOf(port), "--data-dir", dir.resolve("data").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("SWITCHBOARD_"));
        builder.environment().put("SWITCHBOARD_ADMIN_TOKEN", ADMIN);
        Process server = builder.start();
        try {
            String base = "http://127.0.0.1:" + port;
            ServerProcesses.waitForHealth(base, server);
            Map<String, String> admin = Map.of("Authorization", "Bearer " + ADMIN, "Content-Type", "application/json");
            String project = Http.send("POST", base + "/admin/projects", admin, "{\"name\":\"blocking\"}").json().get("id").asString();
            String key = Http.send("POST", base + "/admin/projects/" + project + "/signing-keys", admin, "{}").json().get("privateKeyPem").asString();
            Http.send("PUT", base + "/admin/projects/" + project + "/integrations/googledrive", admin,
                    Http.json(Map.of("enabled", true, "urls", Map.of("api", drive.apiUrl(), "upload", drive.uploadUrl()))));
            Http.send("POST", base + "/admin/projects/" + project + "/users/u1/credentials", admin,
                    Http.json(Map.of("integration", "googledrive", "accessToken", "ya29.blocking")));
            drive.accept("ya29.blocking");
            String token = Tokens.sign(key, "u1", c -> c);
            Map<String, String> user = Map.of("Authorization", "Bearer " + token, "Content-Type", "application/json");
            String actions = base + "/projects/" + project + "/actions";
            String proxy = base + "/projects/" + project + "/sdk/proxy/googledrive/files";
            String list = "{\"action\":\"GOOGLE_DRIVE_LIST_FILES\",\"parameters\":{\"includeFolders\":true,\"pageSize\":2}}";

            for (int round = 0; round < 5; round++) { // the first round meets cold caches, the others warm ones
                assertThat(Http.send("POST", actions, user, list).status()).isEqualTo(200);
                assertThat(Http.send("GET", proxy + "?pageSize=1", user, null).status()).isEqualTo(200);
                assertThat(Http.send("POST", actions, user, "{\"action\":\"GOOGLE_DRIVE_GET_FILE_BY_ID\",\"parameters\":{\"fileId\":\"nosuch\"}}")
                        .status()).isEqualTo(404);
                assertThat(Http.send("GET", proxy + "/nosuch", user, null).status()).isEqualTo(404);
                assertThat(Http.send("POST", actions, Map.of("Authorization", "Bearer " + token + "x", "Content-Type", "application/json"), list)
                        .status()).isEqualTo(401);
                assertThat(Http.send("GET", base + "/healthz", Map.of(), null).status()).isEqualTo(200);
            }
            String scraped = Http.send("GET", base + "/metrics", Map.of("Authorization", "Bearer " + ADMIN), null).text();
            assertThat(scraped).as("the loop served requests").containsPattern("switchboard_loop_requests_total\\{outcome=\"served\",route=\"action\"} [1-9]");
        } finally {
            server.destroy();
            server.waitFor(30, TimeUnit.SECONDS);
            drive.close();
        }
        String written = Files.readString(log);
        assertThat(written).as("BlockHound watched the loops").contains("BlockHound installed");
        assertThat(written).as("a blocking call on an event loop").doesNotContain("BLOCKED ON A LOOP");
    }
}
