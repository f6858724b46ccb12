package dev.switchboard.triggers;

import dev.switchboard.store.TriggerEventRepository;
import dev.switchboard.store.TriggerEventRepository.Attempt;
import dev.switchboard.store.TriggerEventRepository.Claimed;
import dev.switchboard.store.TriggerSubscriptionRepository;
import dev.switchboard.store.TriggerSubscriptionRepository.TriggerSubscription;
import dev.switchboard.store.TriggerWebhookRepository;
import dev.switchboard.store.TriggerWebhookRepository.TriggerWebhook;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the outbox's events to their webhooks, at least once: a node claims due events under a lease, posts each
 * signed (see {@link WebhookSignatures}), and records the attempt. A 2xx answer delivers the event; anything else, or
 * no answer, tries again later with exponential backoff and jitter (honouring {@code Retry-After}), until the event
 * is older than the horizon, when it is marked failed and kept for replay. A 410 Gone also marks the subscription
 * errored. A node that dies mid-delivery leaves its lease to run out; another node (or itself, restarted) then sends
 * the event again, with the same id. The events of one subscription go out in order, one at a time.
 */
public final class TriggerDelivery implements AutoCloseable {
    /**
     * @param horizon  how long an event is retried before it is marked failed
     * @param lease    how long a claim lasts; longer than the timeout, so a live node always finishes first
     * @param timeout  how long a receiver has to answer
     */
    public record Settings(Duration horizon, Duration lease, Duration timeout) {
        public static final Settings DEFAULTS = new Settings(Duration.ofHours(24), Duration.ofSeconds(60), Duration.ofSeconds(15));
    }

    private static final Logger LOG = LoggerFactory.getLogger(TriggerDelivery.class);
    private static final int BATCH = 32;
    private static final Duration FIRST_RETRY = Duration.ofSeconds(5);
    private static final Duration LONGEST_WAIT = Duration.ofHours(1);

    private final TriggerEventRepository events;
    private final TriggerSubscriptionRepository subscriptions;
    private final TriggerWebhookRepository webhooks;
    private final Clock clock;
    private final String node;
    private final Settings settings;
    private final MeterRegistry meters;
    private final HttpClient http;
    private final ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();

    public TriggerDelivery(TriggerEventRepository events, TriggerSubscriptionRepository subscriptions, TriggerWebhookRepository webhooks,
                           Clock clock, String node, Settings settings, MeterRegistry meters) {
        this.events = events;
        this.subscriptions = subscriptions;
        this.webhooks = webhooks;
        this.clock = clock;
        this.node = node;
        this.settings = settings;
        this.meters = meters;
        this.http = HttpClient.newBuilder().connectTimeout(settings.timeout()).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Claims the events due at {@code now} and delivers them (each subscription's in turn); returns how many were attempted. */
    public int deliverDue(Instant now) {
        List<Claimed> claimed = events.claimDue(node, now.toEpochMilli(), now.plus(settings.lease()).toEpochMilli(), BATCH);
        List<Future<?>> sent = new ArrayList<>();
        for (Claimed event : claimed) {
            sent.add(senders.submit(() -> deliver(event, now)));
        }
        for (Future<?> future : sent) {
            try {
                future.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (java.util.concurrent.ExecutionException e) {
                LOG.warn("trigger delivery of an event failed: {}", e.getCause().toString());
            }
        }
        return claimed.size();
    }

    private void deliver(Claimed event, Instant now) {
        int attempt = event.attempts() + 1;
        Optional<TriggerSubscription> subscription = subscriptions.find(event.subscriptionId());
        Optional<TriggerWebhook> webhook = webhooks.find(event.projectId());
        String url = subscription.map(TriggerSubscription::webhookOverride).map(o -> o.path("url").asString(null))
                .orElse(webhook.map(TriggerWebhook::url).orElse(null));
        if (url == null || webhook.isEmpty()) {
            retryOrFail(event, attempt, now, null, "the project has no trigger webhook set (admin API: PUT /admin/projects/{id}/trigger-webhook)", 0, null);
            return;
        }
        byte[] body = event.body().getBytes(StandardCharsets.UTF_8);
        long timestamp = now.getEpochSecond();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(settings.timeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", "Switchboard-Triggers")
                .header("x-paragon-signature", WebhookSignatures.paragon(webhook.get().secret(), body))
                .header("webhook-id", event.id())
                .header("webhook-timestamp", String.valueOf(timestamp))
                .header("webhook-signature", WebhookSignatures.standard(webhook.get().secret(), event.id(), timestamp, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        subscription.map(TriggerSubscription::webhookOverride).map(o -> o.path("headers")).filter(h -> h.isObject())
                .ifPresent(headers -> headers.properties().forEach(h -> request.header(h.getKey(), h.getValue().asString(""))));
        long started = System.nanoTime();
        HttpResponse<Void> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
        } catch (IOException | IllegalArgumentException e) {
            retryOrFail(event, attempt, now, null, "no answer: " + e.getClass().getSimpleName(), elapsedMs(started), null);
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            events.recordAttempt(event, node, new Attempt(attempt, now.toEpochMilli(), status, elapsedMs(started), null),
                    TriggerEventRepository.DELIVERED, now.toEpochMilli());
            count("delivered");
        } else if (status == 410) {
            events.recordAttempt(event, node, new Attempt(attempt, now.toEpochMilli(), status, elapsedMs(started), "410 Gone"),
                    TriggerEventRepository.FAILED, now.toEpochMilli());
            subscriptions.markErrored(event.subscriptionId(), "The webhook answered 410 Gone: the receiver no longer takes these events.");
            count("failed");
        } else {
            Duration retryAfter = response.headers().firstValue("Retry-After").flatMap(TriggerDelivery::seconds).orElse(null);
            retryOrFail(event, attempt, now, status, "the webhook answered " + status, elapsedMs(started), retryAfter);
        }
    }

    private void retryOrFail(Claimed event, int attempt, Instant now, Integer status, String error, long latencyMs, Duration retryAfter) {
        Duration wait = backoff(attempt);
        if (retryAfter != null && retryAfter.compareTo(wait) > 0) {
            wait = retryAfter;
        }
        Instant next = now.plus(wait);
        boolean giveUp = next.isAfter(Instant.ofEpochMilli(event.createdAt()).plus(settings.horizon()));
        events.recordAttempt(event, node, new Attempt(attempt, now.toEpochMilli(), status, latencyMs, error),
                giveUp ? TriggerEventRepository.FAILED : TriggerEventRepository.PENDING, next.toEpochMilli());
        count(giveUp ? "failed" : "retry");
        LOG.info("trigger event {} attempt {}: {}{}", event.id(), attempt, error, giveUp ? "; failed, kept for replay" : "; again at " + next);
    }

    /** 5 s after the first failure, three times longer after each next one, at most an hour; each wait 75-125 % of that. */
    static Duration backoff(int attempt) {
        double seconds = FIRST_RETRY.toSeconds() * Math.pow(3, Math.max(0, attempt - 1));
        double capped = Math.min(seconds, LONGEST_WAIT.toSeconds());
        return Duration.ofMillis((long) (capped * 1000 * ThreadLocalRandom.current().nextDouble(0.75, 1.25)));
    }

    private static Optional<Duration> seconds(String retryAfter) {
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(retryAfter.strip()))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static long elapsedMs(long startedNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    }

    private void count(String outcome) {
        meters.counter("switchboard.trigger.deliveries", "outcome", outcome).increment();
    }

    @Override
    public void close() {
        senders.shutdownNow();
        http.close();
    }
}
