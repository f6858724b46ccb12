package dev.switchboard.integrations.sageintacct;

import dev.switchboard.integrations.ActionDefinition;
import dev.switchboard.json.Json;
import dev.switchboard.mapping.VendorProtocol;
import dev.switchboard.mapping.VendorRequestParts;
import dev.switchboard.outbound.VendorBody;
import dev.switchboard.outbound.VendorCall;
import dev.switchboard.outbound.VendorRequest;
import dev.switchboard.outbound.VendorResponse;
import dev.switchboard.outcomes.Echo;
import dev.switchboard.outcomes.Failure;
import dev.switchboard.store.Credential;
import dev.switchboard.store.IntegrationConfigRepository.IntegrationConfig;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Sage Intacct's XML Web Services gateway (vendors.md section 9): one endpoint, one XML request per call that
 * carries the project's sender credentials ({@code clientId}/{@code clientSecret} of the integration's
 * configuration) and the user's company login (credential {@code apiKey} = password, providerData
 * {@code userId}, {@code companyId}, optional {@code entityId}; or a session id as {@code accessToken}).
 *
 * <p>Actions name their gateway function in {@code fixed}: {@code function: readByQuery} with {@code object};
 * {@code create} or {@code update} with {@code object} and the record's fields from the mapped inputs; {@code read}
 * or {@code delete} with {@code object} and the record numbers in {@code keys}; or {@code getDimensions}.
 * Answers become JSON: {@code {"ok", "function", "data": [records], "count", "totalcount", "numremaining",
 * "resultId"}}, or on failure {@code {"ok": false, "error": <errorno>, "errorMessage", "errors": [...], "level"}},
 * which the definition's {@code errors} block reads.
 *
 * <p>Paging: readByQuery answers one page and a {@code resultId}; readMore with it returns the next. The
 * caller's {@code pageCursor} carries that result id with the offset it stands for. The gateway keeps the
 * position on its side, so a page cursor is good for one use, in order.
 */
public final class SageIntacctProtocol implements VendorProtocol {
    private static final int DEFAULT_PAGE_SIZE = 100;

    @Override
    public Mapped map(ActionDefinition.Compiled action, JsonNode input, String apiUrl, VendorCall call, IntegrationConfig config) {
        if (config.clientId() == null || config.clientSecret() == null) {
            throw new Failure(Failure.Kind.CREDENTIAL_INVALID, "integration_not_configured", "Sage Intacct needs the project's Web Services sender id "
                    + "and password: set clientId and clientSecret in the integration's configuration.");
        }
        ObjectNode fields = VendorRequestParts.fromInput(action.definition(), input).body();
        String function = fields.path("function").asString("");
        String object = fields.path("object").asString("");
        fields.remove("function");
        fields.remove("object");

        StringBuilder content = new StringBuilder();
        PageAnnotator pages = null;
        switch (function) {
            case "readByQuery" -> {
                Cursor cursor = Cursor.from(input.get("paginationParameters"));
                // ActionKit's callers may give the page size inside paginationParameters
                int pageSize = input.path("paginationParameters").path("pageSize").asInt(fields.path("pagesize").asInt(DEFAULT_PAGE_SIZE));
                if (cursor.resultId() == null) {
                    content.append("<readByQuery>");
                    IntacctXml.element(content, "object", object);
                    IntacctXml.element(content, "fields", fields.path("fields").asString("*"));
                    IntacctXml.element(content, "query", fields.path("query").asString(""));
                    IntacctXml.element(content, "pagesize", String.valueOf(pageSize));
                    IntacctXml.element(content, "returnFormat", "xml");
                    content.append("</readByQuery>");
                } else {
                    content.append("<readMore>");
                    IntacctXml.element(content, "resultId", cursor.resultId());
                    content.append("</readMore>");
                }
                pages = (result, response) -> cursor.annotate(result);
            }
            case "create", "update" -> {
                content.append('<').append(function).append('>').append('<').append(object).append('>');
                try {
                    IntacctXml.write(content, "parameters", fields);
                } catch (IllegalArgumentException e) {
                    throw Failure.invalidInput("invalid_parameters", e.getMessage());
                }
                content.append("</").append(object).append('>').append("</").append(function).append('>');
            }
            case "read", "delete" -> {
                content.append('<').append(function).append('>');
                IntacctXml.element(content, "object", object);
                IntacctXml.element(content, "keys", fields.path("keys").asString(""));
                if (function.equals("read")) {
                    IntacctXml.element(content, "fields", fields.path("fields").asString("*"));
                }
                content.append("</").append(function).append('>');
            }
            case "getDimensions" -> content.append("<getDimensions/>");
            default -> throw new IllegalStateException(action.name() + ": fixed.function must be readByQuery, create, update, read, delete"
                    + " or getDimensions");
        }
        byte[] body = envelope(config, call.credential(), content.toString()).getBytes(StandardCharsets.UTF_8);
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.put("Content-Type", List.of("application/xml; charset=utf-8"));
        headers.put("Accept", List.of("application/xml"));
        return new Mapped(new VendorRequest(call, "POST", URI.create(apiUrl), headers, VendorBody.Bytes.of(body)), pages);
    }

