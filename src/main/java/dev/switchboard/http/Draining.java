package dev.switchboard.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import dev.switchboard.json.Json;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * A node's way out of a cluster without dropping work. Counts the requests in flight; once {@link #beginDraining() draining},
 * answers new ones 503 with {@code Retry-After} (the probes still answer, {@code /readyz} now 503) while those in
 * flight finish, and {@link #awaitIdle} waits for the last of them up to the grace period.
 */
public final class Draining extends Handler.Wrapper {
    private static final Set<String> PROBES = Set.of("/healthz", "/readyz", "/metrics");
    private static final int RETRY_AFTER_SECONDS = 5;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Object idle = new Object();
    private volatile boolean draining;

    public boolean draining() {
        return draining;
    }

    public void beginDraining() {
        draining = true;
    }

    public int inFlight() {
        return inFlight.get();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (draining && !PROBES.contains(Request.getPathInContext(request))) {
            refuse(response, callback);
            return true;
        }
        inFlight.incrementAndGet();
        Callback counted = new Callback.Nested(callback) {
            @Override
            public void succeeded() {
                finished();
                super.succeeded();
            }

            @Override
            public void failed(Throwable cause) {
                finished();
                super.failed(cause);
            }
        };
        boolean handled = false;
        try {
            handled = super.handle(request, response, counted);
            return handled;
        } finally {
            if (!handled) {
                finished();
            }
        }
    }

    /** A request served outside Jetty (the event loop's) starts; false while draining, when it must not. */
    public boolean enter() {
        if (draining) {
            return false;
        }
        inFlight.incrementAndGet();
        if (draining) {
            finished();
            return false;
        }
        return true;
    }

    /** A request that {@link #enter} let in has been answered. */
    public void leave() {
        finished();
    }

    private void finished() {
        if (inFlight.decrementAndGet() == 0) {
            synchronized (idle) {
                idle.notifyAll();
            }
        }
    }

    private static void refuse(Response response, Callback callback) {
        String requestId = RequestIds.newId();
        response.setStatus(503);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.RETRY_AFTER, String.valueOf(RETRY_AFTER_SECONDS));
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
        response.getHeaders().put(RequestIds.HEADER, requestId);
        String body = Json.write(ErrorResponses.body(503, "shutting_down",
                "This Switchboard node is shutting down; retry the request (another node, or this one after its restart).", null, requestId));
        response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
    }

    /** Waits until no request is in flight or the grace period has passed; true when none is left. */
    public boolean awaitIdle(Duration grace) throws InterruptedException {
        long deadline = System.nanoTime() + grace.toNanos();
        synchronized (idle) {
            while (inFlight.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                idle.wait(Math.max(1, left / 1_000_000));
            }
        }
        return true;
    }
}
