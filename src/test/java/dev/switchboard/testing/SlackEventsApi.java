package dev.switchboard.testing;

import dev.switchboard.testing.Http.Answer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Slack's Events API as Slack sends it: JSON bodies signed with the app's signing secret ({@code v0=} HMAC-SHA256). */
public final class SlackEventsApi {
    private SlackEventsApi() {}

    /** Posts the body to a project's Slack endpoint, signed with this secret as of this Unix time (seconds). */
    public static Answer post(TestServer server, String projectId, String body, long timestamp, String signingSecret) {
        return post(server.url(""), projectId, body, timestamp, signingSecret);
    }

    /** @param base the server's address, such as http://127.0.0.1:8080 */
    public static Answer post(String base, String projectId, String body, long timestamp, String signingSecret) {
        String signature = "v0=" + HexFormat.of().formatHex(hmac(signingSecret, "v0:" + timestamp + ":" + body));
        return Http.send("POST", base + "/projects/" + projectId + "/webhooks/slack", Map.of("Content-Type", "application/json",
                "X-Slack-Request-Timestamp", String.valueOf(timestamp), "X-Slack-Signature", signature), body);
    }

    public static Answer post(TestServer server, String projectId, String body, String signingSecret) {
        return post(server, projectId, body, Instant.now().getEpochSecond(), signingSecret);
    }

    /** A message event in a public channel ({@code extra}: more fields of the inner event, each starting with a comma). */
    public static String messageEvent(String eventId, String team, String channel, String text, String extra) {
        return "{\"type\":\"event_callback\",\"team_id\":\"" + team + "\",\"api_app_id\":\"A1\",\"event_id\":\"" + eventId
                + "\",\"event_time\":1767225600,\"event\":{\"type\":\"message\",\"channel_type\":\"channel\",\"channel\":\"" + channel
                + "\",\"user\":\"U1\",\"text\":\"" + text + "\",\"ts\":\"1767225600.000100\"" + extra + "}}";
    }

    private static byte[] hmac(String key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
