package dev.switchboard.outbound;

import dev.switchboard.config.ServerConfig.VendorTimeouts;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Every vendor call, from an action or (later) the proxy, goes through this one pipeline. The chain is
 * built here and nowhere else:
 * <pre>retry ─► refresh ─► classify ─► decode (vendor protocols only) ─► add auth ─► rate limit ─► send (Jetty, timeouts)</pre>
 * Retry sits outside refresh and auth so that a repeated attempt carries the credential as it is then.
 * Calls outside a stored account (the token endpoint, account lookups) take the chain without refresh and auth.
 */
public final class VendorClient implements AutoCloseable {
    private final HttpClient http;
    private final VendorTimeouts timeouts;
    private final List<VendorInterceptor> pipeline;
    private final List<VendorInterceptor> pipelineWithoutCredential;

    public VendorClient(VendorTimeouts timeouts, MeterRegistry meters, Reauthorizer reauthorizer) {
        this.timeouts = timeouts;
        QueuedThreadPool threads = new QueuedThreadPool(64, 4);
        threads.setName("vendor-http");
        // Jetty parses answers on its selector thread instead of handing each one to a pool thread: every
        // listener here only completes a future or queues bytes, never blocks, and a hand-off between threads
        // cost more CPU than the parsing itself (issue 7's profile).
        HttpClientTransportOverHTTP transport = new HttpClientTransportOverHTTP();
        transport.setInvocationType(Invocable.InvocationType.NON_BLOCKING);
        this.http = new HttpClient(transport);
        http.setExecutor(threads);
        http.setConnectTimeout(timeouts.connect().toMillis());
        http.setFollowRedirects(false);
        http.setMaxConnectionsPerDestination(256);
        http.setUserAgentField(new HttpField("User-Agent", "Switchboard"));
        // One client serves every tenant: a cookie a vendor set on one user's call must never ride on another's.
        http.setHttpCookieStore(new HttpCookieStore.Empty());
        try {
            http.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the vendor HTTP client", e);
        }
        // Vendors answer 401 without WWW-Authenticate; Jetty's own auth handling would call that a protocol
        // violation. Its handlers are installed on start, so they are removed after it.
        http.getProtocolHandlers().clear();
        // Bytes pass as the vendor sent them (the proxy relays them); Jetty would otherwise ask for gzip and inflate it.
        http.getContentDecoderFactories().clear();
        JettyTransport send = new JettyTransport(http, timeouts.attempt(), meters);
        this.pipeline = List.of(
                new RetryInterceptor(),
                new RefreshInterceptor(reauthorizer),
                new ClassifyInterceptor(),
                new DecodeInterceptor(),
                new AuthInterceptor(),
                new RateLimitInterceptor(),
                send);
        this.pipelineWithoutCredential = List.of(new RetryInterceptor(), new ClassifyInterceptor(), send);
    }

    /** The deadline for a call starting now: retries stop when it passes. */
    public long deadlineFromNow() {
        return System.nanoTime() + timeouts.retryBudget().toNanos();
    }

    public VendorResponse execute(VendorRequest request) {
        return VendorInterceptor.run(pipeline, request);
    }

    /**
     * A call outside any stored account: the vendor's OAuth token endpoint, and the account lookups right after
     * a connect. No credential is added and no refresh is attempted; the caller writes its own headers.
     */
    public VendorResponse executeWithoutCredential(VendorRequest request) {
        return VendorInterceptor.run(pipelineWithoutCredential, request);
    }

    @Override
    public void close() throws Exception {
        http.stop();
    }
}
