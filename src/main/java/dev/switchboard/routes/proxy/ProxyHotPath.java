package dev.switchboard.routes.proxy;

import dev.switchboard.auth.UserPrincipal;
import dev.switchboard.blocking.LeaveTheLoop;
import dev.switchboard.calls.AccountSelector;
import dev.switchboard.calls.VendorCalls;
import dev.switchboard.http.Draining;
import dev.switchboard.http.ErrorResponses;
import dev.switchboard.http.RequestIds;
import dev.switchboard.http.UserAuthenticator;
import dev.switchboard.integrations.IntegrationCatalog;
import dev.switchboard.integrations.IntegrationDefinition;
import dev.switchboard.json.Json;
import dev.switchboard.loop.Exchange;
import dev.switchboard.loop.HotPath;
import dev.switchboard.loop.LoopVendorClient;
import dev.switchboard.loop.RequestHead;
import dev.switchboard.outbound.Classification;
import dev.switchboard.outbound.ResponseClassifier;
import dev.switchboard.outbound.VendorBody;
import dev.switchboard.outbound.VendorCall;
import dev.switchboard.outbound.VendorClient;
import dev.switchboard.outbound.VendorRequest;
import dev.switchboard.outbound.VendorResponse;
import dev.switchboard.outbound.VendorTimeoutException;
import dev.switchboard.outbound.VendorUnreachableException;
import dev.switchboard.outcomes.Failure;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The Proxy API on the event loop: {@code /projects/{id}/sdk/proxy/{integration}/...} served start to finish on the
 * connection's loop, the vendor called on a connection of that loop, when everything it needs is at hand (the token
 * and the account in the node's caches, no refresh due, a rate-limit permit free). It declines (and the ordinary
 * path, {@link ProxyRoutes}, serves the request from its start) whenever it would block or the request is unusual:
 * a cache miss, a browser's request (CORS), {@code HEAD}, a failure to answer before the vendor is called. After the
 * vendor's answer it declines only when the ordinary path would repeat the call anyway: a rate limit or an
 * expired or refused credential (the vendor did nothing), or a failure of a call that is safe to repeat.
 */
