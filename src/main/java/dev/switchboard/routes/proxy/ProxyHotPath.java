package dev.switchboard.routes.proxy;

import dev.switchboard.auth.UserPrincipal;
import dev.switchboard.calls.AccountSelector;
import dev.switchboard.calls.VendorCalls;
import dev.switchboard.http.RequestIds;
import dev.switchboard.http.UserAuthenticator;
import dev.switchboard.integrations.IntegrationCatalog;
import dev.switchboard.integrations.IntegrationDefinition;
import dev.switchboard.json.Json;
import dev.switchboard.http.loop.Exchange;
import dev.switchboard.http.loop.HotPath;
import dev.switchboard.http.loop.LoopRuns;
import dev.switchboard.http.loop.RequestHead;
import dev.switchboard.outbound.VendorBody;
import dev.switchboard.outbound.VendorCall;
import dev.switchboard.outbound.VendorRequest;
import dev.switchboard.outbound.VendorResponse;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * The Proxy API on the event loop (issue 24): what {@link ProxyRoutes} does for a plain request. The vendor's answer
 * is read whole up to the size that {@link ProxyRoutes} parses (4 MiB) and streamed past it, wrapped as it streams
 * when it is JSON, as there. Browsers' requests (CORS), {@code HEAD} and {@code OPTIONS}, integrations with a protocol
 * of their own and bodies over 64 KiB are the ordinary path's; see {@link LoopRuns} for the rest.
 */
public final class ProxyHotPath implements HotPath, LoopRuns.Route {
    private final UserAuthenticator users;
    private final IntegrationCatalog catalog;
    private final VendorCalls calls;
    private final LoopRuns runs;
    private final dev.switchboard.metrics.MeterFamily<io.micrometer.core.instrument.Counter> proxyBytes;

    public ProxyHotPath(UserAuthenticator users, IntegrationCatalog catalog, VendorCalls calls, LoopRuns runs, MeterRegistry meters) {
        this.users = users;
        this.catalog = catalog;
        this.calls = calls;
        this.runs = runs;
        this.proxyBytes = ProxyRoutes.proxyBytes(meters);
    }

    @Override
    public boolean claims(RequestHead head) {
        String path = head.path();
        return path.startsWith("/projects/") && path.indexOf("/sdk/proxy/", 10) > 0 && !head.method().equals("HEAD")
                && !head.method().equals("OPTIONS") && head.header("Origin") == null;
    }

    @Override
    public boolean serve(Exchange exchange) {
        return runs.serve(exchange, this);
    }

    @Override
    public String kind() {
        return "proxy";
    }

    @Override
    public int streamsAnswersOver() {
        return ProxyRoutes.MAX_PARSED_BYTES;
    }

    @Override
    public String pattern(RequestHead head) {
        return "/projects/{projectId}/sdk/proxy/{integration}/<path>";
    }

