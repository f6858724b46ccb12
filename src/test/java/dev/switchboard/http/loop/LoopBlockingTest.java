package dev.switchboard.http.loop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.fakes.GoogleDriveFake;
import dev.switchboard.testing.BlockHoundMain;
import dev.switchboard.testing.Http;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing blocks an event loop (issue 24): a node with the front door, started under BlockHound, which fails any
 * blocking call made on a loop thread, serves actions and the proxy through every way the loop has (caches cold and
 * warm, refusals before the vendor call, a vendor's refusal after it, the ordinary path's routes on the same port, a
 * vendor reached by host name), and
 * its log shows BlockHound installed and no blocking call.
 */
class LoopBlockingTest {
    @Test
    void noRequestBlocksALoop(@TempDir Path dir) throws Exception {
        GoogleDriveFake drive = new GoogleDriveFake(3);
        drive.start();
        // Every host name looked up anew (no JDK cache), so that each new vendor connection resolves "localhost".
        LoopNode node = LoopNode.start(dir, BlockHoundMain.class.getName(), "-XX:+AllowRedefinitionToAddDeleteMethods",
                "-XX:+EnableDynamicAgentLoading", "-Djdk.attach.allowAttachSelf=true", "-Dsun.net.inetaddr.ttl=0");
        try {
            String base = node.base();
            // By name, as real vendors are: a loop's new connection must not look the name up on the loop.
            String[] connected = node.connectGoogleDrive(Map.of("api", drive.apiUrl().replace("127.0.0.1", "localhost"),
                    "upload", drive.uploadUrl().replace("127.0.0.1", "localhost")), "ya29.blocking");
            drive.accept("ya29.blocking");
            String project = connected[0];
            String token = connected[1];
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
            assertThat(node.metrics()).as("the loop served requests").containsPattern("switchboard_loop_requests_total\\{outcome=\"served\",route=\"action\"} [1-9]");
        } finally {
            node.close();
            drive.close();
        }
        String written = Files.readString(node.log());
        assertThat(written).as("BlockHound watched the loops").contains("BlockHound installed");
        assertThat(written).as("a blocking call on an event loop").doesNotContain("BLOCKED ON A LOOP");
    }
}
