package dev.switchboard.fakes;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import tools.jackson.databind.JsonNode;

/**
 * Sage Intacct's XML gateway (vendors.md section 9, wire XML as in the official SDK's fixtures): one POST endpoint,
 * sender credentials in {@code <control>}, a company login in {@code <authentication>}, readByQuery pages with
 * {@code resultId}/{@code numremaining} continued by readMore, failures inside HTTP 200 at the control (HTTP 401),
 * authentication and result levels, and HTTP 429 when throttled.
 */
public final class SageIntacctFake extends VendorFake {
    public static final String SENDER_ID = "switchboard-sender";
    public static final String SENDER_PASSWORD = "sender-secret";
    public static final String COMPANY = "ACME-CO";
    public static final String USER = "api-user";

    private final Map<String, List<Map<String, String>>> objects = new ConcurrentHashMap<>();
    /** resultId → [object, next position, page size], as the gateway keeps it. */
    private final Map<String, Object[]> results = new ConcurrentHashMap<>();
    private String lastLoginPassword;

    public SageIntacctFake(int vendorCount) {
        List<Map<String, String>> vendors = new ArrayList<>();
        for (int i = 1; i <= vendorCount; i++) {
            Map<String, String> vendor = new LinkedHashMap<>();
            vendor.put("RECORDNO", String.valueOf(i));
            vendor.put("VENDORID", String.format("V%04d", i));
            vendor.put("NAME", "Vendor " + i + (i == 2 ? " & Sons <Ltd>" : ""));
            vendor.put("STATUS", "active");
            vendors.add(vendor);
        }
        objects.put("VENDOR", vendors);
        for (String object : List.of("CUSTOMER", "VENDTYPE", "APBILL", "APTERM", "GLACCOUNT", "ARINVOICE")) {
            objects.put(object, new ArrayList<>());
        }
    }

    public List<Map<String, String>> object(String name) { return objects.get(name); }
    public String endpoint() { return baseUrl() + "/ia/xml/xmlgw.phtml"; }

    @Override
    protected void routes(RoutesConfig routes) {
        post(routes, "/ia/xml/xmlgw.phtml", "gateway", this::gateway);
    }

    /** The gateway reads credentials from the XML itself, so the base class's check is bypassed here. */
    @Override
    protected String credentialOf(Context ctx) {
        Element request = parse(ctx.body());
        Element login = request == null ? null : path(request, "operation", "authentication", "login");
        lastLoginPassword = login == null ? null : text(login, "password");
        return login != null && USER.equals(text(login, "userid")) && COMPANY.equals(text(login, "companyid")) ? lastLoginPassword : null;
    }

    @Override
    protected Operation handle(String operation, Operation action) {
        Operation inner = super.handle(operation, action);
        return (ctx, body) -> {
            Element request = parse(ctx.body());
            Element control = request == null ? null : child(request, "control");
            if (control == null || !SENDER_ID.equals(text(control, "senderid")) || !SENDER_PASSWORD.equals(text(control, "password"))) {
                xml(ctx, 401, "<response><control><status>failure</status><senderid>" + (control == null ? "" : text(control, "senderid"))
                        + "</senderid><controlid></controlid><uniqueid>false</uniqueid><dtdversion>3.0</dtdversion></control>"
                        + errorMessage("XMLGW_JPP0002", "Sign-in information is incorrect. Please check your request.", "") + "</response>");
                return;
            }
            inner.answer(ctx, body);
        };
    }

