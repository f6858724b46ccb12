package dev.switchboard.triggers;

import dev.switchboard.json.Json;
import dev.switchboard.outcomes.Failure;
import dev.switchboard.store.IntegrationConfigRepository;
import dev.switchboard.store.IntegrationConfigRepository.IntegrationConfig;
import dev.switchboard.store.TriggerEventRepository;
import dev.switchboard.store.TriggerEventRepository.NewEvent;
import dev.switchboard.store.TriggerSubscriptionRepository;
import dev.switchboard.store.TriggerSubscriptionRepository.TriggerSubscription;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Slack's Events API, received for a project's Slack app: the request is checked to be Slack's (its signature with
 * the app's signing secret, and a timestamp within five minutes, so a recorded request cannot be replayed), the URL
 * verification challenge is answered, and each event is stored, once per matching subscription of the workspace's
 * accounts, keyed by Slack's event id (Slack's retries and a second node add nothing), before Slack is answered.
 */
public final class SlackEvents {
    static final Duration WINDOW = Duration.ofMinutes(5);

    private final IntegrationConfigRepository configs;
    private final TriggerCatalog catalog;
    private final TriggerSubscriptionRepository subscriptions;
    private final TriggerEventRepository events;
    private final Runnable stored;
    private final Clock clock;

    /** @param stored told when events were stored, to deliver them at once */
    public SlackEvents(IntegrationConfigRepository configs, TriggerCatalog catalog, TriggerSubscriptionRepository subscriptions,
                       TriggerEventRepository events, Runnable stored, Clock clock) {
        this.configs = configs;
        this.catalog = catalog;
        this.subscriptions = subscriptions;
        this.events = events;
        this.stored = stored;
        this.clock = clock;
    }

    /** What Slack is answered: the challenge, on URL verification; nothing (200) otherwise. */
    public Optional<String> receive(String projectId, String timestamp, String signature, byte[] body) {
        String signingSecret = configs.find(projectId, "slack").map(IntegrationConfig::signingSecret).orElse(null);
        if (signingSecret == null) {
            throw Failure.operatorUnauthenticated("Slack request signature", "the project's Slack settings have no signingSecret to check it with");
        }
        long sent;
        try {
            sent = Long.parseLong(timestamp == null ? "" : timestamp.strip());
        } catch (NumberFormatException e) {
            throw Failure.operatorUnauthenticated("Slack request signature", "no X-Slack-Request-Timestamp");
        }
        if (Math.abs(clock.instant().getEpochSecond() - sent) > WINDOW.toSeconds()) {
            throw Failure.operatorUnauthenticated("Slack request signature", "X-Slack-Request-Timestamp is more than five minutes from now (a replay?)");
        }
        if (!WebhookSignatures.slackSigned(signingSecret, timestamp.strip(), body, signature)) {
            throw Failure.operatorUnauthenticated("Slack request signature", "X-Slack-Signature does not match the body and the signing secret");
        }
        JsonNode request;
        try {
            request = Json.MAPPER.readTree(body);
        } catch (RuntimeException e) {
            throw Failure.invalidInput("invalid_request", "The body is not JSON.");
        }
        if ("url_verification".equals(request.path("type").asString(""))) {
            return Optional.of(Json.write(Json.object().put("challenge", request.path("challenge").asString(""))));
        }
        if ("event_callback".equals(request.path("type").asString(""))) {
            store(projectId, request);
        }
        return Optional.empty();
    }

    private void store(String projectId, JsonNode request) {
        JsonNode event = request.path("event");
        String eventId = request.path("event_id").asString("");
        String team = request.path("team_id").asString("");
        if (eventId.isEmpty() || team.isEmpty() || !event.isObject()) {
            throw Failure.invalidInput("invalid_request", "An event_callback needs event_id, team_id and event.");
        }
        List<TriggerDefinition> triggers = catalog.forEvent("slack", event);
        long occurredAt = request.path("event_time").isNumber() ? request.path("event_time").asLong() * 1000 : clock.millis();
        List<NewEvent> toStore = new ArrayList<>();
        for (TriggerSubscription subscription : subscriptions.activeForAccount(projectId, "slack",
                triggers.stream().map(TriggerDefinition::type).toList(), team)) {
            TriggerDefinition trigger = catalog.find("slack", subscription.type()).orElseThrow();
            if (trigger.takes(event, subscription.parameters())) {
                String id = java.util.UUID.randomUUID().toString();
                toStore.add(new NewEvent(id, projectId, subscription.id(), "slack:" + eventId,
                        Json.write(TriggerEvents.body(id, subscription, event, Instant.ofEpochMilli(occurredAt), clock.instant())), occurredAt));
            }
        }
        if (!toStore.isEmpty() && events.enqueue(toStore) > 0) {
            stored.run();
        }
    }
}
