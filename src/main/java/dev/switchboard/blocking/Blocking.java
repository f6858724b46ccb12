package dev.switchboard.blocking;

import io.netty.util.concurrent.FastThreadLocalThread;

/**
 * Where the server may not block: its event loops (issue 24). Every place that may block (a store read on a cache
 * miss, a token refresh, a wait for a rate-limit permit) calls {@link #mayBlock} first; on a loop that throws
 * {@link LeaveTheLoop}, and the request, unchanged so far, goes to the server's ordinary path instead.
 */
public final class Blocking {
    private Blocking() {}

    /** Whether the calling thread is an event loop. */
    public static boolean onLoop() {
        return Thread.currentThread() instanceof LoopThread;
    }

    /**
     * Runs what an event loop must not wait for (a store read, a host name's lookup, a write) on a virtual thread of
     * its own; anything it answers goes back to the loop by the loop's own means.
     */
    public static void offLoop(Runnable task) {
        OFF_LOOP.execute(task);
    }

    private static final java.util.concurrent.Executor OFF_LOOP = java.util.concurrent.Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("switchboard-off-loop-", 0).factory());

    /** @param what what would block, for the record */
    public static void mayBlock(String what) {
        if (onLoop()) {
            throw new LeaveTheLoop(what);
        }
    }

    /** An event loop's thread. */
    public static final class LoopThread extends FastThreadLocalThread {
        public LoopThread(Runnable task, String name) {
            super(task, name);
            setDaemon(true);
        }
    }
}
