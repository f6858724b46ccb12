package dev.switchboard.filters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.json.Json;
import dev.switchboard.outcomes.Failure;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * ActionKit's filter formula written as HubSpot's filter groups and as a SOQL condition: the exact text each vendor
 * receives, the limits each vendor has, and what neither can say refused with the condition's path.
 */
class VendorFilterDialectsTest {
    private static JsonNode formula(String json) {
        return Json.MAPPER.readTree(json.replace('`', '"'));
    }

    private static final String OR_OF_ANDS = """
            {`operator`: `OR`, `conditions`: [
              {`operator`: `AND`, `conditions`: [
                {`field`: `lifecyclestage`, `operator`: `$stringExactlyMatches`, `value`: `lead`},
                {`field`: `num_employees`, `operator`: `$numberGreaterThan`, `value`: 50}]},
              {`field`: `email`, `operator`: `$stringContains`, `value`: `@example.com`}]}""";

    @Test
    void anOrOfAndsBecomesHubSpotsFilterGroups() {
        assertThat(Json.write(HubSpotFilterGroups.of(formula(OR_OF_ANDS), "parameters.filterFormula"))).isEqualTo(
                "[{\"filters\":[{\"propertyName\":\"lifecyclestage\",\"operator\":\"EQ\",\"value\":\"lead\"},"
                        + "{\"propertyName\":\"num_employees\",\"operator\":\"GT\",\"value\":\"50\"}]},"
                        + "{\"filters\":[{\"propertyName\":\"email\",\"operator\":\"CONTAINS_TOKEN\",\"value\":\"*@example.com*\"}]}]");
    }

    @Test
    void anAndOfOrsIsMultipliedOutIntoGroupsAndDatesAreMilliseconds() {
        JsonNode groups = HubSpotFilterGroups.of(formula("""
                {`operator`: `AND`, `conditions`: [
                  {`operator`: `OR`, `conditions`: [
                    {`field`: `dealstage`, `operator`: `$stringIsIn`, `value`: [`won`, `lost`]},
                    {`field`: `amount`, `operator`: `$exists`}]},
                  {`field`: `closedate`, `operator`: `$dateTimeAfter`, `value`: `2026-01-31`}]}"""), "p");
        assertThat(groups).hasSize(2);
        assertThat(Json.write(groups.get(0))).isEqualTo("{\"filters\":[{\"propertyName\":\"dealstage\",\"operator\":\"IN\",\"values\":[\"won\",\"lost\"]},"
                + "{\"propertyName\":\"closedate\",\"operator\":\"GT\",\"value\":\"1769817600000\"}]}");
        assertThat(Json.write(groups.get(1))).isEqualTo("{\"filters\":[{\"propertyName\":\"amount\",\"operator\":\"HAS_PROPERTY\"},"
                + "{\"propertyName\":\"closedate\",\"operator\":\"GT\",\"value\":\"1769817600000\"}]}");
    }

    @Test
    void moreThanHubSpotTakesIsRefusedNotCut() {
        StringBuilder six = new StringBuilder("{`operator`: `OR`, `conditions`: [");
        for (int i = 0; i < 6; i++) { // six groups of one
            six.append(i == 0 ? "" : ",").append("{`field`: `f").append(i).append("`, `operator`: `$stringExactlyMatches`, `value`: `x`}");
        }
        assertThatThrownBy(() -> HubSpotFilterGroups.of(formula(six + "]}"), "parameters.filterFormula"))
                .isInstanceOf(Failure.class).hasMessageContaining("parameters.filterFormula").hasMessageContaining("6 groups");
        assertThatThrownBy(() -> HubSpotFilterGroups.of(formula("{`field`: `name`, `operator`: `$stringStartsWith`, `value`: `A`}"), "p"))
                .as("HubSpot would match a later word too: refused, not widened")
                .hasMessageContaining("p.operator").hasMessageContaining("$stringStartsWith");
        assertThatThrownBy(() -> HubSpotFilterGroups.of(formula("{`field`: `name`, `operator`: `$stringContains`, `value`: `two words`}"), "p"))
                .hasMessageContaining("p.value").hasMessageContaining("without spaces");
    }

