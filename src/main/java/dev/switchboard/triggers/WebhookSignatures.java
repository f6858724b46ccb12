package dev.switchboard.triggers;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signing what Switchboard delivers, and checking what vendors push. A project's secret has Standard Webhooks' form,
 * {@code whsec_} and a random key in base64; that key signs both of the headers a delivery carries:
 * <ul>
 *   <li>ActionKit's {@code x-paragon-signature: v1=<hex HMAC-SHA256 of the body>};</li>
 *   <li>Standard Webhooks' {@code webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">}, with
 *       {@code webhook-id} (the event id, the same on every attempt) and {@code webhook-timestamp} (this attempt's).</li>
 * </ul>
 */
public final class WebhookSignatures {
    private static final SecureRandom RANDOM = new SecureRandom();

    private WebhookSignatures() {}

    /** A new secret: {@code whsec_} and 32 random bytes in base64. */
    public static String newSecret() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return "whsec_" + Base64.getEncoder().encodeToString(key);
    }

    static byte[] key(String secret) {
        return Base64.getDecoder().decode(secret.startsWith("whsec_") ? secret.substring(6) : secret);
    }

    /** ActionKit's header value for this body. */
    public static String paragon(String secret, byte[] body) {
        return "v1=" + HexFormat.of().formatHex(hmac(key(secret), body));
    }

    /** Standard Webhooks' header value for this event id, Unix time (seconds) and body. */
    public static String standard(String secret, String eventId, long timestamp, byte[] body) {
        byte[] prefix = (eventId + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
        byte[] signed = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, signed, 0, prefix.length);
        System.arraycopy(body, 0, signed, prefix.length, body.length);
        return "v1," + Base64.getEncoder().encodeToString(hmac(key(secret), signed));
    }

    /**
     * Whether Slack signed this request: {@code v0=} and the hex HMAC-SHA256, keyed by the app's signing secret, of
     * {@code v0:<timestamp>:<body>}, compared in constant time.
     */
    public static boolean slackSigned(String signingSecret, String timestamp, byte[] body, String signature) {
        if (signature == null || timestamp == null) {
            return false;
        }
        byte[] prefix = ("v0:" + timestamp + ":").getBytes(StandardCharsets.UTF_8);
        byte[] signed = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, signed, 0, prefix.length);
        System.arraycopy(body, 0, signed, prefix.length, body.length);
        String expected = "v0=" + HexFormat.of().formatHex(hmac(signingSecret.getBytes(StandardCharsets.UTF_8), signed));
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), signature.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
