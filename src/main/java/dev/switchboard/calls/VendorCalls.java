package dev.switchboard.calls;

import dev.switchboard.auth.UserPrincipal;
import dev.switchboard.blocking.LeaveTheLoop;
import dev.switchboard.integrations.IntegrationDefinition;
import dev.switchboard.json.Json;
import dev.switchboard.outbound.AnswerMemory;
import dev.switchboard.outbound.Classification;
import dev.switchboard.outbound.VendorCall;
import dev.switchboard.outbound.VendorClient;
import dev.switchboard.outbound.VendorRequest;
import dev.switchboard.outbound.VendorResponse;
import dev.switchboard.outbound.VendorTimeoutException;
import dev.switchboard.outbound.VendorUnreachableException;
import dev.switchboard.outbound.VendorUnreadableException;
import dev.switchboard.outcomes.Failure;
import dev.switchboard.store.Credential;
import dev.switchboard.store.CredentialStore;
import dev.switchboard.store.Run;
import dev.switchboard.store.RunWriter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Calls a vendor on behalf of a caller and records it: the one path that actions (and MCP, through the action
 * runner) and the proxy share. It selects the account, sends the request through the vendor pipeline, turns
 * whatever went wrong into the same {@link Failure} whichever door the call came through, and writes the run
 * record and the {@code switchboard.action.runs} timer however the call ended.
 */
public final class VendorCalls {
    private final AccountSelector accounts;
    private final VendorClient vendors;
    private final CredentialStore credentials;
    private final RunWriter runs;
    private final dev.switchboard.metrics.MeterFamily<io.micrometer.core.instrument.Timer> actionRuns;
    private final Clock clock;
    private final ToIntFunction<Failure> httpStatus;
    private final ConcurrencyLimits limits = new ConcurrencyLimits();
    private final AnswerMemory answerMemory;
    /** The answer places that this thread's caller keeps until it has written its answer out (see {@link #keepAnswerUntilWritten}). */
    private static final ThreadLocal<AnswerHold> HOLDS = new ThreadLocal<>();

    /** The part of a caller's run that becomes its record. */
    public interface Work<T, E extends Exception> {
        T run(RunInProgress run) throws E;
    }

    /**
     * @param httpStatus the status a caller sees for a failure (the HTTP edge's mapping), kept in run records
     */
    public VendorCalls(AccountSelector accounts, VendorClient vendors, CredentialStore credentials, RunWriter runs,
                       MeterRegistry meters, Clock clock, ToIntFunction<Failure> httpStatus, AnswerMemory answerMemory) {
        this.accounts = accounts;
        this.vendors = vendors;
        this.credentials = credentials;
        this.runs = runs;
        this.actionRuns = dev.switchboard.metrics.MeterFamily.timers(meters, "switchboard.action.runs", "integration", "action", "outcome");
        this.clock = clock;
        this.httpStatus = httpStatus;
        this.answerMemory = answerMemory;
    }

    /** What one run did so far: its name, integration and account, as far as it got. */
    public static final class RunInProgress {
        private String name;
        private String integration;
        private String credentialId;
        /** This call's place among its user's and project's calls; held until its answer is done. */
        private ConcurrencyLimits.Permit permit;
        private boolean permitHandedOff;
        /** The run holds a large answer in memory, and one of the node's places for them. */
        private boolean holdsLargeAnswer;
        private String ignoredParameters;
        private final long startedNanos = System.nanoTime();
        /** The run left the event loop before doing anything: the ordinary path runs it again. */
        private boolean left;

        private RunInProgress(String name) {
            this.name = name;
        }

        /** The action (or {@code PROXY}) and integration, once known. */
        public void identify(String name, String integration) {
            this.name = name;
            this.integration = integration;
        }

        /** The parameters dropped because the project ignores unknown ones, for the run's record. */
        public void ignoredParameters(java.util.List<String> names) {
            this.ignoredParameters = names.isEmpty() ? null : String.join(", ", names);
        }
    }

