package dev.switchboard.outbound;

import dev.switchboard.metrics.MeterFamily;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.jetty12.client.JettyClientMetrics;
import io.micrometer.jetty12.client.JettyClientTags;
import io.micrometer.jetty12.client.JettyClientTagsProvider;
import org.eclipse.jetty.client.Result;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.ByteBufferRequestContent;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamRequestContent;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.ProxyAuthenticationProtocolHandler;
import org.eclipse.jetty.client.RedirectProtocolHandler;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.WWWAuthenticationProtocolHandler;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The last step: sends the request with Jetty's HttpClient, under a per-attempt timeout, and reads the
 * answer. Redirects are not followed (a redirect to another host must never carry the credential).
 */
public final class JettyTransport implements VendorInterceptor, AutoCloseable {
    /** How long past the attempt timeout a wait may last before it gives up on Jetty's own timeout. */
    private static final Duration DEADLINE_MARGIN = Duration.ofSeconds(1);

    private final HttpClient client;
    private final Duration attemptTimeout;
    /** The vendor latency histogram's buckets: few and fixed, so that each integration adds a bounded number of series. */
    private static final Duration[] LATENCY_BUCKETS = Stream.of(25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000)
            .map(Duration::ofMillis).toArray(Duration[]::new);

    /**
     * The vendor call timer, {@code switchboard.vendor.requests} (integration, outcome: the status, timeout or error),
     * for every client that calls vendors (this one, and the event loop's); record with integration, then outcome.
     */
    public static MeterFamily<Timer> vendorRequestTimers(MeterRegistry meters) {
        return MeterFamily.timers(meters, "switchboard.vendor.requests", timer -> timer.serviceLevelObjectives(LATENCY_BUCKETS),
                "integration", "outcome");
    }

    private final MeterFamily<Timer> vendorRequests;
    /** Action answers are read into memory up to this size; anything larger belongs to the Proxy API. */
    private final int maxAnswerBytes;

    private JettyTransport(HttpClient client, Duration attemptTimeout, MeterRegistry meters, int maxAnswerBytes) {
        this.client = client;
        this.attemptTimeout = attemptTimeout;
        this.vendorRequests = vendorRequestTimers(meters);
        this.maxAnswerBytes = maxAnswerBytes;
    }

    /** One HTTP client for every vendor call of this node, started. */
    /** @param maxAnswerBytes the largest answer read into memory (a streamed one may be any size) */
    public static JettyTransport start(Duration connectTimeout, Duration attemptTimeout, MeterRegistry meters, int maxAnswerBytes) {
        QueuedThreadPool threads = new QueuedThreadPool(64, 4);
        threads.setName("vendor-http");
        // Jetty parses answers on its selector thread instead of handing each one to a pool thread: every
        // listener here only completes a future or queues bytes, never blocks, and a hand-off between threads
        // cost more CPU than the parsing itself (issue 7's profile).
        HttpClientTransportOverHTTP transport = new HttpClientTransportOverHTTP();
        transport.setInvocationType(Invocable.InvocationType.NON_BLOCKING);
        HttpClient http = new HttpClient(transport);
        http.setExecutor(threads);
        http.setConnectTimeout(connectTimeout.toMillis());
        http.setFollowRedirects(false);
        http.setMaxConnectionsPerDestination(256);
        http.setUserAgentField(new HttpField("User-Agent", "Switchboard"));
        // One client serves every tenant: a cookie a vendor set on one user's call must never ride on another's.
        http.setHttpCookieStore(new HttpCookieStore.Empty());
        // Jetty's client timer, with bounded tags: vendors' hosts include tenants' own (a shop, a subdomain).
        http.getRequestListeners().addListener(JettyClientMetrics.builder(meters, (request, result) -> "vendor")
                .tagsProvider(new JettyClientTagsProvider() {
                    @Override
                    public Iterable<Tag> httpRequestTags(Result result) {
                        return Tags.of(JettyClientTags.method(result.getRequest()), JettyClientTags.status(result), JettyClientTags.outcome(result));
                    }

                    @Override
                    public String uriPattern(Result result) {
                        return "vendor";
                    }
                }).build());
        try {
            http.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the vendor HTTP client", e);
        }
        // Vendors answer 401 without WWW-Authenticate; Jetty's own auth handling would call that a protocol
        // violation, and redirects go back to the caller unfollowed. Its handlers are installed on start, so they
        // are removed after it. The handlers of interim answers (100, 102, 103) stay: without them an interim
        // answer would end the exchange and the real answer behind it would be lost.
        http.getProtocolHandlers().remove(WWWAuthenticationProtocolHandler.NAME);
        http.getProtocolHandlers().remove(ProxyAuthenticationProtocolHandler.NAME);
        http.getProtocolHandlers().remove(RedirectProtocolHandler.NAME);
        // Bytes pass as the vendor sent them (the proxy relays them); Jetty would otherwise ask for gzip and inflate it.
        http.getContentDecoderFactories().clear();
        return new JettyTransport(http, attemptTimeout, meters, maxAnswerBytes);
    }

    @Override
    public void close() throws Exception {
        client.stop();
    }

