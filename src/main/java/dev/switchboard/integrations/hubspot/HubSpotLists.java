package dev.switchboard.integrations.hubspot;

import dev.switchboard.json.Json;
import dev.switchboard.programs.ActionProgram;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * ActionKit's {@code HUBSPOT_GET_CONTACTS_BY_LIST_ID}: HubSpot's lists answer their members' IDs only (the legacy route
 * that answered contacts is gone), so each page of members is followed by one batch read of those contacts (a
 * hundred IDs a read), answered in the list's order with the members' page cursor.
 */
public final class HubSpotLists {
    static final String MEMBERSHIPS = "HUBSPOT_GET_LIST_MEMBERSHIPS";
    static final String READ = "HUBSPOT_GET_RECORDS_BY_IDS";
    /** HubSpot reads at most this many records in one batch. */
    private static final int BATCH = 100;

    private HubSpotLists() {}

    public static Map<String, ActionProgram> all() {
        return Map.of("hubspotContactsOfList", ActionProgram.of(true, Set.of(MEMBERSHIPS, READ), HubSpotLists::contactsOfList));
    }

    private static JsonNode contactsOfList(JsonNode input, ActionProgram.Steps steps) {
        ObjectNode page = Json.object().put("listId", input.get("listId").asString());
        if (input.has("paginationParameters")) {
            page.set("paginationParameters", input.get("paginationParameters"));
        }
        JsonNode members = steps.run(MEMBERSHIPS, page);
        List<String> ids = new ArrayList<>();
        members.path("results").forEach(member -> ids.add(member.path("recordId").asString()));
        Map<String, JsonNode> contacts = new LinkedHashMap<>();
        ArrayNode errors = Json.MAPPER.createArrayNode();
        for (int start = 0; start < ids.size(); start += BATCH) {
            ObjectNode read = Json.object().put("recordType", "contacts");
            ArrayNode inputs = read.putArray("recordIds");
            ids.subList(start, Math.min(ids.size(), start + BATCH)).forEach(id -> inputs.addObject().put("id", id));
            if (input.has("properties")) {
                read.set("properties", input.get("properties"));
            }
            JsonNode answer = steps.run(READ, read);
            answer.path("results").forEach(contact -> contacts.put(contact.path("id").asString(), contact));
            answer.path("errors").forEach(errors::add);
        }
        ObjectNode result = Json.object();
        ArrayNode results = result.putArray("results");
        ids.stream().map(contacts::get).filter(java.util.Objects::nonNull).forEach(results::add);
        if (!errors.isEmpty()) {
            result.set("errors", errors); // a member deleted since it joined: HubSpot names it
        }
        for (String paging : List.of("pageCursor", "nextPaginationParameters")) {
            if (members.has(paging)) {
                result.set(paging, members.get(paging));
            }
        }
        return result;
    }
}
