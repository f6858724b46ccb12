package dev.switchboard.outbound;

import dev.switchboard.outbound.Classification.Kind;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Repeats a call while that is safe and the time budget allows. A rate limit is always safe to repeat (the
 * vendor did nothing); a 5xx or a network error only for reads and idempotent writes. The wait honours
 * {@code Retry-After}, else backs off exponentially with jitter. When the wait would pass the deadline the
 * last answer is returned as it is, and the caller reports it. Every retry is logged with its reason.
 */
final class RetryInterceptor implements VendorInterceptor {
    private static final Logger LOG = LoggerFactory.getLogger(RetryInterceptor.class);
    private static final Duration BASE_BACKOFF = Duration.ofMillis(200);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    @Override
    public VendorResponse intercept(Chain chain) {
        VendorRequest request = chain.request();
        VendorCall call = request.call();
        for (int attempt = 1; ; attempt++) {
            VendorResponse response;
            try {
                response = chain.proceed(request);
            } catch (VendorUnreachableException e) {
                if (!call.safeToRepeat() || !replayable(request) || !waitBeforeRetry(call, backoff(attempt), attempt, "network error: " + e.getMessage())) {
                    throw e;
                }
                continue;
            }
            Kind kind = response.classification().kind();
            boolean retryable = replayable(request) && (kind == Kind.RATE_LIMITED || (kind == Kind.SERVER_ERROR && call.safeToRepeat()));
            if (!retryable) {
                return response;
            }
            // The vendor's Retry-After is a least wait: 0 (or a date in the past) still backs off, or a vendor
            // answering "0" would be called in a tight loop until the budget ran out.
            Duration asked = response.classification().retryAfter();
            Duration backoff = backoff(attempt);
            Duration wait = asked != null && asked.compareTo(backoff) > 0 ? asked : backoff;
            String reason = kind == Kind.RATE_LIMITED ? "rate limited" : "vendor status " + response.status();
            if (!waitBeforeRetry(call, wait, attempt, reason)) {
                return response;
            }
            response.close();
        }
    }

    /** A streamed body has been sent once and cannot be sent again. */
    private static boolean replayable(VendorRequest request) {
        return request.body() == null || request.body().replayable();
    }

    private static Duration backoff(int attempt) {
        long exponential = BASE_BACKOFF.toMillis() << Math.min(attempt - 1, 10);
        long capped = Math.min(exponential, MAX_BACKOFF.toMillis());
        return Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
    }

    /** @return false when waiting would pass the deadline */
    private static boolean waitBeforeRetry(VendorCall call, Duration wait, int attempt, String reason) {
        if (System.nanoTime() + wait.toNanos() > call.deadlineNanos()) {
            LOG.info("not retrying {} call (attempt {}): {}; a wait of {} ms would pass the retry budget",
                    call.integration().key(), attempt, reason, wait.toMillis());
            return false;
        }
        LOG.info("retrying {} call in {} ms (attempt {}): {}", call.integration().key(), wait.toMillis(), attempt, reason);
        try {
            Thread.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return true;
    }
}
