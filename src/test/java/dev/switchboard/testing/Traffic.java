package dev.switchboard.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testing.Http.Answer;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** Requests sent one after another while something else happens (a backup, a migration, a key rotation). */
public final class Traffic {
    private Traffic() {}

    /** What the work returned, and how many requests were answered 200 meanwhile (each one must be). */
    public record During<T>(T result, int served) {}

    /** Sends {@code request} until the work is done (and at least a few times before it starts); every answer must be 200. */
    public static <T> During<T> whileDoing(Supplier<Answer> request, Callable<T> work) throws Exception {
        AtomicBoolean working = new AtomicBoolean(true);
        AtomicInteger served = new AtomicInteger();
        CompletableFuture<Void> traffic = CompletableFuture.runAsync(() -> {
            while (working.get() || served.get() < 5) {
                Answer answer = request.get();
                assertThat(answer.status()).as(answer.text()).isEqualTo(200);
                served.incrementAndGet();
            }
        });
        while (served.get() < 3 && !traffic.isDone()) {
            Thread.sleep(5);
        }
        try {
            return new During<>(work.call(), served.get());
        } finally {
            working.set(false);
            traffic.get();
        }
    }
}
