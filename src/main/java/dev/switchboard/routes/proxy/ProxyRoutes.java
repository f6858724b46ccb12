package dev.switchboard.routes.proxy;

import dev.switchboard.auth.UserPrincipal;
import dev.switchboard.calls.AccountSelector;
import dev.switchboard.calls.VendorCalls;
import dev.switchboard.http.RequestIds;
import dev.switchboard.http.UserAuthenticator;
import dev.switchboard.integrations.IntegrationCatalog;
import dev.switchboard.integrations.IntegrationDefinition;
import dev.switchboard.json.Json;
import dev.switchboard.mapping.VendorUrls;
import dev.switchboard.outbound.Placeholders;
import dev.switchboard.outbound.VendorBody;
import dev.switchboard.outbound.VendorCall;
import dev.switchboard.outbound.VendorRequest;
import dev.switchboard.outbound.VendorResponse;
import dev.switchboard.outcomes.Echo;
import dev.switchboard.outcomes.Failure;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.javalin.http.HandlerType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * {@code ANY /projects/{projectId}/sdk/proxy/{integration}/{path}}: forwards a call to the vendor with the
 * account's auth added, through the same pipeline as actions. Bodies stream both ways, so memory does not
 * grow with their size. JSON answers come back as {@code {"output": ...}}, everything else (and everything
 * with {@code X-Paragon-Use-Raw-Response}) as the vendor sent it.
 */
public final class ProxyRoutes {
    public static final String URL_HEADER = "X-Paragon-Proxy-Url";
    public static final String RAW_HEADER = "X-Paragon-Use-Raw-Response";
    private static final String PREFIX = "/projects/{projectId}/sdk/proxy/{integration}";
    /**
     * A JSON answer up to this size is read and checked before it is wrapped in {@code {"output": ...}}; a larger
     * one is wrapped as it streams, unread, so that memory does not grow with it.
     */
    static final int MAX_PARSED_BYTES = 4 * 1024 * 1024;
    static final byte[] OUTPUT_PREFIX = "{\"output\":".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    static final byte[] OUTPUT_SUFFIX = "}".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** Never forwarded to the vendor: hop-by-hop headers, the caller's own credentials and Switchboard's own headers. */
    private static final Set<String> REQUEST_HEADERS_DROPPED = Set.of("authorization", "proxy-authorization", "cookie", "host",
            "connection", "keep-alive", "te", "trailer", "transfer-encoding", "upgrade", "proxy-connection", "content-length",
            "expect", "accept-encoding", "forwarded", "via", "origin", "referer", "x-real-ip", "x-request-id");
    /** Never passed back to the caller. */
    static final Set<String> RESPONSE_HEADERS_DROPPED = Set.of("connection", "keep-alive", "te", "trailer",
            "transfer-encoding", "upgrade", "proxy-authenticate", "proxy-connection", "set-cookie", "set-cookie2",
            "content-length", "www-authenticate", "server", "date");

    private static final int BUFFERED_BODY_BYTES = 64 * 1024;

    private final UserAuthenticator users;
    private final IntegrationCatalog catalog;
    private final VendorCalls calls;
    private final dev.switchboard.metrics.MeterFamily<Counter> proxyBytes;

    public ProxyRoutes(UserAuthenticator users, IntegrationCatalog catalog, VendorCalls calls, MeterRegistry meters) {
        this.users = users;
        this.catalog = catalog;
        this.calls = calls;
        this.proxyBytes = proxyBytes(meters);
    }

    /** Bytes through the proxy: {@code in} from callers to vendors, {@code out} from vendors to callers. */
    private Counter bytes(String integration, String direction) {
        return proxyBytes.with(integration, direction);
    }

    /** {@code switchboard.proxy.bytes} (integration, direction: in or out): the proxy's bytes, the loop's and Jetty's. */
    static dev.switchboard.metrics.MeterFamily<Counter> proxyBytes(MeterRegistry meters) {
        return dev.switchboard.metrics.MeterFamily.counters(meters, "switchboard.proxy.bytes", counter -> counter.baseUnit("bytes"),
                "integration", "direction");
    }

    public void register(RoutesConfig routes) {
        for (HandlerType method : List.of(HandlerType.GET, HandlerType.POST, HandlerType.PUT, HandlerType.PATCH,
                HandlerType.DELETE, HandlerType.HEAD, HandlerType.OPTIONS)) {
            routes.addHttpHandler(method, PREFIX, this::proxy);
            routes.addHttpHandler(method, PREFIX + "/<path>", this::proxy);
        }
    }

