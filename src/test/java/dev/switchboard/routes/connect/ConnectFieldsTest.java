package dev.switchboard.routes.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.fakes.ShopifyFake;
import dev.switchboard.integrations.IntegrationCatalog;
import dev.switchboard.testing.Browsers;
import dev.switchboard.testing.ConnectFlows;
import dev.switchboard.testing.Http.Answer;
import dev.switchboard.testing.TestDatabases;
import dev.switchboard.testing.TestServer;
import dev.switchboard.testing.TestServer.Project;
import dev.switchboard.testing.Tokens;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import tools.jackson.databind.JsonNode;

/**
 * An integration whose address depends on the account (Shopify's store, Zendesk's subdomain) asks for it on the Connect
 * page: the value is checked against the field's form before any URL is built with it, fills the authorize and token
 * URLs, and is kept in the account's providerData, so that the account's calls go to its store. A project whose URLs
 * name one store asks nothing.
 */
class ConnectFieldsTest {
    private static final ShopifyFake shopify = new ShopifyFake();
    private static TestServer server;
    private static Project project;

    @BeforeAll
    static void start() {
        shopify.start();
        server = TestServer.start(TestDatabases.Kind.SQLITE);
        project = server.createProject("connect-fields");
        // The store goes into the vendor's URLs; here a query parameter stands in for the host, so that the fake is reached.
        TestServer.expect(server.admin("PUT", "/admin/projects/" + project.id() + "/integrations/shopify", Map.of("enabled", true,
                "clientId", "client-shopify", "clientSecret", "secret-shopify", "scopes", List.of("read_customers"), "urls", Map.of(
                        "api", shopify.apiUrl(), "authorize", shopify.baseUrl() + "/oauth/authorize?shop={shop}",
                        "token", shopify.baseUrl() + "/oauth/token?shop={shop}"))), 200);
        // Zendesk with one customer's host named by the project: nothing to ask.
        TestServer.expect(server.admin("PUT", "/admin/projects/" + project.id() + "/integrations/zendesk", Map.of("enabled", true,
                "clientId", "client-zendesk", "clientSecret", "secret-zendesk", "urls", Map.of("api", shopify.baseUrl() + "/api/v2",
                        "authorize", shopify.baseUrl() + "/oauth/authorize", "token", shopify.baseUrl() + "/oauth/token",
                        "me", shopify.baseUrl() + "/api/v2/users/me"))), 200);
    }

    @AfterAll
    static void stop() {
        server.close();
        shopify.close();
    }

    private static String token(String user) {
        return Tokens.sign(project.privateKeyPem(), user, c -> c);
    }

    private static Answer startConnect(String token, String integration, Object body) {
        return dev.switchboard.testing.Http.send("POST", server.url("/projects/" + project.id() + "/connect/" + integration + "/start"),
                body == null ? Map.of("Authorization", "Bearer " + token) : Map.of("Authorization", "Bearer " + token, "Content-Type", "application/json"),
                body == null ? null : dev.switchboard.json.Json.write(body));
    }

    @Test
    void theStoreIsAskedForCheckedAndBecomesTheAccountsAddress() throws Exception {
        String token = token("merchant");
        JsonNode page = TestServer.expect(dev.switchboard.testing.Http.send("GET", server.url("/projects/" + project.id() + "/connect/integrations"),
                Map.of("Authorization", "Bearer " + token), null), 200);
        JsonNode shopifyItem = null;
        JsonNode zendeskItem = null;
        for (JsonNode item : page.get("integrations")) {
            if (item.get("key").asString().equals("shopify")) shopifyItem = item;
            if (item.get("key").asString().equals("zendesk")) zendeskItem = item;
        }
        assertThat(shopifyItem.at("/connectFields/0/name").asString()).isEqualTo("shop");
        assertThat(shopifyItem.at("/connectFields/0/label").asString()).isEqualTo("Shopify store");
        assertThat(zendeskItem.get("connectFields")).isEmpty();

        JsonNode missing = TestServer.expect(startConnect(token, "shopify", null), 400);
        assertThat(missing.get("code").asString()).isEqualTo("connect_field_missing");
        assertThat(missing.get("message").asString()).startsWith("shop:");
        // A value that would change the vendor's host or path is refused before any URL is built.
        for (String attack : List.of("evil.example/x", "acme@evil.example", "acme.evil.example#", "../admin", "ACME%2f")) {
            JsonNode refused = TestServer.expect(startConnect(token, "shopify", Map.of("fields", Map.of("shop", attack))), 400);
            assertThat(refused.get("code").asString()).as(attack).isEqualTo("connect_field_invalid");
        }

        ConnectFlows.Connected connected = ConnectFlows.connect(server, project, token, "shopify", Map.of("shop", "acme-coffee"));
        assertThat(connected.authorizeUrl()).contains("shop=acme-coffee");
        assertThat(connected.back()).contains("#connected=shopify&credential=");
        JsonNode accounts = TestServer.expect(dev.switchboard.testing.Http.send("GET", server.url("/projects/" + project.id() + "/connect/integrations"),
                Map.of("Authorization", "Bearer " + token), null), 200);
        for (JsonNode item : accounts.get("integrations")) {
            if (item.get("key").asString().equals("shopify")) {
                assertThat(item.at("/accounts/0/label").asString()).isEqualTo("acme-coffee");
                assertThat(item.at("/accounts/0/connectValues/shop").asString()).isEqualTo("acme-coffee");
            }
        }
        TestServer.expect(server.runAction(project, token, "SHOPIFY_GET_SHOP", Map.of()), 200);

        // Zendesk's host is the project's: connecting asks nothing.
        TestServer.expect(startConnect(token, "zendesk", null), 200);
    }

    @Test
    void anAddressPastedWholeGivesTheStore() {
        var shopifyDefinition = IntegrationCatalog.load(Path.of("no-operator-definitions")).integration("shopify").orElseThrow();
        Map<String, String> urls = shopifyDefinition.urls();
        assertThat(ConnectFieldValues.of(shopifyDefinition, urls, name -> "https://acme-coffee.myshopify.com/admin")).containsEntry("shop", "acme-coffee");
        assertThat(ConnectFieldValues.of(shopifyDefinition, urls, name -> "Acme-Coffee.MyShopify.com".toLowerCase())).containsEntry("shop", "acme-coffee");
        assertThatThrownBy(() -> ConnectFieldValues.of(shopifyDefinition, urls, name -> "acme.evil.example"))
                .hasMessageContaining("is not a shopify store");
    }

    @Test
    void theConnectPageAsksForTheStoreInABrowser() throws Exception {
        Browsers.require();
        WebDriver browser = Browsers.chromium();
        try {
            String token = token("browser-merchant");
            browser.get(server.url("/projects/" + project.id() + "/connect#token=" + token));
            Browsers.waitFor(browser, By.id("confirm-identity")).click();
            Browsers.waitFor(browser, By.id("field-shopify-shop")).sendKeys("acme-coffee");
            browser.findElement(By.id("connect-shopify")).click();
            var account = Browsers.waitFor(browser, By.cssSelector("#accounts-shopify li[data-status=VALID]"));
            assertThat(account.getText()).contains("acme-coffee").contains("Connected");
        } finally {
            browser.quit();
        }
    }
}
