package dev.switchboard.outbound;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * How much of the heap vendor answers read into memory may take. An action's answer is read whole and parsed into a
 * tree of many times its size (up to twenty for JSON of many small objects); unbounded, a few concurrent answers of
 * tens of megabytes exhausted the heap. So an answer may be at most a 32nd of the heap (and 50 MiB), and answers over
 * 1 MiB take one of a few places while they are parsed and held, as many as the heap holds twenty times over.
 */
public final class AnswerMemory {
    /** Answers up to this size need no place. */
    public static final int LARGE = 1024 * 1024;
    private static final long MAX_ANSWER = 50L * 1024 * 1024;
    private static final int AMPLIFICATION = 20;

    private final int maxAnswerBytes;
    private final Semaphore places;

    public AnswerMemory(long maxHeapBytes) {
        this.maxAnswerBytes = (int) Math.max(LARGE, Math.min(MAX_ANSWER, maxHeapBytes / 32));
        this.places = new Semaphore((int) Math.max(1, maxHeapBytes / ((long) maxAnswerBytes * AMPLIFICATION)), true);
    }

    public static AnswerMemory ofThisHeap() {
        return new AnswerMemory(Runtime.getRuntime().maxMemory());
    }

    /** The largest answer an action may read into memory on this node. */
    public int maxAnswerBytes() {
        return maxAnswerBytes;
    }

    /** Takes a place for a large answer, waiting at most until the deadline ({@link System#nanoTime()}). */
    public boolean take(long deadlineNanos) throws InterruptedException {
        return places.tryAcquire(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    public void giveBack() {
        places.release();
    }
}
