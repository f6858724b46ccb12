package dev.switchboard.calls;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.switchboard.auth.UserPrincipal;
import dev.switchboard.outcomes.Failure;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Fairness between tenants: how many vendor calls one user, and one project, may have under way at once on this
 * node. The vendor client keeps at most 256 connections to one vendor for everyone; without these bounds one user
 * (256 slow-reading proxy downloads) could take them all and stall every other tenant's calls to that vendor. A
 * call over a bound is answered at once with 429, never queued behind the user's own calls.
 */
final class ConcurrencyLimits {
    static final int PER_USER = 32;
    static final int PER_PROJECT = 128;

    // A bulkhead is idle once its calls are done; one unused for an hour holds no permit worth keeping.
    // Cache upkeep on the caller's thread: the default executor wakes a pool thread for it (a system call and a
    // context switch from the event loop, issue 24's profile).
    private final Cache<String, Bulkhead> bulkheads = Caffeine.newBuilder().executor(Runnable::run).expireAfterAccess(Duration.ofHours(1)).maximumSize(100_000).build();

    /** One call's place: released once, when the call and its answer are done. */
    static final class Permit {
        private final Bulkhead user;
        private final Bulkhead project;
        private final AtomicBoolean released = new AtomicBoolean();

        private Permit(Bulkhead user, Bulkhead project) {
            this.user = user;
            this.project = project;
        }

        void release() {
            if (released.compareAndSet(false, true)) {
                user.onComplete();
                project.onComplete();
            }
        }
    }

    Permit acquire(UserPrincipal caller) {
        Bulkhead project = bulkhead("project/" + caller.projectId(), PER_PROJECT);
        if (!project.tryAcquirePermission()) {
            throw tooMany("this project's users have " + PER_PROJECT);
        }
        Bulkhead user = bulkhead("user/" + caller.projectId() + "/" + caller.userId(), PER_USER);
        if (!user.tryAcquirePermission()) {
            project.onComplete();
            throw tooMany("this user has " + PER_USER);
        }
        return new Permit(user, project);
    }

    private Bulkhead bulkhead(String name, int limit) {
        return bulkheads.get(name, n -> Bulkhead.of(n, BulkheadConfig.custom().maxConcurrentCalls(limit).maxWaitDuration(Duration.ZERO).build()));
    }

    private static Failure tooMany(String who) {
        return new Failure(Failure.Kind.RATE_LIMITED, "too_many_concurrent_calls",
                "Too many vendor calls under way at once: " + who + " under way; retry when one has finished.")
                .retryAfter(Duration.ofSeconds(1));
    }
}
