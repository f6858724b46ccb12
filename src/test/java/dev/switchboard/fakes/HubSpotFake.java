package dev.switchboard.fakes;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * HubSpot's CRM APIs as HubSpot answers them, written from its public API reference (its OpenAPI collection is not
 * licensed for use elsewhere): records of any object type under {@code /crm/v3/objects/{type}} with every property
 * value as text and each property checked against the portal's own ({@code PROPERTY_DOESNT_EXIST},
 * {@code INVALID_OPTION}, {@code READ_ONLY_VALUE}); the portal's properties per access token (custom ones differ
 * per portal); searches with {@code filterGroups} (at most 5 groups, 10 filters a group, 25 in all, evaluated here
 * for EQ, NEQ, GT, LT, GTE, LTE, BETWEEN, IN, NOT_IN, HAS_PROPERTY, NOT_HAS_PROPERTY and CONTAINS_TOKEN) paged by
 * {@code after}; list memberships as IDs; batch reads; the legacy engagements v1 routes; associations v4, owners and
 * pipelines; errors as {@code {"status": "error", "message", "correlationId", "category"}}; 429 without Retry-After.
 */
public final class HubSpotFake extends VendorFake {
    public static final long HUB_ID = 62_515;
    private static final Set<String> ACTIVITIES = Set.of("notes", "tasks", "calls", "meetings", "emails");

    private final Map<String, Map<String, ObjectNode>> records = new ConcurrentHashMap<>();
    private final Map<String, List<String>> lists = new ConcurrentHashMap<>();
    private final Map<String, Map<String, List<ObjectNode>>> customProperties = new ConcurrentHashMap<>();
    private final List<String> associations = new CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong(500);

    public HubSpotFake(int contactCount) {
        for (int i = 1; i <= contactCount; i++) {
            ObjectNode properties = NODES.objectNode().put("email", "person" + i + "@example.com").put("firstname", "Person")
                    .put("lastname", "Number " + i).put("lifecyclestage", i % 2 == 0 ? "lead" : "customer");
            add("contacts", properties);
        }
    }

    public String apiUrl() {
        return baseUrl();
    }

    public Map<String, ObjectNode> records(String type) {
        return records.computeIfAbsent(type, t -> new ConcurrentHashMap<>());
    }

    public List<String> associations() {
        return associations;
    }

    /** A list of these records, as a HubSpot user makes one; @return its ID */
    public String list(List<String> recordIds) {
        String id = String.valueOf(ids.incrementAndGet());
        lists.put(id, new CopyOnWriteArrayList<>(recordIds));
        return id;
    }

    public List<String> members(String listId) {
        return lists.get(listId);
    }

    /** Gives the portal of this access token a custom property, as an admin adds one in HubSpot's settings. */
    public HubSpotFake customProperty(String accessToken, String objectType, String name, String type, String fieldType, String... options) {
        ObjectNode property = property(name, name.replace('_', ' '), type, fieldType, false, options);
        customProperties.computeIfAbsent(accessToken, t -> new ConcurrentHashMap<>())
                .computeIfAbsent(objectType, o -> new CopyOnWriteArrayList<>()).add(property);
        return this;
    }

    public ObjectNode add(String type, ObjectNode properties) {
        String id = String.valueOf(ids.incrementAndGet());
        String now = tick();
        ObjectNode record = NODES.objectNode().put("id", id);
        record.set("properties", properties.put("hs_object_id", id).put("createdate", now).put("lastmodifieddate", now).put("hs_lastmodifieddate", now));
        record.put("createdAt", now).put("updatedAt", now).put("archived", false);
        records(type).put(id, record);
        return record;
    }

    private static ObjectNode property(String name, String label, String type, String fieldType, boolean readOnly, String... options) {
        ObjectNode property = NODES.objectNode().put("name", name).put("label", label).put("type", type).put("fieldType", fieldType)
                .put("groupName", "contactinformation").put("hidden", false).put("calculated", readOnly).put("hasUniqueValue", false);
        property.putObject("modificationMetadata").put("archivable", true).put("readOnlyDefinition", true).put("readOnlyValue", readOnly);
        ArrayNode list = property.putArray("options");
        for (int i = 0; i < options.length; i++) {
            list.addObject().put("label", options[i]).put("value", options[i]).put("displayOrder", i).put("hidden", false);
        }
        return property;
    }

