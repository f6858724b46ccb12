package dev.switchboard.triggers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.integrations.IntegrationCatalog;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The shipped trigger files load against the shipped catalog, and a file that names what does not exist (a list
 * action, one of its parameters, a filter) is refused at start, naming the field.
 */
class TriggerCatalogTest {
    private static final IntegrationCatalog CATALOG = IntegrationCatalog.load(java.nio.file.Path.of("no-operator-definitions"));

    /** The integrations with a trigger file. */
    static final String[] SHIPPED = {"slack", "stripe", "shopify", "zohocrm", "salesforce", "hubspot", "intercom", "zendesk", "googledrive", "googlesheets", "jira", "github", "confluence", "servicenow", "gmail", "outlook", "notion", "mailchimp", "linear", "googleCalendar", "asana", "xero", "microsoftTeams", "dropbox", "box"};

    private static Map<String, TriggerCatalog.ListAction> listActions() {
        return TriggerCatalog.listActions(CATALOG);
    }

    @Test
    void theShippedTriggersLoad() {
        TriggerCatalog triggers = TriggerCatalog.load(CATALOG.integrationKeys(), listActions());
        assertThat(triggers.errors()).as("every shipped trigger file loads").isEmpty();
        assertThat(triggers.all().keySet()).containsExactlyInAnyOrder(SHIPPED);
        assertThat(triggers.of("shopify")).hasSize(3).allSatisfy(t -> assertThat(t.poll().with()).containsEntry("reverse", true));
        assertThat(triggers.of("slack")).hasSize(5).allSatisfy(t -> assertThat(t.model()).isEqualTo("WEBHOOK"));
        assertThat(triggers.of("stripe")).hasSize(3).allSatisfy(t -> assertThat(t.poll()).isNotNull());
    }

    @Test
    void anOperatorsDefinitionWithoutTheListActionDropsItsTriggersNotTheNode() {
        Map<String, TriggerCatalog.ListAction> withoutStripesLists = new java.util.HashMap<>(listActions());
        withoutStripesLists.keySet().removeIf(name -> name.startsWith("STRIPE_"));
        TriggerCatalog triggers = TriggerCatalog.load(CATALOG.integrationKeys(), withoutStripesLists);
        assertThat(triggers.of("stripe")).isEmpty();
        assertThat(triggers.errors()).containsOnlyKeys("stripe");
        assertThat(triggers.errors().get("stripe")).contains("STRIPE_GET_CUSTOMERS");
        assertThat(triggers.of("slack")).as("the other integrations' triggers stay").hasSize(5);
    }

    @Test
    void aFileNamingWhatDoesNotExistIsRefusedNamingTheField() {
        String base = """
                integration: stripe
                triggers:
                  STRIPE_TRIGGER_X:
                    title: X
                    description: X
                    model: POLLING
                """;
        assertThatThrownBy(() -> TriggerCatalog.read("stripe", base + "    poll: {action: STRIPE_GET_NOTHING, id: /id}\n", listActions()))
                .hasMessageContaining("triggers.STRIPE_TRIGGER_X.poll.action").hasMessageContaining("STRIPE_GET_NOTHING");
        assertThatThrownBy(() -> TriggerCatalog.read("stripe", base + "    poll: {action: SLACK_LIST_CHANNELS, id: /id}\n", listActions()))
                .as("another integration's action").hasMessageContaining("poll.action");
        assertThatThrownBy(() -> TriggerCatalog.read("stripe", base + "    poll: {action: STRIPE_GET_CUSTOMERS, id: /id, with: {limt: 5}}\n", listActions()))
                .hasMessageContaining("poll.with.limt").hasMessageContaining("not a parameter of STRIPE_GET_CUSTOMERS");
        assertThatThrownBy(() -> TriggerCatalog.read("stripe", base + "    poll: {action: STRIPE_GET_CUSTOMERS, id: /id, every: 1}\n", listActions()))
                .hasMessageContaining("poll.every");
        assertThatThrownBy(() -> TriggerCatalog.read("stripe", base + "    poll: {action: STRIPE_GET_CUSTOMERS, id: /id}\n    surprise: 1\n", listActions()))
                .as("an unknown field").hasMessageContaining("surprise");
        assertThatThrownBy(() -> TriggerCatalog.read("stripe", base.replace("integration: stripe", "integration: slack")
                + "    poll: {action: STRIPE_GET_CUSTOMERS, id: /id}\n", listActions())).hasMessageContaining("the file name");
        assertThatThrownBy(() -> TriggerCatalog.read("stripe", base.replace("POLLING", "PUSH") + "    poll: {action: STRIPE_GET_CUSTOMERS, id: /id}\n",
                listActions())).as("the format's enumeration").hasMessageContaining("triggers.STRIPE_TRIGGER_X.model");
        assertThatThrownBy(() -> TriggerCatalog.read("stripe", base, listActions())).as("a polling trigger without its poll")
                .hasMessageContaining("triggers.STRIPE_TRIGGER_X.poll");
        assertThatThrownBy(() -> TriggerCatalog.read("stripe", base + "    poll: {action: STRIPE_GET_CUSTOMERS, id: id}\n", listActions()))
                .as("an id that is not a JSON pointer").hasMessageContaining("triggers.STRIPE_TRIGGER_X.poll.id");
        assertThatThrownBy(() -> TriggerCatalog.read("stripe", base + "    poll: {action: STRIPE_GET_CUSTOMERS, id: /id, rename: {customer: customerId}}\n",
                listActions())).as("a rename of what the trigger does not take").hasMessageContaining("poll.rename.customer");
        assertThatThrownBy(() -> TriggerCatalog.read("stripe", base + "    poll: {action: STRIPE_GET_CUSTOMERS, id: /id}\n"
                + "    input: {type: object, properties: {customer: {type: string}}}\n", listActions()))
                .as("a parameter the action does not take").hasMessageContaining("input.customer").hasMessageContaining("poll.rename");
        assertThatThrownBy(() -> TriggerCatalog.read("stripe", base + "    poll: {action: STRIPE_GET_CUSTOMERS, id: /id, since: changedSince}\n", listActions()))
                .as("a changed-since parameter the action does not take").hasMessageContaining("poll.since");
        assertThatThrownBy(() -> TriggerCatalog.read("stripe", base + "    poll: {action: STRIPE_GET_CUSTOMERS, id: /id, created: /created}\n", listActions()))
                .as("a creation time without a window").hasMessageContaining("poll.created");
        assertThatThrownBy(() -> TriggerCatalog.read("stripe", base + "    poll: {action: STRIPE_GET_CUSTOMERS, id: /id, whole: true, since: limitGetCustomers}\n",
                listActions())).as("a list read whole and windowed").hasMessageContaining("poll.whole");
    }
}
