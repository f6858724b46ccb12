package dev.switchboard.http.loop;

import dev.switchboard.auth.UserPrincipal;
import dev.switchboard.blocking.Blocking;
import dev.switchboard.blocking.LeaveTheLoop;
import dev.switchboard.calls.VendorCalls;
import dev.switchboard.http.Draining;
import dev.switchboard.http.ErrorResponses;
import dev.switchboard.http.RequestIds;
import dev.switchboard.outbound.Classification;
import dev.switchboard.outbound.ResponseClassifier;
import dev.switchboard.outbound.VendorClient;
import dev.switchboard.outbound.VendorRequest;
import dev.switchboard.outbound.VendorResponse;
import dev.switchboard.outcomes.Failure;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

/**
 * How a hot-path route runs one vendor call on the event loop, the same for actions and the proxy: the steps before
 * the call on the loop (or, when one would block, on a virtual thread, the call then back on the loop); the call
 * itself on a connection of the loop; the answer on the loop, and the run recorded as the ordinary path records it.
 *
 * <p>The route declines (the ordinary path then serves the request from its first byte, as if the loop had never
 * seen it) whenever it fails before the vendor call, and after it whenever the ordinary path would call again
 * anyway: a rate limit, a refused or expired credential (the vendor did nothing), or a failure of a call that is safe
 * to repeat. Whatever else the vendor answered is answered here.
 */
