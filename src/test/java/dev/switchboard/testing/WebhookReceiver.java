package dev.switchboard.testing;

import com.sun.net.httpserver.HttpServer;
import dev.switchboard.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.databind.JsonNode;

/**
 * An application's webhook receiver, as its developers would write one from the docs: it checks both signatures of
 * every delivery with the project's secret (ActionKit's {@code x-paragon-signature} and Standard Webhooks'
 * {@code webhook-signature}) and keeps what it received. It answers with the status it is told to (200 by default).
 */
public final class WebhookReceiver implements AutoCloseable {
    /** One delivery: its event id header, whether both signatures held, and the body. */
    public record Delivery(String webhookId, boolean signedCorrectly, JsonNode body) {}

    private final HttpServer server;
    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicReference<java.util.concurrent.CountDownLatch[]> hold = new java.util.concurrent.atomic.AtomicReference<>();
    private final AtomicInteger answer = new AtomicInteger(200);
    private volatile String secret;

    public WebhookReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String id = exchange.getRequestHeaders().getFirst("webhook-id");
            boolean signed = secret != null && signedCorrectly(id, exchange.getRequestHeaders().getFirst("webhook-timestamp"),
                    exchange.getRequestHeaders().getFirst("webhook-signature"), exchange.getRequestHeaders().getFirst("x-paragon-signature"), body);
            received.add(id);
            java.util.concurrent.CountDownLatch[] held = hold.getAndSet(null);
            if (held != null) {
                held[0].countDown();
                try {
                    held[1].await(120, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            int status = answer.get();
            if (status >= 200 && status < 300) {
                deliveries.add(new Delivery(id, signed, Json.MAPPER.readTree(body)));
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/events";
    }

    /** The project's signing secret, as the operator gave it to the receiver. */
    public WebhookReceiver secret(String secret) {
        this.secret = secret;
        return this;
    }

    /** The status the next deliveries are answered with (a 2xx keeps them). */
    public void answerWith(int status) {
        answer.set(status);
    }

    /**
     * Holds the next request without answering until {@code release} is counted down; {@code arrived} is counted down
     * when it comes. Returns {arrived, release}.
     */
    public java.util.concurrent.CountDownLatch[] holdNext() {
        java.util.concurrent.CountDownLatch[] latches = {new java.util.concurrent.CountDownLatch(1), new java.util.concurrent.CountDownLatch(1)};
        hold.set(latches);
        return latches;
    }

    /** The webhook-id of every request that came, answered or not. */
    public List<String> received() {
        return new ArrayList<>(received);
    }

    /** The deliveries answered with a 2xx. */
    public List<Delivery> deliveries() {
        return new ArrayList<>(deliveries);
    }

    private boolean signedCorrectly(String id, String timestamp, String standard, String paragon, byte[] body) {
        if (id == null || timestamp == null || standard == null || paragon == null) {
            return false;
        }
        byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
        String expectedParagon = "v1=" + HexFormat.of().formatHex(hmac(key, body));
        String expectedStandard = "v1," + Base64.getEncoder().encodeToString(hmac(key,
                (id + "." + timestamp + "." + new String(body, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8)));
        boolean standardMatches = List.of(standard.split(" ")).stream()
                .anyMatch(s -> MessageDigest.isEqual(s.getBytes(StandardCharsets.UTF_8), expectedStandard.getBytes(StandardCharsets.UTF_8)));
        return standardMatches && MessageDigest.isEqual(paragon.getBytes(StandardCharsets.UTF_8), expectedParagon.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