    /** The properties every portal has, per object type (a few of HubSpot's many). */
    private static List<ObjectNode> standardProperties(String type) {
        List<ObjectNode> list = new ArrayList<>();
        list.add(property("hs_object_id", "Record ID", "number", "number", true));
        list.add(property("createdate", "Create Date", "datetime", "date", true));
        list.add(property("hubspot_owner_id", "Owner", "enumeration", "select", false));
        switch (type) {
            case "contacts" -> {
                list.add(property("email", "Email", "string", "text", false));
                list.add(property("firstname", "First Name", "string", "text", false));
                list.add(property("lastname", "Last Name", "string", "text", false));
                list.add(property("phone", "Phone Number", "string", "phonenumber", false));
                list.add(property("lifecyclestage", "Lifecycle Stage", "enumeration", "radio", false,
                        "subscriber", "lead", "marketingqualifiedlead", "opportunity", "customer"));
                list.add(property("hs_email_optout", "Opted out of all email", "bool", "booleancheckbox", false, "true", "false"));
            }
            case "companies" -> {
                list.add(property("name", "Company name", "string", "text", false));
                list.add(property("domain", "Company Domain Name", "string", "text", false));
                list.add(property("numberofemployees", "Number of Employees", "number", "number", false));
            }
            case "deals" -> {
                list.add(property("dealname", "Deal Name", "string", "text", false));
                list.add(property("amount", "Amount", "number", "number", false));
                list.add(property("dealstage", "Deal Stage", "enumeration", "radio", false, "appointmentscheduled", "closedwon", "closedlost"));
                list.add(property("pipeline", "Pipeline", "enumeration", "select", false, "default"));
                list.add(property("closedate", "Close Date", "datetime", "date", false));
            }
            case "tickets" -> {
                list.add(property("subject", "Ticket name", "string", "text", false));
                list.add(property("hs_pipeline_stage", "Ticket status", "enumeration", "select", false, "1", "2", "3", "4"));
            }
            default -> {
                if (ACTIVITIES.contains(type)) {
                    list.add(property("hs_timestamp", "Activity date", "datetime", "date", false));
                    list.add(property("hs_note_body", "Note body", "string", "html", false));
                    list.add(property("hs_task_subject", "Task Title", "string", "text", false));
                    list.add(property("hs_task_body", "Task notes", "string", "html", false));
                    list.add(property("hs_task_status", "Task Status", "enumeration", "select", false,
                            "NOT_STARTED", "IN_PROGRESS", "WAITING", "COMPLETED", "DEFERRED"));
                }
            }
        }
        return list;
    }

    private List<ObjectNode> propertiesOf(String accessToken, String type) {
        List<ObjectNode> list = standardProperties(type);
        list.addAll(customProperties.getOrDefault(accessToken, Map.of()).getOrDefault(type, List.of()));
        return list;
    }

    private static boolean knownType(String type) {
        return Set.of("contacts", "companies", "deals", "tickets").contains(type) || ACTIVITIES.contains(type);
    }

