package dev.switchboard.fakes;

import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * What every vendor fake shares: a real HTTP server, the credentials it accepts, a log of what it received,
 * and failures queued per operation. Each vendor's fake says how it reads credentials and how it words
 * its errors and rate limits, as the vendor does on the wire.
 */
public abstract class VendorFake implements AutoCloseable {
    public record Received(String method, String path, Map<String, String> query, Map<String, String> headers, byte[] bytes) {
        public String body() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        public JsonNode json() {
            return JSON.readTree(bytes);
        }
    }

    /** A request and the fake's answer to it, for checking both against the vendor's own API description. */
    public record Exchange(Received request, int status, String contentType, String responseBody) {}

    /** A failure to answer the next call of one operation with. */
    public sealed interface Failure {}
    /** HTTP 429 the vendor's way; {@code retryAfterSeconds} where the vendor says when. */
    public record RateLimited(int retryAfterSeconds) implements Failure {}
    /** The vendor's own error answer for bad input or a missing thing. */
    public record VendorError(int status, String code, String message) implements Failure {}

    /** Not a failure of the answer: it comes, after this long (a vendor's slow metadata call). */
    public record Slow(java.time.Duration delay) implements Failure {}

    protected static final JsonMapper JSON = JsonMapper.builder().build();
    protected static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Javalin app;
    private final Set<String> credentials = ConcurrentHashMap.newKeySet();
    private final Map<String, ConcurrentLinkedQueue<Failure>> failures = new ConcurrentHashMap<>();
    /** The vendor's clock, in seconds: every write a second after the one before, so that no two times tie. */
    private final java.util.concurrent.atomic.AtomicLong clockSeconds = new java.util.concurrent.atomic.AtomicLong(
            java.time.Instant.parse("2026-11-29T10:00:00Z").getEpochSecond());
    private final Map<String, ConcurrentLinkedQueue<Runnable>> afterAnswers = new ConcurrentHashMap<>();
    private final List<Received> received = Collections.synchronizedList(new ArrayList<>());
    private final List<Exchange> exchanges = Collections.synchronizedList(new ArrayList<>());