    @Override
    public LoopRuns.Ready prepare(Exchange exchange, VendorCalls.RunInProgress run) {
        RequestHead head = exchange.head();
        String[] segments = head.path().split("/", 7); // "", projects, {id}, sdk, proxy, {integration}, the rest
        if (segments.length < 6 || !segments[3].equals("sdk") || !segments[4].equals("proxy") || segments[2].isEmpty()
                || segments[5].isEmpty() || segments[2].indexOf('%') >= 0 || segments[5].indexOf('%') >= 0) {
            return null;
        }
        IntegrationDefinition integration = catalog.integration(segments[5]).orElse(null);
        if (integration == null || integration.protocol() != null) {
            return null;
        }
        UserPrincipal user = users.authenticate(segments[2], head.header("Authorization"));
        user.requireActionKit();
        run.identify("PROXY", integration.key());
        AccountSelector.Account account = calls.select(run, user, integration.key(), head.header("X-Paragon-Credential"));
        String vendorPath = segments.length == 7 && !segments[6].isEmpty() ? segments[6] : null;
        URI target = ProxyRoutes.target(integration, account, vendorPath, head.query(), head.header(ProxyRoutes.URL_HEADER));
        VendorCall call = calls.call(integration, account.credential(), head.method().equals("GET"), false);
        Map<String, List<String>> given = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 0; i < head.names().size(); i++) {
            given.computeIfAbsent(head.names().get(i), n -> new ArrayList<>()).add(head.values().get(i));
        }
        Map<String, List<String>> headers = ProxyRoutes.forwardedHeaders(given);
        String requestId = RequestIds.idFor(head.header(RequestIds.HEADER));
        headers.put(RequestIds.HEADER, List.of(requestId));
        byte[] body = exchange.body();
        proxyBytes.with(integration.key(), "in").increment(body.length);
        boolean raw = ProxyRoutes.useRaw(head.header(ProxyRoutes.RAW_HEADER));
        String credentialId = account.credential().id();
        return new LoopRuns.Ready(user, requestId, new VendorRequest(call, head.method(), target, headers,
                head.header("Content-Length") == null ? null : VendorBody.Bytes.of(body)), new LoopRuns.Answering() {
            @Override
            public LoopRuns.Outcome answer(VendorResponse response) {
                // A vendor's 401 or 403 is answered as an action's would be (SPEC 4), as ProxyRoutes does.
                if ((response.status() == 401 || response.status() == 403) && !raw) {
                    throw calls.failure(call, response, false);
                }
                proxyBytes.with(integration.key(), "out").increment(response.body().length);
                return outcome(response, raw, credentialId);
            }

            @Override
            public LoopRuns.Streamed stream(VendorResponse head) {
                if ((head.status() == 401 || head.status() == 403) && !raw) {
                    throw calls.failure(call, head, false);
                }
                return streamed(head, raw, credentialId, proxyBytes.with(integration.key(), "out")::increment);
            }
        });
    }

    /** The caller's answer to a vendor's answer too large to read, as {@link ProxyRoutes} streams one. */
    private static LoopRuns.Streamed streamed(VendorResponse head, boolean raw, String credentialId, java.util.function.LongConsumer bytesOut) {
        List<String> headers = new ArrayList<>(List.of("X-Paragon-Credential", credentialId));
        copyHeaders(head, headers);
        String contentType = head.header("Content-Type");
        String errorCode = head.status() >= 400 ? "integration_error" : null;
        if (!raw && ProxyRoutes.isJson(contentType)) {
            headers.addAll(List.of("Content-Type", "application/json"));
            return new LoopRuns.Streamed(head.status(), headers, ProxyRoutes.OUTPUT_PREFIX, ProxyRoutes.OUTPUT_SUFFIX, errorCode, bytesOut);
        }
        if (contentType != null) {
            headers.addAll(List.of("Content-Type", contentType));
        }
        return new LoopRuns.Streamed(head.status(), headers, new byte[0], new byte[0], errorCode, bytesOut);
    }

    /** The caller's answer, as {@link ProxyRoutes} gives it: JSON wrapped in {@code {"output": ...}}, anything else as sent. */
    private static LoopRuns.Outcome outcome(VendorResponse response, boolean raw, String credentialId) {
        List<String> headers = new ArrayList<>(List.of("X-Paragon-Credential", credentialId));
        byte[] body = response.body();
        String contentType = response.header("Content-Type");
        String errorCode = response.status() >= 400 ? "integration_error" : null;
        if (!raw && ProxyRoutes.isJson(contentType)) { // at most MAX_PARSED_BYTES: a larger answer streams
            // Parsed once: the classifier may have read it already (Slack's "ok"). Null for a body that is not JSON.
            JsonNode output = body.length == 0 ? null : response.json();
            if (body.length == 0 || output != null) {
                headers.addAll(List.of("Content-Type", "application/json"));
                return new LoopRuns.Outcome(response.status(), headers, Json.MAPPER.writeValueAsBytes(Json.object().set("output", output)),
                        errorCode);
            }
            // the vendor called it JSON but it is not: passed on as sent, below
        }
        copyHeaders(response, headers);
        if (contentType != null) {
            headers.addAll(List.of("Content-Type", contentType));
        }
        return new LoopRuns.Outcome(response.status(), headers, body, errorCode);
    }

    private static void copyHeaders(VendorResponse response, List<String> into) {
        response.headers().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!lower.equals("content-type") && !ProxyRoutes.RESPONSE_HEADERS_DROPPED.contains(lower)) {
                values.forEach(value -> {
                    into.add(name);
                    into.add(value);
                });
            }
        });
    }
}