public final class ProxyHotPath implements HotPath {
    /** Where a request whose steps would block (a cache miss) takes them, before its vendor call goes back to the loop. */
    private static final java.util.concurrent.Executor OFF_LOOP = java.util.concurrent.Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("switchboard-off-loop-", 0).factory());
    private static final String ROUTE = "/projects/{projectId}/sdk/proxy/{integration}/<path>";

    /** Writes a request's access-log line and timer, as the ordinary path does for its own. */
    public interface RequestLog {
        void served(String method, String path, String route, int status, long nanos);
    }

    private final UserAuthenticator users;
    private final IntegrationCatalog catalog;
    private final VendorCalls calls;
    private final LoopVendorClient vendors;
    private final VendorClient pipeline;
    private final Draining draining;
    private final RequestLog log;
    private final MeterRegistry meters;

    public ProxyHotPath(UserAuthenticator users, IntegrationCatalog catalog, VendorCalls calls, VendorClient pipeline, LoopVendorClient vendors,
                        Draining draining, RequestLog log, MeterRegistry meters) {
        this.pipeline = pipeline;
        this.users = users;
        this.catalog = catalog;
        this.calls = calls;
        this.vendors = vendors;
        this.draining = draining;
        this.log = log;
        this.meters = meters;
    }

    @Override
    public boolean claims(RequestHead head) {
        String path = head.path();
        return path.startsWith("/projects/") && path.indexOf("/sdk/proxy/", 10) > 0 && !head.method().equals("HEAD")
                && !head.method().equals("OPTIONS") && head.header("Origin") == null;
    }

    @Override
    public boolean serve(Exchange exchange) {
        RequestHead head = exchange.head();
        String[] segments = head.path().split("/", 7); // "", projects, {id}, sdk, proxy, {integration}, the rest
        if (segments.length < 6 || !segments[3].equals("sdk") || !segments[4].equals("proxy") || segments[2].indexOf('%') >= 0
                || segments[5].indexOf('%') >= 0 || segments[2].isEmpty() || segments[5].isEmpty()) {
            return false;
        }
        IntegrationDefinition integration = catalog.integration(segments[5]).orElse(null);
        if (integration == null || integration.protocol() != null || !draining.enter()) {
            return false;
        }
        String vendorPath = segments.length == 7 && !segments[6].isEmpty() ? segments[6] : null;
        boolean served = false;
        try {
            served = start(exchange, integration, vendorPath);
            return served;
        } catch (LeaveTheLoop blocked) {
            // A cache miss (or a refresh due): the same steps again on a virtual thread, which may wait for the store;
            // the vendor call then goes back to the connection's loop. Nothing was done before the miss.
            served = true;
            OFF_LOOP.execute(() -> {
                try {
                    start(exchange, integration, vendorPath);
                } catch (RuntimeException refused) {
                    draining.leave();
                    counted("declined");
                    exchange.decline(); // a failure before the vendor call: the ordinary path answers it
                }
            });
            return true;
        } catch (Failure refused) {
            return false; // the ordinary path answers failures before the vendor call, with its own pages and headers
        } finally {
            if (!served) {
                draining.leave();
                counted("declined");
            }
        }
    }

    private boolean start(Exchange exchange, IntegrationDefinition integration, String vendorPath) {
        RequestHead head = exchange.head();
        UserPrincipal user = users.authenticate(head.path().split("/", 4)[2], head.header("Authorization"));
        user.requireActionKit();
        String requestId = RequestIds.idFor(head.header(RequestIds.HEADER));
        VendorCalls.RunInProgress run = calls.begin("PROXY");
        run.identify("PROXY", integration.key());
        VendorRequest request;
        try {
            AccountSelector.Account account = calls.select(run, user, integration.key(), head.header("X-Paragon-Credential"));
            URI target = ProxyRoutes.target(integration, account, vendorPath, head.query(), head.header(ProxyRoutes.URL_HEADER));
            boolean safe = head.method().equals("GET");
            VendorCall call = calls.call(integration, account.credential(), safe, false);
            Map<String, List<String>> given = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (int i = 0; i < head.names().size(); i++) {
                given.computeIfAbsent(head.names().get(i), n -> new ArrayList<>()).add(head.values().get(i));
            }
            Map<String, List<String>> headers = ProxyRoutes.forwardedHeaders(given);
            headers.put(RequestIds.HEADER, List.of(requestId));
            byte[] body = exchange.body();
            request = pipeline.firstAttemptWithoutWaiting(new VendorRequest(call, head.method(), target, headers,
                    body.length == 0 && head.header("Content-Length") == null ? null : VendorBody.Bytes.of(body)));
            if (request == null) {
                dev.switchboard.blocking.Blocking.mayBlock("a refresh or a rate-limit wait");
                throw new Failure(Failure.Kind.BUSY, "needs_the_pipeline", "a refresh or a wait for the rate limit");
            }
            ProxyRoutes.bytesIn(meters, integration.key()).increment(body.length);
        } catch (RuntimeException before) {
            calls.leave(run, user);
            throw before;
        }
        VendorRequest sent = request;
        io.netty.channel.EventLoop loop = exchange.channel().eventLoop();
        Runnable send = () -> vendors.send(loop, sent, (response, failure) -> {
            try {
                answer(exchange, user, requestId, run, integration, sent, response, failure);
            } catch (RuntimeException e) {
                calls.end(user, requestId, run, 500, "internal_error");
                respond(exchange, requestId, ErrorResponses.answer(new Failure(Failure.Kind.INTERNAL, "internal_error",
                        "Switchboard failed to handle this request; the request id identifies it in the server log."), requestId), null);
            }
        });
        if (loop.inEventLoop()) {
            send.run();
        } else {
            loop.execute(send);
        }
        return true;
    }

    private void answer(Exchange exchange, UserPrincipal user, String requestId, VendorCalls.RunInProgress run, IntegrationDefinition integration,
                        VendorRequest sent, VendorResponse response, RuntimeException failure) {
        RequestHead head = exchange.head();
        boolean safe = sent.call().safeToRepeat();
        if (failure != null) {
            if (safe) {
                decline(exchange, run, user);
                return;
            }
            Failure said = failure instanceof VendorTimeoutException
                    ? new Failure(Failure.Kind.TIMEOUT, "integration_timeout", integration.name() + " did not answer in time.")
                    : failure instanceof VendorUnreachableException
                    ? new Failure(Failure.Kind.UNREACHABLE, "integration_unreachable", integration.name() + " could not be reached (" + failure.getMessage() + ").")
                    : new Failure(Failure.Kind.VENDOR_FAILED, "integration_response_unreadable", integration.name() + ": " + failure.getMessage());
            said = said.usingCredential(sent.call().credential().id());
            calls.end(user, requestId, run, ErrorResponses.status(said), said.code());
            respond(exchange, requestId, ErrorResponses.answer(said, requestId), null);
            return;
        }
        VendorResponse classified = response.classified(ResponseClassifier.classify(response, integration.errors()));
        Classification.Kind kind = classified.classification().kind();
        boolean repeatAnyway = kind == Classification.Kind.RATE_LIMITED || kind == Classification.Kind.TOKEN_EXPIRED
                || kind == Classification.Kind.CREDENTIAL_REJECTED || (kind == Classification.Kind.SERVER_ERROR && safe)
                || ((response.status() == 401 || response.status() == 403) && !ProxyRoutes.useRaw(head.header(ProxyRoutes.RAW_HEADER)));
        if (repeatAnyway) {
            decline(exchange, run, user);
            return;
        }
        ProxyRoutes.bytesOut(meters, integration.key()).increment(response.body().length);
        List<String> headers = new ArrayList<>(List.of(RequestIds.HEADER, requestId, "X-Paragon-Credential", sent.call().credential().id()));
        byte[] body = response.body();
        String contentType = response.header("Content-Type");
        boolean wrap = !ProxyRoutes.useRaw(head.header(ProxyRoutes.RAW_HEADER)) && ProxyRoutes.isJson(contentType);
        byte[] answer = body;
        if (wrap && body.length <= ProxyRoutes.MAX_PARSED_BYTES) {
            try {
                JsonNode output = body.length == 0 ? null : Json.MAPPER.readTree(body);
                answer = Json.write(Json.object().set("output", output)).getBytes(StandardCharsets.UTF_8);
                headers.addAll(List.of("Content-Type", "application/json"));
            } catch (JacksonException notJson) {
                wrap = false; // the vendor called it JSON but it is not: passed on as sent
            }
        } else if (wrap) {
            answer = new byte[ProxyRoutes.OUTPUT_PREFIX.length + body.length + ProxyRoutes.OUTPUT_SUFFIX.length];
            System.arraycopy(ProxyRoutes.OUTPUT_PREFIX, 0, answer, 0, ProxyRoutes.OUTPUT_PREFIX.length);
            System.arraycopy(body, 0, answer, ProxyRoutes.OUTPUT_PREFIX.length, body.length);
            System.arraycopy(ProxyRoutes.OUTPUT_SUFFIX, 0, answer, ProxyRoutes.OUTPUT_PREFIX.length + body.length, ProxyRoutes.OUTPUT_SUFFIX.length);
            headers.addAll(List.of("Content-Type", "application/json"));
            copyHeaders(response, headers, false);
        }
        if (!wrap) {
            copyHeaders(response, headers, false);
            if (contentType != null) {
                headers.addAll(List.of("Content-Type", contentType));
            }
        }
        calls.end(user, requestId, run, response.status(), response.status() >= 400 ? "integration_error" : null);
        respond(exchange, requestId, new ErrorResponses.Answer(response.status(), headers, answer), head);
    }

    private static void copyHeaders(VendorResponse response, List<String> into, boolean withLength) {
        response.headers().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("content-type") || ProxyRoutes.RESPONSE_HEADERS_DROPPED.contains(lower) && !(withLength && lower.equals("content-length"))) {
                return;
            }
            values.forEach(value -> {
                into.add(name);
                into.add(value);
            });
        });
    }

    private void decline(Exchange exchange, VendorCalls.RunInProgress run, UserPrincipal user) {
        calls.leave(run, user);
        draining.leave();
        counted("declined");
        exchange.decline();
    }

    /** {@code switchboard.loop.requests}: proxy requests the loop served, and those it gave to the ordinary path. */
    private void counted(String outcome) {
        meters.counter("switchboard.loop.requests", "route", "proxy", "outcome", outcome).increment();
    }

    private void respond(Exchange exchange, String requestId, ErrorResponses.Answer answer, RequestHead head) {
        List<String> headers = answer.headers();
        if (head == null) {
            headers = new ArrayList<>(headers);
            headers.addAll(0, List.of(RequestIds.HEADER, requestId, "Content-Type", "application/json"));
        }
        exchange.respond(answer.status(), headers, answer.body());
        draining.leave();
        counted("served");
        log.served(exchange.head().method(), exchange.head().path(), ROUTE, answer.status(), System.nanoTime() - exchange.startedNanos());
    }
}