    private void proxy(Context ctx) throws IOException {
        UserPrincipal user = users.authenticate(ctx);
        String key = ctx.pathParam("integration");
        calls.recorded(user, RequestIds.of(ctx), "PROXY", run -> {
            user.requireActionKit(); // the proxy runs calls on the user's accounts, as actions do
            IntegrationDefinition integration = catalog.integration(key)
                    .orElseThrow(() -> Failure.notFound("integration_not_found", "Unknown integration " + Echo.quote(key) + "."));
            run.identify("PROXY", key);
            AccountSelector.Account account = calls.select(run, user, key, ctx.header("X-Paragon-Credential"));
            URI target = target(integration, account, vendorPath(ctx), ctx.req().getQueryString(), ctx.header(URL_HEADER));
            String method = ctx.method().name();
            boolean safe = method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS");
            VendorCall call = calls.call(integration, account.credential(), safe, true);
            VendorResponse response = calls.send(run, new VendorRequest(call, method, target, forwardedHeaders(ctx), body(ctx, bytes(key, "in"))));
            // A vendor's 401 or 403 is answered as an action's would be (SPEC 4): never passed on as such, since
            // ActionKit's SDK logs its user out on those. The raw mode is the caller's explicit choice to see it.
            if ((response.status() == 401 || response.status() == 403) && !useRaw(ctx)) {
                throw calls.failure(call, response, false);
            }
            ctx.header("X-Paragon-Credential", account.credential().id());
            respond(ctx, integration, response, run);
            return response.status();
        }, status -> status);
    }

    /** The vendor URL a proxied call goes to: the path (and query) under the integration's API, or the caller's full URL. */
    static URI target(IntegrationDefinition integration, AccountSelector.Account account, String vendorPath, String query, String urlHeader) {
        Map<String, String> values = Placeholders.values(integration, account.credential());
        String api = Placeholders.fill(VendorUrls.url(integration, account.config(), "api"), values, true);
        return ProxyTarget.resolve(api, () -> VendorUrls.filled(VendorUrls.of(integration, account.config()), values).values(),
                vendorPath, query, urlHeader);
    }

    /**
     * The vendor path as the caller wrote it, encoded: what follows {@code /projects/{id}/sdk/proxy/{integration}/}
     * in the raw request URI. Counted by segments, not by the decoded parameters' lengths, which a percent-encoded
     * project id or integration would shift.
     */
    static String vendorPath(Context ctx) {
        String rawUri = ctx.req().getRequestURI().substring(ctx.req().getContextPath().length());
        String[] segments = rawUri.split("/", 7); // "", projects, {id}, sdk, proxy, {integration}, the rest
        return segments.length == 7 && !segments[6].isEmpty() ? segments[6] : null;
    }