    /**
     * Runs {@code work} as one recorded run. Whatever it returns or throws becomes the run's record; a failure
     * also names the account that was used.
     *
     * @param name     the action as the caller named it, until the work {@linkplain RunInProgress#identify identifies} it
     * @param statusOf the HTTP status of a result: below 400 the run succeeded
     */
    public <T, E extends Exception> T recorded(UserPrincipal user, String requestId, String name, Work<T, E> work,
                                               ToIntFunction<T> statusOf) throws E {
        RunInProgress run = begin(name);
        int status = 500;
        String errorCode = "internal_error";
        try {
            T result = work.run(run);
            status = statusOf.applyAsInt(result);
            errorCode = status >= 400 ? "integration_error" : null;
            return result;
        } catch (LeaveTheLoop leave) {
            run.left = true; // the ordinary path runs the request again, from its start: this attempt never happened
            throw leave;
        } catch (Failure failure) {
            status = httpStatus.applyAsInt(failure);
            errorCode = failure.code();
            throw run.credentialId == null ? failure : failure.usingCredential(run.credentialId);
        } finally {
            end(user, requestId, run, status, errorCode);
        }
    }

    /** Starts a run that {@link #end} finishes: for the event loop, where the vendor answers after the call has returned. */
    public RunInProgress begin(String name) {
        return new RunInProgress(name);
    }

    /**
     * Whether runs are now recorded by their callers (the run writer's queue is full): the event loops then take no new
     * request, which the ordinary path serves, slowed by the store as it records.
     */
    public boolean runsBackedUp() {
        return runs.backedUp();
    }

    /** A run begun on the event loop that the ordinary path runs again from its start: its places given back, no record. */
    public void leave(RunInProgress run) {
        run.left = true;
        end(null, null, run, 0, null);
    }

    /**
     * Takes one of the node's places for a large answer read into memory (see {@link AnswerMemory}), waiting for one
     * until the call's deadline, as {@link #send} does; the run keeps it until it ends. May block: off the loop only.
     */
    public void holdLargeAnswer(RunInProgress run, VendorRequest request, VendorResponse response) {
        if (response.body().length > AnswerMemory.LARGE && !run.holdsLargeAnswer) {
            if (!takeAnswerPlace(request.call().deadlineNanos())) {
                throw new Failure(Failure.Kind.BUSY, "answers_too_large_now", "Switchboard is holding as many large answers as its "
                        + "memory allows; retry shortly, or use the Proxy API, which streams them.").retryAfter(java.time.Duration.ofSeconds(1));
            }
            run.holdsLargeAnswer = true;
        }
    }

    /**
     * Ends a run: gives back its places, then writes its record and the {@code switchboard.action.runs} timer (none
     * for a run that {@linkplain LeaveTheLoop left the loop}, which the ordinary path runs again).
     *
     * @param errorCode Switchboard's code for a failed run, null for a successful one
     */
    public void end(UserPrincipal user, String requestId, RunInProgress run, int status, String errorCode) {
        if (run.permit != null && !run.permitHandedOff) {
            run.permit.release();
        }
        if (run.holdsLargeAnswer) {
            AnswerHold hold = HOLDS.get();
            if (hold != null) {
                hold.places++;
            } else {
                answerMemory.giveBack();
            }
        }
        if (run.left) {
            return;
        }
        long durationNanos = System.nanoTime() - run.startedNanos;
        runs.insert(new Run(Run.newId(), user.projectId(), user.userId(), run.name,
                run.integration, run.credentialId, status < 400 ? "SUCCEEDED" : "FAILED", status, errorCode,
                TimeUnit.NANOSECONDS.toMillis(durationNanos), requestId, clock.millis(), run.ignoredParameters));
        // Bounded labels only: an action the catalog does not know is "unknown", outcomes are Switchboard's own codes.
        actionRuns.with(run.integration == null ? "unknown" : run.integration, run.integration == null ? "unknown" : run.name,
                errorCode == null ? "succeeded" : errorCode).record(durationNanos, TimeUnit.NANOSECONDS);
    }

