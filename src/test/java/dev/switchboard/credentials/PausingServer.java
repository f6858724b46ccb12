package dev.switchboard.credentials;

import dev.switchboard.SwitchboardServer;
import dev.switchboard.config.ServerConfig;
import dev.switchboard.config.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A Switchboard node for the crash tests, run as its own process: its token refreshes stop at one step, write
 * the step's name to a marker file, and wait there to be killed.
 * Arguments: port, data directory, the step to stop at, the marker file.
 */
public final class PausingServer {
    private PausingServer() {}

    public static void main(String[] args) throws InterruptedException {
        int port = Integer.parseInt(args[0]);
        Path dataDir = Path.of(args[1]);
        String pauseAt = args[2];
        Path marker = Path.of(args[3]);
        // The secrets come from the environment, as they would for serve.
        ServerConfig config = ServerConfig.from(Settings.resolve(Map.of("--port", String.valueOf(port), "--data-dir", dataDir.toString()),
                System.getenv()));
        SwitchboardServer.start(config, step -> {
            if (step.equals(pauseAt)) {
                pause(step, marker);
            }
        });
        Thread.currentThread().join();
    }

    private static void pause(String step, Path marker) {
        try {
            Files.writeString(marker, step);
            Thread.sleep(Long.MAX_VALUE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
