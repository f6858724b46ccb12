package dev.switchboard.operations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.config.Setting;
import dev.switchboard.fakes.HubSpotFake;
import dev.switchboard.fakes.XeroFake;
import dev.switchboard.testing.Http;
import dev.switchboard.testing.Http.Answer;
import dev.switchboard.testing.Refreshes;
import dev.switchboard.testing.TestDatabases;
import dev.switchboard.testing.TestServer;
import dev.switchboard.testing.Tokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What Prometheus scrapes: the standard binders and Switchboard's own metrics with bounded labels, /metrics behind its
 * token on the public port and open on the management port (which serves nothing else), and a Grafana dashboard whose
 * every query names a metric that exists.
 */
class MetricsTest {
    private static final String METRICS_TOKEN = "metrics-token-for-prometheus";
    private static HubSpotFake hubspot;
    private static XeroFake xero;
    private static TestServer server;
    private static TestServer.Project project;
    private static String scrape;

    @BeforeAll
    static void runEveryKindOfWork() {
        hubspot = new HubSpotFake(7);
        hubspot.start();
        xero = new XeroFake(2).start();
        server = TestServer.start(TestDatabases.Kind.SQLITE, Map.of(Setting.MANAGEMENT_PORT, "0", Setting.METRICS_TOKEN, METRICS_TOKEN));
        project = server.createProject("metrics");

        // an action whose token is refreshed first, then the proxy
        assertThat(Refreshes.callsAfterEachExpiry(server, project, hubspot, "hubspot", Map.of("api", hubspot.apiUrl()),
                "expired-hubspot-token", "hubspot-refresh-token", "HUBSPOT_GET_RECORDS_CONTACTS", Map.of(), 1)).isEqualTo(1);
        String grace = Tokens.sign(project.privateKeyPem(), "grace", c -> c);
        Answer proxied = server.user("GET", "/projects/" + project.id() + "/sdk/proxy/hubspot/crm/v3/objects/contacts", grace, null, Map.of());
        assertThat(proxied.status()).as(proxied.text()).isEqualTo(200);

        // an account past Xero's 60 calls a minute
        server.configureIntegration(project.id(), "xero", xero.apiUrl());
        server.importCredential(project.id(), "busy", Map.of("integration", "xero", "accessToken", "xero-busy-token",
                "providerData", Map.of("tenantId", XeroFake.TENANT_ID)));
        xero.accept("xero-busy-token");
        String busy = Tokens.sign(project.privateKeyPem(), "busy", c -> c);
        int refused = 0;
        for (int i = 0; i < 61; i++) {
            refused += server.runAction(project, busy, "XERO_GET_INVOICES", Map.of()).status() == 429 ? 1 : 0;
        }
        assertThat(refused).isEqualTo(1);
        // an action the catalog does not know, and a forged token
        server.runAction(project, busy, "NO_SUCH_ACTION_" + System.nanoTime(), Map.of());
        server.runAction(project, "forged", "XERO_GET_INVOICES", Map.of());

        Answer scraped = Http.send("GET", managementUrl("/metrics"), Map.of(), null);
        assertThat(scraped.status()).isEqualTo(200);
        scrape = scraped.text();
    }

    @AfterAll
    static void stop() {
        server.close();
        xero.close();
        hubspot.close();
    }

    private static String managementUrl(String path) {
        return "http://127.0.0.1:" + server.node().managementPort() + path;
    }

