package dev.switchboard.integrations.salesforce.soap;

import dev.switchboard.integrations.ActionDefinition;
import dev.switchboard.json.Json;
import dev.switchboard.mapping.VendorProtocol;
import dev.switchboard.outbound.VendorBody;
import dev.switchboard.outbound.VendorCall;
import dev.switchboard.outbound.VendorRequest;
import dev.switchboard.outbound.VendorResponse;
import dev.switchboard.store.IntegrationConfigRepository.IntegrationConfig;
import dev.switchboard.xml.SafeXml;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Salesforce's SOAP API (the partner WSDL), for the one call its REST API lacks: {@code convertLead()}. The request
 * goes to the org's {@code /services/Soap/u/<version>} with the OAuth access token as the SOAP session id, written
 * into the body at each attempt (so that a refresh and a replay send the new token). The answer becomes JSON in the
 * REST API's shapes, so that the integration's {@code errors} block reads it as every other answer: a result as
 * {@code {"accountId", "contactId", "leadId", "opportunityId", "success"}}, a refused conversion as HTTP 400
 * {@code [{"errorCode", "message", "fields"}]}, a fault as its status (401 for {@code INVALID_SESSION_ID}, which
 * refreshes the token) with {@code [{"errorCode", "message"}]}.
 */
public final class SalesforceSoapProtocol implements VendorProtocol {
    static final String NAMESPACE = "urn:partner.soap.sforce.com";
    /** The leadConvert fields in the order of the partner WSDL's sequence, which SOAP keeps. */
    private static final List<String> FIELDS = List.of("accountId", "contactId", "convertedStatus", "doNotCreateOpportunity", "leadId",
            "opportunityName", "overwriteLeadSource", "ownerId", "sendNotificationEmail");

    @Override
    public Mapped map(ActionDefinition.Compiled action, JsonNode input, String apiUrl, VendorCall call, IntegrationConfig config) {
        // https://acme.my.salesforce.com/services/data/v62.0 -> https://acme.my.salesforce.com/services/Soap/u/62.0
        URI soap = URI.create(apiUrl.replaceFirst("/services/data/v", "/services/Soap/u/"));
        StringBuilder convert = new StringBuilder("<urn:leadConverts>");
        for (String field : FIELDS) {
            JsonNode value = input.get(field);
            if (value != null && !value.isNull()) {
                convert.append("<urn:").append(field).append('>').append(SafeXml.escape(value.asString())).append("</urn:").append(field).append('>');
            }
        }
        convert.append("</urn:leadConverts>");
        String before = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" "
                + "xmlns:urn=\"" + NAMESPACE + "\"><soapenv:Header><urn:SessionHeader><urn:sessionId>";
        String after = "</urn:sessionId></urn:SessionHeader></soapenv:Header><soapenv:Body><urn:convertLead>" + convert
                + "</urn:convertLead></soapenv:Body></soapenv:Envelope>";
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.put("Content-Type", List.of("text/xml; charset=UTF-8"));
        headers.put("SOAPAction", List.of("\"\""));
        headers.put("Accept", List.of("text/xml"));
        VendorBody body = new VendorBody.WithSecret(before.getBytes(StandardCharsets.UTF_8), after.getBytes(StandardCharsets.UTF_8), SafeXml::escape);
        return new Mapped(new VendorRequest(call, "POST", soap, headers, body), null);
    }

    @Override
    public VendorResponse decode(VendorResponse raw) {
        Element envelope = SafeXml.parse(raw.body(), true);
        Element body = envelope == null ? null : child(envelope, "Body");
        if (body == null) {
            return raw; // not SOAP (a proxy's error page): classified by its status
        }
        Element fault = child(body, "Fault");
        if (fault != null) {
            String code = text(fault, "faultcode").replaceFirst("^[^:]*:", "");
            int status = code.equals("INVALID_SESSION_ID") ? 401 : raw.status() >= 500 && !code.isEmpty() ? 400 : raw.status();
            ArrayNode errors = Json.MAPPER.createArrayNode();
            errors.addObject().put("errorCode", code).put("message", text(fault, "faultstring"));
            return new VendorResponse(status, raw.headers(), errors.toString().getBytes(StandardCharsets.UTF_8));
        }
        Element result = child(child(body, "convertLeadResponse"), "result");
        if (result == null) {
            return raw;
        }
        if (!"true".equals(text(result, "success"))) {
            ArrayNode errors = Json.MAPPER.createArrayNode();
            for (Node n = result.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element error && "errors".equals(error.getLocalName())) {
                    ObjectNode entry = errors.addObject().put("errorCode", text(error, "statusCode")).put("message", text(error, "message"));
                    ArrayNode fields = entry.putArray("fields");
                    for (Node f = error.getFirstChild(); f != null; f = f.getNextSibling()) {
                        if (f instanceof Element field && "fields".equals(field.getLocalName())) {
                            fields.add(field.getTextContent());
                        }
                    }
                }
            }
            return new VendorResponse(400, raw.headers(), errors.toString().getBytes(StandardCharsets.UTF_8));
        }
        ObjectNode converted = Json.object();
        for (String field : List.of("accountId", "contactId", "leadId", "opportunityId")) {
            String value = text(result, field);
            if (value.isEmpty()) {
                converted.putNull(field);
            } else {
                converted.put(field, value);
            }
        }
        converted.put("success", true);
        return new VendorResponse(200, raw.headers(), converted.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static Element child(Element parent, String localName) {
        if (parent == null) {
            return null;
        }
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && localName.equals(e.getLocalName())) {
                return e;
            }
        }
        return null;
    }

    private static String text(Element parent, String localName) {
        Element found = child(parent, localName);
        return found == null ? "" : found.getTextContent().strip();
    }
}
