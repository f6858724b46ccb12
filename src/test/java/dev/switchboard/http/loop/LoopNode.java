package dev.switchboard.http.loop;

import dev.switchboard.testing.Http;
import dev.switchboard.testing.ServerProcesses;
import dev.switchboard.testing.Tokens;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A node of its own for the event loop's tests: its JVM options and main class, its log in a file, Google Drive connected. */
record LoopNode(Process process, String base, Path log) implements AutoCloseable {
    static final String ADMIN = "loop-node-secret";

    /** Starts the node and waits until it answers. */
    static LoopNode start(Path dir, String mainClass, String... jvmOptions) throws IOException {
        return start(dir, mainClass, Map.of(), jvmOptions);
    }

    /** The same, with settings of its own ({@code SWITCHBOARD_...} variables). */
    static LoopNode start(Path dir, String mainClass, Map<String, String> settings, String... jvmOptions) throws IOException {
        int port = ServerProcesses.freePort();
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), mainClass, "serve",
                "--port", String.valueOf(port), "--data-dir", dir.resolve("data").toString()));
        Path log = dir.resolve("server.log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("SWITCHBOARD_"));
        builder.environment().put("SWITCHBOARD_ADMIN_TOKEN", ADMIN);
        builder.environment().putAll(settings);
        LoopNode node = new LoopNode(builder.start(), "http://127.0.0.1:" + port, log);
        ServerProcesses.waitForHealth(node.base(), node.process());
        return node;
    }

    /** A project with Google Drive at {@code urls} and user u1's account of {@code accessToken}: the project id and u1's token. */
    String[] connectGoogleDrive(Map<String, String> urls, String accessToken) {
        Map<String, String> admin = Map.of("Authorization", "Bearer " + ADMIN, "Content-Type", "application/json");
        String project = Http.send("POST", base + "/admin/projects", admin, "{\"name\":\"loop\"}").json().get("id").asString();
        String key = Http.send("POST", base + "/admin/projects/" + project + "/signing-keys", admin, "{}").json().get("privateKeyPem").asString();
        Http.send("PUT", base + "/admin/projects/" + project + "/integrations/googledrive", admin, Http.json(Map.of("enabled", true, "urls", urls)));
        Http.send("POST", base + "/admin/projects/" + project + "/users/u1/credentials", admin,
                Http.json(Map.of("integration", "googledrive", "accessToken", accessToken)));
        return new String[] {project, Tokens.sign(key, "u1", c -> c)};
    }

    /** The node's metrics, as scraped. */
    String metrics() {
        return Http.send("GET", base + "/metrics", Map.of("Authorization", "Bearer " + ADMIN), null).text();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor(30, TimeUnit.SECONDS);
    }
}
