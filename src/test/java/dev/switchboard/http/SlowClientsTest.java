package dev.switchboard.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.cli.Main;
import dev.switchboard.testing.ServerProcesses;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slow clients cannot hold the server: a request head trickled in byte by byte is cut at its deadline, and the
 * connections open at once are capped. A node of its own, with a short deadline and a small cap.
 */
class SlowClientsTest {
    private static final int CAP = 40;
    private static Process server;
    private static int port;

    @BeforeAll
    static void start(@TempDir Path dir) {
        port = ServerProcesses.freePort();
        try {
            server = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "--enable-native-access=ALL-UNNAMED",
                    "-Dswitchboard.headerDeadlineMillis=1500", "-Dswitchboard.maxConnections=" + CAP,
                    "-cp", System.getProperty("java.class.path"), Main.class.getName(), "serve", "--port", String.valueOf(port),
                    "--data-dir", dir.resolve("data").toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("server.log").toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        ServerProcesses.waitForHealth("http://127.0.0.1:" + port, server);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        server.destroy();
        server.waitFor(30, TimeUnit.SECONDS);
    }

    private static Socket open() throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        return socket;
    }

    /** Whether a plain request is answered within the time given. */
    private static boolean healthAnswersWithin(int millis) {
        try (Socket socket = open()) {
            socket.setSoTimeout(millis);
            socket.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200");
        } catch (IOException timedOut) {
            return false;
        }
    }

    @Test
    void aHeadTrickledInIsCutAtItsDeadline() throws Exception {
        int clients = 20;
        AtomicInteger cut = new AtomicInteger();
        List<Thread> trickles = new ArrayList<>();
        long started = System.nanoTime();
        for (int i = 0; i < clients; i++) {
            trickles.add(Thread.ofVirtual().start(() -> {
                try (Socket socket = open()) {
                    OutputStream out = socket.getOutputStream();
                    out.write("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
                    InputStream in = socket.getInputStream();
                    socket.setSoTimeout(250);
                    for (int b = 0; b < 60; b++) { // up to 15 s of one byte every 250 ms
                        out.write('a');
                        out.flush();
                        try {
                            if (in.read() < 0) {
                                cut.incrementAndGet();
                                return;
                            }
                        } catch (java.net.SocketTimeoutException stillOpen) {
                            // the server waits for more: trickle on
                        }
                    }
                } catch (IOException closedByTheServer) {
                    cut.incrementAndGet();
                }
            }));
        }
        for (Thread trickle : trickles) {
            trickle.join();
        }
        assertThat(cut.get()).as("every trickling connection was closed").isEqualTo(clients);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).as("at the deadline, not at the end of the trickle")
                .isLessThan(6000);
        assertThat(healthAnswersWithin(2000)).isTrue();
    }

    @Test
    void connectionsOpenAtOnceAreCapped() throws Exception {
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < CAP; i++) {
                idle.add(open()); // connected, silent: each holds a place until the idle timeout
            }
            Thread.sleep(300);
            assertThat(healthAnswersWithin(700)).as("a connection past the cap waits").isFalse();
        } finally {
            for (Socket socket : idle) {
                socket.close();
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        boolean answered = false;
        while (!answered && System.nanoTime() < deadline) {
            answered = healthAnswersWithin(1000);
        }
        assertThat(answered).as("answered once places were free again").isTrue();
    }
}
