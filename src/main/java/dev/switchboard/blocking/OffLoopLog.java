package dev.switchboard.blocking;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Log lines written for an event loop by a thread of their own: an appender writes to a stream, which may block, and
 * nothing on a loop may (BlockHound found the access log's line doing so). The loop only queues the line, without a
 * lock; the writer looks for lines every few milliseconds rather than being woken for each.
 */
public final class OffLoopLog {
    private static final Queue<Runnable> LINES = new ConcurrentLinkedQueue<>();

    static {
        Thread.ofPlatform().daemon().name("switchboard-loop-log").start(() -> {
            while (true) {
                for (Runnable line; (line = LINES.poll()) != null; ) {
                    try {
                        line.run();
                    } catch (RuntimeException e) {
                        // a log line that fails is not worth the writer
                    }
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
        });
    }

    private OffLoopLog() {}

    /**
     * Writes the line now off a loop, or soon from the writer's thread on one.
     *
     * @param requestId the request's id for the line's MDC ({@code requestId}), or null for the caller's own MDC
     */
    public static void write(String requestId, Runnable line) {
        Runnable withId = requestId == null ? line : () -> {
            org.slf4j.MDC.put("requestId", requestId);
            try {
                line.run();
            } finally {
                org.slf4j.MDC.remove("requestId");
            }
        };
        if (Blocking.onLoop()) {
            LINES.add(withId);
        } else {
            withId.run();
        }
    }
}
