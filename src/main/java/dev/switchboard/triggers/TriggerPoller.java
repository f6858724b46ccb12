package dev.switchboard.triggers;

import dev.switchboard.actions.ActionRunner;
import dev.switchboard.auth.UserPrincipal;
import dev.switchboard.json.Json;
import dev.switchboard.outcomes.Failure;
import dev.switchboard.store.TriggerEventRepository.NewEvent;
import dev.switchboard.store.TriggerSubscriptionRepository;
import dev.switchboard.store.TriggerSubscriptionRepository.TriggerSubscription;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Polls the vendors for the polling triggers: a node claims due subscriptions (a lease, as for delivery), runs each
 * one's list action for its user and account, and records in one transaction the events of the records it had not
 * seen and the cursor that now says what it has seen. A list is read newest first until a page holds a record already
 * seen, or (for lists in no useful order) as what changed since the previous poll, or whole when it is short
 * ({@link TriggerDefinition.Poll}). The first poll only records the baseline: a subscription
 * never floods its receiver with the records that existed before it. A record fires once (by its id), or again each
 * time it changes when the trigger names a version (its modification time); the event's dedupe key is the id and
 * version, so a poll repeated after a crash stores nothing twice. An account that stops working stops its
 * subscriptions with the reason, and they resume, cursor kept, once the user reconnects it.
 */
public final class TriggerPoller {
    private static final Logger LOG = LoggerFactory.getLogger(TriggerPoller.class);
    /** How many record keys a cursor remembers: records dropping off the vendor's first page and coming back do not fire again. */
    static final int REMEMBERED = 5_000;
    private static final int BATCH = 16;
    /** The most pages one poll reads when every record on them is new. */
    static final int MAX_PAGES = 10;
    /** How far back a windowed poll asks before the previous one: clocks differ, and search indexes lag. */
    static final Duration OVERLAP = Duration.ofMinutes(5);
    /** How often a node looks for subscriptions whose accounts were reconnected (polls are a minute apart anyway). */
    private static final Duration RESUME_CHECK = Duration.ofSeconds(15);

    private final TriggerCatalog catalog;
    private final TriggerSubscriptionRepository subscriptions;
    private final ActionRunner actions;
    private final Clock clock;
    private final String node;
    private final Duration lease;
    private final boolean postgres;
    private Instant lastResumeCheck;

    public TriggerPoller(TriggerCatalog catalog, TriggerSubscriptionRepository subscriptions, ActionRunner actions,
                         Clock clock, String node, Duration lease, boolean postgres) {
        this.catalog = catalog;
        this.subscriptions = subscriptions;
        this.actions = actions;
        this.clock = clock;
        this.node = node;
        this.lease = lease;
        this.postgres = postgres;
    }

