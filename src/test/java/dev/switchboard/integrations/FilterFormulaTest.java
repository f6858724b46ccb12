package dev.switchboard.integrations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.fakes.BoxFake;
import dev.switchboard.fakes.ZohoCrmFake;
import dev.switchboard.json.Json;
import dev.switchboard.testing.TestDatabases;
import dev.switchboard.testing.TestServer;
import dev.switchboard.testing.TestServer.Project;
import dev.switchboard.testing.Tokens;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * ActionKit's filter formula, as its clients send it (an OR of AND groups of {@code field / operator / value}
 * conditions), written in each vendor's own language and run against fakes that read that language: Zoho CRM's
 * search criteria, and Box's sort direction. What a vendor cannot express is refused before any call.
 */
class FilterFormulaTest {
    private static final ZohoCrmFake zoho = new ZohoCrmFake(30);
    private static final BoxFake box = new BoxFake(9);
    private static TestServer server;
    private static Project project;
    private static String token;

    @BeforeAll
    static void start() {
        zoho.start();
        box.start();
        server = TestServer.start(TestDatabases.Kind.SQLITE);
        project = server.createProject("filters");
        token = Tokens.sign(project.privateKeyPem(), "u1", c -> c);
        server.configureIntegration(project.id(), "zohocrm", zoho.apiUrl());
        server.configureIntegration(project.id(), "box", box.apiUrl());
        server.importCredential(project.id(), "u1", "zohocrm", "1000.zoho");
        server.importCredential(project.id(), "u1", "box", "box-token");
        zoho.accept("1000.zoho");
        box.accept("box-token");
    }

    @AfterAll
    static void stop() {
        server.close();
        zoho.close();
        box.close();
    }

    @BeforeEach
    void reset() {
        zoho.reset();
        box.reset();
    }

    private static JsonNode run(String action, Object parameters, int status) {
        return TestServer.expect(server.runAction(project, token, action, parameters), status);
    }

    private static Map<String, Object> condition(String field, String operator, Object value) {
        return value == null ? Map.of("field", field, "operator", operator) : Map.of("field", field, "operator", operator, "value", value);
    }

    @Test
    void anOrOfAndGroupsBecomesZohoCriteriaAndEveryMatchArrivesOnceAcrossPages() {
        Map<String, Object> formula = Map.of("operator", "OR", "conditions", List.of(
                Map.of("operator", "AND", "conditions", List.of(condition("Company", "$stringStartsWith", "Company 1"),
                        condition("Last_Name", "$stringDoesNotExactlyMatch", "Lead 12"))),
                Map.of("operator", "AND", "conditions", List.of(condition("Email", "$stringIsIn", List.of("lead25@example.com", "lead3@example.com"))))));
        List<String> names = new ArrayList<>();
        Map<String, Object> parameters = new HashMap<>(Map.of("filterFormula", formula, "paginationParameters", Map.of("pageSize", 4)));
        int pages = 0;
        while (true) {
            JsonNode page = run("ZOHO_CRM_SEARCH_RECORDS_LEADS", parameters, 200);
            pages++;
            page.path("data").forEach(r -> names.add(r.get("Last_Name").asString()));
            if (!page.has("pageCursor")) {
                break;
            }
            parameters.put("paginationParameters", Map.of("pageCursor", page.get("pageCursor").asString(), "pageSize", 4));
        }

        assertThat(names).containsExactly("Lead 1", "Lead 3", "Lead 10", "Lead 11", "Lead 13", "Lead 14", "Lead 15", "Lead 16",
                "Lead 17", "Lead 18", "Lead 19", "Lead 25");
        assertThat(pages).isEqualTo(3);
        assertThat(zoho.received("GET", "/crm/v8/Leads/search").getFirst().query().get("criteria")).isEqualTo(
                "(((Company:starts_with:Company 1)and(Last_Name:not_equal:Lead 12))or(Email:in:lead25@example.com,lead3@example.com))");
    }

    @Test
    void valuesAreEscapedAsZohoAsksAndTextCriteriaOrFormulaTextPassAsGiven() {
        run("ZOHO_CRM_SEARCH_RECORDS_ANY", Map.of("recordType", "Leads",
                "filterFormula", Map.of("operator", "AND", "conditions", List.of(condition("Company", "$stringExactlyMatches", "Smith, (Jones)")))), 200);
        run("ZOHO_CRM_SEARCH_RECORDS_ANY", Map.of("recordType", "Leads", "filterFormula", "(Last_Name:equals:Lead 7)"), 200);
        // Form-based clients send the object as JSON text.
        JsonNode fromText = run("ZOHO_CRM_SEARCH_RECORDS_CONTACTS", Map.of("filterFormula",
                Json.write(Json.tree(Map.of("operator", "AND", "conditions", List.of(condition("Last_Name", "$stringExactlyMatches", "Nobody")))))), 200);

        List<String> sent = zoho.received().stream().map(r -> r.query().get("criteria")).toList();
        assertThat(sent).containsExactly("(Company:equals:Smith\\, \\(Jones\\))", "(Last_Name:equals:Lead 7)", "(Last_Name:equals:Nobody)");
        assertThat(fromText.has("pageCursor")).isFalse();
    }

