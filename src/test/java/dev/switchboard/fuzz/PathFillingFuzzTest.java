package dev.switchboard.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.switchboard.integrations.ActionDefinition;
import dev.switchboard.integrations.IntegrationCatalog;
import dev.switchboard.json.Json;
import dev.switchboard.mapping.VendorRequestMapper;
import dev.switchboard.outbound.VendorCall;
import dev.switchboard.outcomes.Failure;
import java.net.URI;
import java.nio.file.Path;

/**
 * A path input, whatever it holds, fills exactly its own segment of the vendor's path: it never adds a segment,
 * climbs out with '.' or '..', or starts a query or fragment. Replays its corpus in every test run; fuzzes with
 * JAZZER_FUZZ=1 (scripts/fuzz).
 */
class PathFillingFuzzTest {
    private static final IntegrationCatalog CATALOG = IntegrationCatalog.load(Path.of("no-operator-definitions"));
    private static final ActionDefinition.Compiled ACTION = CATALOG.action("BOX_LIST_FILES").orElseThrow();

    @FuzzTest(maxDuration = "10m")
    void aPathInputFillsOneSegment(FuzzedDataProvider data) {
        String folderId = data.consumeRemainingAsString();
        VendorCall call = new VendorCall(CATALOG.integration("box").orElseThrow(), null, true, System.nanoTime(), false);
        URI uri;
        try {
            uri = VendorRequestMapper.map(ACTION, Json.object().put("folderId", folderId), "https://api.box.com/2.0", call).request().uri();
        } catch (Failure refused) {
            assertThat(refused.getMessage()).contains("parameters.folderId");
            assertThat(folderId).isIn("", ".", "..");
            return;
        }
        String[] segments = uri.getRawPath().split("/", -1);
        assertThat(segments).as(uri.toString()).containsExactly("", "2.0", "folders", segments[3], "items");
        assertThat(segments[3]).isNotIn(".", "..", "");
        assertThat(uri.getRawFragment()).isNull();
        assertThat(URI.create(uri.toString()).normalize().getRawPath()).isEqualTo(uri.getRawPath());
    }
}
