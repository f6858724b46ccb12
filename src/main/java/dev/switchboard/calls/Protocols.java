package dev.switchboard.calls;

import dev.switchboard.integrations.IntegrationDefinition;
import dev.switchboard.integrations.sageintacct.SageIntacctProtocol;
import dev.switchboard.integrations.salesforce.soap.SalesforceSoapProtocol;
import dev.switchboard.mapping.VendorProtocol;
import java.util.Map;
import java.util.Optional;

/** The vendor protocols this server has code for, by the name a definition's {@code protocol} field uses. */
public final class Protocols {
    private static final Map<String, VendorProtocol> PROTOCOLS = Map.of("sageintacct", new SageIntacctProtocol(),
            "salesforceSoap", new SalesforceSoapProtocol());

    private Protocols() {}

    /** Every protocol by name; a definition's {@code protocol} names one of them. */
    public static Map<String, VendorProtocol> all() {
        return PROTOCOLS;
    }

    public static Optional<VendorProtocol> of(IntegrationDefinition integration) {
        return named(integration.protocol());
    }

    /** @param name a protocol's name, or null */
    public static Optional<VendorProtocol> named(String name) {
        return Optional.ofNullable(name == null ? null : PROTOCOLS.get(name));
    }
}
