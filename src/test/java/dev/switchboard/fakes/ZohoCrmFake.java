package dev.switchboard.fakes;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Zoho CRM API v8 (vendors.md section 8): {@code Authorization: Zoho-oauthtoken}, {@code page}/{@code per_page} with
 * {@code info.more_records}, 204 for an empty page, {@code {"code", "details", "message", "status": "error"}},
 * 401 INVALID_TOKEN, 429 without Retry-After.
 */
public final class ZohoCrmFake extends VendorFake {
    private final Map<String, List<ObjectNode>> modules = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong(3_652_397_000_000_624_000L);

    public ZohoCrmFake(int leadCount) {
        List<ObjectNode> leads = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int i = 1; i <= leadCount; i++) {
            String now = tick();
            leads.add(NODES.objectNode().put("id", String.valueOf(ids.incrementAndGet())).put("Last_Name", "Lead " + i)
                    .put("Email", "lead" + i + "@example.com").put("Company", "Company " + i).put("Created_Time", now).put("Modified_Time", now));
        }
        modules.put("Leads", leads);
        modules.put("Contacts", new java.util.concurrent.CopyOnWriteArrayList<>());
        modules.put("Accounts", new java.util.concurrent.CopyOnWriteArrayList<>());
        modules.put("Deals", new java.util.concurrent.CopyOnWriteArrayList<>());
    }

    /** Fields every account has, by module, as Zoho's field metadata describes them; each account adds its own. */
    private final Map<String, List<ObjectNode>> standardFields = Map.of(
            "Leads", List.of(field("Owner", "Lead Owner", "ownerlookup", false, true, true, 120),
                    field("Last_Name", "Last Name", "text", true, true, true, 80),
                    field("First_Name", "First Name", "text", false, true, true, 40),
                    field("Company", "Company", "text", false, true, true, 200),
                    field("Email", "Email", "email", false, true, true, 100),
                    picklist(field("Lead_Source", "Lead Source", "picklist", false, true, true, 120), "-None-", "Advertisement", "Web Download"),
                    field("No_of_Employees", "No. of Employees", "integer", false, true, true, 9),
                    field("Annual_Revenue", "Annual Revenue", "currency", false, true, true, 16),
                    field("Email_Opt_Out", "Email Opt Out", "boolean", false, true, true, 5),
                    field("Record_Image", "Lead Image", "profileimage", false, true, true, 255),
                    field("Full_Name", "Full Name", "text", false, false, false, 120),
                    field("Created_Time", "Created Time", "datetime", false, false, false, 120)),
            "Contacts", List.of(field("Last_Name", "Last Name", "text", true, true, true, 80),
                    field("First_Name", "First Name", "text", false, true, true, 40),
                    field("Email", "Email", "email", false, true, true, 100),
                    field("Account_Name", "Account Name", "lookup", false, true, true, 120)),
            "Accounts", List.of(field("Account_Name", "Account Name", "text", true, true, true, 200),
                    field("Website", "Website", "website", false, true, true, 255)),
            "Deals", List.of(field("Deal_Name", "Deal Name", "text", true, true, true, 120),
                    picklist(field("Stage", "Stage", "picklist", true, true, true, 120), "Qualification", "Negotiation", "Closed Won"),
                    field("Closing_Date", "Closing Date", "date", false, true, true, 20),
                    field("Amount", "Amount", "currency", false, true, true, 16)));
    /** Each account's own (custom) fields: access token to module to fields. */
    private final Map<String, Map<String, List<ObjectNode>>> customFields = new ConcurrentHashMap<>();

    public List<ObjectNode> module(String name) { return modules.get(name); }

    /** Gives the account of this access token a custom field in the module, as an admin adds one in Zoho's settings. */
    public ZohoCrmFake customField(String accessToken, String module, String apiName, String dataType, boolean mandatory) {
        customFields.computeIfAbsent(accessToken, t -> new ConcurrentHashMap<>()).computeIfAbsent(module, m -> new java.util.concurrent.CopyOnWriteArrayList<>())
                .add(field(apiName, apiName.replace("__c", "").replace('_', ' '), dataType, mandatory, true, true, 255).put("custom_field", true));
        return this;
    }

    /** Deletes a custom field of the account, as an admin does in Zoho's settings. */
    public ZohoCrmFake removeCustomField(String accessToken, String module, String apiName) {
        customFields.getOrDefault(accessToken, Map.of()).getOrDefault(module, new ArrayList<>()).removeIf(f -> f.get("api_name").asString().equals(apiName));
        return this;
    }

    /** A field's metadata, with the keys of Zoho's fields.json that say how a field is written. */
    private static ObjectNode field(String apiName, String label, String dataType, boolean mandatory, boolean apiCreate, boolean apiUpdate, int length) {
        ObjectNode field = NODES.objectNode().put("api_name", apiName).put("field_label", label).put("display_label", label)
                .put("data_type", dataType).put("length", length).put("system_mandatory", mandatory).put("type", "used")
                .put("visible", true).put("read_only", false).put("field_read_only", !apiCreate).put("custom_field", false)
                .put("id", String.valueOf(4_832_675_000_000_000_000L + Math.abs(apiName.hashCode() % 1_000_000)));
        field.putObject("operation_type").put("api_create", apiCreate).put("api_update", apiUpdate).put("web_create", apiCreate).put("web_update", apiUpdate);
        field.putArray("pick_list_values");
        return field;
    }

    private static ObjectNode picklist(ObjectNode field, String... values) {
        ArrayNode list = field.putArray("pick_list_values");
        for (int i = 0; i < values.length; i++) {
            list.addObject().put("display_value", values[i]).put("actual_value", values[i]).put("reference_value", values[i])
                    .put("sequence_number", i + 1).put("type", "used").put("id", String.valueOf(4_832_675_000_000_100_000L + i));
        }
        return field;
    }

    private List<ObjectNode> fieldsOf(String accessToken, String module) {
        List<ObjectNode> fields = new ArrayList<>(standardFields.getOrDefault(module, List.of()));
        fields.addAll(customFields.getOrDefault(accessToken, Map.of()).getOrDefault(module, List.of()));
        return fields;
    }
    public String apiUrl() { return baseUrl() + "/crm/v8"; }

    @Override
    protected void routes(RoutesConfig routes) {
        get(routes, "/crm/v8/settings/fields", "fields", this::fields);
        get(routes, "/crm/v8/{module}/search", "search", this::search);
        get(routes, "/crm/v8/{module}", "records", this::records);
        post(routes, "/crm/v8/{module}", "create", this::create);
        put(routes, "/crm/v8/{module}/{id}", "update", this::update);
        post(routes, "/crm/v8/{module}/upsert", "upsert", this::upsert);
    }

    /**
     * GET /crm/v8/{module}/search?criteria= ("Search Records"): Zoho's criteria, {@code (Field:operator:value)} joined
     * by {@code and}/{@code or} in parentheses, values escaped with a backslash; pages like the record list.
     */
    private void search(Context ctx, JsonNode body) {
        List<ObjectNode> records = modules.get(ctx.pathParam("module"));
        String criteria = ctx.queryParam("criteria");
        if (records == null) {
            error(ctx, new VendorError(400, "INVALID_MODULE", "the module name given seems to be invalid"));
            return;
        }
        if (criteria == null) {
            error(ctx, new VendorError(400, "REQUIRED_PARAM_MISSING", "One of the expected parameter is missing"));
            return;
        }
        java.util.function.Predicate<ObjectNode> matches;
        try {
            Criteria parser = new Criteria(criteria);
            matches = parser.expression();
            parser.end();
        } catch (IllegalArgumentException e) {
            error(ctx, new VendorError(400, "INVALID_QUERY", "invalid query formed: " + e.getMessage()));
            return;
        }
        page(ctx, records.stream().filter(matches).toList(), null);
    }

    /** Zoho's search criteria, read as Zoho reads them (the operators the fake's data needs). */
    private static final class Criteria {
        private final String text;
        private int at;

        Criteria(String text) { this.text = text; }

        java.util.function.Predicate<ObjectNode> expression() {
            expect('(');
            if (text.startsWith("(", at)) {
                java.util.function.Predicate<ObjectNode> result = expression();
                while (!text.startsWith(")", at)) {
                    if (text.startsWith("and", at)) { at += 3; result = result.and(expression()); }
                    else if (text.startsWith("or", at)) { at += 2; result = result.or(expression()); }
                    else throw new IllegalArgumentException("expected and/or at " + at);
                }
                expect(')');
                return result;
            }
            String field = until(':');
            String operator = until(':');
            List<String> values = new ArrayList<>();
            StringBuilder value = new StringBuilder();
            while (at < text.length() && text.charAt(at) != ')') {
                char c = text.charAt(at++);
                if (c == '\\' && at < text.length()) { value.append(text.charAt(at++)); }
                else if (c == ',') { values.add(value.toString()); value.setLength(0); }
                else value.append(c);
            }
            values.add(value.toString());
            expect(')');
            return record -> {
                String actual = record.path(field).asString(null);
                return switch (operator) {
                    case "equals" -> values.getFirst().equals(actual);
                    case "not_equal" -> actual != null && !values.getFirst().equals(actual);
                    case "starts_with" -> actual != null && actual.startsWith(values.getFirst());
                    case "in" -> values.contains(actual);
                    case "not_in" -> actual != null && !values.contains(actual);
                    default -> throw new IllegalArgumentException("operator " + operator);
                };
            };
        }

        void end() {
            if (at != text.length()) throw new IllegalArgumentException("text after the criteria at " + at);
        }

        private String until(char stop) {
            int end = text.indexOf(stop, at);
            if (end < 0) throw new IllegalArgumentException("expected " + stop);
            String part = text.substring(at, end);
            at = end + 1;
            return part;
        }

        private void expect(char c) {
            if (at >= text.length() || text.charAt(at) != c) throw new IllegalArgumentException("expected " + c + " at " + at);
            at++;
        }
    }

    /** GET /crm/v8/settings/fields?module= (fields.json "getFields"): the account's fields of a module. */
    private void fields(Context ctx, JsonNode body) {
        String module = ctx.queryParam("module");
        if (module == null) {
            error(ctx, new VendorError(400, "REQUIRED_PARAM_MISSING", "One of the expected parameter is missing"));
            return;
        }
        if (!standardFields.containsKey(module)) {
            error(ctx, new VendorError(400, "INVALID_MODULE", "the module name given seems to be invalid"));
            return;
        }
        ObjectNode answer = NODES.objectNode();
        answer.putArray("fields").addAll(fieldsOf(credentialOf(ctx), module));
        json(ctx, 200, answer);
    }

    /** PUT /crm/v8/{module}/{id} ("Update Record"): the given fields change. */
    private void update(Context ctx, JsonNode body) {
        List<ObjectNode> records = modules.get(ctx.pathParam("module"));
        ObjectNode record = records == null ? null : records.stream().filter(r -> r.get("id").asString().equals(ctx.pathParam("id"))).findFirst().orElse(null);
        JsonNode data = body.path("data");
        if (record == null || !data.isArray() || data.size() != 1) {
            error(ctx, new VendorError(400, "INVALID_DATA", "the id given seems to be invalid"));
            return;
        }
        record.setAll((ObjectNode) data.get(0));
        record.put("Modified_Time", tick());
        ObjectNode answer = NODES.objectNode();
        ObjectNode ok = answer.putArray("data").addObject().put("code", "SUCCESS").put("message", "record updated").put("status", "success");
        ok.putObject("details").put("id", record.get("id").asString()).put("Modified_Time", record.get("Modified_Time").asString());
        json(ctx, 200, answer);
    }

    /** POST /crm/v8/{module}/upsert ("Upsert Records"): updates the record matching on duplicate_check_fields, else creates. */
    private void upsert(Context ctx, JsonNode body) {
        List<ObjectNode> records = modules.get(ctx.pathParam("module"));
        JsonNode data = body.path("data");
        if (records == null || !data.isArray() || data.size() != 1) {
            error(ctx, new VendorError(400, "INVALID_DATA", "invalid data"));
            return;
        }
        List<String> keys = new ArrayList<>();
        body.path("duplicate_check_fields").forEach(k -> keys.add(k.asString()));
        JsonNode input = data.get(0);
        ObjectNode match = keys.isEmpty() ? null : records.stream()
                .filter(r -> keys.stream().allMatch(k -> input.has(k) && input.get(k).equals(r.get(k)))).findFirst().orElse(null);
        ObjectNode answer = NODES.objectNode();
        ObjectNode ok = answer.putArray("data").addObject().put("code", "SUCCESS").put("status", "success");
        if (match != null) {
            match.setAll((ObjectNode) input);
            match.put("Modified_Time", tick());
            ok.put("action", "update").put("message", "record updated").put("duplicate_field", keys.get(0));
            ok.putObject("details").put("id", match.get("id").asString());
        } else {
            String now = tick();
            ObjectNode created = ((ObjectNode) input.deepCopy()).put("id", String.valueOf(ids.incrementAndGet()))
                    .put("Created_Time", now).put("Modified_Time", now);
            records.add(created);
            ok.put("action", "insert").put("message", "record added").putNull("duplicate_field");
            ok.putObject("details").put("id", created.get("id").asString());
        }
        json(ctx, 200, answer);
    }

    private void records(Context ctx, JsonNode body) {
        List<ObjectNode> records = modules.get(ctx.pathParam("module"));
        if (records == null) {
            error(ctx, new VendorError(400, "INVALID_MODULE", "the module name given seems to be invalid"));
            return;
        }
        String fields = ctx.queryParam("fields");
        if (fields == null) {
            error(ctx, new VendorError(400, "REQUIRED_PARAM_MISSING", "One of the expected parameter is missing"));
            return;
        }
        String sortBy = ctx.queryParam("sort_by");
        String sortOrder = ctx.queryParam("sort_order");
        if (sortBy == null && sortOrder == null) {
            page(ctx, records, List.of(fields.split(","))); // as stored (tests rely on it); Zoho's own default is id, desc
            return;
        }
        String by = sortBy == null ? "id" : sortBy;
        if (!List.of("id", "Created_Time", "Modified_Time").contains(by) || (sortOrder != null && !List.of("asc", "desc").contains(sortOrder))) {
            error(ctx, new VendorError(400, "INVALID_DATA", "invalid data"));
            return;
        }
        // Zoho's times carry the user's offset: compared as instants, ties broken by id.
        java.util.Comparator<ObjectNode> order = java.util.Comparator.<ObjectNode, java.time.Instant>comparing(r -> by.equals("id")
                        ? java.time.Instant.EPOCH : java.time.OffsetDateTime.parse(r.path(by).asString("1970-01-01T00:00:00+00:00")).toInstant())
                .thenComparing(r -> new java.math.BigInteger(r.get("id").asString()));
        List<ObjectNode> sorted = records.stream().sorted("asc".equals(sortOrder) ? order : order.reversed()).toList();
        page(ctx, sorted, List.of(fields.split(",")));
    }

    /** The next instant of the fake's clock, as Zoho writes times (an offset, whole seconds). */
    private String tick() {
        return nextWrite().atOffset(java.time.ZoneOffset.ofHoursMinutes(5, 30))
                .format(java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }

    /** One page of records by page and per_page, with only the wanted fields (all when null); 204 past the end. */
    private void page(Context ctx, List<ObjectNode> records, List<String> wanted) {
        int perPage = intParam(ctx, "per_page", 200);
        int page = intParam(ctx, "page", 1);
        if (perPage > 200) {
            error(ctx, new VendorError(400, "INVALID_DATA", "per_page must be at most 200"));
            return;
        }
        int start = (page - 1) * perPage;
        if (start >= records.size()) {
            ctx.status(204);
            return;
        }
        int end = Math.min(records.size(), start + perPage);
        ObjectNode answer = NODES.objectNode();
        ArrayNode data = answer.putArray("data");
        for (ObjectNode record : records.subList(start, end)) {
            if (wanted == null) {
                data.add(record.deepCopy());
                continue;
            }
            ObjectNode projected = data.addObject().put("id", record.get("id").asString());
            wanted.forEach(f -> { if (record.has(f)) projected.set(f, record.get(f)); });
        }
        answer.putObject("info").put("per_page", perPage).put("count", end - start).put("page", page)
                .put("sort_by", sortOf(ctx, "sort_by", "id")).put("sort_order", sortOf(ctx, "sort_order", "desc")).put("more_records", end < records.size())
                .putNull("next_page_token").putNull("previous_page_token").putNull("page_token_expiry");
        json(ctx, 200, answer);
    }

    private static String sortOf(Context ctx, String parameter, String otherwise) {
        String value = ctx.queryParam(parameter);
        return value == null ? otherwise : value;
    }

    private void create(Context ctx, JsonNode body) {
        List<ObjectNode> records = modules.get(ctx.pathParam("module"));
        if (records == null) {
            error(ctx, new VendorError(400, "INVALID_MODULE", "the module name given seems to be invalid"));
            return;
        }
        JsonNode data = body.get("data");
        if (data == null || !data.isArray() || data.isEmpty()) {
            error(ctx, new VendorError(400, "INVALID_DATA", "invalid data"));
            return;
        }
        ObjectNode answer = NODES.objectNode();
        ArrayNode results = answer.putArray("data");
        boolean anyFailed = false;
        List<String> mandatory = fieldsOf(credentialOf(ctx), ctx.pathParam("module")).stream()
                .filter(f -> f.get("system_mandatory").asBoolean()).map(f -> f.get("api_name").asString()).toList();
        for (JsonNode input : data) {
            String missing = mandatory.stream().filter(f -> !input.has(f)).findFirst().orElse(null);
            if (missing != null) {
                anyFailed = true;
                ObjectNode failed = results.addObject().put("code", "MANDATORY_NOT_FOUND").put("message", "required field not found").put("status", "error");
                failed.putObject("details").put("api_name", missing);
                continue;
            }
            String now = tick();
            ObjectNode record = ((ObjectNode) input.deepCopy()).put("id", String.valueOf(ids.incrementAndGet()))
                    .put("Created_Time", now).put("Modified_Time", now);
            records.add(record);
            ObjectNode ok = results.addObject().put("code", "SUCCESS").put("message", "record added").put("status", "success");
            ok.putObject("details").put("id", record.get("id").asString()).put("Created_Time", now);
        }
        json(ctx, anyFailed ? 400 : 201, answer);
    }

    @Override
    protected String credentialOf(Context ctx) {
        return bearer(ctx, "Zoho-oauthtoken");
    }

    @Override
    protected void rejectCredential(Context ctx) {
        error(ctx, new VendorError(401, "INVALID_TOKEN", "invalid oauth token"));
    }

    @Override
    protected void rateLimit(Context ctx, int retryAfterSeconds) {
        error(ctx, new VendorError(429, "TOO_MANY_REQUESTS", "The number of API requests has exceeded the limit"));
    }

    @Override
    protected void error(Context ctx, VendorError error) {
        ObjectNode body = NODES.objectNode().put("code", error.code()).put("message", error.message()).put("status", "error");
        body.putObject("details");
        json(ctx, error.status(), body);
    }
}