public final class LoopRuns {
    /** Where a request takes the steps that would block on the loop (a cache miss), before its call goes back to the loop. */
    private static final Executor OFF_LOOP = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("switchboard-off-loop-", 0).factory());

    /** Writes a request's access-log line and timer, as the ordinary path does for its own. */
    public interface RequestLog {
        void served(String method, String path, String route, int status, long nanos, String requestId);
    }

    /** A route's request, ready for its vendor call. */
    public record Ready(UserPrincipal user, String requestId, VendorRequest request, Answering answering) {}

    /** What a route answers, from the vendor's classified answer (a {@link Failure} thrown is answered as one). */
    public interface Answering {
        Outcome answer(VendorResponse response);

    }

    /**
     * @param errorCode the run's error code, null when it succeeded
     * @param headers   names and values, alternating; {@code X-Request-Id} is added
     */
    public record Outcome(int status, List<String> headers, byte[] body, String errorCode) {}

    /** A hot-path route: its steps before the vendor call, which may throw {@link LeaveTheLoop} or {@link Failure}. */
    public interface Route {
        /** {@code action} or {@code proxy}: the run's name until the route identifies it, and the requests' metric tag. */
        String kind();

        /** The route's pattern, for the request timer. */
        String pattern(RequestHead head);

        /**
         * Whether an answer too large for the loop to read goes to the ordinary path, which streams it (the proxy),
         * when the call is safe to make again; otherwise it fails as an action's does.
         */
        default boolean streamsLargeAnswers() {
            return false;
        }

        /** The request, ready to send; null declines it, having done nothing. */
        Ready prepare(Exchange exchange, VendorCalls.RunInProgress run);
    }

    private final VendorCalls calls;
    private final VendorClient pipeline;
    private final LoopVendorClient vendors;
    private final Draining draining;
    private final RequestLog log;
    private final MeterRegistry meters;
    private final java.util.function.BiFunction<Failure, RequestHead, Failure> failures;

    /** @param failures what the server adds to a failure of a request (the Connect page's address) */
    public LoopRuns(VendorCalls calls, VendorClient pipeline, LoopVendorClient vendors, Draining draining, RequestLog log, MeterRegistry meters,
                    java.util.function.BiFunction<Failure, RequestHead, Failure> failures) {
        this.failures = failures;
        this.calls = calls;
        this.pipeline = pipeline;
        this.vendors = vendors;
        this.draining = draining;
        this.log = log;
        this.meters = meters;
    }

    /** Serves the exchange by the route (true), or declines it (false) having changed nothing. On the loop. */
    public boolean serve(Exchange exchange, Route route) {
        if (!draining.enter()) {
            return false;
        }
        boolean taken = false;
        try {
            taken = start(exchange, route);
            return taken;
        } catch (LeaveTheLoop blocked) {
            taken = true;
            OFF_LOOP.execute(() -> {
                try {
                    if (!start(exchange, route)) {
                        decline(exchange, route);
                    }
                } catch (RuntimeException refused) {
                    decline(exchange, route);
                }
            });
            return true;
        } catch (Failure refused) {
            return false;
        } finally {
            if (!taken) {
                draining.leave();
                counted(route, "declined");
            }
        }
    }

    private boolean start(Exchange exchange, Route route) {
        VendorCalls.RunInProgress run = calls.begin(route.kind());
        Ready ready;
        VendorRequest request;
        try {
            ready = route.prepare(exchange, run);
            if (ready == null) {
                calls.leave(run);
                return false;
            }
            VendorRequest unsent = ready.request();
            if (unsent.body() != null && !(unsent.body() instanceof dev.switchboard.outbound.VendorBody.Bytes)
                    && !(unsent.body() instanceof dev.switchboard.outbound.VendorBody.WithSecret)) {
                calls.leave(run);
                return false; // a streamed body is the ordinary path's
            }
            request = pipeline.firstAttemptWithoutWaiting(unsent);
            if (request == null) {
                Blocking.mayBlock("a refresh or a wait for the rate limit");
                calls.leave(run);
                return false; // off the loop too: the ordinary path's pipeline refreshes and waits
            }
        } catch (RuntimeException before) {
            calls.leave(run);
            throw before;
        }
        EventLoop loop = exchange.channel().eventLoop();
        VendorRequest sent = request;
        Runnable send = () -> vendors.send(loop, sent, (response, failure) -> {
            try {
                answered(exchange, route, run, ready, sent, response, failure);
            } catch (RuntimeException e) {
                fail(exchange, route, run, ready, new Failure(Failure.Kind.INTERNAL, "internal_error",
                        "Switchboard failed to handle this request; the request id identifies it in the server log."));
            }
        });
        if (loop.inEventLoop()) {
            send.run();
        } else {
            loop.execute(send);
        }
        return true;
    }

    private void answered(Exchange exchange, Route route, VendorCalls.RunInProgress run, Ready ready, VendorRequest sent,
                          VendorResponse response, RuntimeException failure) {
        boolean safe = sent.call().safeToRepeat();
        if (failure instanceof LoopVendorClient.AnswerTooLarge tooLarge) {
            if (safe && route.streamsLargeAnswers()) {
                calls.leave(run);
                decline(exchange, route); // the ordinary path asks again and streams the answer
            } else {
                fail(exchange, route, run, ready, new Failure(Failure.Kind.VENDOR_FAILED, "integration_response_unreadable",
                        sent.call().integration().name() + ": " + tooLarge.getMessage()));
            }
            return;
        }
        VendorResponse classified = response == null ? null
                : response.classified(ResponseClassifier.classify(response, sent.call().integration().errors()));
        Classification.Kind kind = classified == null ? null : classified.classification().kind();
        boolean pipelineGoesOn = failure != null ? safe
                : kind == Classification.Kind.RATE_LIMITED || kind == Classification.Kind.TOKEN_EXPIRED
                || kind == Classification.Kind.CREDENTIAL_REJECTED || (kind == Classification.Kind.SERVER_ERROR && safe);
        if (pipelineGoesOn || (classified != null && classified.body().length > dev.switchboard.outbound.AnswerMemory.LARGE)) {
            // What the pipeline does next may wait (a Retry-After, a refresh, a retry's backoff, a large answer's
            // place): it goes on off the loop from this attempt, as if it had made it, and the answer follows.
            OFF_LOOP.execute(() -> {
                try {
                    finishAnswer(exchange, route, run, ready, calls.continueAfter(run, ready.request(), response, failure));
                } catch (Failure refused) {
                    fail(exchange, route, run, ready, refused);
                }
            });
            return;
        }
        if (failure != null) {
            fail(exchange, route, run, ready, VendorCalls.transportFailure(sent.call().integration().name(), failure));
            return;
        }
        finishAnswer(exchange, route, run, ready, classified);
    }

    private void finishAnswer(Exchange exchange, Route route, VendorCalls.RunInProgress run, Ready ready, VendorResponse classified) {
        LoopRuns.Outcome outcome;
        try {
            outcome = ready.answering().answer(classified);
        } catch (Failure refused) {
            fail(exchange, route, run, ready, refused);
            return;
        }
        finish(exchange, route, run, ready, new ErrorResponses.Answer(outcome.status(), outcome.headers(), outcome.body()), outcome.errorCode());
    }

    /** Answers a failure as the ordinary path would: naming the account used, and where to connect one. */
    private void fail(Exchange exchange, Route route, VendorCalls.RunInProgress run, Ready ready, Failure failure) {
        Failure said = failure.credentialId() == null ? failure.usingCredential(ready.request().call().credential().id()) : failure;
        said = failures.apply(said, exchange.head());
        finish(exchange, route, run, ready, ErrorResponses.answer(said, ready.requestId()), said.code());
    }

    /** Records the run, then answers. */
    private void finish(Exchange exchange, Route route, VendorCalls.RunInProgress run, Ready ready, ErrorResponses.Answer answer, String errorCode) {
        calls.end(ready.user(), ready.requestId(), run, answer.status(), errorCode);
        List<String> headers = new ArrayList<>(answer.headers().size() + 4);
        headers.addAll(List.of(RequestIds.HEADER, ready.requestId()));
        headers.addAll(answer.headers());
        if (!headers.contains("Content-Type")) {
            headers.addAll(List.of("Content-Type", "application/json"));
        }
        exchange.respond(answer.status(), headers, answer.body());
        draining.leave();
        counted(route, "served");
        log.served(exchange.head().method(), exchange.head().path(), route.pattern(exchange.head()), answer.status(),
                System.nanoTime() - exchange.startedNanos(), ready.requestId());
    }

    private void decline(Exchange exchange, Route route) {
        draining.leave();
        counted(route, "declined");
        exchange.decline();
    }

    /** {@code switchboard.loop.requests}: requests the loop served, and those it gave to the ordinary path. */
    private void counted(Route route, String outcome) {
        counters.computeIfAbsent(route.kind() + "/" + outcome, key -> meters.counter("switchboard.loop.requests",
                "route", route.kind(), "outcome", outcome)).increment();
    }

    private final java.util.Map<String, io.micrometer.core.instrument.Counter> counters = new java.util.concurrent.ConcurrentHashMap<>();
}
