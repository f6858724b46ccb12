package dev.switchboard.http.loop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.cli.Main;
import dev.switchboard.testing.Http;
import dev.switchboard.testing.ScriptedVendor;
import dev.switchboard.testing.ServerProcesses;
import dev.switchboard.testing.Tokens;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A proxied answer larger than the event loop reads into memory (a 64 MiB node reads 2 MiB) still comes through
 * whole: the loop gives the request to the ordinary path, which asks again and streams it.
 */
class LoopLargeAnswersTest {
    private static final String ADMIN = "loop-large-secret";

    @Test
    void aLargeProxiedGetIsStreamedByTheOrdinaryPath(@TempDir Path dir) throws Exception {
        try (ScriptedVendor vendor = new ScriptedVendor()) {
            int port = ServerProcesses.freePort();
            ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xmx64m",
                    "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Main.class.getName(), "serve",
                    "--port", String.valueOf(port), "--data-dir", dir.resolve("data").toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("server.log").toFile());
            builder.environment().keySet().removeIf(name -> name.startsWith("SWITCHBOARD_"));
            builder.environment().put("SWITCHBOARD_ADMIN_TOKEN", ADMIN);
            Process server = builder.start();
            try {
                String base = "http://127.0.0.1:" + port;
                ServerProcesses.waitForHealth(base, server);
                Map<String, String> admin = Map.of("Authorization", "Bearer " + ADMIN, "Content-Type", "application/json");
                String project = Http.send("POST", base + "/admin/projects", admin, "{\"name\":\"large\"}").json().get("id").asString();
                String key = Http.send("POST", base + "/admin/projects/" + project + "/signing-keys", admin, "{}").json().get("privateKeyPem").asString();
                Http.send("PUT", base + "/admin/projects/" + project + "/integrations/googledrive", admin,
                        Http.json(Map.of("enabled", true, "urls", Map.of("api", vendor.baseUrl() + "/drive/v3"))));
                Http.send("POST", base + "/admin/projects/" + project + "/users/u1/credentials", admin,
                        Http.json(Map.of("integration", "googledrive", "accessToken", "ya29.large")));
                String data = "x".repeat(5 * 1024 * 1024);
                vendor.behave(ScriptedVendor.answer(200, "application/json", "{\"data\": \"" + data + "\", \"end\": true}"));
                Map<String, String> user = Map.of("Authorization", "Bearer " + Tokens.sign(key, "u1", c -> c));
                for (int i = 0; i < 2; i++) { // the second meets warm caches: the loop's own attempt
                    Http.Answer answer = Http.send("GET", base + "/projects/" + project + "/sdk/proxy/googledrive/files/big.json", user, null);
                    assertThat(answer.status()).isEqualTo(200);
                    assertThat(answer.json().at("/output/data").asString()).hasSize(data.length());
                }
                String scraped = Http.send("GET", base + "/metrics", Map.of("Authorization", "Bearer " + ADMIN), null).text();
                assertThat(scraped).containsPattern("switchboard_loop_requests_total\\{outcome=\"declined\",route=\"proxy\"} [1-9]");
            } finally {
                server.destroy();
                server.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }
}