    /** Resumes what a reconnect mended (looking every 15 s), then polls the subscriptions due at {@code now}; returns how many events were new. */
    public int pollDue(Instant now) {
        resumeReconnected(now);
        // Side by side, each on a virtual thread: one slow vendor does not hold up the others' polls.
        List<Future<Integer>> polls = new ArrayList<>();
        try (var pollers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (TriggerSubscription subscription : subscriptions.claimDuePolls(node, now.toEpochMilli(), now.plus(lease).toEpochMilli(), BATCH, postgres)) {
                polls.add(pollers.submit(() -> poll(subscription, now)));
            }
        }
        int added = 0;
        for (Future<Integer> poll : polls) {
            try {
                added += poll.get();
            } catch (ExecutionException e) {
                LOG.warn("trigger poll failed: {}", e.getCause().toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return added;
    }

    private synchronized void resumeReconnected(Instant now) {
        if (lastResumeCheck != null && !now.isBefore(lastResumeCheck) && now.isBefore(lastResumeCheck.plus(RESUME_CHECK))) {
            return;
        }
        lastResumeCheck = now;
        int resumed = subscriptions.resumeReconnected();
        if (resumed > 0) {
            LOG.info("triggers: {} subscriptions resumed after their accounts were reconnected", resumed);
        }
    }

    private int poll(TriggerSubscription subscription, Instant now) {
        TriggerDefinition trigger = catalog.find(subscription.integration(), subscription.type()).orElse(null);
        if (trigger == null || trigger.poll() == null) {
            subscriptions.stopForAccount(subscription.id(), "This trigger type is no longer offered.");
            return 0;
        }
        TriggerDefinition.Poll poll = trigger.poll();
        long next = now.plusSeconds(poll.every()).toEpochMilli();
        ObjectNode parameters = poll.parametersFor(subscription.parameters());
        Set<String> seen = new LinkedHashSet<>();
        boolean baseline = subscription.pollCursor() == null;
        JsonNode cursorBefore = baseline ? Json.object() : Json.parse(subscription.pollCursor());
        cursorBefore.path("seen").forEach(key -> seen.add(key.asString()));
        // A windowed list (poll.since) is asked for what changed since the previous poll, less an overlap for clocks and
        // search indexes that lag; the keys seen keep the overlap from firing twice.
        boolean windowed = poll.since() != null;
        Instant windowStart = (cursorBefore.has("since") ? Instant.ofEpochMilli(cursorBefore.get("since").asLong()) : now).minus(OVERLAP);
        if (windowed) {
            parameters.put(poll.since(), windowStart.toString());
        }
        List<NewEvent> events = new ArrayList<>();
        Set<String> current = new LinkedHashSet<>();
        ObjectNode pageParameters = parameters;
        for (int page = 1; ; page++) {
            JsonNode answer;
            try {
                answer = actions.run(new UserPrincipal(subscription.projectId(), subscription.userId(), null), poll.action(), pageParameters,
                        subscription.credentialId(), "trg_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16)).body();
            } catch (Failure failure) {
                // Nothing of this poll is kept (not even its first pages): the next one reads them all again, and what
                // it stores twice is stored once (the events' dedupe keys).
                stopOrRetry(subscription, failure, now, next);
                return 0;
            }
            boolean onlyNew = true;
            JsonNode records = answer.at(catalog.recordsOf(poll.action()));
            for (JsonNode record : records.isArray() ? records : Json.MAPPER.createArrayNode()) {
                String key = key(record, poll);
                if (key == null) {
                    continue;
                }
                current.add(key);
                if (seen.contains(key)) {
                    onlyNew = false;
                } else if (!baseline && createdInWindow(record, poll, windowStart)) {
                    String id = UUID.randomUUID().toString();
                    events.add(new NewEvent(id, subscription.projectId(), subscription.id(), key,
                            Json.write(TriggerEvents.body(id, subscription, record, now, now)), now.toEpochMilli()));
                }
            }
            // A newest-first list: a page of new records only may hide more on the next one (the baseline needs its
            // first page only). A windowed list, or one read whole: every page counts.
            JsonNode more = answer.path("nextPaginationParameters");
            boolean everyPage = windowed || poll.whole();
            boolean read = everyPage ? records.isEmpty() || !more.isObject() : baseline || !onlyNew || records.isEmpty() || !more.isObject();
            if (read || page == MAX_PAGES) {
                if (!read) {
                    LOG.warn("trigger {}: more than {} pages in one poll; the records past them are not looked at", subscription.id(), MAX_PAGES);
                }
                break;
            }
            pageParameters = parameters.deepCopy();
            pageParameters.set("paginationParameters", more); // ActionKit's way to the next page, for every list action
        }
        if (poll.whole() && current.size() > REMEMBERED) {
            LOG.warn("trigger {}: a list read whole holds {} records, more than the {} a cursor remembers", subscription.id(), current.size(), REMEMBERED);
        }
        Set<String> remembered = new LinkedHashSet<>(current);
        for (String key : seen) {
            if (remembered.size() >= REMEMBERED) {
                break;
            }
            remembered.add(key);
        }
        ObjectNode cursor = Json.object();
        cursor.set("seen", Json.tree(List.copyOf(remembered)));
        if (windowed) {
            cursor.put("since", now.toEpochMilli());
        }
        return subscriptions.recordPoll(subscription.id(), node, Json.write(cursor), next, events);
    }

    private void stopOrRetry(TriggerSubscription subscription, Failure failure, Instant now, long next) {
        switch (failure.kind()) {
            case CREDENTIAL_INVALID, NOT_CONNECTED, FORBIDDEN -> subscriptions.stopForAccount(subscription.id(),
                    "The account no longer works (" + failure.getMessage() + "); reconnect it to resume.");
            case NOT_FOUND -> subscriptions.stopForAccount(subscription.id(), "The account is gone (" + failure.getMessage() + "); reconnect it to resume.");
            case RATE_LIMITED -> subscriptions.releasePoll(subscription.id(), node,
                    Math.max(next, now.plus(failure.retryAfter() == null ? Duration.ZERO : failure.retryAfter()).toEpochMilli()));
            default -> {
                LOG.info("trigger {} poll failed: {} {}; next at {}", subscription.id(), failure.code(), failure.getMessage(), Instant.ofEpochMilli(next));
                subscriptions.releasePoll(subscription.id(), node, next);
            }
        }
    }

    /**
     * Whether a windowed "new" trigger's record was created in the window (an old record that just changed was not);
     * true for every other trigger, and for a creation time that cannot be read (better a doubtful event than a lost one).
     */
    private static boolean createdInWindow(JsonNode record, TriggerDefinition.Poll poll, Instant windowStart) {
        if (poll.created() == null) {
            return true;
        }
        String created = record.at(poll.created()).asString("");
        try {
            return !java.time.OffsetDateTime.parse(created).toInstant().isBefore(windowStart);
        } catch (java.time.format.DateTimeParseException e) {
            return true;
        }
    }

    /** A record's dedupe key: its id, and its version when the trigger fires on changes; null without an id. */
    private static String key(JsonNode record, TriggerDefinition.Poll poll) {
        JsonNode id = record.at(poll.id());
        if (id.isMissingNode() || id.isNull()) {
            return null;
        }
        String key = id.asString();
        if (poll.version() != null) {
            key += "@" + record.at(poll.version()).asString("");
        }
        return key.length() > 255 ? key.substring(0, 255) : key;
    }
}
