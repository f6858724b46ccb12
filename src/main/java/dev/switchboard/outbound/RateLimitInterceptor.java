package dev.switchboard.outbound;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.switchboard.integrations.IntegrationDefinition.RateLimit;
import dev.switchboard.outcomes.Failure;
import dev.switchboard.store.Credential;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Keeps each account under its vendor's documented limit (the definition's {@code rateLimit}) before a call
 * goes out: a call waits for a permit, at most until its deadline; one that would have to wait longer is
 * answered 429 at once, without troubling the vendor. Each node counts alone, so N nodes may together send up
 * to N times the limit; the vendor's own 429, which the retry step honours, covers that.
 */
final class RateLimitInterceptor implements VendorInterceptor {
    private final Duration maxWait;
    private final MeterRegistry meters;

    /** @param maxWait the longest a call waits for a permit (never past its deadline); zero refuses at once */
    RateLimitInterceptor(Duration maxWait, MeterRegistry meters) {
        this.maxWait = maxWait;
        this.meters = meters;
    }

    // Accounts come and go; a limiter unused for longer than any period holds nothing worth keeping.
    // Cache upkeep on the caller's thread: the default executor wakes a pool thread for it (a system call and a
    // context switch from the event loop, issue 24's profile).
    private final Cache<String, AtomicRateLimiter> limiters = Caffeine.newBuilder().executor(Runnable::run)
            .expireAfterAccess(Duration.ofHours(1)).maximumSize(100_000).build();

    /** Whose limit this is: the account's, or that of every account of the same organisation. */
    private static String key(String integration, RateLimit limit, Credential credential) {
        Object shared = limit.per() == null ? null : credential.providerData().get(limit.per());
        return shared == null ? "credential/" + credential.id() : integration + "/" + limit.per() + "/" + shared;
    }

    private AtomicRateLimiter limiter(VendorRequest request) {
        RateLimit limit = request.call().integration().rateLimit();
        return limiters.get(key(request.call().integration().key(), limit, request.call().credential()), id -> new AtomicRateLimiter(id, RateLimiterConfig.custom()
                .limitForPeriod(limit.requests()).limitRefreshPeriod(Duration.ofSeconds(limit.seconds()))
                .timeoutDuration(Duration.ZERO) // only ever take a permit that is free now: a reserved future one would be lost if we gave up
                .build()));
    }

    /** Takes the call's permit if one is free now (true, too, for a call under no limit); never waits. */
    boolean permitNow(VendorRequest request) {
        if (request.call().integration().rateLimit() == null || request.call().credential() == null) {
            return true;
        }
        return limiter(request).acquirePermission();
    }

    @Override
    public VendorResponse intercept(Chain chain) {
        VendorRequest request = chain.request();
        RateLimit limit = request.call().integration().rateLimit();
        Credential credential = request.call().credential();
        if (limit == null || credential == null) {
            return chain.proceed(request);
        }
        AtomicRateLimiter limiter = limiter(request);
        long started = System.nanoTime();
        long waitUntil = Math.min(request.call().deadlineNanos(), started + maxWait.toNanos());
        String integration = request.call().integration().key();
        boolean waited = false;
        while (!limiter.acquirePermission()) {
            long wait = Math.max(1, limiter.getDetailedMetrics().getNanosToWait());
            if (System.nanoTime() + wait > waitUntil) {
                meters.counter("switchboard.ratelimit.refusals", "integration", integration).increment();
                throw Failure.rateLimited(request.call().integration().name() + " allows " + limit.requests()
                        + " calls per " + limit.seconds() + " s for one account, and this account has used them; retry later.",
                        Duration.ofNanos(wait));
            }
            dev.switchboard.blocking.Blocking.mayBlock("a wait for the account's rate limit");
            LockSupport.parkNanos(wait);
            waited = true;
        }
        if (waited) {
            Timer.builder("switchboard.ratelimit.waits").description("Time calls waited for their account's rate limit")
                    .tag("integration", integration).register(meters)
                    .record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
        return chain.proceed(request);
    }
}
