package dev.switchboard.integrations;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The catalog against ActionKit's own: every confirmed action of the eleven seed integrations (a copy of the
 * reference's table in {@code src/test/resources/actionkit/confirmed-actions.tsv}) is listed under its name, in
 * its integration, with every parameter name ActionKit was seen to take, required where ActionKit requires it.
 * What is not built yet is written below with the reason, so that the list can only shrink: an action built but
 * still listed here fails too.
 */
class ActionKitCatalogTest {
    /** Confirmed actions not built yet, and why (none now: a name added here must say why). */
    private static final Map<String, String> NOT_BUILT = Map.of();

    private static final String ORDER_FIXED = "Shopify's orderUpdate changes only an order's email, note, tags, shipping address and attributes; "
            + "its items, statuses, receipt and inventory are fixed once it exists";

    /** ActionKit parameters of built actions that are not taken yet, and why. */
    private static final Map<String, String> PARAMETERS_NOT_TAKEN = Map.ofEntries(
            Map.entry("SLACK_SEND_DIRECT_MESSAGE.authenticatedUser", "posting as the user needs the account's user token beside the bot's"),
            Map.entry("TEAMS_SEND_MESSAGE_IN_CHAT.summary", "Graph keeps a summary only on channel messages"),
            Map.entry("TEAMS_SEND_MESSAGE_IN_CHAT.attachments", "ActionKit's are Bot Framework cards; Graph's chat messages take cards another way (not built)"),
            Map.entry("TEAMS_SEND_MESSAGE_IN_CHAT.attachmentLayout", "a Bot Framework activity's field, which Graph's chat messages do not have"),
            Map.entry("TEAMS_GET_USER_BY_EMAIL.teamId", "the user is looked up in the whole directory by mail or sign-in name, not within one team"),
            Map.entry("SHOPIFY_UPDATE_ORDER.lineItems", ORDER_FIXED),
            Map.entry("SHOPIFY_UPDATE_ORDER.sendReceipt", ORDER_FIXED),
            Map.entry("SHOPIFY_UPDATE_ORDER.fulfillmentStatus", ORDER_FIXED),
            Map.entry("SHOPIFY_UPDATE_ORDER.financialStatus", ORDER_FIXED),
            Map.entry("SHOPIFY_UPDATE_ORDER.inventoryBehaviour", ORDER_FIXED));

    private static final String PER_FIELD_TYPE = "required for the field types that have the setting (length for Text, decimalPlace for Number, ...): "
            + "the schema says so per type, and a missing one is refused naming it";

    /** ActionKit parameters marked required in its listing that are optional here, and why. */
    private static final Map<String, String> OPTIONAL_HERE = Map.ofEntries(
            Map.entry("NOTION_CREATE_PAGE.icon", "Notion makes a page without an icon; requiring one would refuse calls Notion takes"),
            Map.entry("NOTION_UPDATE_PAGE.icon", "changing a page's title or properties needs no icon (the required mark is from CrewAI's copy of the listing)"),
            Map.entry("ZENDESK_UPDATE_TICKET.requesterName", "changing a ticket's status needs no requester (the required mark is from CrewAI's copy of the listing)"),
            Map.entry("ZENDESK_UPDATE_TICKET.requesterEmail", "changing a ticket's status needs no requester (the required mark is from CrewAI's copy of the listing)"),
            Map.entry("SALESFORCE_CREATE_CUSTOM_FIELD_*.length", PER_FIELD_TYPE),
            Map.entry("SALESFORCE_CREATE_CUSTOM_FIELD_*.decimalPlace", PER_FIELD_TYPE),
            Map.entry("SALESFORCE_CREATE_CUSTOM_FIELD_*.pickListValues", PER_FIELD_TYPE),
            Map.entry("SALESFORCE_CREATE_CUSTOM_FIELD_*.visibleLines", PER_FIELD_TYPE),
            Map.entry("SALESFORCE_CREATE_RECORD_TASK.taskSubtype", "Salesforce makes a task without a subtype (a plain task); requiring one would refuse calls Salesforce takes"));

    /** Whether the parameter is in OPTIONAL_HERE, for the action or for its family (SALESFORCE_CREATE_CUSTOM_FIELD_*). */
    private static boolean optionalHere(String action, String parameter) {
        return OPTIONAL_HERE.containsKey(action + "." + parameter)
                || OPTIONAL_HERE.containsKey(action.substring(0, action.lastIndexOf('_') + 1) + "*." + parameter);
    }

    private record Confirmed(String integration, String action, List<String> parameters) {}

    @Test
    void everyConfirmedActionIsListedWithActionKitsParameters() throws IOException {
        IntegrationCatalog catalog = IntegrationCatalog.load(Path.of("no-operator-definitions"));
        List<String> problems = new ArrayList<>();
        Map<String, int[]> counts = new TreeMap<>();
        for (Confirmed confirmed : confirmed()) {
            int[] count = counts.computeIfAbsent(confirmed.integration(), k -> new int[2]);
            count[0]++;
            var action = catalog.action(confirmed.action());
            if (NOT_BUILT.containsKey(confirmed.action())) {
                if (action.isPresent()) {
                    problems.add(confirmed.action() + " is built: take it out of NOT_BUILT");
                }
                continue;
            }
            if (action.isEmpty()) {
                problems.add(confirmed.action() + " is not in the catalog");
                continue;
            }
            count[1]++;
            if (!action.get().integration().equals(confirmed.integration())) {
                problems.add(confirmed.action() + " is in " + action.get().integration() + ", not ActionKit's " + confirmed.integration());
            }
            var properties = action.get().schema().path("properties");
            List<String> required = new ArrayList<>();
            action.get().schema().path("required").forEach(r -> required.add(r.asString()));
            for (String parameter : confirmed.parameters()) {
                String name = parameter.replace("*", "");
                boolean notTaken = PARAMETERS_NOT_TAKEN.containsKey(confirmed.action() + "." + name);
                if (properties.has(name) == notTaken && !name.equals("paginationParameters") && !name.equals("pageCursor")) {
                    problems.add(confirmed.action() + "." + name + (notTaken ? " is taken: take it out of PARAMETERS_NOT_TAKEN" : " is not a parameter"));
                }
                if (parameter.endsWith("*") && properties.has(name) && !required.contains(name) && !optionalHere(confirmed.action(), name)) {
                    problems.add(confirmed.action() + "." + name + " is required by ActionKit but optional here");
                }
            }
        }
        counts.forEach((integration, count) -> System.out.printf("%s: %d of %d confirmed ActionKit actions built%n", integration, count[1], count[0]));
        assertThat(problems).isEmpty();
    }

    private static List<Confirmed> confirmed() throws IOException {
        List<Confirmed> rows = new ArrayList<>();
        try (InputStream in = ActionKitCatalogTest.class.getResourceAsStream("/actionkit/confirmed-actions.tsv")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] cells = line.split("\t", -1);
                rows.add(new Confirmed(cells[0], cells[1], cells[2].isBlank() ? List.of() : List.of(cells[2].split(","))));
            }
        }
        return rows;
    }

}