    @Test
    void metricsNeedTheirTokenOnThePublicPortAndTheManagementPortServesProbesOnly() {
        assertThat(server.user("GET", "/metrics", null, null, Map.of()).status()).isEqualTo(401);
        assertThat(server.admin("GET", "/metrics", null).status()).as("the admin token is not the metrics token").isEqualTo(401);
        Answer withToken = server.user("GET", "/metrics", METRICS_TOKEN, null, Map.of());
        assertThat(withToken.status()).isEqualTo(200);
        assertThat(withToken.text()).contains("jvm_memory_used_bytes");

        assertThat(Http.send("GET", managementUrl("/healthz"), Map.of(), null).status()).isEqualTo(200);
        Answer ready = Http.send("GET", managementUrl("/readyz"), Map.of(), null);
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.json().get("status").asString()).isEqualTo("ready");
        Answer admin = Http.send("GET", managementUrl("/admin/projects/" + project.id()), Map.of("Authorization", "Bearer " + TestServer.ADMIN_TOKEN), null);
        assertThat(admin.status()).as("the API is not on the management port").isEqualTo(404);
        assertThat(Http.send("POST", managementUrl("/projects/" + project.id() + "/actions"), Map.of(), "{}").status()).isEqualTo(404);
    }

    @Test
    void theStandardBindersAndSwitchboardsOwnMetricsAreScraped() {
        assertThat(scrape)
                .contains("switchboard_action_runs_seconds_count{action=\"HUBSPOT_GET_RECORDS_CONTACTS\",integration=\"hubspot\",outcome=\"succeeded\"}")
                .contains("switchboard_action_runs_seconds_count{action=\"XERO_GET_INVOICES\",integration=\"xero\",outcome=\"rate_limited\"} 1")
                .containsPattern("switchboard_credential_refreshes_total\\{integration=\"hubspot\",outcome=\"refreshed\"} [1-9]")
                .contains("switchboard_ratelimit_refusals_total{integration=\"xero\"} 1.0")
                .containsPattern("switchboard_vendor_requests_seconds_bucket\\{integration=\"xero\",outcome=\"200\",le=\"30\\.0\"} 60")
                .containsPattern("switchboard_proxy_bytes_total\\{direction=\"out\",integration=\"hubspot\"} [1-9]")
                .containsPattern("switchboard_http_requests_seconds_count\\{method=\"POST\",route=\"/projects/\\{projectId}/actions\",status=\"200\"}")
                .contains("hikaricp_connections_active{pool=\"switchboard-db\"}")
                .contains("jetty_threads_busy").contains("jetty_connections_current_connections{connector_name=\"public\"}")
                .containsPattern("jetty_client_requests_seconds_count\\{[^}]*outcome=\"SUCCESS\"")
                .contains("cache_gets_total{cache=\"projects\"").contains("cache_gets_total{cache=\"verified_tokens\"")
                .contains("process_cpu_usage").contains("jvm_gc_").contains("process_uptime_seconds");
    }

    @Test
    void labelsAreBoundedNoIdOrUnknownNameBecomesALabel() {
        assertThat(scrape).doesNotContain(project.id()).doesNotContain("\"busy\"").doesNotContain("\"grace\"").doesNotContain("NO_SUCH_ACTION_")
                .doesNotContain(XeroFake.TENANT_ID).doesNotContain("127.0.0.1");
        assertThat(scrape).contains("switchboard_action_runs_seconds_count{action=\"unknown\",integration=\"unknown\",outcome=\"unknown_action\"}");
    }

    @Test
    void everyMetricTheGrafanaDashboardQueriesExists() throws Exception {
        JsonNode dashboard = JsonMapper.builder().build().readTree(Files.readString(Path.of("deploy/grafana/switchboard-dashboard.json")));
        Set<String> queried = new TreeSet<>();
        Pattern metric = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\{");
        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.get("targets")) {
                String expr = target.get("expr").asString();
                Matcher m = metric.matcher(expr);
                int found = 0;
                while (m.find()) {
                    queried.add(m.group(1));
                    found++;
                }
                assertThat(found).as("every query names its metrics with a selector: %s", expr).isPositive();
            }
        }
        Set<String> scraped = new TreeSet<>();
        for (String line : scrape.split("\n")) {
            if (!line.startsWith("#") && !line.isBlank()) {
                scraped.add(line.split("[{ ]", 2)[0]);
            }
        }
        assertThat(queried).hasSizeGreaterThan(10);
        assertThat(scraped).containsAll(queried);
    }
}