    @Override
    public VendorResponse intercept(Chain chain) {
        VendorRequest request = chain.request();
        long started = System.nanoTime();
        boolean streamed = request.call().streamResponse();
        Request jetty = client.newRequest(request.uri())
                .method(request.method())
                .followRedirects(false);
        // A streamed transfer may take long in total; only silence ends it. Buffered calls have a total budget.
        if (streamed) {
            jetty.idleTimeout(attemptTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } else {
            jetty.timeout(attemptTimeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        String contentType = null;
        for (Map.Entry<String, List<String>> header : request.headers().entrySet()) {
            if (header.getKey().equalsIgnoreCase("Content-Type")) {
                contentType = header.getValue().get(0);
                continue;
            }
            jetty.headers(h -> header.getValue().forEach(v -> h.add(header.getKey(), v)));
        }
        String requestId = TraceHeaders.requestId();
        if (requestId != null && !request.headers().containsKey("X-Request-Id")) {
            jetty.headers(h -> h.put("X-Request-Id", requestId));
        }
        String traceparent = TraceHeaders.traceparent();
        if (traceparent != null && !request.headers().containsKey("traceparent")) {
            jetty.headers(h -> h.put("traceparent", traceparent));
        }
        String type = contentType == null ? "application/octet-stream" : contentType;
        switch (request.body()) {
            case null -> { }
            case VendorBody.Bytes bytes -> jetty.body(new ByteBufferRequestContent(type,
                    bytes.chunks().stream().map(java.nio.ByteBuffer::wrap).toList()));
            case VendorBody.Streamed stream -> jetty.body(new InputStreamRequestContent(type, stream.stream()) {
                @Override
                public long getLength() {
                    return stream.length();
                }
            });
            // The auth step writes the secret in; a body that still waits for it has no account to take it from.
            case VendorBody.WithSecret unfilled -> throw new IllegalStateException("a body that carries the account's secret was sent without an account");
        }
        String outcome = "error";
        try {
            VendorResponse response = streamed ? sendStreamed(jetty) : sendBuffered(jetty);
            outcome = String.valueOf(response.status());
            return response;
        } catch (TimeoutException e) {
            jetty.abort(e);
            outcome = "timeout";
            throw new VendorTimeoutException("no answer within " + attemptTimeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            RuntimeException failure = failure(e.getCause());
            outcome = failure instanceof VendorTimeoutException ? "timeout" : outcome;
            throw failure;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            jetty.abort(e);
            throw new VendorUnreachableException("interrupted");
        } finally {
            vendorRequests.with(request.call().integration().key(), outcome).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * The whole answer, collected by Jetty as it arrives. The request's total timeout ends the wait; the wait's
     * own limit, a little later, holds whatever the vendor sends (an interim answer Jetty does not know, after
     * which Jetty would wait for a final one forever).
     */
    private VendorResponse sendBuffered(Request jetty) throws ExecutionException, InterruptedException, TimeoutException {
        ContentResponse response;
        try {
            response = new CompletableResponseListener(jetty, maxAnswerBytes).send()
                    .get(attemptTimeout.plus(DEADLINE_MARGIN).toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IllegalArgumentException) { // Jetty's "buffering capacity exceeded"
                throw new VendorUnreadableException("the vendor's answer is larger than the " + maxAnswerBytes
                        + " bytes an action reads on this node; the Proxy API streams answers of any size");
            }
            throw e;
        }
        return new VendorResponse(finalStatus(response), headersOf(response), response.getContent());
    }

    /** The status and headers; the body is read by the caller as it arrives. */
    private VendorResponse sendStreamed(Request jetty) throws ExecutionException, InterruptedException, TimeoutException {
        InputStreamResponseListener listener = new InputStreamResponseListener();
        jetty.send(listener);
        Response response = listener.get(attemptTimeout.toMillis(), TimeUnit.MILLISECONDS);
        int status = finalStatus(response);
        return VendorResponse.streamed(status, headersOf(response), listener.getInputStream());
    }

    /** A final answer is 200 or above: a 1xx that ends the exchange (a 101 nobody asked for) broke the protocol. */
    private static int finalStatus(Response response) {
        if (response.getStatus() < 200) {
            throw new VendorUnreadableException("the vendor's final answer was HTTP " + response.getStatus());
        }
        return response.getStatus();
    }

    private static RuntimeException failure(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof org.eclipse.jetty.client.HttpResponseException unusable) {
                // Not Jetty's own words: they name its classes and this node's socket addresses.
                return new VendorUnreadableException("the vendor's answer broke the HTTP protocol");
            }
            if (t instanceof TimeoutException) {
                return new VendorTimeoutException("the vendor's answer did not complete in time");
            }
            if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
                return new VendorUnreachableException("cannot connect: " + t.getClass().getSimpleName());
            }
        }
        return new VendorUnreachableException("connection failed: " + (cause == null ? "unknown" : cause.getClass().getSimpleName()));
    }

    private static Map<String, List<String>> headersOf(Response response) {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (HttpField field : response.getHeaders()) {
            headers.computeIfAbsent(field.getName(), k -> new ArrayList<>()).add(field.getValue());
        }
        return headers;
    }
}
