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
            int status = answer.get();
            if (status >= 200 && status < 300) {
                deliveries.add(new Delivery(id, signed, Json.MAPPER.readTree(body)));
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
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
