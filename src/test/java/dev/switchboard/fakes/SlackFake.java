package dev.switchboard.fakes;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A local Slack Web API that behaves like Slack on the wire (../shared/reference/vendors.md section 1):
 * RPC paths under {@code /api}, bearer tokens, {@code {"ok": false, "error": ...}} with HTTP 200 for
 * failures, HTTP 429 with {@code Retry-After}, cursor pages in {@code response_metadata.next_cursor} that may
 * hold fewer items than {@code limit} while more remain, and an empty cursor on the last page.
 * Failures can be queued per method for tests. Run alone: {@code ./switchboard fake-slack --port 9001}.
 */
public final class SlackFake implements AutoCloseable {
    public record Received(String method, String path, String query, Map<String, String> headers, JsonNode body) {}

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Javalin app;
    private final List<ObjectNode> channels = new ArrayList<>();
    private final List<ObjectNode> members = new ArrayList<>();
    private final Set<String> validTokens = ConcurrentHashMap.newKeySet();
    private final Set<String> expiredTokens = ConcurrentHashMap.newKeySet();
    private final Map<String, ConcurrentLinkedQueue<Failure>> failures = new ConcurrentHashMap<>();
    private final List<Received> received = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean recording = true;
    private volatile String teamId = "T9TK3CUKW";
    private volatile double faultRate;
    /** The faults {@link #faultRate} draws from: a 500, a 429 asking for no wait, a slow answer, an answer not JSON. */
    private static final List<Failure> RANDOM_FAULTS = List.of(new ServerError(500), new RateLimited(0), new Slow(300), new NotJson());
    private final java.util.concurrent.atomic.AtomicReference<String> cookieForNextAnswer = new java.util.concurrent.atomic.AtomicReference<>();
    private final AtomicInteger messageCounter = new AtomicInteger();

    /** A failure to answer the next call of one method with. */
    public sealed interface Failure {}
    public record RateLimited(int retryAfterSeconds) implements Failure {}
    public record ServerError(int status) implements Failure {}
    public record SlackError(String error) implements Failure {}
    public record NotJson() implements Failure {}
    public record Slow(long millis) implements Failure {}

