package dev.switchboard.bench;

import dev.switchboard.fakes.GoogleDriveFake;
import dev.switchboard.fakes.VendorFake;
import dev.switchboard.testing.Http;
import dev.switchboard.testing.ServerProcesses;
import dev.switchboard.testing.Tokens;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Memory of file transfers, measured against a Switchboard started as its own process with a small heap
 * (issue 4): 1 GiB up and 1 GiB down through the Proxy API on a heap too small to grow 64 MiB over idle, and
 * ten concurrent 10 MB FILE actions at -Xmx256m. Every transfer is checked by hash at the other end. The
 * server's heap is read from its /metrics every 50 ms; growth is against the idle heap measured just before,
 * in the same run (heap used includes garbage not yet collected), and the proxy's throughput is set against
 * the same transfer made directly to the vendor fake.
 *
 * <p>Run: {@code ./switchboard bench-files [sizeMiB]} (default 1024).
 */
public final class FilesMemoryBenchmark {
    private static final String ADMIN = "bench-operator-secret";
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public static void main(String[] args) throws Exception {
        long size = (args.length > 0 ? Long.parseLong(args[0]) : 1024) * 1024 * 1024;
        // The proxy runs on a heap so small that 64 MiB of growth over idle would not fit: growth is bounded by construction.
        String proxyHeap = System.getProperty("bench.proxyHeap", "80m");
        String actionHeap = System.getProperty("bench.actionHeap", "256m");
        Path jar = Path.of(System.getProperty("bench.jar", "target/switchboard.jar"));
        try (GoogleDriveFake drive = new GoogleDriveFake(1).start()) {
            drive.accept("ya29.bench");
            String gib = String.format("%.2f GiB", size / (1024.0 * 1024 * 1024));
            List<String> rows = new ArrayList<>();
            long[] idle = new long[2];
            try (Server server = new Server(jar, proxyHeap, drive)) {
                idle[0] = server.idle;
                String proxy = server.base + "/projects/" + server.project + "/sdk/proxy/googledrive";
                double directUp = upload(drive.uploadUrl() + "/files/direct-up?uploadType=media", null, null, size, drive);
                Sampler up = new Sampler(server.base);
                double proxyUp = upload(proxy, server.token, drive.uploadUrl() + "/files/proxy-up?uploadType=media", size, drive);
                up.stop();
                double directDown = download(drive.apiUrl() + "/files/pattern-" + size + "?alt=media", null, size);
                Sampler down = new Sampler(server.base);
                double proxyDown = download(proxy + "/files/pattern-" + size + "?alt=media", server.token, size);
                down.stop();
                rows.add(row("proxy upload " + gib + " (-Xmx" + proxyHeap + ")", directUp, proxyUp, up, server.idle));
                rows.add(row("proxy download " + gib + " (-Xmx" + proxyHeap + ")", directDown, proxyDown, down, server.idle));
            }
            int ok;
            try (Server server = new Server(jar, actionHeap, drive)) {
                idle[1] = server.idle;
                Sampler actions = new Sampler(server.base);
                long started = System.nanoTime();
                ok = tenConcurrentFileActions(server.base, server.project, server.token, drive);
                double actionSeconds = (System.nanoTime() - started) / 1e9;
                actions.stop();
                rows.add(String.format("| 10 concurrent FILE actions, 5 MB file in a 10 MB body (-Xmx%s) | | %d/10 succeeded in %.2f s | | %.1f MiB | %.1f MiB |",
                        actionHeap, ok, actionSeconds, actions.peakHeap / 1048576.0, (actions.peakHeap - server.idle) / 1048576.0));
            }
            System.out.printf("%nSwitchboard file transfers, %s, %s, %d cores; idle heap %.1f MiB and %.1f MiB%n", LocalDate.now(),
                    System.getProperty("os.name") + " " + System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(),
                    idle[0] / 1048576.0, idle[1] / 1048576.0);
            System.out.println("| run | MB/s direct to fake | MB/s through Switchboard | ratio | peak heap used | growth over idle |");
            System.out.println("|---|---|---|---|---|---|");
            rows.forEach(System.out::println);
            if (ok != 10) {
                System.exit(1);
            }
        }
    }

    /** A Switchboard process with its own heap, set up with a project, a key, Google Drive and one account. */
    private static final class Server implements AutoCloseable {
        final Process process;
        final String base;
        final String project;
        final String token;
        final long idle;

        Server(Path jar, String heap, GoogleDriveFake drive) throws Exception {
            int port = ServerProcesses.freePort();
            process = startServer(jar, port, heap);
            base = "http://127.0.0.1:" + port;
            ServerProcesses.waitForHealth(base, null);
            String[] setup = setUp(base, drive);
            project = setup[0];
            token = setup[1];
            Thread.sleep(1000);
            idle = heapUsed(base);
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            process.waitFor();
        }
    }

    private static String row(String name, double direct, double proxied, Sampler sampler, long idle) {
        return String.format("| %s | %.0f | %.0f | %.2f | %.1f MiB | %.1f MiB |", name, direct, proxied, proxied / direct,
                sampler.peakHeap / 1048576.0, (sampler.peakHeap - idle) / 1048576.0);
    }

