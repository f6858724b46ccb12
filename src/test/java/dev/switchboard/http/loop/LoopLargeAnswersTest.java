package dev.switchboard.http.loop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.cli.Main;
import dev.switchboard.testing.Http;
import dev.switchboard.testing.ScriptedVendor;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A proxied answer larger than the event loop reads into memory (a 64 MiB node reads 2 MiB) still comes through
 * whole: the loop gives the request to the ordinary path, which asks again and streams it.
 */
class LoopLargeAnswersTest {
    @Test
    void aLargeProxiedGetIsStreamedByTheOrdinaryPath(@TempDir Path dir) throws Exception {
        try (ScriptedVendor vendor = new ScriptedVendor(); LoopNode node = LoopNode.start(dir, Main.class.getName(), "-Xmx64m")) {
            String base = node.base();
            String[] connected = node.connectGoogleDrive(Map.of("api", vendor.baseUrl() + "/drive/v3"), "ya29.large");
            String project = connected[0];
            String data = "x".repeat(5 * 1024 * 1024);
            vendor.behave(ScriptedVendor.answer(200, "application/json", "{\"data\": \"" + data + "\", \"end\": true}"));
            Map<String, String> user = Map.of("Authorization", "Bearer " + connected[1]);
            for (int i = 0; i < 2; i++) { // the second meets warm caches: the loop's own attempt
                Http.Answer answer = Http.send("GET", base + "/projects/" + project + "/sdk/proxy/googledrive/files/big.json", user, null);
                assertThat(answer.status()).isEqualTo(200);
                assertThat(answer.json().at("/output/data").asString()).hasSize(data.length());
            }
            assertThat(node.metrics()).containsPattern("switchboard_loop_requests_total\\{outcome=\"declined\",route=\"proxy\"} [1-9]");
        }
    }
}
