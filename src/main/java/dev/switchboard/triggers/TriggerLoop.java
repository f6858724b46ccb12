package dev.switchboard.triggers;

import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's trigger work, on one thread: every interval (and as soon as it is woken, when an event was stored) it
 * polls the vendors whose subscriptions are due, then delivers the events that are due. A zero interval never starts
 * it (a node that only serves; tests that drive polling and delivery with their own instants).
 */
public final class TriggerLoop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TriggerLoop.class);

    private final TriggerPoller poller;
    private final TriggerDelivery delivery;
    private final Clock clock;
    private final Duration interval;
    private final Object wake = new Object();
    private volatile boolean running;
    private Thread thread;

    public TriggerLoop(TriggerPoller poller, TriggerDelivery delivery, Clock clock, Duration interval) {
        this.poller = poller;
        this.delivery = delivery;
        this.clock = clock;
        this.interval = interval;
    }

    public void start() {
        if (interval.isZero()) {
            return;
        }
        running = true;
        thread = Thread.ofPlatform().daemon().name("switchboard-triggers").start(() -> {
            while (running) {
                try {
                    poller.pollDue(clock.instant());
                    while (running && delivery.deliverDue(clock.instant()) > 0) {
                        // a full batch may leave more due at once
                    }
                    synchronized (wake) {
                        wake.wait(interval.toMillis());
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    LOG.warn("triggers: {}", e.toString());
                }
            }
        });
    }

    /** Looks for due work now (events were stored). */
    public void wake() {
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    @Override
    public void close() {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
        delivery.close();
    }
}