    @Test
    void aDayIsAnyTimeWithinIt() {
        assertThat(Json.write(HubSpotFilterGroups.of(formula("{`field`: `closedate`, `operator`: `$dateTimeEquals`, `value`: `2026-01-31`}"), "p")))
                .isEqualTo("[{\"filters\":[{\"propertyName\":\"closedate\",\"operator\":\"BETWEEN\",\"value\":\"1769817600000\",\"highValue\":\"1769903999999\"}]}]");
    }

    @Test
    void anOrOfAndsBecomesASoqlCondition() {
        assertThat(SoqlWhere.of(formula(OR_OF_ANDS), "p"))
                .isEqualTo("((lifecyclestage = 'lead' AND num_employees > 50) OR email LIKE '%@example.com%')");
        assertThat(SoqlWhere.of(formula("""
                {`operator`: `AND`, `conditions`: [
                  {`field`: `Account.Name`, `operator`: `$stringContains`, `value`: `50%_off`},
                  {`field`: `CreatedDate`, `operator`: `$dateTimeAfter`, `value`: `2026-01-31T10:00:00+01:00`},
                  {`field`: `CloseDate`, `operator`: `$dateTimeBefore`, `value`: `2026-02-01`},
                  {`field`: `StageName`, `operator`: `$stringIsNotIn`, `value`: [`Closed Won`, `Closed Lost`]},
                  {`field`: `IsDeleted`, `operator`: `$booleanFalse`},
                  {`field`: `Email`, `operator`: `$doesNotExist`}]}"""), "p"))
                .isEqualTo("(Account.Name LIKE '%50\\%\\_off%' AND CreatedDate > 2026-01-31T09:00:00Z AND CloseDate < 2026-02-01"
                        + " AND StageName NOT IN ('Closed Won', 'Closed Lost') AND IsDeleted = false AND Email = null)");
    }

    @Test
    void noValueOrFieldCanEndItsLiteralOrAddAClause() {
        // Each attack is one literal, its quotes and backslashes escaped: the condition stays one comparison.
        assertThat(SoqlWhere.of(formula("{`field`: `Name`, `operator`: `$stringExactlyMatches`, `value`: `x' OR Name != 'y`}"), "p"))
                .isEqualTo("Name = 'x\\' OR Name != \\'y'");
        assertThat(SoqlWhere.of(formula("{`field`: `Name`, `operator`: `$stringExactlyMatches`, `value`: `x\\\\' OR Id != null OR Name = '`}"), "p"))
                .isEqualTo("Name = 'x\\\\\\' OR Id != null OR Name = \\''");
        assertThat(SoqlWhere.of(formula("{`field`: `Name`, `operator`: `$stringExactlyMatches`, `value`: `ends with a backslash\\\\`}"), "p"))
                .isEqualTo("Name = 'ends with a backslash\\\\'");
        assertThat(SoqlWhere.of(formula("{`field`: `Name`, `operator`: `$stringContains`, `value`: `line\\nbreak`}"), "p"))
                .isEqualTo("Name LIKE '%line\\nbreak%'");
        assertThatThrownBy(() -> SoqlWhere.of(formula("{`field`: `Name = 'a' OR Id`, `operator`: `$exists`}"), "parameters.filterFormula"))
                .isInstanceOf(Failure.class).hasMessageContaining("parameters.filterFormula.field");
        assertThatThrownBy(() -> SoqlWhere.of(formula("{`field`: `Amount`, `operator`: `$numberGreaterThan`, `value`: `1 OR Id != null`}"), "p"))
                .hasMessageContaining("p.value").hasMessageContaining("not a number");
        assertThatThrownBy(() -> SoqlWhere.of(formula("{`field`: `CreatedDate`, `operator`: `$dateTimeAfter`, `value`: `2026-01-01 OR Id != null`}"), "p"))
                .hasMessageContaining("p.value");
        assertThatThrownBy(() -> SoqlWhere.of(formula("{`field`: `Name`, `operator`: `$stringExactlyMatches`, `value`: `nul\\u0000`}"), "p"))
                .hasMessageContaining("control character");
    }

