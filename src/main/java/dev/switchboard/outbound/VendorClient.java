package dev.switchboard.outbound;

import dev.switchboard.config.ServerConfig.VendorTimeouts;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Every vendor call, from an action or (later) the proxy, goes through this one pipeline. The chain is
 * built here and nowhere else:
 * <pre>retry ─► classify ─► decode (vendor protocols only) ─► add auth ─► send (Jetty, timeouts)</pre>
 * Retry sits outside auth so that a repeated attempt carries the credential as it is then.
 */
public final class VendorClient implements AutoCloseable {
    private final HttpClient http;
    private final VendorTimeouts timeouts;
    private final List<VendorInterceptor> pipeline;

    public VendorClient(VendorTimeouts timeouts, MeterRegistry meters) {
        this.timeouts = timeouts;
        QueuedThreadPool threads = new QueuedThreadPool(64, 4);
        threads.setName("vendor-http");
        this.http = new HttpClient();
        http.setExecutor(threads);
        http.setConnectTimeout(timeouts.connect().toMillis());
        http.setFollowRedirects(false);
        http.setMaxConnectionsPerDestination(256);
        http.setUserAgentField(new org.eclipse.jetty.http.HttpField("User-Agent", "Switchboard"));
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
        this.pipeline = List.of(
                new RetryInterceptor(),
                new ClassifyInterceptor(),
                new DecodeInterceptor(),
                new AuthInterceptor(),
                new JettyTransport(http, timeouts.attempt(), meters));
    }

    /** The deadline for a call starting now: retries stop when it passes. */
    public long deadlineFromNow() {
        return System.nanoTime() + timeouts.retryBudget().toNanos();
    }

    public VendorResponse execute(VendorRequest request) {
        return VendorInterceptor.run(pipeline, request);
    }

    @Override
    public void close() throws Exception {
        http.stop();
    }
}
