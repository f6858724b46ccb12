package dev.switchboard.fakes;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Salesforce's REST API (v62.0) as an org answers it, written from Salesforce's REST reference (there is no OpenAPI
 * description of the sObject API: each org's objects differ): records of Contact, Lead, Account, Opportunity, Task
 * and CampaignMember with 18-character ids, each write checked against the org's describe (fields that do not exist,
 * cannot be set, are required, or a restricted picklist's unknown value), describes that differ per access token
 * (custom fields), SOQL read by {@link Soql} and answered in batches with a query locator in {@code nextRecordsUrl},
 * list views with their own query, the Tooling API's CustomField and CustomObject, and errors as a JSON array
 * {@code [{"message", "errorCode", "fields"}]}; the API limit as 403 REQUEST_LIMIT_EXCEEDED, never 429.
 */
public final class SalesforceFake extends VendorFake {
    public static final String VERSION = "v62.0";
    private static final Map<String, String> PREFIXES = Map.of("Contact", "003", "Lead", "00Q", "Account", "001", "Opportunity", "006",
            "Task", "00T", "CampaignMember", "00v", "Campaign", "701", "LeadStatus", "01J");

    private final Map<String, Map<String, ObjectNode>> records = new ConcurrentHashMap<>();
    private final Map<String, Map<String, List<ObjectNode>>> customFields = new ConcurrentHashMap<>();
    private final Map<String, List<ObjectNode>> batches = new ConcurrentHashMap<>();
    private final Map<String, String> listViews = new ConcurrentHashMap<>();
    private final List<JsonNode> toolingCreated = new CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong(1000);
    private volatile int batchSize = 2000;

    public SalesforceFake(int contactCount) {
        // The org's lead statuses: one marks a lead converted, as in a new org.
        for (String status : List.of("Open - Not Contacted", "Working - Contacted", "Closed - Converted", "Closed - Not Converted")) {
            add("LeadStatus", NODES.objectNode().put("MasterLabel", status).put("IsConverted", status.equals("Closed - Converted")));
        }
        for (int i = 1; i <= contactCount; i++) {
            add("Contact", NODES.objectNode().put("FirstName", "Person").put("LastName", "Number " + i).put("Email", "person" + i + "@example.com")
                    .put("LeadSource", i % 2 == 0 ? "Web" : "Phone Inquiry"));
        }
    }

    public String apiUrl() {
        return baseUrl() + "/services/data/" + VERSION;
    }

    /** Answers queries in batches of this many records, as Salesforce does with 2,000 (or the batchSize asked for). */
    public SalesforceFake batchSize(int size) {
        this.batchSize = size;
        return this;
    }

    public Map<String, ObjectNode> records(String object) {
        return records.computeIfAbsent(object, o -> new ConcurrentHashMap<>());
    }

    public List<JsonNode> toolingCreated() {
        return toolingCreated;
    }

    /** A list view of the object, selecting with this SOQL; @return its id */
    public String listView(String object, String soql) {
        String id = "00B" + String.format("%015d", ids.incrementAndGet());
        listViews.put(id, soql);
        return id;
    }

    /** Gives the org of this access token a custom field, as an admin adds one in Setup. */
    public SalesforceFake customField(String accessToken, String object, ObjectNode field) {
        customFields.computeIfAbsent(accessToken, t -> new ConcurrentHashMap<>()).computeIfAbsent(object, o -> new CopyOnWriteArrayList<>()).add(field);
        return this;
    }

    public ObjectNode add(String object, ObjectNode fields) {
        String id = PREFIXES.getOrDefault(object, "a00") + String.format("%012d", ids.incrementAndGet()) + "AAA";
        ObjectNode record = NODES.objectNode().put("Id", id);
        record.setAll(fields);
        String now = tick();
        record.put("CreatedDate", now).put("LastModifiedDate", now).put("SystemModstamp", now).put("IsDeleted", false);
        records(object).put(id, record);
        return record;
    }

    /** The next instant of the fake's clock (a second after the last write), as Salesforce writes datetimes. */
    private String tick() {
        return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ")
                .format(nextWrite().atOffset(java.time.ZoneOffset.UTC));
    }

    /** A record changed: its modification times move on. */
    private void touch(ObjectNode record) {
        String now = tick();
        record.put("LastModifiedDate", now).put("SystemModstamp", now);
    }

    /** One field of a describe, with the keys that say how it may be written. */
    public static ObjectNode field(String name, String type, boolean createable, boolean nillable, boolean defaulted, String... picklist) {
        ObjectNode field = NODES.objectNode().put("name", name).put("label", name.replace("__c", "").replace('_', ' ')).put("type", type)
                .put("length", type.equals("string") ? 80 : 0).put("createable", createable).put("updateable", createable && !name.equals("TaskSubtype"))
                .put("nillable", nillable).put("defaultedOnCreate", defaulted).put("filterable", true).put("restrictedPicklist", false)
                .put("custom", name.endsWith("__c"));
        ArrayNode values = field.putArray("picklistValues");
        for (String value : picklist) {
            boolean inactive = value.startsWith("~");
            String v = inactive ? value.substring(1) : value;
            values.addObject().put("value", v).put("label", v).put("active", !inactive).put("defaultValue", false);
        }
        return field;
    }

    private static List<ObjectNode> standardFields(String object) {
        List<ObjectNode> fields = new ArrayList<>();
        fields.add(field("Id", "id", false, false, true));
        fields.add(field("CreatedDate", "datetime", false, false, true));
        fields.add(field("LastModifiedDate", "datetime", false, false, true));
        fields.add(field("SystemModstamp", "datetime", false, false, true));
        fields.add(field("IsDeleted", "boolean", false, false, true));
        switch (object) {
            case "Contact" -> {
                fields.add(field("LastName", "string", true, false, false));
                fields.add(field("FirstName", "string", true, true, false));
                fields.add(field("Email", "email", true, true, false));
                fields.add(field("AccountId", "reference", true, true, false));
                fields.add(field("Title", "string", true, true, false));
                fields.add(field("Description", "textarea", true, true, false));
                fields.add(field("LeadSource", "picklist", true, true, false, "Web", "Phone Inquiry", "Partner Referral", "~Trade Show"));
            }
            case "Lead" -> {
                fields.add(field("LastName", "string", true, false, false));
                fields.add(field("Company", "string", true, false, false));
                fields.add(field("FirstName", "string", true, true, false));
                fields.add(field("Email", "email", true, true, false));
                fields.add(field("Status", "picklist", true, false, true, "Open - Not Contacted", "Working - Contacted", "Closed - Converted"));
            }
            case "LeadStatus" -> {
                fields.add(field("MasterLabel", "string", false, false, false));
                fields.add(field("IsConverted", "boolean", false, false, false));
            }
            case "Account" -> {
                fields.add(field("Name", "string", true, false, false));
                fields.add(field("Website", "url", true, true, false));
                fields.add(field("NumberOfEmployees", "int", true, true, false));
            }
            case "Opportunity" -> {
                fields.add(field("Name", "string", true, false, false));
                fields.add(field("StageName", "picklist", true, false, false, "Prospecting", "Closed Won", "Closed Lost").put("restrictedPicklist", true));
                fields.add(field("CloseDate", "date", true, false, false));
                fields.add(field("Amount", "currency", true, true, false));
                fields.add(field("AccountId", "reference", true, true, false));
            }
            case "Task" -> {
                fields.add(field("Subject", "combobox", true, true, false, "Call", "Email", "Send Letter"));
                fields.add(field("WhoId", "reference", true, true, false));
                fields.add(field("WhatId", "reference", true, true, false));
                fields.add(field("ActivityDate", "date", true, true, false));
                fields.add(field("Status", "picklist", true, false, true, "Not Started", "In Progress", "Completed").put("restrictedPicklist", true));
                fields.add(field("TaskSubtype", "picklist", true, true, false, "Task", "Email", "ListEmail", "Call"));
                fields.add(field("CallDurationInSeconds", "int", true, true, false));
            }
            case "CampaignMember" -> {
                fields.add(field("CampaignId", "reference", true, false, false));
                fields.add(field("LeadId", "reference", true, true, false));
                fields.add(field("ContactId", "reference", true, true, false));
                fields.add(field("Status", "picklist", true, true, true, "Sent", "Responded"));
            }
            default -> { }
        }
        return fields;
    }

    private Map<String, ObjectNode> describe(String accessToken, String object) {
        Map<String, ObjectNode> fields = new LinkedHashMap<>();
        standardFields(object).forEach(f -> fields.put(f.get("name").asString(), f));
        customFields.getOrDefault(accessToken, Map.of()).getOrDefault(object, List.of()).forEach(f -> fields.put(f.get("name").asString(), f));
        return fields;
    }

    private static boolean known(String object) {
        return PREFIXES.containsKey(object);
    }

    @Override
    protected void routes(RoutesConfig routes) {
        String api = "/services/data/" + VERSION;
        // The SOAP API (partner WSDL) for convertLead, which REST lacks: the session id in the SOAP header, faults and
        // per-lead results as Salesforce writes them.
        post(routes, "/services/Soap/u/" + VERSION.substring(1), "soap", (ctx, body) -> soap(ctx));
        get(routes, api + "/sobjects/{object}/describe", "describe", (ctx, body) -> withObject(ctx, object -> {
            ObjectNode answer = NODES.objectNode().put("name", object).put("label", object).put("createable", true).put("queryable", true);
            answer.putArray("fields").addAll(describe(credentialOf(ctx), object).values());
            json(ctx, 200, answer);
        }));
        get(routes, api + "/sobjects/{object}/listviews/{id}/describe", "describeListView", (ctx, body) -> withObject(ctx, object -> {
            String soql = listViews.get(ctx.pathParam("id"));
            if (soql == null) {
                error(ctx, new VendorError(404, "NOT_FOUND", "The requested resource does not exist"));
                return;
            }
            json(ctx, 200, NODES.objectNode().put("id", ctx.pathParam("id")).put("sobjectType", object).put("query", soql));
        }));
        post(routes, api + "/sobjects/{object}", "create", (ctx, body) -> withObject(ctx, object -> {
            if (!valid(ctx, object, body, true)) return;
            ObjectNode record = add(object, (ObjectNode) body.deepCopy());
            json(ctx, 201, NODES.objectNode().put("id", record.get("Id").asString()).put("success", true).set("errors", NODES.arrayNode()));
        }));
        get(routes, api + "/sobjects/{object}/{id}", "get", (ctx, body) -> withRecord(ctx, (object, record) -> json(ctx, 200, shown(object, record, null))));
        patch(routes, api + "/sobjects/{object}/{id}", "update", (ctx, body) -> withRecord(ctx, (object, record) -> {
            if (!valid(ctx, object, body, false)) return;
            record.setAll((ObjectNode) body);
            touch(record);
            ctx.status(204);
        }));
        delete(routes, api + "/sobjects/{object}/{id}", "delete", (ctx, body) -> withRecord(ctx, (object, record) -> {
            records(object).remove(record.get("Id").asString());
            ctx.status(204);
        }));
        patch(routes, api + "/sobjects/{object}/{field}/{value}", "upsert", (ctx, body) -> withObject(ctx, object -> {
            String field = ctx.pathParam("field");
            List<ObjectNode> matches = records(object).values().stream().filter(r -> ctx.pathParam("value").equals(r.path(field).asString(null))).toList();
            if (matches.size() > 1) {
                json(ctx, 300, NODES.arrayNode().add("/services/data/" + VERSION + "/sobjects/" + object + "/" + matches.get(0).get("Id").asString()));
                return;
            }
            if (!valid(ctx, object, body, matches.isEmpty())) return;
            if (matches.isEmpty()) {
                ObjectNode record = add(object, ((ObjectNode) body.deepCopy()).put(field, ctx.pathParam("value")));
                json(ctx, 201, NODES.objectNode().put("id", record.get("Id").asString()).put("success", true).put("created", true).set("errors", NODES.arrayNode()));
            } else {
                matches.get(0).setAll((ObjectNode) body);
                touch(matches.get(0));
                json(ctx, 200, NODES.objectNode().put("id", matches.get(0).get("Id").asString()).put("success", true).put("created", false).set("errors", NODES.arrayNode()));
            }
        }));
        get(routes, api + "/query", "query", (ctx, body) -> query(ctx, ctx.queryParam("q")));
        get(routes, api + "/query/{locator}", "queryMore", (ctx, body) -> {
            List<ObjectNode> rest = batches.remove(ctx.pathParam("locator"));
            if (rest == null) {
                error(ctx, new VendorError(400, "INVALID_QUERY_LOCATOR", "invalid query locator"));
                return;
            }
            batch(ctx, rest, rest.size());
        });
        post(routes, api + "/tooling/sobjects/{type}", "toolingCreate", (ctx, body) -> {
            String fullName = body.path("FullName").asString("");
            boolean valid = ctx.pathParam("type").equals("CustomField") ? fullName.matches("[A-Za-z]\\w*\\.[A-Za-z]\\w*__c") : fullName.matches("[A-Za-z]\\w*__c");
            if (!valid || !body.path("Metadata").has("label")) {
                error(ctx, new VendorError(400, "INVALID_FIELD", "FullName and Metadata.label are required: " + fullName));
                return;
            }
            toolingCreated.add(body);
            json(ctx, 201, NODES.objectNode().put("id", "00N" + String.format("%015d", ids.incrementAndGet())).put("success", true).set("errors", NODES.arrayNode()));
        });
    }

    private void soap(Context ctx) {
        org.w3c.dom.Element envelope = dev.switchboard.xml.SafeXml.parse(ctx.bodyAsBytes(), true);
        String session = soapText(envelope, "sessionId");
        if (session == null || !session.equals(credentialOf(ctx))) {
            soapAnswer(ctx, 500, "<soapenv:Fault><faultcode>sf:INVALID_SESSION_ID</faultcode><faultstring>INVALID_SESSION_ID: Invalid Session ID "
                    + "found in SessionHeader: Illegal Session</faultstring></soapenv:Fault>");
            return;
        }
        String leadId = soapText(envelope, "leadId");
        String status = soapText(envelope, "convertedStatus");
        ObjectNode lead = leadId == null ? null : records("Lead").get(leadId);
        String failure = lead == null ? "<statusCode>INVALID_CROSS_REFERENCE_KEY</statusCode><message>invalid cross reference id</message>"
                : lead.path("IsConverted").asBoolean(false) ? "<statusCode>CANNOT_UPDATE_CONVERTED_LEAD</statusCode><message>cannot reference converted lead</message>"
                : records("LeadStatus").values().stream().noneMatch(s -> s.get("MasterLabel").asString().equals(status) && s.get("IsConverted").asBoolean())
                ? "<fields>Status</fields><statusCode>INVALID_STATUS</statusCode><message>invalid convertedStatus: " + dev.switchboard.xml.SafeXml.escape(String.valueOf(status)) + "</message>"
                : null;
        if (failure != null) {
            soapAnswer(ctx, 200, "<convertLeadResponse><result><errors>" + failure + "</errors><leadId>" + dev.switchboard.xml.SafeXml.escape(String.valueOf(leadId))
                    + "</leadId><success>false</success></result></convertLeadResponse>");
            return;
        }
        ObjectNode account = add("Account", NODES.objectNode().put("Name", lead.path("Company").asString()));
        ObjectNode contact = add("Contact", NODES.objectNode().put("LastName", lead.path("LastName").asString()).put("FirstName", lead.path("FirstName").asString(""))
                .put("AccountId", account.get("Id").asString()));
        String opportunity = "";
        if (!"true".equals(soapText(envelope, "doNotCreateOpportunity"))) {
            String name = soapText(envelope, "opportunityName");
            opportunity = add("Opportunity", NODES.objectNode().put("Name", name != null ? name : lead.path("Company").asString() + "-")
                    .put("AccountId", account.get("Id").asString())).get("Id").asString();
        }
        lead.put("IsConverted", true).put("Status", status).put("ConvertedAccountId", account.get("Id").asString());
        soapAnswer(ctx, 200, "<convertLeadResponse><result><accountId>" + account.get("Id").asString() + "</accountId><contactId>"
                + contact.get("Id").asString() + "</contactId><leadId>" + leadId + "</leadId><opportunityId>" + opportunity
                + "</opportunityId><success>true</success></result></convertLeadResponse>");
    }

    private static String soapText(org.w3c.dom.Element root, String localName) {
        if (root == null) return null;
        org.w3c.dom.NodeList found = root.getElementsByTagNameNS("urn:partner.soap.sforce.com", localName);
        return found.getLength() == 0 ? null : found.item(0).getTextContent();
    }

    private static void soapAnswer(Context ctx, int status, String inBody) {
        ctx.status(status).contentType("text/xml; charset=utf-8").result("<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope "
                + "xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns=\"urn:partner.soap.sforce.com\" "
                + "xmlns:sf=\"urn:fault.partner.soap.sforce.com\"><soapenv:Body>" + inBody + "</soapenv:Body></soapenv:Envelope>");
    }

    private void query(Context ctx, String soql) {
        Soql.Query query;
        try {
            query = Soql.parse(soql == null ? "" : soql);
        } catch (Soql.Malformed | NumberFormatException malformed) {
            error(ctx, new VendorError(400, "MALFORMED_QUERY", malformed.getMessage()));
            return;
        }
        if (!known(query.object())) {
            error(ctx, new VendorError(400, "INVALID_TYPE", "sObject type '" + query.object() + "' is not supported."));
            return;
        }
        Map<String, ObjectNode> fields = describe(credentialOf(ctx), query.object());
        for (String field : query.fields()) {
            if (!field.startsWith("FIELDS(") && !fields.containsKey(field)) {
                error(ctx, new VendorError(400, "INVALID_FIELD", "No such column '" + field + "' on entity '" + query.object() + "'."));
                return;
            }
        }
        // Ids grow with creation, and the fake's datetimes have one width, so text order is their order; ties go by Id.
        Comparator<ObjectNode> order = Comparator.comparing(r -> r.get("Id").asString());
        if (query.orderBy() != null) {
            Comparator<ObjectNode> by = Comparator.<ObjectNode, String>comparing(r -> r.path(query.orderBy()).asString("")).thenComparing(order);
            order = query.descending() ? by.reversed() : by;
        }
        List<ObjectNode> found = records(query.object()).values().stream().filter(query.where()).sorted(order)
                .limit(query.limit() == null ? Long.MAX_VALUE : query.limit())
                .map(r -> shown(query.object(), r, query.fields())).toList();
        batch(ctx, found, found.size());
    }

    /** One batch of a query's records; the rest wait under a locator named in nextRecordsUrl. */
    private void batch(Context ctx, List<ObjectNode> records, int totalSize) {
        ObjectNode answer = NODES.objectNode().put("totalSize", totalSize);
        List<ObjectNode> now = records.subList(0, Math.min(batchSize, records.size()));
        boolean done = now.size() == records.size();
        answer.put("done", done);
        if (!done) {
            String locator = "01g" + String.format("%015d", ids.incrementAndGet()) + "-" + batchSize;
            batches.put(locator, new ArrayList<>(records.subList(now.size(), records.size())));
            answer.put("nextRecordsUrl", "/services/data/" + VERSION + "/query/" + locator);
        }
        answer.putArray("records").addAll(now);
        json(ctx, 200, answer);
    }

    private static ObjectNode shown(String object, ObjectNode record, List<String> fields) {
        ObjectNode shown = NODES.objectNode();
        shown.putObject("attributes").put("type", object).put("url", "/services/data/" + VERSION + "/sobjects/" + object + "/" + record.get("Id").asString());
        if (fields == null || fields.stream().anyMatch(f -> f.startsWith("FIELDS("))) {
            shown.setAll(record);
        } else {
            fields.forEach(f -> shown.set(f, record.path(f).isMissingNode() ? NODES.nullNode() : record.get(f)));
        }
        return shown;
    }

    /** The org's checks of a write: each field exists and may be set, required ones are there (on create), picklists hold. */
    private boolean valid(Context ctx, String object, JsonNode body, boolean create) {
        Map<String, ObjectNode> fields = describe(credentialOf(ctx), object);
        for (Map.Entry<String, JsonNode> e : body.properties()) {
            ObjectNode field = fields.get(e.getKey());
            if (field == null) {
                error(ctx, new VendorError(400, "INVALID_FIELD", "No such column '" + e.getKey() + "' on sobject of type " + object));
                return false;
            }
            if (!field.get(create ? "createable" : "updateable").asBoolean()) {
                error(ctx, new VendorError(400, "INVALID_FIELD_FOR_INSERT_UPDATE", "Unable to create/update fields: " + e.getKey()));
                return false;
            }
            String type = field.get("type").asString();
            if (type.equals("multipicklist") && !e.getValue().isString()) {
                error(ctx, new VendorError(400, "JSON_PARSER_ERROR", "Cannot deserialize instance of multipicklist from " + e.getValue().getNodeType()));
                return false;
            }
            if (field.get("restrictedPicklist").asBoolean() && field.get("picklistValues").valueStream()
                    .noneMatch(v -> v.get("active").asBoolean() && v.get("value").asString().equals(e.getValue().asString()))) {
                error(ctx, new VendorError(400, "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", "bad value for restricted picklist field: " + e.getValue().asString()));
                return false;
            }
        }
        if (create) {
            List<String> missing = fields.values().stream().filter(f -> f.get("createable").asBoolean() && !f.get("nillable").asBoolean()
                    && !f.get("defaultedOnCreate").asBoolean() && !body.has(f.get("name").asString())).map(f -> f.get("name").asString()).toList();
            if (!missing.isEmpty()) {
                ArrayNode answer = NODES.arrayNode();
                ObjectNode error = answer.addObject().put("message", "Required fields are missing: " + missing).put("errorCode", "REQUIRED_FIELD_MISSING");
                missing.forEach(error.putArray("fields")::add);
                json(ctx, 400, answer);
                return false;
            }
        }
        return true;
    }

    private void withObject(Context ctx, java.util.function.Consumer<String> then) {
        String object = ctx.pathParam("object");
        if (!known(object)) {
            error(ctx, new VendorError(404, "NOT_FOUND", "The requested resource does not exist"));
            return;
        }
        then.accept(object);
    }

    private void withRecord(Context ctx, java.util.function.BiConsumer<String, ObjectNode> then) {
        withObject(ctx, object -> {
            ObjectNode record = records(object).get(ctx.pathParam("id"));
            if (record == null) {
                error(ctx, new VendorError(404, "NOT_FOUND", "The requested resource does not exist"));
                return;
            }
            then.accept(object, record);
        });
    }

    @Override
    protected void rejectCredential(Context ctx) {
        error(ctx, new VendorError(401, "INVALID_SESSION_ID", "Session expired or invalid"));
    }

    @Override
    protected void rateLimit(Context ctx, int retryAfterSeconds) {
        error(ctx, new VendorError(403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded."));
    }

    @Override
    protected void error(Context ctx, VendorError error) {
        ArrayNode body = NODES.arrayNode();
        body.addObject().put("message", error.message()).put("errorCode", error.code());
        json(ctx, error.status(), body);
    }
}
