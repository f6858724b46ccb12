package dev.switchboard.http.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.cli.Main;
import dev.switchboard.testing.Http;
import dev.switchboard.testing.ScriptedVendor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A proxied answer larger than the event loop reads into memory (over 4 MiB, as the ordinary path's proxy) streams
 * from the loop: whole, from one vendor call, read from the vendor only as fast as the client takes it, on a node
 * whose heap (64 MiB) is smaller than the answer.
 */
class LoopLargeAnswersTest {
    private static final int MiB = 1024 * 1024;
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @TempDir
    static Path dir;
    private static ScriptedVendor vendor;
    private static LoopNode node;
    private static String project;
    private static String proxy;
    private static Map<String, String> user;

    @BeforeAll
    static void start() throws Exception {
        vendor = new ScriptedVendor();
        node = LoopNode.start(dir, Main.class.getName(), "-Xmx64m");
        String[] connected = node.connectGoogleDrive(Map.of("api", vendor.baseUrl() + "/drive/v3"), "ya29.large");
        project = connected[0];
        proxy = node.base() + "/projects/" + project + "/sdk/proxy/googledrive/files";
        user = Map.of("Authorization", "Bearer " + connected[1]);
        assertThat(Http.send("GET", proxy, user, null).status()).as("a first call warms the caches").isEqualTo(200);
    }

    @AfterAll
    static void stop() throws Exception {
        node.close();
        vendor.close();
    }

    @Test
    void aLargeJsonAnswerToAPostComesWholeFromOneVendorCall() {
        int before = vendor.requests();
        vendor.behave(jsonAnswer(5 * MiB, false, Long.MAX_VALUE));

        Http.Answer answer = Http.send("POST", proxy, Map.of("Authorization", user.get("Authorization"), "Content-Type", "application/json"),
                "{\"name\":\"report.json\"}");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("Content-Type")).isEqualTo("application/json");
        assertThat(answer.json().at("/output/data").asString()).hasSize(5 * MiB);
        assertThat(answer.json().at("/output/end").asBoolean()).isTrue();
        assertThat(vendor.requests() - before).as("the vendor was asked once: nothing was sent again").isEqualTo(1);
    }

    @Test
    void aLargeGetIsNotAskedTwice() {
        int before = vendor.requests();
        vendor.behave(jsonAnswer(5 * MiB, true, Long.MAX_VALUE));

        Http.Answer answer = Http.send("GET", proxy + "/big.json", user, null);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().at("/output/data").asString()).hasSize(5 * MiB);
        assertThat(vendor.requests() - before).isEqualTo(1);
        assertThat(node.metrics()).containsPattern("switchboard_loop_requests_total\\{outcome=\"served\",route=\"proxy\"} [1-9]");
    }

    @Test
    void aRawAnswerOfUnknownLengthPassesByteForByte() throws Exception {
        byte[] pattern = new byte[MiB];
        for (int i = 0; i < pattern.length; i++) {
            pattern[i] = (byte) (i * 31 + (i >> 8));
        }
        int copies = 7;
        vendor.behave((socket, out) -> {
            out.write("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nX-Vendor-Tag: kept\r\nTransfer-Encoding: chunked\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < copies; i++) {
                chunk(out, pattern);
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        });
        MessageDigest sent = MessageDigest.getInstance("SHA-256");
        for (int i = 0; i < copies; i++) {
            sent.update(pattern);
        }

        HttpResponse<InputStream> answer = CLIENT.send(HttpRequest.newBuilder(URI.create(proxy + "/blob"))
                .header("Authorization", user.get("Authorization")).header("X-Paragon-Use-Raw-Response", "1").build(),
                HttpResponse.BodyHandlers.ofInputStream());

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).contains("application/octet-stream");
        assertThat(answer.headers().firstValue("X-Vendor-Tag")).contains("kept");
        assertThat(answer.headers().firstValue("X-Paragon-Credential")).isPresent();
        MessageDigest received = MessageDigest.getInstance("SHA-256");
        try (InputStream body = answer.body()) {
            received.update(body.readAllBytes());
        }
        assertThat(HexFormat.of().formatHex(received.digest())).isEqualTo(HexFormat.of().formatHex(sent.digest()));
    }

    @Test
    void anAnswerLargerThanTheHeapStreamsToASlowClient() throws Exception {
        long data = 160L * MiB;
        vendor.behave(jsonAnswer(data, true, Long.MAX_VALUE));

        HttpResponse<InputStream> answer = CLIENT.send(HttpRequest.newBuilder(URI.create(proxy + "/huge.json"))
                .header("Authorization", user.get("Authorization")).build(), HttpResponse.BodyHandlers.ofInputStream());
        Thread.sleep(2000); // the vendor could have sent it all by now: the node reads it only as the client does

        long total = 0;
        byte[] last = new byte[0];
        try (InputStream body = answer.body()) {
            byte[] buffer = new byte[256 * 1024];
            for (int n = body.read(buffer); n >= 0; n = body.read(buffer)) {
                total += n;
                byte[] joined = Arrays.copyOf(last, last.length + n);
                System.arraycopy(buffer, 0, joined, last.length, n);
                last = Arrays.copyOfRange(joined, Math.max(0, joined.length - 16), joined.length);
            }
        }
        assertThat(answer.statusCode()).isEqualTo(200);
        long expected = "{\"output\":".length() + "{\"data\":\"".length() + data + "\",\"end\":true}".length() + "}".length();
        assertThat(total).isEqualTo(expected);
        assertThat(new String(last, StandardCharsets.US_ASCII)).endsWith("\",\"end\":true}}");
        vendor.behave(ScriptedVendor.answer(200, "application/json", "{\"files\":[]}"));
        assertThat(Http.send("GET", proxy, user, null).status()).as("the node serves on").isEqualTo(200);
    }

    @Test
    void aVendorBreakingOffMidAnswerCutsTheAnswerShort() throws Exception {
        vendor.behave(jsonAnswer(8 * MiB, false, 6 * MiB));

        HttpResponse<InputStream> answer = CLIENT.send(HttpRequest.newBuilder(URI.create(proxy + "/cut.json"))
                .header("Authorization", user.get("Authorization")).header("X-Request-Id", "cut-" + System.nanoTime()).build(),
                HttpResponse.BodyHandlers.ofInputStream());

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThatThrownBy(() -> {
            try (InputStream body = answer.body()) {
                body.readAllBytes();
            }
        }).as("the client sees the answer end before its declared length").isInstanceOf(IOException.class);
        JsonNode run = run(answer.headers().firstValue("X-Request-Id").orElseThrow());
        assertThat(run.get("httpStatus").asInt()).isEqualTo(200);
        assertThat(run.get("errorCode").asString()).isEqualTo("integration_unreachable");
        vendor.behave(ScriptedVendor.answer(200, "application/json", "{\"files\":[]}"));
        assertThat(Http.send("GET", proxy, user, null).json().at("/output/files").isArray()).as("the node serves on").isTrue();
    }

    @Test
    void aClientLeavingMidAnswerEndsTheVendorsToo() throws Exception {
        CountDownLatch vendorStopped = new CountDownLatch(1);
        vendor.behave((socket, out) -> {
            out.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] xs = new byte[64 * 1024];
            Arrays.fill(xs, (byte) 'x');
            try {
                while (true) {
                    chunk(out, xs); // an answer that never ends
                }
            } catch (IOException closed) {
                vendorStopped.countDown();
                throw closed;
            }
        });

        try (Socket client = new Socket("127.0.0.1", URI.create(node.base()).getPort())) {
            String path = URI.create(proxy).getPath() + "/endless.json";
            client.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: switchboard\r\nAuthorization: " + user.get("Authorization")
                    + "\r\nX-Request-Id: leaving-1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            assertThat(client.getInputStream().readNBytes(8 * MiB)).hasSize(8 * MiB);
        }

        assertThat(vendorStopped.await(10, TimeUnit.SECONDS)).as("the vendor's connection closed after the client's").isTrue();
        assertThat(run("leaving-1").get("httpStatus").asInt()).isEqualTo(200);
        vendor.behave(ScriptedVendor.answer(200, "application/json", "{\"files\":[]}"));
        assertThat(Http.send("GET", proxy, user, null).status()).as("the node serves on").isEqualTo(200);
    }

    /** The run of a request, once the node has written it. */
    private static JsonNode run(String requestId) throws InterruptedException {
        for (int attempt = 0; attempt < 100; attempt++) {
            JsonNode runs = Http.send("GET", node.base() + "/admin/projects/" + project + "/runs?limit=100",
                    Map.of("Authorization", "Bearer " + LoopNode.ADMIN), null).json().get("runs");
            for (JsonNode run : runs) {
                if (requestId.equals(run.get("requestId").asString())) {
                    return run;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no run of request " + requestId);
    }

    /**
     * {@code {"data":"xxx…","end":true}} with {@code dataBytes} of x, chunked or with its length, of which only
     * {@code sendOnly} bytes are sent before the connection closes.
     */
    private static ScriptedVendor.Behaviour jsonAnswer(long dataBytes, boolean chunked, long sendOnly) {
        byte[] start = "{\"data\":\"".getBytes(StandardCharsets.US_ASCII);
        byte[] end = "\",\"end\":true}".getBytes(StandardCharsets.US_ASCII);
        return (socket, out) -> {
            long length = start.length + dataBytes + end.length;
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\n"
                    + (chunked ? "Transfer-Encoding: chunked" : "Content-Length: " + length) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] xs = new byte[64 * 1024];
            Arrays.fill(xs, (byte) 'x');
            long sent = 0;
            part(out, start, chunked);
            sent += start.length;
            for (long left = dataBytes; left > 0 && sent < sendOnly; left -= xs.length) {
                part(out, left >= xs.length ? xs : Arrays.copyOf(xs, (int) left), chunked);
                sent += Math.min(left, xs.length);
            }
            if (sent >= sendOnly) {
                out.flush();
                socket.close();
                return;
            }
            part(out, end, chunked);
            if (chunked) {
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.flush();
        };
    }

    private static void part(OutputStream out, byte[] bytes, boolean chunked) throws IOException {
        if (chunked) {
            chunk(out, bytes);
        } else {
            out.write(bytes);
        }
    }

    private static void chunk(OutputStream out, byte[] bytes) throws IOException {
        out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
}