    private void gateway(Context ctx, JsonNode ignored) {
        Element request = parse(ctx.body());
        Element function = path(request, "operation", "content", "function");
        Element call = firstElement(function);
        String controlId = function.getAttribute("controlid");
        String name = call.getTagName();
        switch (name) {
            case "readByQuery" -> {
                String object = text(call, "object");
                List<Map<String, String>> records = objects.get(object);
                if (records == null) {
                    resultFailure(ctx, name, controlId, "DL02000001", "Object definition " + object + " not found");
                    return;
                }
                int pageSize = Integer.parseInt(text(call, "pagesize"));
                page(ctx, name, controlId, object, records, 0, pageSize, UUID.randomUUID().toString().replace("-", ""));
            }
            case "readMore" -> {
                String resultId = text(call, "resultId");
                Object[] state = results.get(resultId);
                if (state == null) {
                    resultFailure(ctx, name, controlId, "DL02000001", "Invalid resultId " + resultId);
                    return;
                }
                String object = (String) state[0];
                page(ctx, name, controlId, object, objects.get(object), (Integer) state[1], (Integer) state[2], resultId);
            }
            case "create" -> {
                Element record = firstElement(call);
                List<Map<String, String>> records = objects.get(record.getTagName());
                if (records == null) {
                    resultFailure(ctx, name, controlId, "DL02000001", "Object definition " + record.getTagName() + " not found");
                    return;
                }
                Map<String, String> fields = new LinkedHashMap<>();
                flatten(record, "", fields);
                if (Set.of("VENDOR", "CUSTOMER").contains(record.getTagName()) && fields.getOrDefault("NAME", "").isBlank()) {
                    resultFailure(ctx, name, controlId, "BL34000061", "Required field Name is missing");
                    return;
                }
                fields.put("RECORDNO", String.valueOf(records.size() + 1));
                fields.putIfAbsent("VENDORID", String.format("V%04d", records.size() + 1));
                records.add(fields);
                success(ctx, name, controlId, "<data listtype=\"objkey\" count=\"1\"><" + record.getTagName().toLowerCase() + "><RECORDNO>"
                        + fields.get("RECORDNO") + "</RECORDNO><" + "VENDORID>" + escape(fields.get("VENDORID")) + "</VENDORID></"
                        + record.getTagName().toLowerCase() + "></data>");
            }
            case "update" -> {
                Element record = firstElement(call);
                Map<String, String> fields = new LinkedHashMap<>();
                flatten(record, "", fields);
                Map<String, String> stored = find(record.getTagName(), fields.get("RECORDNO"));
                if (stored == null) {
                    resultFailure(ctx, name, controlId, "BL01001973", "Could not find " + record.getTagName() + " " + fields.get("RECORDNO"));
                    return;
                }
                stored.putAll(fields);
                success(ctx, name, controlId, "<data listtype=\"objkey\" count=\"1\"><" + record.getTagName().toLowerCase() + "><RECORDNO>"
                        + escape(stored.get("RECORDNO")) + "</RECORDNO></" + record.getTagName().toLowerCase() + "></data>");
            }
            case "read" -> {
                String object = text(call, "object");
                if (objects.get(object) == null) {
                    resultFailure(ctx, name, controlId, "DL02000001", "Object definition " + object + " not found");
                    return;
                }
                List<Map<String, String>> found = new ArrayList<>();
                for (String key : text(call, "keys").split(",")) {
                    Map<String, String> record = find(object, key.strip());
                    if (record != null) {
                        found.add(record);
                    }
                }
                StringBuilder data = new StringBuilder("<data listtype=\"" + object.toLowerCase() + "\" count=\"" + found.size() + "\">");
                for (Map<String, String> record : found) {
                    data.append('<').append(object.toLowerCase()).append('>');
                    record.forEach((k, v) -> data.append('<').append(k).append('>').append(escape(v)).append("</").append(k).append('>'));
                    data.append("</").append(object.toLowerCase()).append('>');
                }
                success(ctx, name, controlId, data.append("</data>").toString());
            }
            case "delete" -> {
                String object = text(call, "object");
                Map<String, String> record = find(object, text(call, "keys"));
                if (record == null) {
                    resultFailure(ctx, name, controlId, "BL01001973", "Could not delete " + object + " " + text(call, "keys") + ": no such record");
                    return;
                }
                objects.get(object).remove(record);
                success(ctx, name, controlId, "<data listtype=\"objkey\" count=\"1\"><" + object.toLowerCase() + "><RECORDNO>"
                        + escape(record.get("RECORDNO")) + "</RECORDNO></" + object.toLowerCase() + "></data>");
            }
            case "getDimensions" -> success(ctx, name, controlId, "<data listtype=\"dimensions\" count=\"2\">"
                    + "<dimension><objectName>DEPARTMENT</objectName><objectLabel>Department</objectLabel><termLabel>Department</termLabel>"
                    + "<userDefinedDimension>false</userDefinedDimension><enabledInGL>true</enabledInGL></dimension>"
                    + "<dimension><objectName>LOCATION</objectName><objectLabel>Location</objectLabel><termLabel>Location</termLabel>"
                    + "<userDefinedDimension>false</userDefinedDimension><enabledInGL>true</enabledInGL></dimension></data>");
            default -> resultFailure(ctx, name, controlId, "XL03000003", "Unknown function " + name);
        }
    }

    private Map<String, String> find(String object, String recordNo) {
        List<Map<String, String>> records = objects.get(object);
        return records == null || recordNo == null ? null
                : records.stream().filter(r -> recordNo.equals(r.get("RECORDNO"))).findFirst().orElse(null);
    }

