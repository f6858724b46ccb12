package dev.switchboard.triggers;

import com.networknt.schema.Schema;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One trigger type of an integration, as its file {@code triggers/<integration>.yaml} defines it.
 *
 * @param model   {@code WEBHOOK}: the vendor pushes its events (Slack's Events API); {@code POLLING}: Switchboard asks
 * @param input   JSON Schema of the subscription's parameters
 * @param event   for a webhook trigger, which of the vendor's events it takes
 * @param poll    for a polling trigger, how the vendor is asked
 * @param example for a webhook trigger, what an event's payload looks like (a polling trigger's examples are real
 *                records, read from the vendor)
 * @param filters a parameter that, when given, keeps only the events whose value at a JSON pointer equals it
 *                ({@code channel: /channel})
 */
public record TriggerDefinition(String integration, String type, String title, String description, String model, ObjectNode input,
                                VendorEvent event, Poll poll, JsonNode example, Map<String, String> filters, Supplier<Schema> validator) {
    public static final String WEBHOOK = "WEBHOOK";
    public static final String POLLING = "POLLING";

    /**
     * Which of the vendor's events a webhook trigger takes.
     *
     * @param type   the event's type ({@code message}, {@code app_mention})
     * @param match  values the event must hold, by JSON pointer ({@code /channel_type: channel})
     * @param absent pointers the event must not have (a bot's own messages carry {@code /bot_id}; edits a {@code /subtype})
     */
    public record VendorEvent(String type, Map<String, String> match, List<String> absent) {
        public VendorEvent {
            match = match == null ? Map.of() : Map.copyOf(match);
            absent = absent == null ? List.of() : List.copyOf(absent);
        }
    }

    /**
     * How a polling trigger asks the vendor: it runs a list action for the user (with the subscription's parameters,
     * and these fixed ones), reads the records from the action's list, and fires for each it has not seen.
     *
     * @param action  the list action run at each poll, such as ASANA_GET_TASKS
     * @param with    parameters always given to the action (a sort, the fields to return)
     * @param id      pointer to a record's id
     * @param version pointer to what changes when a record does (its modification time): a record fires again when it
     *                changes; null fires each record once
     * @param every   seconds between polls
     * @param rename  a subscription's parameter given to the action under another name ({@code recordType: module}),
     *                so triggers keep ActionKit's names where the list action has its own
     * @param since   for a list in no useful order that can be asked for what changed since a time (Google Calendar's
     *                updatedMin, Asana's modified_since): the action's parameter that takes it. Each poll gives it the
     *                previous poll's time less a few minutes, reads every page and fires each record it has not seen;
     *                null for a list that is newest first
     * @param created with {@code since}, pointer to a record's creation time: only records created since the previous
     *                poll (less the same minutes) fire, so a "new" trigger does not fire for an old record just changed
     * @param whole   for a short list in no useful order (a team's channels, a folder's files): each poll reads it whole,
     *                every page, and fires for each record it has not seen
     */
    public record Poll(String action, Map<String, Object> with, String id, String version, Integer every, Map<String, String> rename,
                       String since, String created, boolean whole) {
        public Poll {
            with = with == null ? Map.of() : Map.copyOf(with);
            every = every == null ? 60 : every;
            rename = rename == null ? Map.of() : Map.copyOf(rename);
        }

        /** What the list action is given: the fixed parameters, and a subscription's own over them (renamed as said). */
        public ObjectNode parametersFor(JsonNode subscription) {
            ObjectNode parameters = (ObjectNode) dev.switchboard.json.Json.MAPPER.valueToTree(with);
            subscription.properties().forEach(p -> parameters.set(actionParameter(p.getKey()), p.getValue()));
            return parameters;
        }

        /** The name under which the list action takes a subscription's parameter. */
        public String actionParameter(String subscriptionParameter) {
            return rename.getOrDefault(subscriptionParameter, subscriptionParameter);
        }
    }

    /** Whether a vendor event is one of this trigger's, for a subscription with these parameters. */
    public boolean takes(JsonNode vendorEvent, JsonNode parameters) {
        if (event == null || !event.type().equals(vendorEvent.path("type").asString(""))) {
            return false;
        }
        for (Map.Entry<String, String> required : event.match().entrySet()) {
            if (!required.getValue().equals(vendorEvent.at(required.getKey()).asString(null))) {
                return false;
            }
        }
        for (String pointer : event.absent()) {
            if (!vendorEvent.at(pointer).isMissingNode()) {
                return false;
            }
        }
        for (Map.Entry<String, String> filter : filters.entrySet()) {
            JsonNode wanted = parameters.path(filter.getKey());
            if (wanted.isString() && !wanted.asString().isEmpty() && !wanted.asString().equals(vendorEvent.at(filter.getValue()).asString(null))) {
                return false;
            }
        }
        return true;
    }
}