    private static Process startServer(Path jar, int port, String heap) throws Exception {
        Path data = Files.createTempDirectory("switchboard-bench");
        ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xmx" + heap,
                "--enable-native-access=ALL-UNNAMED", "-jar", jar.toString(), "serve", "--port", String.valueOf(port), "--data-dir", data.toString());
        builder.environment().put("SWITCHBOARD_ADMIN_TOKEN", ADMIN);
        builder.redirectErrorStream(true).redirectOutput(data.resolve("server.log").toFile());
        return builder.start();
    }

    private static String[] setUp(String base, GoogleDriveFake drive) {
        Map<String, String> admin = Map.of("Authorization", "Bearer " + ADMIN, "Content-Type", "application/json");
        String project = Http.send("POST", base + "/admin/projects", admin, "{\"name\":\"bench\"}").json().get("id").asString();
        String key = Http.send("POST", base + "/admin/projects/" + project + "/signing-keys", admin, "{}").json().get("privateKeyPem").asString();
        Http.send("PUT", base + "/admin/projects/" + project + "/integrations/googledrive", admin,
                Http.json(Map.of("enabled", true, "urls", Map.of("api", drive.apiUrl(), "upload", drive.uploadUrl()))));
        Http.send("POST", base + "/admin/projects/" + project + "/users/bench-user/credentials", admin,
                Http.json(Map.of("integration", "googledrive", "accessToken", "ya29.bench")));
        return new String[] {project, Tokens.sign(key, "bench-user", c -> c.expirationTime(new java.util.Date(System.currentTimeMillis() + 3_600_000)))};
    }

    /** @return MB/s; the fake checks the hash of what arrived */
    private static double upload(String url, String token, String proxyUrl, long size, GoogleDriveFake drive) throws Exception {
        MessageDigest sent = MessageDigest.getInstance("SHA-256");
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(() -> new DigestInputStream(VendorFake.pattern(size), sent)), size));
        if (token != null) {
            request.header("Authorization", "Bearer " + token).header("X-Paragon-Proxy-Url", proxyUrl);
        } else {
            request.header("Authorization", "Bearer ya29.bench");
        }
        long started = System.nanoTime();
        HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
        double seconds = (System.nanoTime() - started) / 1e9;
        String id = URI.create(token == null ? url : proxyUrl).getPath().replaceAll(".*/", "");
        GoogleDriveFake.StoredFile stored = drive.files().get(id);
        if (response.statusCode() != 200 || stored == null || stored.size() != size || !stored.sha256().equals(HexFormat.of().formatHex(sent.digest()))) {
            throw new IllegalStateException("upload failed or arrived damaged: " + response.statusCode() + " " + response.body());
        }
        return size / 1e6 / seconds;
    }

    private static double download(String url, String token, long size) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET()
                .header("Authorization", "Bearer " + (token == null ? "ya29.bench" : token));
        long started = System.nanoTime();
        HttpResponse<InputStream> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        MessageDigest received = MessageDigest.getInstance("SHA-256");
        long count;
        try (InputStream in = new DigestInputStream(response.body(), received)) {
            count = in.transferTo(OutputStream.nullOutputStream());
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        MessageDigest expected = MessageDigest.getInstance("SHA-256");
        new DigestInputStream(VendorFake.pattern(size), expected).transferTo(OutputStream.nullOutputStream());
        if (response.statusCode() != 200 || count != size || !MessageDigest.isEqual(received.digest(), expected.digest())) {
            throw new IllegalStateException("download failed or arrived damaged: " + response.statusCode());
        }
        return size / 1e6 / seconds;
    }

    private static int tenConcurrentFileActions(String base, String project, String token, GoogleDriveFake drive) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(10);
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            int n = i;
            results.add(pool.submit((Callable<Boolean>) () -> {
                byte[] bytes = new byte[5_000_000];
                new Random(n).nextBytes(bytes);
                String body = "{\"action\":\"GOOGLE_DRIVE_SAVE_FILE\",\"parameters\":{\"filename\":\"bench-" + n + ".bin\",\"file\":{"
                        + "\"dataType\":\"FILE\",\"mimeType\":\"application/octet-stream\",\"data\":\"" + HexFormat.of().formatHex(bytes) + "\"}}}";
                Http.Answer answer = Http.send("POST", base + "/projects/" + project + "/actions",
                        Map.of("Authorization", "Bearer " + token, "Content-Type", "application/json"), body);
                if (answer.status() != 200) {
                    System.err.println("action " + n + ": " + answer.status() + " " + answer.text());
                    return false;
                }
                GoogleDriveFake.StoredFile stored = drive.files().get(answer.json().get("id").asString());
                return stored != null && stored.sha256().equals(VendorFake.sha256(bytes));
            }));
        }
        int ok = 0;
        for (Future<Boolean> result : results) {
            ok += result.get() ? 1 : 0;
        }
        pool.shutdown();
        return ok;
    }

    private static final Pattern HEAP = Pattern.compile("jvm_memory_used_bytes\\{area=\"heap\",id=\"[^\"]+\"} ([0-9.E+]+)");

    static long heapUsed(String base) {
        String metrics = Http.send("GET", base + "/metrics", Map.of("Authorization", "Bearer " + ADMIN), null).text();
        Matcher m = HEAP.matcher(metrics);
        double total = 0;
        while (m.find()) total += Double.parseDouble(m.group(1));
        return (long) total;
    }

    /** Reads the server's heap every 50 ms on its own thread until stopped. */
    private static final class Sampler {
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicLong peak = new AtomicLong();
        final Thread thread;
        long peakHeap;

        Sampler(String base) {
            thread = Thread.ofPlatform().daemon().start(() -> {
                while (running.get()) {
                    peak.accumulateAndGet(heapUsed(base), Math::max);
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join();
            peakHeap = peak.get();
        }
    }


}
