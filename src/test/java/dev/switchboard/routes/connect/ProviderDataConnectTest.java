package dev.switchboard.routes.connect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.fakes.ConfluenceFake;
import dev.switchboard.fakes.VendorFake;
import dev.switchboard.fakes.XeroFake;
import dev.switchboard.fakes.ZohoCrmFake;
import dev.switchboard.testing.Http.Answer;
import dev.switchboard.testing.TestDatabases;
import dev.switchboard.testing.TestServer.Project;
import dev.switchboard.testing.TestServer;
import dev.switchboard.testing.Tokens;
import java.util.HashMap;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Connecting an account through OAuth reads what its calls need to address it: Xero's organisation from
 * /connections, Confluence's site from accessible-resources, Zoho's data center from the token answer. The
 * account then works at once, with nothing imported by an operator.
 */
class ProviderDataConnectTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static XeroFake xero;
    private static ConfluenceFake confluence;
    private static ZohoCrmFake zoho;
    private static TestServer server;
    private static Project project;

    @BeforeAll
    static void start() {
        xero = new XeroFake(3).start();
        confluence = new ConfluenceFake(3, 2).start();
        zoho = new ZohoCrmFake(3).start();
        // Zoho names the data center as https://www.<domain>; a loopback "domain" lets the call reach the fake.
        zoho.tokenAnswerExtras(JsonNodeFactory.instance.objectNode().put("api_domain", "https://www.127.0.0.1"));
        server = TestServer.start(TestDatabases.Kind.SQLITE);
        project = server.createProject("provider-data");
        configure("xero", xero, Map.of("api", xero.apiUrl(), "connections", xero.connectionsUrl()));
        configure("confluence", confluence, Map.of("api", confluence.apiUrlTemplate(), "accessibleResources", confluence.accessibleResourcesUrl()));
        configure("zohocrm", zoho, Map.of("api", "http://{zohoDomain}:" + URI.create(zoho.baseUrl()).getPort() + "/crm/v8"));
    }

    private static void configure(String integration, VendorFake fake, Map<String, String> urls) {
        Map<String, String> all = new HashMap<>(urls);
        all.put("authorize", fake.baseUrl() + "/oauth/authorize");
        all.put("token", fake.baseUrl() + "/oauth/token");
        TestServer.expect(server.admin("PUT", "/admin/projects/" + project.id() + "/integrations/" + integration, Map.of("enabled", true,
                "clientId", "client-id", "clientSecret", "client-secret", "scopes", List.of("offline_access"), "urls", all)), 200);
    }

    @AfterAll
    static void stop() {
        server.close();
        xero.close();
        confluence.close();
        zoho.close();
    }

    /** Start, consent at the fake, come back: where the callback sends the browser. */
    private static String connect(String token, String integration) throws Exception {
        return dev.switchboard.testing.ConnectFlows.connect(server, project, token, integration).back();
    }

    private static String userToken(String userId) {
        return Tokens.sign(project.privateKeyPem(), userId, c -> c);
    }

    @Test
    void aConnectedXeroAccountNamesItsOrganisationOnEveryCall() throws Exception {
        String token = userToken("xero-user");
        assertThat(connect(token, "xero")).contains("#connected=xero&credential=");

        Answer invoices = server.runAction(project, token, "XERO_GET_INVOICES", Map.of());
        assertThat(invoices.status()).as(invoices.text()).isEqualTo(200);
        assertThat(invoices.json().get("Invoices")).hasSize(3);
        assertThat(xero.received("GET", "/api.xro/2.0/Invoices").getLast().headers().get("xero-tenant-id")).isEqualTo(XeroFake.TENANT_ID);
        assertThat(xero.received("GET", "/connections").getLast().headers().get("Authorization")).startsWith("Bearer oauth-access-");
    }

    @Test
    void aConnectedConfluenceAccountIsAddressedThroughItsSite() throws Exception {
        String token = userToken("confluence-user");
        assertThat(connect(token, "confluence")).contains("#connected=confluence");

        Answer spaces = server.runAction(project, token, "CONFLUENCE_SEARCH_SPACES", Map.of());
        assertThat(spaces.status()).as(spaces.text()).isEqualTo(200);
        assertThat(confluence.received("GET", "/ex/confluence/" + ConfluenceFake.CLOUD_ID + "/wiki/api/v2/spaces")).isNotEmpty();
    }

    @Test
    void aConnectedZohoAccountUsesTheDataCenterFromTheTokenAnswer() throws Exception {
        String token = userToken("zoho-user");
        assertThat(connect(token, "zohocrm")).contains("#connected=zohocrm");

        Answer leads = server.runAction(project, token, "ZOHO_CRM_GET_RECORDS", Map.of("module", "Leads", "fields", "Last_Name,Email"));
        assertThat(leads.status()).as(leads.text()).isEqualTo(200);
        assertThat(leads.json().get("data")).hasSize(3);
    }

    @Test
    void anAccountWhoseLookupFailsIsNotStored() throws Exception {
        String token = userToken("xero-refused");
        xero.failNext("connections", new VendorFake.VendorError(403, "AuthenticationUnsuccessful", "forbidden"));

        assertThat(connect(token, "xero")).endsWith("#error=account_lookup_failed");
        Answer me = server.user("GET", "/projects/" + project.id() + "/sdk/me", token, null, Map.of());
        assertThat(me.json().at("/integrations/xero/allCredentials")).isEmpty();
        Answer run = server.runAction(project, token, "XERO_GET_INVOICES", Map.of());
        assertThat(run.status()).isEqualTo(400);
        assertThat(run.json().get("code").asString()).isEqualTo("integration_not_connected");
    }

    @Test
    void aTokenEndpointThatCannotBeReachedSendsTheUserBackWithAnError() throws Exception {
        // Asana's authorization at a fake, its token endpoint on a port where nothing listens
        TestServer.expect(server.admin("PUT", "/admin/projects/" + project.id() + "/integrations/asana", Map.of("enabled", true,
                "clientId", "client-id", "clientSecret", "client-secret", "urls", Map.of("api", xero.baseUrl() + "/asana",
                        "authorize", xero.baseUrl() + "/oauth/authorize", "token", "http://127.0.0.1:1/oauth/token"))), 200);
        String token = userToken("asana-user");

        assertThat(connect(token, "asana")).endsWith("#error=token_endpoint_unavailable");
        assertThat(server.user("GET", "/projects/" + project.id() + "/sdk/me", token, null, Map.of()).json()
                .at("/integrations/asana/allCredentials")).isEmpty();
    }

    /** A token answer whose access_token is not text stores nothing: the user is sent back with an error. */
    @org.junit.jupiter.params.ParameterizedTest(name = "access_token {0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"{\"nested\": 1}", "[1, 2]", "12345", "true", "\"\"", "null"})
    void aTokenAnswerWithoutATextTokenStoresNothing(String accessToken) throws Exception {
        String token = userToken("odd-answer-" + accessToken.hashCode());
        tools.jackson.databind.node.ObjectNode extras = JsonNodeFactory.instance.objectNode();
        extras.set("access_token", JSON.readTree(accessToken));
        xero.tokenAnswerExtras(extras);
        try {
            assertThat(connect(token, "xero")).endsWith("#error=invalid_token_answer");
        } finally {
            xero.tokenAnswerExtras(JsonNodeFactory.instance.objectNode());
        }
        assertThat(server.user("GET", "/projects/" + project.id() + "/sdk/credentials", token, null, Map.of()).json()).isEmpty();
    }
}
