package dev.switchboard.outbound;

import dev.switchboard.config.ServerConfig.VendorTimeouts;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;

/**
 * Every vendor call made for a stored account, from an action or the proxy, goes through this one pipeline. The
 * chain is built here and nowhere else:
 * <pre>retry ─► refresh ─► classify ─► decode (vendor protocols only) ─► add auth ─► rate limit ─► send (Jetty, timeouts)</pre>
 * Retry sits outside refresh and auth so that a repeated attempt carries the credential as it is then. Calls
 * outside a stored account take the {@link AnonymousVendorClient}.
 */
public final class VendorClient {
    private final VendorTimeouts timeouts;
    private final List<VendorInterceptor> pipeline;
    private final Reauthorizer reauthorizer;
    private final RateLimitInterceptor rateLimit;

    /**
     * @param transport the last step, which sends (the node's {@link JettyTransport})
     * @param decoders  by protocol name: turn a protocol vendor's answers into JSON before they are classified
     */
    public VendorClient(VendorInterceptor transport, VendorTimeouts timeouts, Reauthorizer reauthorizer,
                        Map<String, ? extends ResponseDecoder> decoders, MeterRegistry meters) {
        this.timeouts = timeouts;
        this.reauthorizer = reauthorizer;
        this.rateLimit = new RateLimitInterceptor(timeouts.rateLimitWait(), meters);
        this.pipeline = List.of(
                new RetryInterceptor(),
                new RefreshInterceptor(reauthorizer),
                new ClassifyInterceptor(),
                new DecodeInterceptor(decoders),
                new AuthInterceptor(),
                rateLimit,
                transport);
    }

    /** The deadline for a call starting now: retries stop when it passes. */
    public long deadlineFromNow() {
        return timeouts.deadlineFromNow();
    }

    /**
     * The request as this pipeline sends it on a first attempt (the credential added, the rate-limit permit taken),
     * when that needs no wait and no refresh; else null, having taken nothing. The event loop's vendor call
     * ({@code ProxyHotPath}) sends it itself.
     */
    public VendorRequest firstAttemptWithoutWaiting(VendorRequest request) {
        VendorCall call = request.call();
        if (call.credential() != null && !call.integration().auth().isInBody() && reauthorizer.dueBeforeCall(call.credential())) {
            return null;
        }
        return rateLimit.permitNow(request) ? AuthInterceptor.authorize(request) : null;
    }

    /**
     * The pipeline from an attempt already made (by the event loop): its answer, or its transport failure, stands for
     * the first attempt, and the pipeline goes on from there as if it had made it (waits and retries, refreshes and
     * repeats). {@code request} is as it was before the credential was added.
     */
    public VendorResponse continueAfter(VendorRequest request, VendorResponse firstAnswer, RuntimeException firstFailure) {
        java.util.concurrent.atomic.AtomicBoolean made = new java.util.concurrent.atomic.AtomicBoolean();
        VendorInterceptor firstAttempt = chain -> {
            if (made.compareAndSet(false, true)) {
                if (firstFailure != null) {
                    throw firstFailure;
                }
                return firstAnswer;
            }
            return chain.proceed(chain.request());
        };
        List<VendorInterceptor> steps = new java.util.ArrayList<>(pipeline);
        steps.add(steps.indexOf(rateLimit), firstAttempt); // its permit was taken for the attempt made
        return VendorInterceptor.run(steps, request);
    }

    public VendorResponse execute(VendorRequest request) {
        return VendorInterceptor.run(pipeline, request);
    }
}
