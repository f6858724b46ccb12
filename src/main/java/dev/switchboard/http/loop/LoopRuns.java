package dev.switchboard.http.loop;

import dev.switchboard.auth.UserPrincipal;
import dev.switchboard.blocking.Blocking;
import dev.switchboard.blocking.LeaveTheLoop;
import dev.switchboard.blocking.OffLoopLog;
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
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
    private static final Logger LOG = LoggerFactory.getLogger(LoopRuns.class);

    /** Writes a request's access-log line and timer, as the ordinary path does for its own. */
    public interface RequestLog {
        void served(String method, String path, String route, int status, long nanos, String requestId);
    }

    /** A route's request, ready for its vendor call. */
    public record Ready(UserPrincipal user, String requestId, VendorRequest request, Answering answering) {}

    /** What a route answers, from the vendor's classified answer (a {@link Failure} thrown is answered as one). */
    public interface Answering {
        Outcome answer(VendorResponse response);

        /**
         * The head and wrapping of an answer too large to read, from the vendor's status and headers; its body streams
         * between them. Asked only of a route that {@link Route#streamsAnswersOver streams answers}.
         */
        default Streamed stream(VendorResponse head) {
            throw new UnsupportedOperationException("this route reads its answers whole");
        }
    }

    /**
     * An answer streamed from the vendor's: the vendor's body between {@code prefix} and {@code suffix}.
     *
     * @param headers  names and values, alternating; {@code X-Request-Id} is added
     * @param bytesOut told the size of each part of the vendor's body as it goes
     */
    public record Streamed(int status, List<String> headers, byte[] prefix, byte[] suffix, String errorCode,
                           java.util.function.LongConsumer bytesOut) {}

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
         * The size over which the route streams the vendor's answer instead of reading it (the proxy); 0 when it
         * reads every answer whole, and one over the node's limit fails as an action's does.
         */
        default int streamsAnswersOver() {
            return 0;
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
        if (calls.runsBackedUp()) {
            counted(route, "runs_backed_up"); // the ordinary path serves it: each such request stores its own run
            return false;
        }
        if (!draining.enter()) {
            return false;
        }
        boolean taken = false;
        try {
            taken = start(exchange, route);
            return taken;
        } catch (LeaveTheLoop blocked) {
            taken = true;
            Blocking.offLoop(() -> {
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
        Runnable send = () -> vendors.send(loop, sent, route.streamsAnswersOver(), (response, failure) -> {
            try {
                answered(exchange, route, run, ready, sent, response, failure);
            } catch (RuntimeException e) {
                // As the ordinary path logs one: the class and message only (a stack trace may carry request data).
                OffLoopLog.write(ready.requestId(), () -> LOG.error("internal error: {}: {}", e.getClass().getName(), e.getMessage()));
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
        LoopVendorClient.LargeAnswer large = null;
        if (failure instanceof LoopVendorClient.AnswerTooLarge tooLarge) {
            large = tooLarge.answer();
            if (large == null) {
                fail(exchange, route, run, ready, new Failure(Failure.Kind.VENDOR_FAILED, "integration_response_unreadable",
                        sent.call().integration().name() + ": " + tooLarge.getMessage()));
                return;
            }
            response = large.head(); // classified, as the ordinary path classifies a streamed answer, by its head
            failure = null;
        }
        VendorResponse classified = response == null ? null
                : response.classified(ResponseClassifier.classify(response, sent.call().integration().errors()));
        Classification.Kind kind = classified == null ? null : classified.classification().kind();
        boolean pipelineGoesOn = failure != null ? safe
                : kind == Classification.Kind.RATE_LIMITED || kind == Classification.Kind.TOKEN_EXPIRED
                || kind == Classification.Kind.CREDENTIAL_REJECTED || (kind == Classification.Kind.SERVER_ERROR && safe);
        if (large != null) {
            if (!pipelineGoesOn) {
                stream(exchange, route, run, ready, large, classified);
                return;
            }
            large.abandon();
            if (safe) {
                calls.leave(run);
                decline(exchange, route); // the ordinary path asks again, and streams what it gets
                return;
            }
        }
        VendorResponse answer = response;
        RuntimeException failed = failure;
        if (pipelineGoesOn || (classified != null && classified.body().length > dev.switchboard.outbound.AnswerMemory.LARGE)) {
            // What the pipeline does next may wait (a Retry-After, a refresh, a retry's backoff, a large answer's
            // place): it goes on off the loop from this attempt, as if it had made it, and the answer follows.
            Blocking.offLoop(() -> {
                try {
                    finishAnswer(exchange, route, run, ready, calls.continueAfter(run, ready.request(), answer, failed));
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
        exchange.respond(answer.status(), headers(ready, answer.headers()), answer.body());
        served(exchange, route, ready, answer.status());
    }

    private static List<String> headers(Ready ready, List<String> given) {
        List<String> headers = new ArrayList<>(given.size() + 4);
        headers.addAll(List.of(RequestIds.HEADER, ready.requestId()));
        headers.addAll(given);
        if (!headers.contains("Content-Type")) {
            headers.addAll(List.of("Content-Type", "application/json"));
        }
        return headers;
    }

    private void served(Exchange exchange, Route route, Ready ready, int status) {
        draining.leave();
        counted(route, "served");
        log.served(exchange.head().method(), exchange.head().path(), route.pattern(exchange.head()), status,
                System.nanoTime() - exchange.startedNanos(), ready.requestId());
    }

    /**
     * Streams an answer too large to read: the route's head and wrapping around the vendor's body, which is read only
     * as fast as the client takes it. The run is recorded at the end, and holds its place among the account's
     * concurrent calls until then, as the ordinary path's streamed answers do.
     */
    private void stream(Exchange exchange, Route route, VendorCalls.RunInProgress run, Ready ready, LoopVendorClient.LargeAnswer large,
                        VendorResponse classified) {
        Streamed streamed;
        try {
            streamed = ready.answering().stream(classified);
        } catch (Failure refused) {
            large.abandon();
            fail(exchange, route, run, ready, refused);
            return;
        }
        long length = large.length() < 0 ? -1 : streamed.prefix().length + large.length() + streamed.suffix().length;
        final class Relay implements Exchange.PartsListener, LoopVendorClient.BodySink {
            private Exchange.Parts parts;
            private boolean over;

            @Override
            public void part(ByteBuf bytes) {
                streamed.bytesOut().accept(bytes.readableBytes());
                if (!parts.write(bytes)) {
                    large.pause();
                }
            }

            @Override
            public void writable() {
                large.resume();
            }

            @Override
            public void end() {
                parts.write(Unpooled.wrappedBuffer(streamed.suffix()));
                parts.end();
                over(streamed.errorCode());
            }

            @Override
            public void broken(RuntimeException failure) {
                over(VendorCalls.transportFailure(ready.request().call().integration().name(), failure).code());
                parts.abort(); // the status is sent: the client sees the answer cut short
            }

            @Override
            public void gone() {
                if (!over) {
                    large.abandon();
                    over(streamed.errorCode());
                }
            }

            private void over(String errorCode) {
                if (!over) {
                    over = true;
                    calls.end(ready.user(), ready.requestId(), run, streamed.status(), errorCode);
                    served(exchange, route, ready, streamed.status());
                }
            }
        }
        Relay relay = new Relay();
        relay.parts = exchange.respondInParts(streamed.status(), headers(ready, streamed.headers()), length, relay);
        if (relay.over) {
            return; // the client had gone
        }
        relay.parts.write(Unpooled.wrappedBuffer(streamed.prefix()));
        large.streamTo(relay);
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