    /** The account this run uses (SPEC 3.2): the one named by {@code X-Paragon-Credential}, or the oldest valid one. */
    public AccountSelector.Account select(RunInProgress run, UserPrincipal user, String integration, String credentialHeader) {
        AccountSelector.Account account = accounts.select(user, integration, credentialHeader);
        run.credentialId = account.credential().id();
        run.permit = limits.acquire(user);
        return account;
    }

    /**
     * The vendor's answer as it streams on to the caller after the run's work has returned (the proxy): the run's
     * place among its user's calls is kept until the stream is closed.
     */
    public InputStream heldUntilClosed(RunInProgress run, InputStream stream) {
        ConcurrencyLimits.Permit permit = run.permit;
        if (permit == null) {
            return stream;
        }
        run.permitHandedOff = true;
        return new FilterInputStream(stream) {
            @Override
            public void close() throws IOException {
                try {
                    super.close();
                } finally {
                    permit.release();
                }
            }
        };
    }

    /**
     * Keeps the places of the large answers that runs on this thread read until the returned hold is closed: a route
     * that writes a run's answer to a slow client still holds its tree in memory after the run has ended, and a
     * place given back then let the next large answer be parsed beside it (a 256 MiB node ran out of heap so).
     */
    public AnswerHold keepAnswerUntilWritten() {
        AnswerHold hold = new AnswerHold(HOLDS.get());
        HOLDS.set(hold);
        return hold;
    }

    /** Answer places kept past their runs, given back when closed. */
    public final class AnswerHold implements AutoCloseable {
        private final AnswerHold outer;
        private int places;

        private AnswerHold(AnswerHold outer) {
            this.outer = outer;
        }

        @Override
        public void close() {
            if (outer == null) {
                HOLDS.remove();
            } else {
                HOLDS.set(outer);
            }
            for (; places > 0; places--) {
                answerMemory.giveBack();
            }
        }
    }