    @Override
    protected void routes(RoutesConfig routes) {
        String objects = "/crm/v3/objects/{type}";
        get(routes, "/crm/v3/properties/{type}", "properties", (ctx, body) -> {
            if (!type(ctx)) return;
            ObjectNode answer = NODES.objectNode();
            answer.putArray("results").addAll(propertiesOf(credentialOf(ctx), ctx.pathParam("type")));
            json(ctx, 200, answer);
        });
        post(routes, objects, "create", (ctx, body) -> {
            if (!type(ctx) || !validProperties(ctx, body)) return;
            String type = ctx.pathParam("type");
            if (ACTIVITIES.contains(type) && !body.at("/properties/hs_timestamp").isString()) {
                error(ctx, new VendorError(400, "VALIDATION_ERROR", "Property values were not valid: hs_timestamp is required"));
                return;
            }
            json(ctx, 201, add(type, ((ObjectNode) body.get("properties")).deepCopy()));
        });
        get(routes, objects, "list", (ctx, body) -> {
            if (!type(ctx)) return;
            int limit = intParam(ctx, "limit", 10);
            if (limit > 100) {
                error(ctx, new VendorError(400, "VALIDATION_ERROR", "limit must be at most 100"));
                return;
            }
            page(ctx, ordered(ctx.pathParam("type")), limit, ctx.queryParam("after"), ctx.queryParam("properties"));
        });
        get(routes, objects + "/{id}", "get", (ctx, body) -> withRecord(ctx, record -> json(ctx, 200, shown(record, ctx.queryParam("properties")))));
        patch(routes, objects + "/{id}", "update", (ctx, body) -> withRecord(ctx, record -> {
            if (!validProperties(ctx, body)) return;
            body.get("properties").properties().forEach(e -> ((ObjectNode) record.get("properties")).set(e.getKey(), e.getValue()));
            String now = tick();
            record.put("updatedAt", now);
            ((ObjectNode) record.get("properties")).put("lastmodifieddate", now).put("hs_lastmodifieddate", now);
            json(ctx, 200, record);
        }));
        delete(routes, objects + "/{id}", "delete", (ctx, body) -> withRecord(ctx, record -> {
            records(ctx.pathParam("type")).remove(record.get("id").asString());
            ctx.status(204);
        }));
        post(routes, objects + "/search", "search", (ctx, body) -> {
            if (!type(ctx)) return;
            JsonNode groups = body.path("filterGroups");
            int filters = 0;
            for (JsonNode group : groups) {
                filters += group.path("filters").size();
                if (group.path("filters").size() > 10) filters = 99;
            }
            if (groups.size() > 5 || filters > 25) {
                error(ctx, new VendorError(400, "VALIDATION_ERROR", "There was a problem with the request: too many filters or filterGroups"));
                return;
            }
            int limit = body.path("limit").asInt(10);
            if (limit > 200) {
                error(ctx, new VendorError(400, "VALIDATION_ERROR", "limit must be at most 200"));
                return;
            }
            JsonNode sorts = body.path("sorts");
            if (sorts.size() > 1) {
                error(ctx, new VendorError(400, "VALIDATION_ERROR", "There was a problem with the request: only one sort is allowed"));
                return;
            }
            Comparator<ObjectNode> order = Comparator.comparingLong(r -> Long.parseLong(r.get("id").asString()));
            if (sorts.size() == 1) {
                String by = sorts.get(0).path("propertyName").asString();
                Comparator<ObjectNode> byProperty = Comparator.<ObjectNode>comparingDouble(r -> number(r.at("/properties/" + by).asString("0"))).thenComparing(order);
                order = "DESCENDING".equals(sorts.get(0).path("direction").asString("ASCENDING")) ? byProperty.reversed() : byProperty;
            }
            List<ObjectNode> found = records(ctx.pathParam("type")).values().stream().filter(r -> matches(r.get("properties"), groups)).sorted(order).toList();
            String properties = body.has("properties") ? String.join(",", body.get("properties").valueStream().map(JsonNode::asString).toList()) : null;
            searchPage(ctx, found, limit, body.path("after").asString(null), properties);
        });
        post(routes, objects + "/batch/read", "batchRead", (ctx, body) -> {
            if (!type(ctx)) return;
            if (body.path("inputs").size() > 100) {
                error(ctx, new VendorError(400, "VALIDATION_ERROR", "Batch input limit exceeded: at most 100 inputs"));
                return;
            }
            ObjectNode answer = NODES.objectNode().put("status", "COMPLETE");
            ArrayNode results = answer.putArray("results");
            ArrayNode errors = NODES.arrayNode();
            String properties = body.has("properties") ? String.join(",", body.get("properties").valueStream().map(JsonNode::asString).toList()) : null;
            for (JsonNode input : body.path("inputs")) {
                ObjectNode record = records(ctx.pathParam("type")).get(input.path("id").asString());
                if (record == null) {
                    errors.addObject().put("status", "error").put("category", "OBJECT_NOT_FOUND").put("message", "Could not get some records.")
                            .putObject("context").putArray("ids").add(input.path("id").asString());
                } else {
                    results.add(shown(record, properties));
                }
            }
            if (!errors.isEmpty()) {
                answer.set("errors", errors);
                answer.put("numErrors", errors.size());
            }
            json(ctx, errors.isEmpty() ? 200 : 207, answer);
        });
        get(routes, "/crm/v3/lists/{listId}/memberships", "memberships", (ctx, body) -> {
            List<String> members = lists.get(ctx.pathParam("listId"));
            if (members == null) {
                error(ctx, new VendorError(404, "OBJECT_NOT_FOUND", "List " + ctx.pathParam("listId") + " does not exist."));
                return;
            }
            List<ObjectNode> rows = members.stream().map(id -> NODES.objectNode().put("recordId", id).put("membershipTimestamp", "2026-11-01T10:00:00Z")).toList();
            int limit = intParam(ctx, "limit", 100);
            int start = ctx.queryParam("after") == null ? 0 : Integer.parseInt(new String(java.util.Base64.getDecoder().decode(ctx.queryParam("after"))));
            ObjectNode answer = NODES.objectNode().put("total", rows.size());
            ArrayNode results = answer.putArray("results");
            rows.subList(Math.min(start, rows.size()), Math.min(rows.size(), start + limit)).forEach(results::add);
            if (start + limit < rows.size()) {
                answer.putObject("paging").putObject("next").put("after", java.util.Base64.getEncoder().encodeToString(String.valueOf(start + limit).getBytes()));
            }
            json(ctx, 200, answer);
        });
        put(routes, "/crm/v3/lists/{listId}/memberships/add-and-remove", "addToList", (ctx, body) -> {
            List<String> members = lists.get(ctx.pathParam("listId"));
            if (members == null) {
                error(ctx, new VendorError(404, "OBJECT_NOT_FOUND", "List " + ctx.pathParam("listId") + " does not exist."));
                return;
            }
            ObjectNode answer = NODES.objectNode();
            ArrayNode added = answer.putArray("recordIdsAdded");
            ArrayNode missing = answer.putArray("recordIdsMissing");
            answer.putArray("recordIdsRemoved");
            for (JsonNode id : body.path("recordIdsToAdd")) {
                if (!records("contacts").containsKey(id.asString())) {
                    missing.add(id.asString());
                } else if (!members.contains(id.asString())) {
                    members.add(id.asString());
                    added.add(id.asString());
                }
            }
            json(ctx, 200, answer);
        });
        put(routes, "/crm/v4/objects/{from}/{fromId}/associations/default/{to}/{toId}", "associate", (ctx, body) -> {
            if (!records(ctx.pathParam("from")).containsKey(ctx.pathParam("fromId")) || !records(ctx.pathParam("to")).containsKey(ctx.pathParam("toId"))) {
                error(ctx, new VendorError(404, "OBJECT_NOT_FOUND", "One or more records could not be found."));
                return;
            }
            String association = ctx.pathParam("from") + "/" + ctx.pathParam("fromId") + "->" + ctx.pathParam("to") + "/" + ctx.pathParam("toId");
            if (!associations.contains(association)) associations.add(association);
            ObjectNode answer = NODES.objectNode().put("status", "COMPLETE");
            ObjectNode result = answer.putArray("results").addObject();
            result.putObject("from").put("id", ctx.pathParam("fromId"));
            result.putObject("to").put("id", ctx.pathParam("toId"));
            result.putObject("associationSpec").put("associationCategory", "HUBSPOT_DEFINED").put("associationTypeId", 279);
            json(ctx, 200, answer);
        });
        get(routes, "/crm/v3/owners", "owners", (ctx, body) -> {
            ObjectNode answer = NODES.objectNode();
            ArrayNode results = answer.putArray("results");
            results.addObject().put("id", "41629779").put("email", "ada@example.com").put("firstName", "Ada").put("lastName", "Lovelace")
                    .put("userId", 9_586_504).put("archived", false);
            json(ctx, 200, answer);
        });
        get(routes, "/crm/v3/pipelines/{type}", "pipelines", (ctx, body) -> {
            ObjectNode answer = NODES.objectNode();
            ObjectNode pipeline = answer.putArray("results").addObject().put("id", "default").put("label", "Sales Pipeline").put("displayOrder", 0);
            ArrayNode stages = pipeline.putArray("stages");
            stages.addObject().put("id", "appointmentscheduled").put("label", "Appointment Scheduled").putObject("metadata").put("probability", "0.2");
            stages.addObject().put("id", "closedwon").put("label", "Closed Won").putObject("metadata").put("probability", "1.0").put("isClosed", "true");
            json(ctx, 200, answer);
        });
        String engagement = "/engagements/v1/engagements/{id}";
        get(routes, engagement, "getEngagement", (ctx, body) -> withActivity(ctx, (type, record) -> json(ctx, 200, legacy(type, record))));
        patch(routes, engagement, "updateEngagement", (ctx, body) -> withActivity(ctx, (type, record) -> {
            ObjectNode properties = (ObjectNode) record.get("properties");
            JsonNode metadata = body.path("metadata");
            if (metadata.has("body")) properties.set(type.equals("tasks") ? "hs_task_body" : "hs_note_body", metadata.get("body"));
            if (metadata.has("subject")) properties.set("hs_task_subject", metadata.get("subject"));
            if (metadata.has("status")) properties.set("hs_task_status", metadata.get("status"));
            json(ctx, 200, legacy(type, record));
        }));
        delete(routes, engagement, "deleteEngagement", (ctx, body) -> withActivity(ctx, (type, record) -> {
            records(type).remove(record.get("id").asString());
            ctx.status(204);
        }));
    }

