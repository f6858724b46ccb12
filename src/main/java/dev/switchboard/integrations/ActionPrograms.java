package dev.switchboard.integrations;

import dev.switchboard.programs.ActionProgram;
import dev.switchboard.integrations.googlesheets.SheetRows;
import dev.switchboard.integrations.hubspot.HubSpotLists;
import dev.switchboard.integrations.jira.JiraIssues;
import dev.switchboard.integrations.shopify.ShopifyPrograms;
import dev.switchboard.integrations.microsoftteams.TeamsChats;
import dev.switchboard.integrations.salesforce.SalesforcePrograms;
import dev.switchboard.integrations.notion.NotionPrograms;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The action programs this server has, by the name a definition's {@code program} field uses. */
public final class ActionPrograms {
    private static final Map<String, ActionProgram> PROGRAMS;

    static {
        Map<String, ActionProgram> programs = new LinkedHashMap<>();
        programs.putAll(NotionPrograms.all());
        programs.putAll(SheetRows.all());
        programs.putAll(TeamsChats.all());
        programs.putAll(HubSpotLists.all());
        programs.putAll(SalesforcePrograms.all());
        programs.putAll(JiraIssues.all());
        programs.putAll(ShopifyPrograms.all());
        PROGRAMS = Map.copyOf(programs);
    }

    private ActionPrograms() {}

    public static Map<String, ActionProgram> all() {
        return PROGRAMS;
    }

    public static Optional<ActionProgram> of(String name) {
        return Optional.ofNullable(name == null ? null : PROGRAMS.get(name));
    }
}
