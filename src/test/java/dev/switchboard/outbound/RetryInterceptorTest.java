package dev.switchboard.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.integrations.IntegrationDefinition;
import dev.switchboard.integrations.IntegrationLoader;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** When the pipeline repeats a call: the retry step alone, in front of a scripted last step. */
class RetryInterceptorTest {
    static final IntegrationDefinition DEMO = IntegrationLoader.load("demo", """
            key: demo
            name: Demo
            urls: {api: "https://api.example.com"}
            auth: {type: oauth2}
            actions:
              DEMO_GET_THING:
                description: Get a thing.
                method: GET
                path: /thing
                input: {type: object}
            """).definition();

    /** The last step: answers from a script, one entry per attempt, and counts the attempts. */
    static final class Script implements VendorInterceptor {
        private final Deque<Supplier<VendorResponse>> answers = new ArrayDeque<>();
        int attempts;

        Script then(Classification.Kind kind, Duration retryAfter) {
            answers.add(() -> new VendorResponse(kind == Classification.Kind.SUCCESS ? 200 : 500, Map.of(), new byte[0])
                    .classified(new Classification(kind, null, retryAfter)));
            return this;
        }

        Script thenUnreachable() {
            answers.add(() -> {
                throw new VendorUnreachableException("connection refused");
            });
            return this;
        }

        @Override
        public VendorResponse intercept(Chain chain) {
            attempts++;
            return answers.size() > 1 ? answers.poll().get() : answers.peek().get();
        }
    }

    private static VendorRequest request(boolean safeToRepeat, VendorBody body, Duration budget) {
        VendorCall call = new VendorCall(DEMO, null, safeToRepeat, System.nanoTime() + budget.toNanos(), false);
        return new VendorRequest(call, safeToRepeat ? "GET" : "POST", URI.create("https://api.example.com/thing"), Map.of(), body);
    }

    private static VendorResponse run(Script script, VendorRequest request) {
        return VendorInterceptor.run(List.of(new RetryInterceptor(), script), request);
    }

    @Test
    void aRateLimitIsRepeatedEvenForAWriteAfterTheWaitTheVendorAskedFor() {
        Script script = new Script().then(Classification.Kind.RATE_LIMITED, Duration.ZERO).then(Classification.Kind.SUCCESS, null);
        VendorResponse response = run(script, request(false, VendorBody.Bytes.of(new byte[] {1}), Duration.ofSeconds(5)));
        assertThat(response.classification().kind()).isEqualTo(Classification.Kind.SUCCESS);
        assertThat(script.attempts).isEqualTo(2);
    }

    @Test
    void aServerErrorIsRepeatedForAReadButNotForAWrite() {
        Script read = new Script().then(Classification.Kind.SERVER_ERROR, Duration.ZERO).then(Classification.Kind.SUCCESS, null);
        assertThat(run(read, request(true, null, Duration.ofSeconds(5))).classification().kind()).isEqualTo(Classification.Kind.SUCCESS);
        assertThat(read.attempts).isEqualTo(2);

        Script write = new Script().then(Classification.Kind.SERVER_ERROR, Duration.ZERO).then(Classification.Kind.SUCCESS, null);
        assertThat(run(write, request(false, null, Duration.ofSeconds(5))).classification().kind()).isEqualTo(Classification.Kind.SERVER_ERROR);
        assertThat(write.attempts).isEqualTo(1);
    }

    @Test
    void aNetworkErrorIsRepeatedForAReadAndThrownForAWrite() {
        Script read = new Script().thenUnreachable().then(Classification.Kind.SUCCESS, null);
        assertThat(run(read, request(true, null, Duration.ofSeconds(5))).classification().kind()).isEqualTo(Classification.Kind.SUCCESS);
        assertThat(read.attempts).isEqualTo(2);

        Script write = new Script().thenUnreachable();
        assertThatThrownBy(() -> run(write, request(false, null, Duration.ofSeconds(5)))).isInstanceOf(VendorUnreachableException.class);
        assertThat(write.attempts).isEqualTo(1);
    }

    @Test
    void aStreamedBodyIsNeverSentTwice() {
        Script script = new Script().then(Classification.Kind.RATE_LIMITED, Duration.ZERO).then(Classification.Kind.SUCCESS, null);
        VendorBody streamed = new VendorBody.Streamed(new ByteArrayInputStream(new byte[10]), 10);
        assertThat(run(script, request(true, streamed, Duration.ofSeconds(5))).classification().kind()).isEqualTo(Classification.Kind.RATE_LIMITED);
        assertThat(script.attempts).isEqualTo(1);
    }

    @Test
    void aWaitThatWouldPassTheDeadlineEndsTheRetriesWithTheLastAnswer() {
        Script script = new Script().then(Classification.Kind.RATE_LIMITED, Duration.ofSeconds(30));
        long started = System.nanoTime();
        VendorResponse response = run(script, request(true, null, Duration.ofSeconds(1)));
        assertThat(response.classification().kind()).isEqualTo(Classification.Kind.RATE_LIMITED);
        assertThat(script.attempts).isEqualTo(1);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void withoutRetryAfterItBacksOffUntilTheBudgetIsSpent() {
        Script script = new Script().then(Classification.Kind.SERVER_ERROR, null);
        long started = System.nanoTime();
        VendorResponse response = run(script, request(true, null, Duration.ofMillis(1500)));
        assertThat(response.classification().kind()).isEqualTo(Classification.Kind.SERVER_ERROR);
        assertThat(script.attempts).as("backoff from 200 ms, doubling, within 1.5 s").isBetween(2, 6);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(1600));
    }
}
