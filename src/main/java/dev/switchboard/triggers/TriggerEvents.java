package dev.switchboard.triggers;

import dev.switchboard.json.Json;
import dev.switchboard.store.TriggerSubscriptionRepository.TriggerSubscription;
import java.time.Instant;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The body of a delivered event: ActionKit's fields, and when the event happened at the vendor. */
final class TriggerEvents {
    private TriggerEvents() {}

    static ObjectNode body(String eventId, TriggerSubscription subscription, JsonNode payload, Instant occurredAt, Instant received) {
        ObjectNode body = Json.object().put("eventId", eventId).put("userId", subscription.userId())
                .put("integration", subscription.integration()).put("triggerType", subscription.type())
                .put("triggerSubscriptionId", subscription.id()).put("credentialId", subscription.credentialId())
                .put("projectId", subscription.projectId()).put("dateReceived", received.toString()).put("occurredAt", occurredAt.toString());
        body.set("payload", payload);
        JsonNode metadata = subscription.webhookOverride() == null ? null : subscription.webhookOverride().get("metadata");
        body.set("triggerSubscriptionMetadata", metadata == null ? Json.object() : metadata);
        return body;
    }
}
