package dev.switchboard.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Map;

/** For tests and benchmarks that run Switchboard as its own process. */
public final class ServerProcesses {
    private ServerProcesses() {}

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
