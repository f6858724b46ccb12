package dev.switchboard.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.json.Json;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** The Connect page's OAuth flow over plain HTTP, as a browser goes through it against a vendor fake that consents at once. */
public final class ConnectFlows {
    /** @param authorizeUrl the vendor's authorize address Switchboard's first stop sent the browser to; @param back where the callback sent it */
    public record Connected(String authorizeUrl, String back) {}

    private ConnectFlows() {}

    /** Start, consent at the fake, come back: the addresses on the way. */
    public static Connected connect(TestServer server, TestServer.Project project, String userToken, String integration) throws Exception {
        return connect(server, project, userToken, integration, null);
    }

    /** @param fields the values of the integration's connect fields (Shopify's store), or null */
    public static Connected connect(TestServer server, TestServer.Project project, String userToken, String integration,
                                    java.util.Map<String, String> fields) throws Exception {
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER).build();
        HttpRequest.Builder start = HttpRequest.newBuilder(URI.create(server.url("/projects/" + project.id() + "/connect/" + integration + "/start")))
                .header("Authorization", "Bearer " + userToken);
        if (fields == null) {
            start.POST(HttpRequest.BodyPublishers.noBody());
        } else {
            start.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(Json.write(Json.MAPPER.valueToTree(java.util.Map.of("fields", fields)))));
        }
        HttpResponse<String> started = browser.send(start.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
        String firstStop = Json.MAPPER.readTree(started.body()).get("authorizeUrl").asString();
        HttpResponse<String> stop = browser.send(HttpRequest.newBuilder(URI.create(firstStop)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(stop.statusCode()).as(stop.body()).isEqualTo(302);
        String authorize = stop.headers().firstValue("Location").orElseThrow();
        HttpResponse<String> consent = browser.send(HttpRequest.newBuilder(URI.create(authorize)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(consent.statusCode()).as(consent.body()).isEqualTo(302);
        String callback = consent.headers().firstValue("Location").orElseThrow();
        HttpResponse<String> back = browser.send(HttpRequest.newBuilder(URI.create(callback)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(back.statusCode()).as(back.body()).isEqualTo(302);
        return new Connected(authorize, back.headers().firstValue("Location").orElseThrow());
    }
}
