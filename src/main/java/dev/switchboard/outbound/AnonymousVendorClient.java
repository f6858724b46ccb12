package dev.switchboard.outbound;

import dev.switchboard.config.ServerConfig.VendorTimeouts;
import java.util.List;

/**
 * Vendor calls outside any stored account: the vendor's OAuth token endpoint, and the account lookups right after
 * a connect. The pipeline retries and classifies, but adds no credential and attempts no refresh; the caller
 * writes its own headers.
 */
public final class AnonymousVendorClient {
    private final VendorTimeouts timeouts;
    private final List<VendorInterceptor> pipeline;

    /** @param transport the last step, which sends (the node's {@link JettyTransport}) */
    public AnonymousVendorClient(VendorInterceptor transport, VendorTimeouts timeouts) {
        this.timeouts = timeouts;
        this.pipeline = List.of(new RetryInterceptor(), new ClassifyInterceptor(), transport);
    }

    /** The deadline for a call starting now: retries stop when it passes. */
    public long deadlineFromNow() {
        return timeouts.deadlineFromNow();
    }

    public VendorResponse execute(VendorRequest request) {
        return VendorInterceptor.run(pipeline, request);
    }
}