    /** An activity as the legacy engagements API writes it. */
    private static ObjectNode legacy(String type, ObjectNode record) {
        JsonNode p = record.get("properties");
        ObjectNode answer = NODES.objectNode();
        answer.putObject("engagement").put("id", Long.parseLong(record.get("id").asString()))
                .put("type", type.substring(0, type.length() - 1).toUpperCase(java.util.Locale.ROOT))
                .put("timestamp", Instant.parse(p.path("hs_timestamp").asString("2026-01-01T00:00:00Z")).toEpochMilli());
        answer.putObject("associations").putArray("contactIds");
        ObjectNode metadata = answer.putObject("metadata");
        if (p.has("hs_note_body")) metadata.set("body", p.get("hs_note_body"));
        if (p.has("hs_task_body")) metadata.set("body", p.get("hs_task_body"));
        if (p.has("hs_task_subject")) metadata.set("subject", p.get("hs_task_subject"));
        if (p.has("hs_task_status")) metadata.set("status", p.get("hs_task_status"));
        return answer;
    }

    private void withActivity(Context ctx, java.util.function.BiConsumer<String, ObjectNode> then) {
        for (String type : ACTIVITIES) {
            ObjectNode record = records(type).get(ctx.pathParam("id"));
            if (record != null) {
                then.accept(type, record);
                return;
            }
        }
        error(ctx, new VendorError(404, "OBJECT_NOT_FOUND", "Engagement " + ctx.pathParam("id") + " does not exist"));
    }