    @Test
    void whatZohosSearchCannotSayIsRefusedBeforeAnyCall() {
        JsonNode contains = run("ZOHO_CRM_SEARCH_RECORDS_LEADS", Map.of("filterFormula",
                Map.of("operator", "AND", "conditions", List.of(condition("Company", "$stringContains", "Co")))), 400);
        assertThat(contains.get("message").asString()).contains("parameters.filterFormula.conditions[0].operator").contains("$stringContains")
                .contains("ZOHO_CRM_WRITE_COQL_QUERY");

        List<Object> eleven = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            eleven.add(condition("Last_Name", "$stringExactlyMatches", "Lead " + i));
        }
        JsonNode tooMany = run("ZOHO_CRM_SEARCH_RECORDS_LEADS", Map.of("filterFormula", Map.of("operator", "OR", "conditions", eleven)), 400);
        assertThat(tooMany.get("message").asString()).contains("at most 10");

        JsonNode badGroup = run("ZOHO_CRM_SEARCH_RECORDS_LEADS", Map.of("filterFormula", Map.of("operator", "XOR", "conditions", eleven)), 400);
        assertThat(badGroup.get("message").asString()).contains("parameters.filterFormula.operator");

        JsonNode badField = run("ZOHO_CRM_SEARCH_RECORDS_LEADS", Map.of("filterFormula", condition("Last_Name)or(x", "$stringExactlyMatches", "a")), 400);
        assertThat(badField.get("message").asString()).contains("parameters.filterFormula.field");
        assertThat(zoho.received()).isEmpty();
    }

    @Test
    void boxTakesItsSortDirectionFromTheFormulaAndRefusesOtherFields() {
        List<String> ids = new ArrayList<>();
        Map<String, Object> parameters = new HashMap<>(Map.of("folderId", "0", "limit", 4, "filterFormula",
                Map.of("operator", "OR", "conditions", List.of(Map.of("operator", "AND", "conditions",
                        List.of(condition("direction", "$stringExactlyMatches", "DESC")))))));
        while (true) {
            JsonNode page = run("BOX_LIST_FILES", parameters, 200);
            page.path("entries").forEach(e -> ids.add(e.get("id").asString()));
            if (!page.has("pageCursor")) {
                break;
            }
            parameters.put("paginationParameters", Map.of("pageCursor", page.get("pageCursor").asString()));
        }

        assertThat(ids).containsExactlyElementsOf(box.items().reversed().stream().map(i -> i.get("id").asString()).toList());
        assertThat(box.received("GET", "/2.0/folders/0/items").getFirst().query()).containsEntry("direction", "DESC");

        JsonNode other = run("BOX_SEARCH_FOLDERS", Map.of("folderId", "0", "filterFormula",
                Map.of("operator", "AND", "conditions", List.of(condition("name", "$stringExactlyMatches", "Reports")))), 400);
        assertThat(other.get("message").asString()).contains("parameters.filterFormula.conditions[0].field").contains("sort, direction");
        JsonNode either = run("BOX_SEARCH_FOLDERS", Map.of("folderId", "0", "filterFormula", Map.of("operator", "OR", "conditions",
                List.of(condition("direction", "$stringExactlyMatches", "ASC"), condition("sort", "$stringExactlyMatches", "name")))), 400);
        assertThat(either.get("message").asString()).contains("only AND");
        assertThat(box.received()).hasSize(3);
    }

    @Test
    void aFormulaIsEvaluatedOnCellsAsTheUserSeesThem() {
        Map<String, String> row = Map.of("Amount", "$1,250.50", "Share", "12%", "Paid", "TRUE", "Due", "2026-03-15 10:00", "Note", "");
        java.util.Set<String> columns = row.keySet();
        java.util.function.Predicate<Object> passes = formula -> dev.switchboard.filters.FilterFormulas.matches(Json.MAPPER.valueToTree(formula),
                "parameters.filterFormula", columns, row::get);

        assertThat(passes.test(condition("Amount", "$numberGreaterThan", 1000))).isTrue();
        assertThat(passes.test(condition("Amount", "$numberEquals", "1250.5"))).isTrue();
        assertThat(passes.test(condition("Share", "$numberLessThan", 13))).isTrue();
        assertThat(passes.test(condition("Paid", "$booleanTrue", null))).isTrue();
        assertThat(passes.test(condition("Due", "$dateTimeBefore", "2026-03-15T11:00:00Z"))).isTrue();
        assertThat(passes.test(condition("Note", "$doesNotExist", null))).isTrue();
        assertThat(passes.test(condition("Note", "$numberDoesNotEqual", 3))).as("an empty cell is no number").isFalse();
        assertThat(passes.test(Map.of("operator", "OR", "conditions", List.of(condition("Paid", "$booleanFalse", null),
                condition("Amount", "$stringStartsWith", "$1"))))).isTrue();
    }
}