    private void page(Context ctx, String function, String controlId, String object, List<Map<String, String>> records,
                      int start, int pageSize, String resultId) {
        int end = Math.min(records.size(), start + pageSize);
        int remaining = records.size() - end;
        if (remaining > 0) {
            results.put(resultId, new Object[] {object, end, pageSize});
        } else {
            results.remove(resultId);
        }
        StringBuilder data = new StringBuilder("<data listtype=\"" + object.toLowerCase() + "\" count=\"" + (end - start)
                + "\" totalcount=\"" + records.size() + "\" numremaining=\"" + remaining + "\" resultId=\"" + (remaining > 0 ? resultId : "") + "\">");
        for (Map<String, String> record : records.subList(start, end)) {
            data.append('<').append(object.toLowerCase()).append('>');
            record.forEach((k, v) -> data.append('<').append(k).append('>').append(escape(v)).append("</").append(k).append('>'));
            data.append("</").append(object.toLowerCase()).append('>');
        }
        success(ctx, function, controlId, data.append("</data>").toString());
    }

    private static void flatten(Element element, String prefix, Map<String, String> out) {
        for (Node n = element.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element child) {
                if (firstElement(child) == null) {
                    out.put(prefix + child.getTagName(), child.getTextContent());
                } else {
                    flatten(child, prefix + child.getTagName() + ".", out);
                }
            }
        }
    }

    private static String header() {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><response><control><status>success</status><senderid>" + SENDER_ID
                + "</senderid><controlid>c</controlid><uniqueid>false</uniqueid><dtdversion>3.0</dtdversion></control><operation>"
                + "<authentication><status>success</status><userid>" + USER + "</userid><companyid>" + COMPANY
                + "</companyid><locationid></locationid><sessiontimestamp>2026-11-29T10:00:00-08:00</sessiontimestamp>"
                + "<sessiontimeout>2026-11-30T10:00:00-08:00</sessiontimeout></authentication>";
    }

    private static void success(Context ctx, String function, String controlId, String data) {
        xml(ctx, 200, header() + "<result><status>success</status><function>" + function + "</function><controlid>" + controlId
                + "</controlid>" + data + "</result></operation></response>");
    }

    private static void resultFailure(Context ctx, String function, String controlId, String errorNo, String description2) {
        xml(ctx, 200, header() + "<result><status>failure</status><function>" + function + "</function><controlid>" + controlId
                + "</controlid>" + errorMessage(errorNo, "", description2) + "</result></operation></response>");
    }

    private static String errorMessage(String errorNo, String description, String description2) {
        return "<errormessage><error><errorno>" + errorNo + "</errorno><description>" + escape(description) + "</description><description2>"
                + escape(description2) + "</description2><correction></correction></error></errormessage>";
    }

    @Override
    protected void rejectCredential(Context ctx) {
        xml(ctx, 200, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><response><control><status>success</status><senderid>" + SENDER_ID
                + "</senderid><controlid>c</controlid><uniqueid>false</uniqueid><dtdversion>3.0</dtdversion></control><operation>"
                + "<authentication><status>failure</status><userid>" + USER + "</userid><companyid>" + COMPANY + "</companyid></authentication>"
                + errorMessage("XL03000006", "", "Sign-in information is incorrect") + "</operation></response>");
    }

    @Override
    protected void rateLimit(Context ctx, int retryAfterSeconds) {
        ctx.status(429).contentType("text/html").result("<html><body>Too Many Requests</body></html>");
    }

    @Override
    protected void error(Context ctx, VendorError error) {
        resultFailure(ctx, "readByQuery", "switchboard", error.code(), error.message());
    }

    private static void xml(Context ctx, int status, String body) {
        ctx.status(status).contentType("text/xml; encoding=\"UTF-8\"").result(body);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static Element parse(String xml) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8))).getDocumentElement();
        } catch (Exception e) {
            return null;
        }
    }

    private static Element child(Element parent, String name) {
        for (Node n = parent == null ? null : parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) return e;
        }
        return null;
    }

    private static Element path(Element root, String... names) {
        Element e = root;
        for (String name : names) e = child(e, name);
        return e;
    }

    private static Element firstElement(Element parent) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) return e;
        }
        return null;
    }

    private static String text(Element parent, String name) {
        Element e = child(parent, name);
        return e == null ? null : e.getTextContent();
    }
}
