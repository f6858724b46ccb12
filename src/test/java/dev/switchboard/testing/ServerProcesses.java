package dev.switchboard.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** For tests and benchmarks that run Switchboard as its own process. */
public final class ServerProcesses {
    private ServerProcesses() {}

    /**
     * The {@code switchboard} command as its own JVM on the test classpath, with the port, data directory and admin
     * URL in the environment and no secrets inherited (a test adds those it wants).
     */
    public static ProcessBuilder switchboard(Path dataDir, int port, String... args) {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), "dev.switchboard.cli.Main"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(name -> name.startsWith("SWITCHBOARD_"));
        builder.environment().put("SWITCHBOARD_PORT", String.valueOf(port));
        builder.environment().put("SWITCHBOARD_DATA_DIR", dataDir.toString());
        builder.environment().put("SWITCHBOARD_URL", "http://127.0.0.1:" + port);
        return builder;
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits until {@code base}/healthz answers 200.
     *
     * @param process the server's process, whose exit ends the wait, or null
     * @return milliseconds waited
     */
    public static long waitForHealth(String base, Process process) {
        long started = System.nanoTime();
        long deadline = started + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (process != null && !process.isAlive()) {
                throw new IllegalStateException("the server process exited with " + process.exitValue());
            }
            try {
                if (Http.send("GET", base + "/healthz", Map.of(), null).status() == 200) {
                    return (System.nanoTime() - started) / 1_000_000;
                }
            } catch (RuntimeException notYet) {
                // the port is not open yet
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("the server did not answer /healthz within 60 s");
    }
}
