package dev.switchboard.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.switchboard.actions.InputValidator;
import dev.switchboard.files.FileObjects;
import dev.switchboard.integrations.ActionDefinition;
import dev.switchboard.integrations.IntegrationCatalog;
import dev.switchboard.mapping.VendorRequestMapper;
import dev.switchboard.outbound.VendorCall;
import dev.switchboard.outcomes.Failure;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An action request from its bytes to its vendor request: the strict body reader with its File decoding, the input
 * validator, and the request mapping. Every input is read or refused as the HTTP edge refuses it (JSON errors, a key
 * twice), then accepted or refused with a named problem; nothing else may be thrown. Replays its corpus in every test
 * run; fuzzes with JAZZER_FUZZ=1 (scripts/fuzz).
 */
class RequestBodyFuzzTest {
    private static final IntegrationCatalog CATALOG = IntegrationCatalog.load(Path.of("no-operator-definitions"));
    /** Actions with every kind of input: a file, a path placeholder, pagination, nested objects, a JSON body. */
    private static final List<String> ACTIONS = List.of("BOX_SAVE_FILE", "BOX_LIST_FILES", "SLACK_SEND_MESSAGE",
            "SLACK_LIST_CHANNELS", "DROPBOX_SIGN_CREATE_AND_SEND_SIGNATURE_REQUEST", "XERO_CREATE_CUSTOMER", "ZOHO_CRM_GET_RECORDS",
            "GOOGLE_DRIVE_SAVE_FILE", "CONFLUENCE_CREATE_PAGE", "SERVICENOW_SEARCH_RECORDS");

    @FuzzTest(maxDuration = "10m")
    void everyBodyIsReadValidatedAndMappedOrRefusedByName(FuzzedDataProvider data) {
        ActionDefinition.Compiled action = CATALOG.action(data.pickValue(ACTIONS)).orElseThrow();
        byte[] body = data.consumeRemainingAsBytes();
        JsonNode parameters;
        try {
            parameters = FileObjects.read(new ByteArrayInputStream(body), true);
        } catch (JacksonException | IllegalStateException refusedAsJson) {
            return; // the edge answers these 400 invalid_json
        }
        if (!(parameters instanceof ObjectNode)) {
            return; // the runner answers 400: parameters must be an object
        }
        try {
            InputValidator.validate(action, parameters);
        } catch (Failure refused) {
            assertThat(refused.kind()).isEqualTo(Failure.Kind.INVALID_INPUT);
            assertThat(refused.getMessage()).startsWith("Invalid parameters for " + action.name() + ": ");
            return;
        }
        try {
            VendorCall call = new VendorCall(CATALOG.integration(action.integration()).orElseThrow(), null, true, System.nanoTime(), false);
            VendorRequestMapper.map(action, parameters, "https://vendor.example.com/base", call);
        } catch (Failure refused) {
            assertThat(refused.kind()).isEqualTo(Failure.Kind.INVALID_INPUT);
        }
    }
}
