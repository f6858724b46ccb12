package dev.switchboard.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.integrations.IntegrationCatalog;
import dev.switchboard.integrations.IntegrationDefinition;
import dev.switchboard.outcomes.Failure;
import dev.switchboard.store.Credential;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each vendor's real address, as the shipped definitions and a credential's providerData make it. */
class PlaceholdersTest {
    private static final IntegrationCatalog CATALOG = IntegrationCatalog.load(Path.of("no-operator-definitions"));

    private static Credential credential(String apiKey, Map<String, Object> providerData) {
        return new Credential("c1", "p1", "u1", "x", Credential.Status.VALID, null, "token", null, apiKey, null, null, providerData, 0, null, 0, 0, null, null);
    }

    private static String apiUrl(String integration, Credential credential) {
        IntegrationDefinition definition = CATALOG.integration(integration).orElseThrow();
        return Placeholders.fill(definition.urls().get("api"), Placeholders.values(definition, credential), true);
    }

    @Test
    void mailchimpDataCenterComesFromTheApiKeySuffix() {
        assertThat(apiUrl("mailchimp", credential("0123456789abcdef-us19", Map.of()))).isEqualTo("https://us19.api.mailchimp.com/3.0");
        assertThat(apiUrl("mailchimp", credential("0123456789abcdef-us19", Map.of("dc", "us7")))).as("providerData wins")
                .isEqualTo("https://us7.api.mailchimp.com/3.0");
    }

    @Test
    void zohoUsesTheAccountsDataCenterDomainOrDotCom() {
        assertThat(apiUrl("zohocrm", credential(null, Map.of()))).isEqualTo("https://www.zohoapis.com/crm/v8");
        assertThat(apiUrl("zohocrm", credential(null, Map.of("zohoDomain", "zohoapis.eu")))).isEqualTo("https://www.zohoapis.eu/crm/v8");
    }

    @Test
    void serviceNowInstanceAndConfluenceCloudIdFillTheAddress() {
        assertThat(apiUrl("servicenow", credential(null, Map.of("instance", "dev12345")))).isEqualTo("https://dev12345.service-now.com/api/now");
        assertThat(apiUrl("confluence", credential(null, Map.of("cloudId", "abc-123"))))
                .isEqualTo("https://api.atlassian.com/ex/confluence/abc-123/wiki/api/v2");
    }

    @Test
    void valuesCannotChangeTheHostOrPath() {
        for (String trick : new String[] {"evil.example/x?", "a@b", "x:80", "a%2F"}) {
            assertThatThrownBy(() -> apiUrl("servicenow", credential(null, Map.of("instance", trick))))
                    .isInstanceOf(Failure.class).hasMessageContaining("providerData.instance");
        }
    }

    @Test
    void aMissingValueAsksToReconnect() {
        assertThatThrownBy(() -> apiUrl("confluence", credential(null, Map.of())))
                .isInstanceOf(Failure.class).hasMessageContaining("cloudId").hasMessageContaining("reconnect");
    }
}