    protected VendorFake() {
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.http.maxRequestSize = 64L * 1024 * 1024;
            config.http.compressionStrategy = io.javalin.compression.CompressionStrategy.NONE;
            routes(config.routes);
            oauthRoutes(config.routes);
        });
    }

    private final Map<String, String> codes = new ConcurrentHashMap<>(); // authorization code to its redirect_uri
    private final Set<String> refreshTokens = ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.atomic.AtomicInteger refreshes = new java.util.concurrent.atomic.AtomicInteger();

    /** A refresh token this fake's token endpoint takes (as one it issued). */
    /** The time of the vendor's next write, a second after the last one; each fake writes it as its vendor writes times. */
    protected java.time.Instant nextWrite() {
        return java.time.Instant.ofEpochSecond(clockSeconds.incrementAndGet());
    }

    /** Sets the vendor's clock (its next write is a second after this instant), to line it up with a test's instants. */
    public void clockAt(java.time.Instant instant) {
        clockSeconds.set(instant.getEpochSecond());
    }

    public VendorFake acceptRefreshToken(String token) {
        dev.switchboard.testing.SecretScanningAppender.watch(token);
        refreshTokens.add(token);
        return this;
    }

    /** How many refresh grants reached the token endpoint. */
    public int refreshes() {
        return refreshes.get();
    }
    private volatile ObjectNode tokenAnswerExtras = NODES.objectNode();
    private volatile boolean rotatesRefreshTokens;

    /** Each refresh answers a new refresh token and the old one stops working, as Microsoft's identity platform does. */
    public VendorFake rotateRefreshTokens() {
        this.rotatesRefreshTokens = true;
        return this;
    }

    /** Further fields of the code exchange's answer, as the vendor adds them (Zoho's {@code api_domain}). */
    public VendorFake tokenAnswerExtras(ObjectNode extras) {
        this.tokenAnswerExtras = extras;
        return this;
    }

    /**
     * The vendor's authorization server, as much of it as connecting needs (Slack's own is {@link SlackFake}'s,
     * with a consent page): the user consents at once, the code works once, for the redirect_uri it was given to,
     * and the access token it buys is one this fake accepts.
     */
    private void oauthRoutes(RoutesConfig routes) {
        routes.get("/oauth/authorize", ctx -> {
            String redirect = ctx.queryParam("redirect_uri");
            String state = ctx.queryParam("state");
            if (redirect == null || state == null || ctx.queryParam("client_id") == null) {
                ctx.status(400).result("client_id, redirect_uri and state are required");
                return;
            }
            String code = "code-" + java.util.UUID.randomUUID();
            codes.put(code, redirect);
            ctx.redirect(redirect + (redirect.contains("?") ? "&" : "?") + "code=" + code + "&state="
                    + java.net.URLEncoder.encode(state, StandardCharsets.UTF_8));
        });
        routes.post("/oauth/token", ctx -> {
            Map<String, String> grant = new TreeMap<>();
            if (String.valueOf(ctx.contentType()).startsWith("application/json")) {
                JSON.readTree(ctx.body()).properties().forEach(e -> grant.put(e.getKey(), e.getValue().asString()));
            } else {
                ctx.formParamMap().forEach((k, v) -> grant.put(k, v.get(0)));
            }
            String redirect = grant.get("code") == null ? null : codes.remove(grant.get("code"));
            boolean client = grant.containsKey("client_id") || String.valueOf(ctx.header("Authorization")).startsWith("Basic ");
            if (!client) {
                json(ctx, 401, NODES.objectNode().put("error", "invalid_client"));
                return;
            }
            if ("refresh_token".equals(grant.get("grant_type"))) {
                refreshes.incrementAndGet();
                if (grant.get("refresh_token") == null || !refreshTokens.contains(grant.get("refresh_token"))) {
                    json(ctx, 400, NODES.objectNode().put("error", "invalid_grant"));
                    return;
                }
                String access = "oauth-access-" + java.util.UUID.randomUUID();
                accept(access);
                ObjectNode answer = NODES.objectNode().put("access_token", access).put("token_type", "Bearer").put("expires_in", 3599);
                if (rotatesRefreshTokens) {
                    refreshTokens.remove(grant.get("refresh_token"));
                    String rotated = "oauth-refresh-" + java.util.UUID.randomUUID();
                    refreshTokens.add(rotated);
                    dev.switchboard.testing.SecretScanningAppender.watch(rotated);
                    answer.put("refresh_token", rotated);
                }
                // Google and Dropbox answer a refresh without a new refresh token: the old one stays good.
                json(ctx, 200, answer);
                return;
            }
            if (!"authorization_code".equals(grant.get("grant_type")) || redirect == null || !redirect.equals(grant.get("redirect_uri"))) {
                json(ctx, 400, NODES.objectNode().put("error", "invalid_grant"));
                return;
            }
            String access = "oauth-access-" + java.util.UUID.randomUUID();
            accept(access);
            String refresh = "oauth-refresh-" + java.util.UUID.randomUUID();
            refreshTokens.add(refresh);
            dev.switchboard.testing.SecretScanningAppender.watch(refresh);
            ObjectNode answer = NODES.objectNode().put("access_token", access).put("refresh_token", refresh)
                    .put("token_type", "Bearer").put("expires_in", 1800);
            answer.setAll(tokenAnswerExtras);
            json(ctx, 200, answer);
        });
    }

    /** The vendor's endpoints; each handler goes through {@link #handle}. */
    protected abstract void routes(RoutesConfig routes);

    /** The credential the request carries, as this vendor reads it, or null; most vendors take a bearer token. */
    protected String credentialOf(Context ctx) {
        return bearer(ctx, "Bearer");
    }

    /** The vendor's answer to a missing, expired or revoked credential. */
    protected abstract void rejectCredential(Context ctx);

    /** The vendor's rate-limit answer. */
    protected abstract void rateLimit(Context ctx, int retryAfterSeconds);

    /** The vendor's error answer. */
    protected abstract void error(Context ctx, VendorError error);

    public interface Operation {
        void answer(Context ctx, JsonNode body);
    }

    /** Records the call, answers with a queued failure or a credential error, else runs the operation. */
    protected Operation handle(String operation, Operation action) {
        return (ctx, ignored) -> {
            byte[] bytes = ctx.bodyAsBytes();
            String text = new String(bytes, StandardCharsets.UTF_8);
            Map<String, String> query = new TreeMap<>();
            ctx.queryParamMap().forEach((k, v) -> query.put(k, v.get(0)));
            Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            headers.putAll(ctx.headerMap());
            Received call = new Received(ctx.method().name(), ctx.path(), query, headers, bytes);
            received.add(call);
            try {
                answer(ctx, operation, action, text);
            } finally {
                exchanges.add(new Exchange(call, ctx.statusCode(), ctx.res().getContentType(), ctx.result()));
            }
        };
    }

    private void answer(Context ctx, String operation, Operation action, String text) {
        {
            Failure failure = failures.getOrDefault(operation, new ConcurrentLinkedQueue<>()).poll();
            if (failure instanceof RateLimited limited) {
                rateLimit(ctx, limited.retryAfterSeconds());
                return;
            }
            if (failure instanceof VendorError vendorError) {
                error(ctx, vendorError);
                return;
            }
            if (failure instanceof Slow slow) {
                try {
                    Thread.sleep(slow.delay());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            String credential = credentialOf(ctx);
            if (credential == null || !credentials.contains(credential)) {
                rejectCredential(ctx);
                return;
            }
            String contentType = ctx.contentType() == null ? "" : ctx.contentType();
            JsonNode body = text.isBlank() || !contentType.startsWith("application/json") ? NODES.objectNode() : JSON.readTree(text);
            action.answer(ctx, body);
            Runnable after = afterAnswers.getOrDefault(operation, new ConcurrentLinkedQueue<>()).poll();
            if (after != null) {
                after.run();
            }
        }
    }

    /** A route whose calls are recorded, checked for the credential and open to {@link #failNext}, by operation name. */
    private void route(RoutesConfig routes, io.javalin.http.HandlerType method, String path, String operation, Operation action) {
        Operation handler = handle(operation, action);
        routes.addHttpHandler(method, path, ctx -> handler.answer(ctx, null));
    }

    protected void get(RoutesConfig routes, String path, String operation, Operation action) {
        route(routes, io.javalin.http.HandlerType.GET, path, operation, action);
    }

    protected void post(RoutesConfig routes, String path, String operation, Operation action) {
        route(routes, io.javalin.http.HandlerType.POST, path, operation, action);
    }

    /**
     * A route whose body is not read into memory (gigabyte transfers through the proxy): the credential is
     * checked, the call is recorded without its body, and the handler reads the stream itself.
     */
    protected void streaming(RoutesConfig routes, io.javalin.http.HandlerType method, String path, io.javalin.http.Handler handler) {
        routes.addHttpHandler(method, path, ctx -> {
            Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            headers.putAll(ctx.headerMap());
            Map<String, String> query = new TreeMap<>();
            ctx.queryParamMap().forEach((k, v) -> query.put(k, v.get(0)));
            received.add(new Received(ctx.method().name(), ctx.path(), query, headers, new byte[0]));
            String credential = credentialOf(ctx);
            if (credential == null || !credentials.contains(credential)) {
                rejectCredential(ctx);
                return;
            }
            handler.handle(ctx);
        });
    }

    protected void put(RoutesConfig routes, String path, String operation, Operation action) {
        route(routes, io.javalin.http.HandlerType.PUT, path, operation, action);
    }

    protected void patch(RoutesConfig routes, String path, String operation, Operation action) {
        route(routes, io.javalin.http.HandlerType.PATCH, path, operation, action);
    }

    protected void delete(RoutesConfig routes, String path, String operation, Operation action) {
        route(routes, io.javalin.http.HandlerType.DELETE, path, operation, action);
    }

    @SuppressWarnings("unchecked")
    public <T extends VendorFake> T start() {
        app.start("127.0.0.1", 0);
        return (T) this;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + app.port();
    }

    public VendorFake accept(String credential) {
        dev.switchboard.testing.SecretScanningAppender.watch(credential);
        credentials.add(credential);
        return this;
    }

    public void revoke(String credential) {
        credentials.remove(credential);
    }

    /** Every access token this fake's token endpoint issued stops working, as when they expire. */
    public void expireIssuedAccessTokens() {
        credentials.removeIf(c -> c.startsWith("oauth-access-"));
    }

    /** Something that happens at the vendor right after it next answers this operation (another client's write). */
    public void onNext(String operation, Runnable change) {
        afterAnswers.computeIfAbsent(operation, o -> new ConcurrentLinkedQueue<>()).add(change);
    }

    public void failNext(String operation, Failure failure) {
        failures.computeIfAbsent(operation, o -> new ConcurrentLinkedQueue<>()).add(failure);
    }

    public List<Exchange> exchanges() {
        synchronized (exchanges) {
            return List.copyOf(exchanges);
        }
    }

    public void reset() {
        exchanges.clear();
        received.clear();
        failures.clear();
        afterAnswers.clear();
    }

    public List<Received> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    public List<Received> received(String method, String path) {
        return received().stream().filter(r -> r.method().equals(method) && r.path().equals(path)).toList();
    }

    protected static void json(Context ctx, int status, JsonNode body) {
        ctx.status(status).contentType("application/json; charset=utf-8").result(body.toString());
    }

    protected static String bearer(Context ctx, String scheme) {
        String header = ctx.header("Authorization");
        return header != null && header.startsWith(scheme + " ") ? header.substring(scheme.length() + 1) : null;
    }

    /** The password of HTTP Basic auth. */
    protected static String basicPassword(Context ctx) {
        String encoded = bearer(ctx, "Basic");
        if (encoded == null) {
            return null;
        }
        String pair = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        int colon = pair.indexOf(':');
        return colon < 0 ? null : pair.substring(colon + 1);
    }

    protected static int intParam(Context ctx, String name, int defaultValue) {
        String value = ctx.queryParam(name);
        return value == null ? defaultValue : Integer.parseInt(value);
    }

    /** Numbered records {@code {idField: prefix+n, nameField: "...n"}} for list endpoints. */
    protected static List<ObjectNode> records(int count, String idField, String prefix, String nameField) {
        List<ObjectNode> list = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            list.add(NODES.objectNode().put(idField, prefix + String.format("%04d", i)).put(nameField, "Record " + i));
        }
        return list;
    }

    /** One part of a multipart body as the fake parsed it. */
    public record Part(Map<String, String> headers, byte[] content) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).findFirst().orElse(null);
        }
    }

    /** Parses a multipart body (RFC 2046) by its boundary, as a vendor does; null when it is malformed. */
    protected static List<Part> multipart(String contentType, byte[] body) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("boundary=\"?([^\";]+)\"?").matcher(contentType == null ? "" : contentType);
        if (!m.find()) {
            return null;
        }
        byte[] delimiter = ("--" + m.group(1)).getBytes(StandardCharsets.US_ASCII);
        List<Part> parts = new ArrayList<>();
        int at = indexOf(body, delimiter, 0);
        while (at >= 0) {
            int start = at + delimiter.length;
            if (start + 1 < body.length && body[start] == '-' && body[start + 1] == '-') {
                return parts;
            }
            start += 2; // CRLF after the delimiter
            int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), start);
            int next = indexOf(body, ("\r\n" + new String(delimiter, StandardCharsets.US_ASCII)).getBytes(StandardCharsets.US_ASCII), headersEnd);
            if (headersEnd < 0 || next < 0) {
                return null;
            }
            Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (String line : new String(body, start, headersEnd - start, StandardCharsets.UTF_8).split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0) headers.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
            }
            byte[] content = java.util.Arrays.copyOfRange(body, headersEnd + 4, next);
            parts.add(new Part(headers, content));
            at = next + 2;
        }
        return null;
    }

    private static int indexOf(byte[] data, byte[] pattern, int from) {
        outer:
        for (int i = Math.max(0, from); i <= data.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) continue outer;
            }
            return i;
        }
        return -1;
    }

    public static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A deterministic byte stream of any length, made as it is read (for gigabyte downloads). */
    public static java.io.InputStream pattern(long length) {
        return new java.io.InputStream() {
            private long position;

            @Override
            public int read() {
                return position < length ? (int) ((position++ * 31 + 7) & 0xff) : -1;
            }

            @Override
            public int read(byte[] buffer, int offset, int count) {
                if (position >= length) return -1;
                int n = (int) Math.min(count, length - position);
                for (int i = 0; i < n; i++) buffer[offset + i] = (byte) ((position++ * 31 + 7) & 0xff);
                return n;
            }
        };
    }

    @Override
    public void close() {
        app.stop();
    }
}