    private static Map<String, List<String>> forwardedHeaders(Context ctx) {
        Map<String, List<String>> given = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String name : Collections.list(ctx.req().getHeaderNames())) {
            given.put(name, Collections.list(ctx.req().getHeaders(name)));
        }
        return forwardedHeaders(given);
    }

    /** The caller's headers that go on to the vendor (see {@link #REQUEST_HEADERS_DROPPED}). */
    static Map<String, List<String>> forwardedHeaders(Map<String, List<String>> given) {
        Set<String> named = REQUEST_HEADERS_DROPPED;
        List<String> connection = given.get("Connection");
        if (connection != null) {
            named = new java.util.HashSet<>(REQUEST_HEADERS_DROPPED); // and the headers it names, hop-by-hop too
            for (String value : connection) {
                for (String token : value.split(",")) named.add(token.strip().toLowerCase(Locale.ROOT));
            }
        }
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (Map.Entry<String, List<String>> header : given.entrySet()) {
            String lower = header.getKey().toLowerCase(Locale.ROOT);
            if (!named.contains(lower) && !lower.startsWith("x-paragon-") && !lower.startsWith("x-forwarded-")) {
                headers.put(header.getKey(), header.getValue());
            }
        }
        // The Connect SDK's request() sends "Content-Type: auto" unless told otherwise, with its object bodies as JSON.
        List<String> type = headers.get("Content-Type");
        if (type != null && type.size() == 1 && type.get(0).strip().equalsIgnoreCase("auto")) {
            headers.put("Content-Type", List.of("application/json; charset=utf-8"));
        }
        return headers;
    }

    /**
     * A small body of declared length is read first and sent as bytes: cheaper than piping it between threads,
     * and, like an action's body, it can be sent again after a 429 or a refreshed token. Anything else streams.
     */
    private static VendorBody body(Context ctx, Counter bytesIn) throws IOException {
        long length = ctx.req().getContentLengthLong();
        boolean chunked = ctx.header("Transfer-Encoding") != null;
        if (length <= 0 && !chunked) {
            return null;
        }
        if (!chunked && length <= BUFFERED_BODY_BYTES) {
            byte[] bytes = ctx.req().getInputStream().readNBytes((int) length);
            if (bytes.length < length) {
                throw Failure.invalidInput("invalid_request", "The request body ended before its Content-Length of " + length + " bytes.");
            }
            bytesIn.increment(bytes.length);
            return VendorBody.Bytes.of(bytes);
        }
        return new VendorBody.Streamed(new CountedStream(ctx.req().getInputStream(), bytesIn), length);
    }

    private static boolean useRaw(Context ctx) {
        return useRaw(ctx.header(RAW_HEADER));
    }

    static boolean useRaw(String raw) {
        return raw != null && (raw.equals("1") || raw.equalsIgnoreCase("true"));
    }

    /** {@code application/json}, or a type of JSON ({@code application/<...>+json}), with or without parameters. */
    static boolean isJson(String contentType) {
        // As the pattern application/([a-z.+-]*\+)?json.* reads the type in lower case, without a regex on each answer.
        if (contentType == null || !hasInLowerCase(contentType, 0, "application/")) {
            return false;
        }
        for (int i = 12; i < contentType.length(); i++) {
            if ((i == 12 || contentType.charAt(i - 1) == '+') && hasInLowerCase(contentType, i, "json")) {
                return true;
            }
            char c = Character.toLowerCase(contentType.charAt(i));
            if (!(c >= 'a' && c <= 'z' || c == '.' || c == '+' || c == '-') || contentType.charAt(i) >= 0x80) {
                return false;
            }
        }
        return false;
    }

    /** Whether {@code text}, in lower case, holds {@code lower} at {@code at}. */
    private static boolean hasInLowerCase(String text, int at, String lower) {
        if (at + lower.length() > text.length()) {
            return false;
        }
        for (int i = 0; i < lower.length(); i++) {
            char c = text.charAt(at + i);
            if (c >= 0x80 || Character.toLowerCase(c) != lower.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private void respond(Context ctx, IntegrationDefinition integration, VendorResponse response, VendorCalls.RunInProgress run) {
        boolean useRaw = useRaw(ctx);
        String contentType = response.header("Content-Type");
        boolean json = isJson(contentType);
        InputStream stream = new CountedStream(response.stream(), bytes(integration.key(), "out"));
        if (useRaw || !json || ctx.method().name().equals("HEAD")) {
            // The first bytes are awaited here, while the answer can still be an error: past them, a vendor that
            // breaks off can only break off the caller's answer too.
            PushbackInputStream body = new PushbackInputStream(stream, 1);
            int first = readOrFail(integration, body::read);
            if (first >= 0) {
                unread(body, first);
            }
            copyHeaders(ctx, response, true);
            ctx.status(response.status()).result(calls.heldUntilClosed(run, body));
            return;
        }
        byte[] start = readOrFail(integration, () -> stream.readNBytes(MAX_PARSED_BYTES + 1));
        if (start.length > MAX_PARSED_BYTES) {
            // Too large to read into memory: wrapped as it streams, the bytes read so far and then the rest.
            copyHeaders(ctx, response, false);
            ctx.status(response.status()).contentType("application/json").result(calls.heldUntilClosed(run, new SequenceInputStream(
                    Collections.enumeration(List.of(new ByteArrayInputStream(OUTPUT_PREFIX), new ByteArrayInputStream(start), stream,
                            new ByteArrayInputStream(OUTPUT_SUFFIX))))));
            return;
        }
        response.close();
        try {
            JsonNode output = start.length == 0 ? null : Json.MAPPER.readTree(start);
            ctx.status(response.status()).contentType("application/json").result(Json.write(Json.object().set("output", output)));
        } catch (JacksonException notJson) {
            // the vendor called it JSON but it is not: pass it on as sent
            copyHeaders(ctx, response, false);
            ctx.status(response.status()).result(new ByteArrayInputStream(start));
        }
    }

    private interface Read<T> {
        T read() throws IOException;
    }

    /** A read of the vendor's answer; a connection the vendor broke off is the vendor's failure (502), not ours. */
    private static <T> T readOrFail(IntegrationDefinition integration, Read<T> read) {
        try {
            return read.read();
        } catch (IOException e) {
            throw new Failure(Failure.Kind.UNREACHABLE, "integration_unreachable",
                    integration.name() + " broke off its answer before it was complete.");
        }
    }

    private static void unread(PushbackInputStream body, int first) {
        try {
            body.unread(first);
        } catch (IOException impossible) {
            throw new IllegalStateException(impossible); // the pushback buffer holds the one byte just read
        }
    }

    private static void copyHeaders(Context ctx, VendorResponse response, boolean withLength) {
        response.headers().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (RESPONSE_HEADERS_DROPPED.contains(lower) && !(withLength && lower.equals("content-length"))) {
                return;
            }
            if (lower.equals("content-type")) {
                ctx.contentType(values.get(0)); // Javalin would otherwise put its own default
                return;
            }
            values.forEach(value -> ctx.res().addHeader(name, value));
        });
    }
}