    private boolean type(Context ctx) {
        if (!knownType(ctx.pathParam("type"))) {
            error(ctx, new VendorError(400, "VALIDATION_ERROR", "Unable to infer object type from: " + ctx.pathParam("type")));
            return false;
        }
        return true;
    }

    private void withRecord(Context ctx, java.util.function.Consumer<ObjectNode> then) {
        if (!type(ctx)) return;
        ObjectNode record = records(ctx.pathParam("type")).get(ctx.pathParam("id"));
        if (record == null) {
            error(ctx, new VendorError(404, "OBJECT_NOT_FOUND", "Object not found.  objectId are usually numeric."));
            return;
        }
        then.accept(record);
    }

    /**
     * HubSpot's checks of a write's properties: each one the portal has, not read-only, a known option for enumerations,
     * and (as HubSpot's description types every value) text.
     */
    private boolean validProperties(Context ctx, JsonNode body) {
        if (!body.path("properties").isObject()) {
            error(ctx, new VendorError(400, "VALIDATION_ERROR", "Invalid input JSON: properties is required"));
            return false;
        }
        Map<String, ObjectNode> known = new LinkedHashMap<>();
        propertiesOf(credentialOf(ctx), ctx.pathParam("type")).forEach(p -> known.put(p.get("name").asString(), p));
        List<String> problems = new ArrayList<>();
        body.get("properties").properties().forEach(e -> {
            ObjectNode property = known.get(e.getKey());
            if (property == null) {
                problems.add("PROPERTY_DOESNT_EXIST: Property \"" + e.getKey() + "\" does not exist");
            } else if (!e.getValue().isString()) {
                problems.add("INVALID_TYPE: " + e.getKey() + " was not a string");
            } else if (property.at("/modificationMetadata/readOnlyValue").asBoolean()) {
                problems.add("READ_ONLY_VALUE: " + e.getKey() + " is a read only property; its value cannot be set.");
            } else if (property.get("type").asString().equals("enumeration") && !property.get("options").isEmpty()) {
                List<String> values = property.get("fieldType").asString().equals("checkbox")
                        ? List.of(e.getValue().asString().split(";")) : List.of(e.getValue().asString());
                for (String value : values) {
                    if (property.get("options").valueStream().noneMatch(o -> o.get("value").asString().equals(value))) {
                        problems.add("INVALID_OPTION: " + value + " was not one of the allowed options for " + e.getKey());
                    }
                }
            }
        });
        if (!problems.isEmpty()) {
            error(ctx, new VendorError(400, "VALIDATION_ERROR", "Property values were not valid: " + String.join("; ", problems)));
            return false;
        }
        return true;
    }

