package dev.switchboard.mapping;

import dev.switchboard.integrations.ActionDefinition;
import dev.switchboard.outbound.ResponseDecoder;
import dev.switchboard.outbound.VendorCall;
import dev.switchboard.outbound.VendorRequest;
import dev.switchboard.outbound.VendorResponse;
import dev.switchboard.store.IntegrationConfigRepository.IntegrationConfig;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Code for a vendor whose wire format a definition cannot describe (Sage Intacct's XML gateway). A definition
 * names its protocol ({@code protocol: sageintacct}); the protocol then builds the vendor request for each
 * action and turns the vendor's answer into JSON, which the definition's {@code errors} block reads as usual.
 */
public interface VendorProtocol extends ResponseDecoder {

    /** Adds {@code pageCursor} and {@code nextPaginationParameters} to a list action's result, unless it was the last page. */
    interface PageAnnotator {
        void annotate(ObjectNode result, VendorResponse response);
    }

    /** A vendor request, and for list actions how to read its page position. */
    record Mapped(VendorRequest request, PageAnnotator pages) {}

    /**
     * @param input  validated parameters
     * @param apiUrl the integration's {@code api} URL, placeholders filled
     * @param config the project's configuration of the integration (the vendor app's own credentials)
     */
    Mapped map(ActionDefinition.Compiled action, JsonNode input, String apiUrl, VendorCall call, IntegrationConfig config);

}