    @Test
    void anOrOfAndsBecomesAJqlCondition() {
        assertThat(JqlWhere.of(formula("""
                {`operator`: `OR`, `conditions`: [
                  {`operator`: `AND`, `conditions`: [
                    {`field`: `status`, `operator`: `$stringExactlyMatches`, `value`: `In Progress`},
                    {`field`: `customfield_10016`, `operator`: `$numberGreaterThan`, `value`: 3}]},
                  {`field`: `summary`, `operator`: `$stringContains`, `value`: `checkout`},
                  {`field`: `fixVersion`, `operator`: `$exists`},
                  {`field`: `created`, `operator`: `$dateTimeEquals`, `value`: `2026-01-31`}]}"""), "p"))
                .isEqualTo("((status = \"In Progress\" AND cf[10016] > 3) OR summary ~ \"\\\"checkout\\\"\" OR fixVersion IS NOT EMPTY"
                        + " OR (created >= \"2026-01-31\" AND created < \"2026-02-01\"))");
    }

    @Test
    void noJqlValueOrFieldCanEndItsStringOrAddAClause() {
        assertThat(JqlWhere.of(formula("{`field`: `status`, `operator`: `$stringExactlyMatches`, `value`: `Open\\\" OR project = SECRET OR status = \\\"x`}"), "p"))
                .isEqualTo("status = \"Open\\\" OR project = SECRET OR status = \\\"x\"");
        assertThat(JqlWhere.of(formula("{`field`: `status`, `operator`: `$stringExactlyMatches`, `value`: `ends with a backslash\\\\`}"), "p"))
                .isEqualTo("status = \"ends with a backslash\\\\\"");
        assertThat(JqlWhere.of(formula("{`field`: `labels`, `operator`: `$stringIsIn`, `value`: [`a`, `\\\") OR project in (\\\"X`]}"), "p"))
                .isEqualTo("labels in (\"a\", \"\\\") OR project in (\\\"X\")");
        assertThat(JqlWhere.of(formula("{`field`: `assignee`, `operator`: `$stringExactlyMatches`, `value`: `currentUser()`}"), "p"))
                .as("a function's name inside a string is only text").isEqualTo("assignee = \"currentUser()\"");
        assertThat(JqlWhere.of(formula("{`field`: `order`, `operator`: `$stringExactlyMatches`, `value`: `x`}"), "p"))
                .as("a reserved word as a field is quoted").isEqualTo("\"order\" = \"x\"");
        assertThatThrownBy(() -> JqlWhere.of(formula("{`field`: `status = Open OR project`, `operator`: `$exists`}"), "parameters.jqlQuery"))
                .as("a field is an API name, never JQL").hasMessageContaining("parameters.jqlQuery.field");
        assertThatThrownBy(() -> JqlWhere.of(formula("{`field`: `summary`, `operator`: `$stringExactlyMatches`, `value`: `x`}"), "p"))
                .hasMessageContaining("$stringContains");
        assertThatThrownBy(() -> JqlWhere.of(formula("{`field`: `votes`, `operator`: `$numberGreaterThan`, `value`: `1 OR x`}"), "p"))
                .hasMessageContaining("not a number");
        assertThatThrownBy(() -> JqlWhere.of(formula("{`field`: `status`, `operator`: `$stringExactlyMatches`, `value`: `nul\\u0000`}"), "p"))
                .hasMessageContaining("control character");
        assertThatThrownBy(() -> JqlWhere.of(formula("{`field`: `summary`, `operator`: `$stringStartsWith`, `value`: `two words`}"), "p"))
                .hasMessageContaining("one word");
    }