    private List<ObjectNode> ordered(String type) {
        return records(type).values().stream().sorted(Comparator.comparingLong(r -> Long.parseLong(r.get("id").asString()))).toList();
    }

    /** One page after the record whose ID the cursor holds, in ID order, as HubSpot pages by {@code after}. */
    private static void page(Context ctx, List<ObjectNode> all, int limit, String after, String properties) {
        long afterId = after == null ? 0 : Long.parseLong(new String(java.util.Base64.getDecoder().decode(after)));
        List<ObjectNode> rest = all.stream().filter(r -> Long.parseLong(r.get("id").asString()) > afterId).toList();
        ObjectNode answer = NODES.objectNode().put("total", all.size());
        ArrayNode results = answer.putArray("results");
        rest.subList(0, Math.min(limit, rest.size())).forEach(r -> results.add(shown(r, properties)));
        if (rest.size() > limit) {
            String next = java.util.Base64.getEncoder().encodeToString(rest.get(limit - 1).get("id").asString().getBytes());
            answer.putObject("paging").putObject("next").put("after", next).put("link", "https://api.hubapi.com/crm/v3/objects?after=" + next);
        }
        json(ctx, 200, answer);
    }

    /** One page of search results: the search's {@code after} is an offset into them (HubSpot answers "10", "20", ...). */
    private static void searchPage(Context ctx, List<ObjectNode> all, int limit, String after, String properties) {
        int from = after == null ? 0 : Integer.parseInt(after);
        ObjectNode answer = NODES.objectNode().put("total", all.size());
        ArrayNode results = answer.putArray("results");
        all.subList(Math.min(from, all.size()), Math.min(from + limit, all.size())).forEach(r -> results.add(shown(r, properties)));
        if (from + limit < all.size()) {
            answer.putObject("paging").putObject("next").put("after", String.valueOf(from + limit));
        }
        json(ctx, 200, answer);
    }

    /** The next instant of the fake's clock, as HubSpot writes times. */
    private String tick() {
        return nextWrite().toString();
    }

    /** A record with HubSpot's default properties, or the ones asked for. */
    private static ObjectNode shown(ObjectNode record, String properties) {
        ObjectNode shown = record.deepCopy();
        if (properties != null && !properties.isBlank()) {
            ObjectNode only = NODES.objectNode();
            for (String name : properties.split(",")) {
                if (record.get("properties").has(name)) only.set(name, record.get("properties").get(name));
            }
            only.set("hs_object_id", record.at("/properties/hs_object_id"));
            shown.set("properties", only);
        }
        return shown;
    }