    private boolean takeAnswerPlace(long deadlineNanos) {
        try {
            return answerMemory.take(deadlineNanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A call for this account whose retries end at the vendor budget's deadline, starting now. */
    public VendorCall call(IntegrationDefinition integration, Credential credential, boolean safeToRepeat, boolean streamResponse) {
        return new VendorCall(integration, credential, safeToRepeat, vendors.deadlineFromNow(), streamResponse);
    }

    /** A call whose answer the named protocol reads (an action's own, such as Salesforce's SOAP lead conversion). */
    public VendorCall call(IntegrationDefinition integration, Credential credential, boolean safeToRepeat, String protocol) {
        return new VendorCall(integration, credential, safeToRepeat, vendors.deadlineFromNow(), false, protocol);
    }

    /**
     * Sends a request through the vendor pipeline; a transport failure becomes the same failure for every door. A
     * large answer read into memory waits for one of the node's places for them (see {@link AnswerMemory}) and keeps
     * it until the run ends.
     */
    public VendorResponse send(RunInProgress run, VendorRequest request) {
        String vendor = request.call().integration().name();
        try {
            VendorResponse response = vendors.execute(request);
            if (response.stream() == null) {
                holdLargeAnswer(run, request, response);
            }
            return response;
        } catch (VendorTimeoutException | VendorUnreachableException | VendorUnreadableException e) {
            throw transportFailure(vendor, e);
        }
    }

    /**
     * {@link #send}, from an attempt the event loop made: the pipeline goes on from its answer (or failure) as if it
     * had made it. May block: off the loop only.
     */
    public VendorResponse continueAfter(RunInProgress run, VendorRequest request, VendorResponse firstAnswer, RuntimeException firstFailure) {
        try {
            VendorResponse response = vendors.continueAfter(request, firstAnswer, firstFailure);
            holdLargeAnswer(run, request, response);
            return response;
        } catch (VendorTimeoutException | VendorUnreachableException | VendorUnreadableException e) {
            throw transportFailure(request.call().integration().name(), e);
        }
    }

    /** What a vendor call's transport failure (a timeout, no connection, an answer that breaks HTTP) is for the caller. */
    public static Failure transportFailure(String vendor, RuntimeException e) {
        return switch (e) {
            case VendorTimeoutException timeout -> new Failure(Failure.Kind.TIMEOUT, "integration_timeout", vendor + " did not answer in time.");
            case VendorUnreachableException unreachable -> new Failure(Failure.Kind.UNREACHABLE, "integration_unreachable",
                    vendor + " could not be reached (" + e.getMessage() + ").");
            default -> new Failure(Failure.Kind.VENDOR_FAILED, "integration_response_unreadable", vendor + ": " + e.getMessage());
        };
    }

    /**
     * Sends a request that must succeed (a read before the action's own request, a file fetched after it): its answer,
     * or the failure the vendor's unsuccessful one means (see {@link #failure}).
     */
    public VendorResponse sendExpectingSuccess(RunInProgress run, VendorRequest request, boolean catalogEndpoint) {
        VendorResponse response = send(run, request);
        if (response.classification().kind() != Classification.Kind.SUCCESS) {
            throw failure(request.call(), response, catalogEndpoint);
        }
        return response;
    }

    /**
     * The failure a vendor's unsuccessful answer means, after the pipeline has retried and refreshed where it
     * could.
     *
     * <p>A rejected credential marks the account INVALID only when the endpoint is one of the catalog's
     * ({@code catalogEndpoint}): the proxy reaches any path, and one that the token was never granted says
     * nothing about the account (the account still becomes INVALID when the token endpoint refuses its refresh).
     */
    public Failure failure(VendorCall call, VendorResponse response, boolean catalogEndpoint) {
        IntegrationDefinition integration = call.integration();
        Classification classification = response.classification();
        Failure.VendorAnswer answer = answer(response);
        String vendorCode = classification.errorCode();
        int status = response.status();
        return switch (classification.kind()) {
            case RATE_LIMITED -> Failure.rateLimited(integration.name() + " is rate limiting this account; retry later.",
                    classification.retryAfter()).fromVendor(answer);
            case TOKEN_EXPIRED, CREDENTIAL_REJECTED -> {
                String reason = integration.name() + " rejected the credential ("
                        + (vendorCode != null ? vendorCode : "HTTP " + status) + ")";
                if (catalogEndpoint && call.credential() != null) {
                    credentials.markInvalid(call.credential().id(), reason);
                }
                yield Failure.credentialInvalid(integration.key(), reason).fromVendor(answer);
            }
            case SERVER_ERROR -> new Failure(Failure.Kind.VENDOR_FAILED, "integration_error",
                    integration.name() + " failed with HTTP " + status + ".").fromVendor(answer);
            case REDIRECT -> new Failure(Failure.Kind.VENDOR_FAILED, "integration_error", integration.name()
                    + " answered with a redirect (HTTP " + status + "), which is not this action's answer.").fromVendor(answer);
            case VENDOR_ERROR -> new Failure(Failure.Kind.VENDOR_REFUSED, "integration_error", integration.name()
                    + " returned an error" + (vendorCode != null ? ": " + vendorCode : " (HTTP " + status + ")") + ".").fromVendor(answer);
            case SUCCESS -> throw new IllegalArgumentException("a successful answer is no failure");
        };
    }

    /** The vendor's answer as a failure carries it: from memory, or the start of a streamed body. */
    private static Failure.VendorAnswer answer(VendorResponse response) {
        if (response.stream() == null) {
            return Failure.VendorAnswer.of(response.status(), response.json(), response.body());
        }
        byte[] start;
        try (InputStream stream = response.stream()) {
            start = stream.readNBytes(Failure.MAX_VENDOR_TEXT);
        } catch (IOException e) {
            start = new byte[0];
        }
        JsonNode json = null;
        try {
            json = start.length == 0 ? null : Json.MAPPER.readTree(start);
        } catch (JacksonException notJson) {
            // kept as text
        }
        return Failure.VendorAnswer.of(response.status(), json, start);
    }
}