    public SlackFake(int channelCount, int userCount) {
        for (int i = 0; i < channelCount; i++) {
            ObjectNode channel = NODES.objectNode()
                    .put("id", String.format("C%08d", i))
                    .put("name", i == 0 ? "general" : "channel-" + i)
                    .put("is_channel", true).put("is_private", false).put("is_archived", i % 7 == 6)
                    .put("is_member", true).put("created", 1449252889 + i).put("creator", "U012A3CDE").put("num_members", 4);
            channel.putObject("topic").put("value", "").put("creator", "").put("last_set", 0);
            channel.putObject("purpose").put("value", "").put("creator", "").put("last_set", 0);
            channels.add(channel);
        }
        for (int i = 0; i < userCount; i++) {
            ObjectNode member = NODES.objectNode().put("id", String.format("U%08d", i)).put("name", "user" + i)
                    .put("deleted", false).put("real_name", "User " + i).put("tz", "Europe/Berlin");
            member.putObject("profile").put("email", "user" + i + "@example.com").put("real_name", "User " + i)
                    .put("display_name", "u" + i);
            members.add(member);
        }
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.routes.post("/api/chat.postMessage", ctx -> handle(ctx, "chat.postMessage", this::postMessage));
            config.routes.get("/api/conversations.list", ctx -> handle(ctx, "conversations.list", (c, b) -> page(c, b, channels, "channels")));
            config.routes.post("/api/conversations.list", ctx -> handle(ctx, "conversations.list", (c, b) -> page(c, b, channels, "channels")));
            config.routes.get("/api/users.list", ctx -> handle(ctx, "users.list", (c, b) -> page(c, b, members, "members")));
            config.routes.post("/api/oauth.v2.access", this::tokenEndpoint);
            config.routes.get("/oauth/v2/authorize", this::consentPage);
            config.routes.get("/oauth/v2/approve", this::approve);
            config.routes.post("/api/users.list", ctx -> handle(ctx, "users.list", (c, b) -> page(c, b, members, "members")));
        });
    }

    // OAuth: the app's client credentials, refresh tokens that rotate on use (the old one is revoked at once, as
    // Slack does, unless a grace period is set), and every call to the token endpoint counted.
    private volatile String clientId = "client-id";
    private volatile String clientSecret = "client-secret";
    private final Map<String, String> refreshTokens = new ConcurrentHashMap<>();
    private final Map<String, Long> revokedAt = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger refreshCalls = new java.util.concurrent.atomic.AtomicInteger();
    private volatile long graceMillis;
    private volatile int tokenEndpointFailures;
    private volatile long tokenEndpointDelayMillis;

    /** Registers a refresh token as valid for the given (Slack-side) user. */
    public SlackFake acceptRefreshToken(String refreshToken) {
        refreshTokens.put(refreshToken, "user");
        return this;
    }

    /** Answers this share of calls (0 to 1) with a fault drawn at random, on top of those queued with failNext. */
    public SlackFake faultRate(double rate) {
        this.faultRate = rate;
        return this;
    }

    /** The workspace id the code exchange answers with (Switchboard keeps it as the account's providerId). */
    public void teamId(String id) {
        this.teamId = id;
    }

    public void setRefreshGracePeriod(long millis) {
        this.graceMillis = millis;
    }

    /** The next n calls to the token endpoint fail with HTTP 503. */
    public void failTokenEndpoint(int n) {
        this.tokenEndpointFailures = n;
    }

    public void slowTokenEndpoint(long millis) {
        this.tokenEndpointDelayMillis = millis;
    }

    public int refreshCalls() {
        return refreshCalls.get();
    }

    private record Grant(String redirectUri, String codeChallenge) {}

    private final Map<String, Grant> codes = new ConcurrentHashMap<>();
    private final List<String> authorizeRequests = Collections.synchronizedList(new ArrayList<>());

    /** The query strings of every consent page shown. */
    public List<String> authorizeRequests() {
        return List.copyOf(authorizeRequests);
    }

    /** Slack's consent screen: the user allows (or cancels) and is sent back to the app with a code. */
    private void consentPage(Context ctx) {
        authorizeRequests.add(ctx.queryString());
        if (!clientId.equals(ctx.queryParam("client_id")) || ctx.queryParam("redirect_uri") == null) {
            ctx.status(400).result("invalid client_id or redirect_uri");
            return;
        }
        String query = ctx.queryString();
        ctx.contentType("text/html").result("<!doctype html><html><body><h1>Allow the app to access the Slack Softball Team?</h1>"
                + "<a id=\"allow\" href=\"/oauth/v2/approve?" + query.replace("&", "&amp;") + "\">Allow</a> "
                + "<a id=\"cancel\" href=\"/oauth/v2/approve?deny=1&amp;" + query.replace("&", "&amp;") + "\">Cancel</a></body></html>");
    }

    private void approve(Context ctx) {
        String redirect = ctx.queryParam("redirect_uri");
        String state = ctx.queryParam("state");
        String separator = redirect.contains("?") ? "&" : "?";
        if (ctx.queryParam("deny") != null) {
            ctx.redirect(redirect + separator + "error=access_denied&state=" + java.net.URLEncoder.encode(state, StandardCharsets.UTF_8));
            return;
        }
        String code = "code-" + UUID.randomUUID();
        codes.put(code, new Grant(redirect, ctx.queryParam("code_challenge")));
        ctx.redirect(redirect + separator + "code=" + code + "&state=" + java.net.URLEncoder.encode(state, StandardCharsets.UTF_8));
    }

    private void exchangeCode(Context ctx) throws Exception {
        Grant grant = codes.remove(String.valueOf(ctx.formParam("code")));
        if (grant == null || !grant.redirectUri().equals(ctx.formParam("redirect_uri"))) {
            respond(ctx, error("invalid_code"));
            return;
        }
        if (grant.codeChallenge() != null) {
            String verifier = ctx.formParam("code_verifier");
            String computed = verifier == null ? "" : Base64.getUrlEncoder().withoutPadding().encodeToString(
                    java.security.MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
            if (!computed.equals(grant.codeChallenge())) {
                respond(ctx, error("invalid_code_verifier"));
                return;
            }
        }
        String access = "xoxe.xoxb-" + UUID.randomUUID();
        String refresh = "xoxe-1-" + UUID.randomUUID();
        refreshTokens.put(refresh, "user");
        validTokens.add(access);
        dev.switchboard.testing.SecretScanningAppender.watch(access);
        dev.switchboard.testing.SecretScanningAppender.watch(refresh);
        ObjectNode answer = NODES.objectNode().put("ok", true).put("access_token", access).put("token_type", "bot")
                .put("scope", "chat:write,channels:read").put("bot_user_id", "U0KRQLJ9H").put("app_id", "A0KRD7HC3")
                .put("refresh_token", refresh).put("expires_in", 43200);
        answer.putObject("team").put("id", teamId).put("name", "Slack Softball Team");
        respond(ctx, answer);
    }

    private void tokenEndpoint(Context ctx) throws Exception {
        refreshCalls.incrementAndGet();
        if (tokenEndpointDelayMillis > 0) {
            Thread.sleep(tokenEndpointDelayMillis);
        }
        if (tokenEndpointFailures > 0) {
            tokenEndpointFailures--;
            ctx.status(503).contentType("text/html").result("<html>upstream unavailable</html>");
            return;
        }
        String basic = ctx.header("Authorization");
        String expected = "Basic " + Base64.getEncoder().encodeToString((clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8));
        if (!expected.equals(basic)) {
            respond(ctx, error("invalid_client_id"));
            return;
        }
        if ("authorization_code".equals(ctx.formParam("grant_type"))) {
            exchangeCode(ctx);
            return;
        }
        if (!"refresh_token".equals(ctx.formParam("grant_type"))) {
            respond(ctx, error("invalid_grant_type"));
            return;
        }
        String presented = ctx.formParam("refresh_token");
        synchronized (refreshTokens) {
            Long revoked = presented == null ? null : revokedAt.get(presented);
            boolean inGrace = revoked != null && System.currentTimeMillis() - revoked < graceMillis;
            if (presented == null || (!refreshTokens.containsKey(presented) && !inGrace)) {
                respond(ctx, error("invalid_refresh_token"));
                return;
            }
            refreshTokens.remove(presented);
            revokedAt.put(presented, System.currentTimeMillis());
            String access = "xoxe.xoxb-" + UUID.randomUUID();
            String refresh = "xoxe-1-" + UUID.randomUUID();
            refreshTokens.put(refresh, "user");
            validTokens.add(access);
            dev.switchboard.testing.SecretScanningAppender.watch(access);
            dev.switchboard.testing.SecretScanningAppender.watch(refresh);
            respond(ctx, NODES.objectNode().put("ok", true).put("access_token", access).put("refresh_token", refresh)
                    .put("expires_in", 43200).put("token_type", "bot").put("scope", "chat:write,channels:read"));
        }
    }

    public SlackFake start(int port) {
        app.start("127.0.0.1", port);
        return this;
    }

    /** Listens on every interface, for a Switchboard in a container to reach it (ComposeTest). */
    public SlackFake startOnAllInterfaces(int port) {
        app.start("0.0.0.0", port);
        return this;
    }

    public int port() {
        return app.port();
    }

    public String apiUrl() {
        return "http://127.0.0.1:" + port() + "/api";
    }

    public SlackFake acceptToken(String token) {
        dev.switchboard.testing.SecretScanningAppender.watch(token);
        validTokens.add(token);
        return this;
    }

    /** From now on this token gets {@code token_expired}. */
    public void expireToken(String token) {
        validTokens.remove(token);
        expiredTokens.add(token);
    }

    public void failNext(String method, Failure failure) {
        failures.computeIfAbsent(method, m -> new ConcurrentLinkedQueue<>()).add(failure);
    }

    /** The next chat.postMessage answer sets this cookie, as a load balancer in front of a vendor may. */
    public void setCookieOnNextAnswer(String cookie) {
        cookieForNextAnswer.set(cookie);
    }

    /** Stops recording calls: a load run sends millions, and keeping them would make the fake slow itself down. */
    public SlackFake withoutRecording() {
        recording = false;
        return this;
    }

    /** Forgets recorded calls and queued failures (tokens and data stay). */
    public void reset() {
        received.clear();
        failures.clear();
    }

    public List<Received> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    /** The admin API's body that enables Slack in a project with an OAuth app whose authorize and token URLs are this fake's. */
    public Map<String, Object> oauthConfig(String... scopes) {
        return Map.of("enabled", true, "clientId", "client-id", "clientSecret", "client-secret", "scopes", List.of(scopes),
                "urls", Map.of("api", apiUrl(), "authorize", apiUrl().replace("/api", "") + "/oauth/v2/authorize",
                        "token", apiUrl() + "/oauth.v2.access"));
    }

    public List<Received> received(String method) {
        return received().stream().filter(r -> r.path().equals("/api/" + method)).toList();
    }

    public List<ObjectNode> channels() {
        return channels;
    }

    public List<ObjectNode> members() {
        return members;
    }

    private interface MethodHandler {
        ObjectNode answer(Context ctx, JsonNode body);
    }

    private void handle(Context ctx, String method, MethodHandler handler) throws InterruptedException {
        JsonNode body = readBody(ctx);
        Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.putAll(ctx.headerMap());
        if (recording) {
            received.add(new Received(ctx.method().name(), ctx.path(), ctx.queryString(), headers, body));
        }
        Failure failure = failures.getOrDefault(method, new ConcurrentLinkedQueue<>()).poll();
        if (failure == null && faultRate > 0 && java.util.concurrent.ThreadLocalRandom.current().nextDouble() < faultRate) {
            failure = RANDOM_FAULTS.get(java.util.concurrent.ThreadLocalRandom.current().nextInt(RANDOM_FAULTS.size()));
        }
        if (failure instanceof Slow slow) {
            Thread.sleep(slow.millis());
            failure = null;
        }
        if (failure instanceof RateLimited limited) {
            ctx.status(429).header("Retry-After", String.valueOf(limited.retryAfterSeconds()));
            respond(ctx, error("ratelimited"));
            return;
        }
        if (failure instanceof ServerError error) {
            ctx.status(error.status()).contentType("text/html").result("<html><body>Internal Server Error</body></html>");
            return;
        }
        if (failure instanceof NotJson) {
            ctx.status(200).contentType("text/html").result("<html>maintenance</html>");
            return;
        }
        if (failure instanceof SlackError slackError) {
            respond(ctx, error(slackError.error()));
            return;
        }
        String authorization = ctx.header("Authorization");
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            respond(ctx, error("not_authed"));
            return;
        }
        String token = authorization.substring(7);
        if (expiredTokens.contains(token)) {
            respond(ctx, error("token_expired"));
            return;
        }
        if (!validTokens.contains(token)) {
            respond(ctx, error("invalid_auth"));
            return;
        }
        respond(ctx, handler.answer(ctx, body));
    }

    private static JsonNode readBody(Context ctx) {
        String contentType = ctx.contentType() == null ? "" : ctx.contentType();
        if (contentType.startsWith("application/json")) {
            return JSON.readTree(ctx.body());
        }
        ObjectNode form = NODES.objectNode();
        ctx.formParamMap().forEach((k, v) -> form.put(k, v.get(0)));
        return form;
    }

    /** Arguments come from the query (GET) or the body (JSON or form), as Slack accepts them. */
    private static String arg(Context ctx, JsonNode body, String name) {
        String fromQuery = ctx.queryParam(name);
        if (fromQuery != null) {
            return fromQuery;
        }
        JsonNode value = body.get(name);
        return value == null || value.isNull() ? null : value.asString();
    }

    private ObjectNode postMessage(Context ctx, JsonNode body) {
        String cookie = cookieForNextAnswer.getAndSet(null);
        if (cookie != null) {
            ctx.header("Set-Cookie", cookie + "; Path=/; HttpOnly");
        }
        String channel = arg(ctx, body, "channel");
        String text = arg(ctx, body, "text");
        if (channel == null) {
            return error("channel_not_found");
        }
        ObjectNode target = channels.stream()
                .filter(c -> c.get("id").asString().equals(channel) || ("#" + c.get("name").asString()).equals(channel)
                        || c.get("name").asString().equals(channel))
                .findFirst().orElse(null);
        if (target == null) {
            return error("channel_not_found");
        }
        if (text == null || text.isEmpty()) {
            return error("no_text");
        }
        String ts = "1503435956." + String.format("%06d", messageCounter.incrementAndGet());
        ObjectNode answer = NODES.objectNode().put("ok", true).put("channel", target.get("id").asString()).put("ts", ts);
        answer.putObject("message").put("type", "message").put("subtype", "bot_message").put("text", text)
                .put("ts", ts).put("bot_id", "B19LU7CSY");
        return answer;
    }

    /**
     * Slack-style cursor pages. Every other page is one item short of {@code limit} although more remain,
     * as Slack's docs warn can happen; the last page carries an empty {@code next_cursor}.
     */
    private ObjectNode page(Context ctx, JsonNode body, List<ObjectNode> items, String key) {
        String limitArg = arg(ctx, body, "limit");
        String cursor = arg(ctx, body, "cursor");
        int limit = limitArg == null ? 100 : Integer.parseInt(limitArg);
        int start = 0;
        int pageNumber = 0;
        if (cursor != null && !cursor.isEmpty()) {
            try {
                String[] decoded = new String(Base64.getDecoder().decode(cursor), StandardCharsets.UTF_8).split(":");
                if (!decoded[0].equals(key)) {
                    return error("invalid_cursor");
                }
                start = Integer.parseInt(decoded[1]);
                pageNumber = Integer.parseInt(decoded[2]);
            } catch (RuntimeException e) {
                return error("invalid_cursor");
            }
        }
        int size = pageNumber % 2 == 1 && limit > 1 ? limit - 1 : limit;
        int end = Math.min(items.size(), start + size);
        ObjectNode answer = NODES.objectNode().put("ok", true);
        ArrayNode list = answer.putArray(key);
        items.subList(start, end).forEach(list::add);
        String next = end < items.size()
                ? Base64.getEncoder().encodeToString((key + ":" + end + ":" + (pageNumber + 1)).getBytes(StandardCharsets.UTF_8))
                : "";
        answer.putObject("response_metadata").put("next_cursor", next);
        return answer;
    }

    private static ObjectNode error(String code) {
        return NODES.objectNode().put("ok", false).put("error", code);
    }

    private static void respond(Context ctx, ObjectNode body) {
        ctx.contentType("application/json; charset=utf-8").result(body.toString());
    }

    @Override
    public void close() {
        app.stop();
    }

    public static void main(String[] args) {
        int port = 9001;
        String token = "xoxb-demo-token";
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals("--port")) port = Integer.parseInt(args[i + 1]);
            if (args[i].equals("--token")) token = args[i + 1];
        }
        SlackFake fake = new SlackFake(25, 12).acceptToken(token).withoutRecording().start(port);
        System.out.println("Slack fake on " + fake.apiUrl() + " accepting token " + token);
    }
}