    /** Whether a record's properties match HubSpot's filterGroups (no groups: everything). */
    private static boolean matches(JsonNode properties, JsonNode groups) {
        if (groups.isEmpty()) return true;
        for (JsonNode group : groups) {
            boolean all = true;
            for (JsonNode filter : group.path("filters")) {
                all &= matchesFilter(properties, filter);
            }
            if (all) return true;
        }
        return false;
    }

    private static boolean matchesFilter(JsonNode properties, JsonNode filter) {
        JsonNode actual = properties.get(filter.path("propertyName").asString());
        String value = filter.path("value").asString("");
        String text = actual == null || actual.isNull() ? null : actual.asString();
        return switch (filter.path("operator").asString()) {
            case "EQ" -> value.equalsIgnoreCase(text);
            case "NEQ" -> !value.equalsIgnoreCase(text);
            case "HAS_PROPERTY" -> text != null && !text.isEmpty();
            case "NOT_HAS_PROPERTY" -> text == null || text.isEmpty();
            case "IN" -> filter.path("values").valueStream().anyMatch(v -> v.asString().equalsIgnoreCase(text));
            case "NOT_IN" -> filter.path("values").valueStream().noneMatch(v -> v.asString().equalsIgnoreCase(text));
            case "CONTAINS_TOKEN" -> text != null && text.toLowerCase(java.util.Locale.ROOT)
                    .matches(".*" + java.util.regex.Pattern.quote(value.replace("*", "\u0000").toLowerCase(java.util.Locale.ROOT))
                            .replace("\u0000", "\\E.*\\Q") + ".*");
            case "GT", "GTE", "LT", "LTE", "BETWEEN" -> text != null && compare(filter, text);
            default -> throw new IllegalArgumentException("operator not in this fake: " + filter.path("operator").asString());
        };
    }

    private static boolean compare(JsonNode filter, String text) {
        double actual = number(text);
        double value = number(filter.path("value").asString());
        return switch (filter.path("operator").asString()) {
            case "GT" -> actual > value;
            case "GTE" -> actual >= value;
            case "LT" -> actual < value;
            case "LTE" -> actual <= value;
            default -> actual >= value && actual <= number(filter.path("highValue").asString());
        };
    }

    /** A number, or a time as Unix milliseconds (HubSpot compares dates so). */
    private static double number(String text) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException notANumber) {
            return Instant.parse(text).toEpochMilli();
        }
    }

    @Override
    protected void rejectCredential(Context ctx) {
        String token = credentialOf(ctx);
        // A token the fake issued and let expire says so, as HubSpot's 401 does; any other is simply not valid.
        boolean expired = token != null && (token.startsWith("oauth-access-") || token.startsWith("expired-"));
        error(ctx, expired
                ? new VendorError(401, "EXPIRED_AUTHENTICATION", "The OAuth token used to make this call expired 75 second(s) ago.")
                : new VendorError(401, "INVALID_AUTHENTICATION", "Authentication credentials not found."));
    }

    @Override
    protected void rateLimit(Context ctx, int retryAfterSeconds) {
        ctx.header("X-HubSpot-RateLimit-Max", "110").header("X-HubSpot-RateLimit-Remaining", "0").header("X-HubSpot-RateLimit-Interval-Milliseconds", "10000");
        ObjectNode body = NODES.objectNode().put("status", "error").put("message", "You have reached your ten_secondly_rolling limit.")
                .put("errorType", "RATE_LIMIT").put("correlationId", "c2c3fbf2-1e86-4a1a-9b8a-2f3c7f0b3f1e")
                .put("policyName", "TEN_SECONDLY_ROLLING").put("category", "RATE_LIMITS");
        json(ctx, 429, body);
    }

    @Override
    protected void error(Context ctx, VendorError error) {
        json(ctx, error.status(), NODES.objectNode().put("status", "error").put("message", error.message())
                .put("correlationId", "aeb5f871-7f07-4993-9211-075dc63e7cbf").put("category", error.code()));
    }
}