    private static String envelope(IntegrationConfig config, Credential credential, String function) {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?><request><control>");
        IntacctXml.element(xml, "senderid", config.clientId());
        IntacctXml.element(xml, "password", config.clientSecret());
        IntacctXml.element(xml, "controlid", UUID.randomUUID().toString());
        xml.append("<uniqueid>false</uniqueid><dtdversion>3.0</dtdversion><includewhitespace>false</includewhitespace>");
        xml.append("</control><operation transaction=\"false\"><authentication>");
        if (credential.apiKey() != null) {
            Map<String, Object> data = credential.providerData();
            xml.append("<login>");
            IntacctXml.element(xml, "userid", String.valueOf(data.getOrDefault("userId", "")));
            IntacctXml.element(xml, "companyid", String.valueOf(data.getOrDefault("companyId", "")));
            IntacctXml.element(xml, "password", credential.apiKey());
            if (data.get("entityId") != null) {
                IntacctXml.element(xml, "locationid", String.valueOf(data.get("entityId")));
            }
            xml.append("</login>");
        } else {
            IntacctXml.element(xml, "sessionid", credential.accessToken());
        }
        xml.append("</authentication><content><function controlid=\"switchboard\">").append(function)
                .append("</function></content></operation></request>");
        return xml.toString();
    }

    @Override
    public VendorResponse decode(VendorResponse raw) {
        Element response = IntacctXml.parse(raw.body());
        if (response == null || !response.getTagName().equals("response")) {
            return raw; // not the gateway's XML (a proxy's error page): classified by its status
        }
        Element operation = IntacctXml.child(response, "operation");
        Element authentication = IntacctXml.child(operation, "authentication");
        Element result = IntacctXml.child(operation, "result");
        ObjectNode json;
        if ("failure".equals(IntacctXml.text(IntacctXml.child(response, "control"), "status"))) {
            json = failure("control", response);
        } else if (authentication != null && "failure".equals(IntacctXml.text(authentication, "status"))) {
            json = failure("authentication", operation);
        } else if (result == null) {
            json = failure("result", operation);
        } else if (!"success".equals(IntacctXml.text(result, "status"))) {
            json = failure("result", result);
        } else {
            json = success(result);
        }
        return raw.withBody(json.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static ObjectNode success(Element result) {
        ObjectNode json = Json.object().put("ok", true)
                .put("function", IntacctXml.text(result, "function"))
                .put("controlId", IntacctXml.text(result, "controlid"));
        Element data = IntacctXml.child(result, "data");
        ArrayNode records = json.putArray("data");
        if (data != null) {
            for (String attribute : new String[] {"listtype", "count", "totalcount", "numremaining", "resultId"}) {
                String value = data.getAttribute(attribute);
                if (value.isEmpty()) continue;
                if (attribute.equals("listtype") || attribute.equals("resultId")) {
                    json.put(attribute.equals("listtype") ? "listType" : "resultId", value);
                } else {
                    json.put(attribute, Long.parseLong(value));
                }
            }
            for (Node n = data.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element record) {
                    records.add(IntacctXml.toJson(record));
                }
            }
        }
        return json;
    }

    /** The first error of an {@code errormessage} under {@code parent} becomes {@code error} and {@code errorMessage}. */
    private static ObjectNode failure(String level, Element parent) {
        ObjectNode json = Json.object().put("ok", false).put("level", level);
        ArrayNode errors = json.putArray("errors");
        Element messages = IntacctXml.child(parent, "errormessage");
        if (messages != null) {
            for (Node n = messages.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element error && error.getTagName().equals("error")) {
                    errors.add(IntacctXml.toJson(error));
                }
            }
        }
        JsonNode first = errors.isEmpty() ? Json.object() : errors.get(0);
        json.put("error", first.path("errorno").asString("unknown"));
        String description = first.path("description2").asString("");
        json.put("errorMessage", description.isBlank() ? first.path("description").asString("") : description);
        return json;
    }

    /** The caller's place in a readByQuery listing: the offset it stands for and the gateway's result id. */
    private record Cursor(long offset, String resultId) {
        static Cursor from(JsonNode parameters) {
            if (parameters == null || parameters.isNull()) {
                return new Cursor(0, null);
            }
            String token = parameters.path("pageCursor").asString("");
            if (!token.isEmpty()) {
                try {
                    String[] parts = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split(":", 2);
                    return new Cursor(Long.parseLong(parts[0]), parts[1]);
                } catch (RuntimeException e) {
                    throw Failure.invalidInput("invalid_parameters", "paginationParameters.pageCursor: " + Echo.quote(token)
                            + " is not a pageCursor this action returned.");
                }
            }
            long offset = parameters.path("offset").asLong(parameters.path("skip").asLong(0));
            if (offset != 0) {
                throw Failure.invalidInput("invalid_parameters", "paginationParameters.offset: Sage Intacct continues a "
                        + "listing only from the gateway's result id; send the pageCursor (or the whole nextPaginationParameters) "
                        + "of the previous answer.");
            }
            return new Cursor(0, null);
        }

        void annotate(ObjectNode result) {
            long remaining = result.path("numremaining").asLong(0);
            String resultId = result.path("resultId").asString("");
            if (remaining <= 0 || resultId.isEmpty()) {
                return;
            }
            long next = offset + result.path("data").size();
            String token = Base64.getUrlEncoder().withoutPadding().encodeToString((next + ":" + resultId).getBytes(StandardCharsets.UTF_8));
            result.put("pageCursor", token);
            result.putObject("nextPaginationParameters").put("pageCursor", token).put("offset", next);
        }
    }
}