    @Test
    void anOrOfAndsBecomesAShopifySearch() {
        assertThat(ShopifySearch.of(formula("""
                {`operator`: `OR`, `conditions`: [
                  {`operator`: `AND`, `conditions`: [{`field`: `vendor`, `operator`: `$stringExactlyMatches`, `value`: `Coffee Co`},
                                                    {`field`: `inventory_total`, `operator`: `$numberGreaterThanOrEqualTo`, `value`: 5}]},
                  {`field`: `title`, `operator`: `$stringStartsWith`, `value`: `mug`},
                  {`field`: `tag`, `operator`: `$stringIsNotIn`, `value`: [`old`, `sale`]},
                  {`field`: `updated_at`, `operator`: `$dateTimeEquals`, `value`: `2025-01-31`}]}"""), "p"))
                .isEqualTo("((vendor:\"Coffee Co\" AND inventory_total:>=5) OR title:mug* OR (-tag:\"old\" AND -tag:\"sale\")"
                        + " OR (updated_at:>=\"2025-01-31T00:00:00Z\" AND updated_at:<\"2025-02-01T00:00:00Z\"))");
    }

    @Test
    void noShopifyValueOrFieldCanEndItsTermOrAddOne() {
        assertThat(ShopifySearch.of(formula("{`field`: `email`, `operator`: `$stringExactlyMatches`, `value`: `x\\\" OR email:*`}"), "p"))
                .isEqualTo("email:\"x\\\" OR email:*\"");
        assertThat(ShopifySearch.of(formula("{`field`: `title`, `operator`: `$stringExactlyMatches`, `value`: `back\\\\`}"), "p"))
                .isEqualTo("title:\"back\\\\\"");
        assertThatThrownBy(() -> ShopifySearch.of(formula("{`field`: `email OR id`, `operator`: `$exists`}"), "parameters.filterFormula"))
                .hasMessageContaining("parameters.filterFormula.field");
        assertThatThrownBy(() -> ShopifySearch.of(formula("{`field`: `Email`, `operator`: `$exists`}"), "parameters.filterFormula"))
                .hasMessageContaining("parameters.filterFormula.field").hasMessageContaining("search key");
        assertThatThrownBy(() -> ShopifySearch.of(formula("{`field`: `title`, `operator`: `$stringStartsWith`, `value`: `mug) OR (id`}"), "p"))
                .hasMessageContaining("one word");
        assertThatThrownBy(() -> ShopifySearch.of(formula("{`field`: `total`, `operator`: `$numberGreaterThan`, `value`: `1 OR id:*`}"), "p"))
                .hasMessageContaining("1 OR id:*");
        assertThatThrownBy(() -> ShopifySearch.of(formula("{`field`: `note`, `operator`: `$stringContains`, `value`: `x`}"), "p"))
                .hasMessageContaining("cannot express");
        assertThatThrownBy(() -> ShopifySearch.of(formula("{`field`: `note`, `operator`: `$stringExactlyMatches`, `value`: `a\\nb`}"), "p"))
                .hasMessageContaining("control character");
    }

    @Test
    void aFlatGroupBecomesAStripeSearchAndCreatedIsUnixSeconds() {
        assertThat(StripeSearch.of(formula("""
                {`operator`: `AND`, `conditions`: [
                  {`field`: `created`, `operator`: `$dateTimeAfter`, `value`: `2023-11-14T22:13:20Z`},
                  {`field`: `metadata.plan`, `operator`: `$stringExactlyMatches`, `value`: `pro`},
                  {`field`: `phone`, `operator`: `$exists`}]}"""), "p"))
                .isEqualTo("created>1700000000 AND metadata[\"plan\"]:\"pro\" AND -phone:null");
        assertThatThrownBy(() -> StripeSearch.of(formula("{`operator`: `AND`, `conditions`: [{`field`: `email`, `operator`: `$stringIsIn`, "
                + "`value`: [`a`, `b`]}, {`field`: `name`, `operator`: `$stringExactlyMatches`, `value`: `x`}]}"), "p"))
                .hasMessageContaining("$stringIsIn");
        assertThatThrownBy(() -> StripeSearch.of(formula("{`field`: `metadata.a\\\"]:x`, `operator`: `$exists`}"), "p"))
                .hasMessageContaining("p.field");
        assertThatThrownBy(() -> StripeSearch.of(formula("{`field`: `name`, `operator`: `$numberGreaterThan`, `value`: 3}"), "p"))
                .hasMessageContaining("compares created only");
    }
}
