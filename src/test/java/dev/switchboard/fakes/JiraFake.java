package dev.switchboard.fakes;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Jira Cloud's REST API v3 as one site answers it through Atlassian's gateway ({@code /ex/jira/{cloudId}/rest/api/3}),
 * written from Atlassian's reference (the conformance check reads its description): the enhanced search
 * ({@code POST /search/jql}) paging by {@code nextPageToken}, absent on the last page, and refusing an unbounded query;
 * projects paging by {@code startAt} with {@code total}; issues by key; comments whose body must be an Atlassian
 * document; errors as {@code {"errorMessages": [...], "errors": {}}}; 429 with Retry-After. Searches match the few
 * JQL forms the tests send (a project, a status, an ORDER BY).
 *
 * <p>Project TEST has the types Task, Bug and Sub-task, and one workflow: To Do -> In Progress -> Done (and back),
 * so To Do cannot reach Done in one transition. Creating and editing check what Jira checks: the project and type
 * exist, the type's required fields are there, rich text is an Atlassian document, an option is {@code {"value"}}
 * with an allowed value, a user is {@code {"accountId"}}, and a status is never set as a field.
 */
public final class JiraFake extends VendorFake {
    public static final String CLOUD_ID = "11223344-a1b2-3b33-c444-def123456789";

    private final Map<String, ObjectNode> issues = java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>());
    private final List<ObjectNode> projects = new CopyOnWriteArrayList<>();
    private final Map<String, List<JsonNode>> comments = new ConcurrentHashMap<>();
    private final Map<String, List<byte[]>> attachments = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger nextIssue = new java.util.concurrent.atomic.AtomicInteger(100);
    public static final String ACCOUNT_ID = "5b10a2844c20165700ede21g";
    private static final Map<String, String> STATUS_IDS = Map.of("To Do", "10000", "In Progress", "3", "Done", "10001");
    /** Transition id -> [from status, to status, transition name]. */
    private static final Map<String, String[]> WORKFLOW = Map.of(
            "21", new String[] {"To Do", "In Progress", "Start progress"},
            "11", new String[] {"In Progress", "To Do", "Stop progress"},
            "31", new String[] {"In Progress", "Done", "Done"},
            "41", new String[] {"Done", "To Do", "Reopen"});

    private final int issueCount;

    public JiraFake(int issueCount, int projectCount) {
        for (int p = 1; p <= projectCount; p++) {
            projects.add(NODES.objectNode().put("id", String.valueOf(10_000 + p)).put("key", "P" + p).put("name", "Project " + p));
        }
        this.issueCount = issueCount;
        seedIssues();
    }

    /** Back to the issues it started with, for each test. */
    @Override
    public void reset() {
        super.reset();
        seedIssues();
    }

    private void seedIssues() {
        issues.clear();
        comments.clear();
        attachments.clear();
        for (int i = 1; i <= issueCount; i++) {
            ObjectNode issue = NODES.objectNode().put("id", String.valueOf(20_000 + i)).put("key", "TEST-" + i);
            String now = tick();
            ObjectNode fields = issue.putObject("fields").put("summary", "Issue " + i).put("created", now).put("updated", now);
            fields.putObject("status").put("name", i % 2 == 0 ? "Done" : "To Do");
            fields.putObject("project").put("key", "TEST");
            issues.put(issue.get("key").asString(), issue);
        }
    }

    /** A project made in Jira by other means (its admin pages); returns its id. */
    public String addProject(String key, String name) {
        String id = String.valueOf(10_000 + projects.size() + 100);
        projects.add(NODES.objectNode().put("id", id).put("key", key).put("name", name));
        return id;
    }

    public String apiUrl() {
        return baseUrl() + "/ex/jira/" + CLOUD_ID + "/rest/api/3";
    }

    public java.util.Set<String> issueKeys() {
        return java.util.Set.copyOf(issues.keySet());
    }

    public Map<String, List<JsonNode>> comments() {
        return comments;
    }

    public Map<String, List<byte[]>> attachments() {
        return attachments;
    }

    public ObjectNode issue(String key) {
        return issues.get(key);
    }

    /** The project TEST's issue types: id, name, whether a subtask. */
    private static ArrayNode issueTypes() {
        ArrayNode types = NODES.arrayNode();
        types.addObject().put("id", "10001").put("name", "Task").put("subtask", false);
        types.addObject().put("id", "10002").put("name", "Bug").put("subtask", false);
        types.addObject().put("id", "10003").put("name", "Sub-task").put("subtask", true);
        return types;
    }

    /** A Bug's create metadata: system fields, a required select (Severity), a long text and a field of a type not offered. */
    private static ArrayNode bugFields() {
        ArrayNode fields = NODES.arrayNode();
        field(fields, "summary", "Summary", true, "string", null, "summary", null);
        field(fields, "issuetype", "Issue Type", true, "issuetype", null, "issuetype", null);
        field(fields, "project", "Project", true, "project", null, "project", null);
        field(fields, "description", "Description", false, "string", null, "description", null);
        field(fields, "labels", "Labels", false, "array", "string", "labels", null);
        field(fields, "assignee", "Assignee", false, "user", null, "assignee", null);
        field(fields, "duedate", "Due date", false, "date", null, "duedate", null);
        ObjectNode priority = field(fields, "priority", "Priority", false, "priority", null, "priority", null);
        priority.putArray("allowedValues").add(NODES.objectNode().put("id", "2").put("name", "High")).add(NODES.objectNode().put("id", "3").put("name", "Medium"));
        ObjectNode severity = field(fields, "customfield_10050", "Severity", true, "option", null, null, "com.atlassian.jira.plugin.system.customfieldtypes:select");
        ArrayNode allowed = severity.putArray("allowedValues");
        for (String value : List.of("S1", "S2", "S3")) allowed.addObject().put("id", "100" + value.charAt(1)).put("value", value);
        field(fields, "customfield_10060", "Steps to reproduce", false, "string", null, null, "com.atlassian.jira.plugin.system.customfieldtypes:textarea");
        field(fields, "customfield_10070", "Team", false, "team", null, null, "com.atlassian.jira.plugin.system.customfieldtypes:atlassian-team");
        // The reporter is required but defaulted: not required of the caller.
        field(fields, "reporter", "Reporter", true, "user", null, "reporter", null).put("hasDefaultValue", true);
        return fields;
    }

    private static ObjectNode field(ArrayNode fields, String id, String name, boolean required, String type, String items, String system, String custom) {
        ObjectNode field = fields.addObject().put("fieldId", id).put("key", id).put("name", name).put("required", required).put("hasDefaultValue", false);
        field.putArray("operations").add("set");
        ObjectNode schema = field.putObject("schema").put("type", type);
        if (items != null) schema.put("items", items);
        if (system != null) schema.put("system", system);
        if (custom != null) schema.put("custom", custom);
        return field;
    }

    /** What Jira answers about the fields of a create or edit: null when they are acceptable. */
    private static String refusal(JsonNode fields, boolean create) {
        if (fields.has("status")) return "Field 'status' cannot be set. It is not on the appropriate screen, or unknown.";
        String type = create ? fields.at("/issuetype/id").asString("") : "10002";
        for (String rich : List.of("description", "customfield_10060")) {
            if (fields.has(rich) && !fields.get(rich).isNull() && !"doc".equals(fields.get(rich).path("type").asString())) {
                return "Operation value must be an Atlassian Document (see the Atlassian Document Format)";
            }
        }
        if (fields.has("customfield_10050")) {
            String value = fields.get("customfield_10050").path("value").asString("");
            if (!List.of("S1", "S2", "S3").contains(value)) return "Specify a valid 'id' or 'name' for Severity";
        }
        if (fields.has("assignee") && !fields.get("assignee").isNull() && !fields.get("assignee").has("accountId")) {
            return "Specify a valid value for assignee";
        }
        if (fields.has("labels") && !fields.get("labels").isArray()) return "Field 'labels' must be a list";
        if (create) {
            if (!fields.path("summary").isString() || fields.get("summary").asString().isBlank()) return "You must specify a summary of the issue.";
            if ("10002".equals(type) && !fields.has("customfield_10050")) return "Severity is required.";
        }
        return null;
    }

    @Override
    protected void routes(RoutesConfig routes) {
        String api = "/ex/jira/{cloudId}/rest/api/3";
        post(routes, api + "/search/jql", "search", (ctx, body) -> {
            String jql = body.path("jql").asString("").strip();
            if (jql.isEmpty() || jql.toUpperCase(java.util.Locale.ROOT).startsWith("ORDER BY")) {
                error(ctx, new VendorError(400, null, "Unbounded JQL queries are not allowed here. Please add a search restriction to your query."));
                return;
            }
            List<ObjectNode> found = new ArrayList<>();
            synchronized (issues) {
                for (ObjectNode issue : issues.values()) {
                    if (matches(issue, jql)) found.add(issue);
                }
            }
            // ORDER BY created or updated (Jira's times here have one width, so their text order is their order); ties by id
            java.util.regex.Matcher order = java.util.regex.Pattern.compile("(?i)ORDER BY\\s+(created|updated)(?:\\s+(ASC|DESC))?\\s*$").matcher(jql);
            if (order.find()) {
                String field = order.group(1).toLowerCase(java.util.Locale.ROOT);
                java.util.Comparator<ObjectNode> by = java.util.Comparator.<ObjectNode, String>comparing(i -> i.at("/fields/" + field).asString(""))
                        .thenComparingLong(i -> Long.parseLong(i.get("id").asString()));
                found.sort("DESC".equalsIgnoreCase(order.group(2)) ? by.reversed() : by);
            }
            int size = body.path("maxResults").asInt(50);
            int start = body.has("nextPageToken") ? Integer.parseInt(body.get("nextPageToken").asString().substring("tok-".length())) : 0;
            ObjectNode answer = NODES.objectNode();
            ArrayNode page = answer.putArray("issues");
            found.subList(Math.min(start, found.size()), Math.min(found.size(), start + size)).forEach(page::add);
            boolean last = start + size >= found.size();
            answer.put("isLast", last);
            if (!last) answer.put("nextPageToken", "tok-" + (start + size));
            json(ctx, 200, answer);
        });
        get(routes, api + "/project/search", "projects", (ctx, body) -> {
            int start = intParam(ctx, "startAt", 0);
            int size = intParam(ctx, "maxResults", 50);
            ObjectNode answer = NODES.objectNode().put("startAt", start).put("maxResults", size).put("total", projects.size())
                    .put("isLast", start + size >= projects.size());
            answer.putArray("values").addAll(projects.subList(Math.min(start, projects.size()), Math.min(projects.size(), start + size)));
            json(ctx, 200, answer);
        });
        get(routes, api + "/issue/{key}", "getIssue", (ctx, body) -> withIssue(ctx, issue -> json(ctx, 200, issue)));
        delete(routes, api + "/issue/{key}", "deleteIssue", (ctx, body) -> withIssue(ctx, issue -> {
            issues.remove(issue.get("key").asString());
            ctx.status(204);
        }));
        get(routes, api + "/myself", "currentUser", (ctx, body) ->
                json(ctx, 200, NODES.objectNode().put("accountId", ACCOUNT_ID).put("displayName", "Ada Lovelace").put("timeZone", "Europe/London")));
        get(routes, api + "/issue/createmeta/{project}/issuetypes", "createMetaTypes", (ctx, body) -> {
            String key = ctx.pathParam("project");
            if (!key.equals("TEST") && projects.stream().noneMatch(p -> p.get("key").asString().equals(key))) {
                error(ctx, new VendorError(404, null, "No project could be found with key '" + key + "'."));
                return;
            }
            ArrayNode types = issueTypes();
            json(ctx, 200, NODES.objectNode().put("startAt", 0).put("maxResults", 200).put("total", types.size()).set("issueTypes", types));
        });
        get(routes, api + "/issue/createmeta/{project}/issuetypes/{type}", "createMetaFields", (ctx, body) -> {
            if (!ctx.pathParam("project").equals("TEST") || !ctx.pathParam("type").equals("10002")) {
                error(ctx, new VendorError(404, null, "Issue type with id '" + ctx.pathParam("type") + "' does not exist or is not in project."));
                return;
            }
            ArrayNode fields = bugFields();
            json(ctx, 200, NODES.objectNode().put("startAt", 0).put("maxResults", 200).put("total", fields.size()).set("fields", fields));
        });
        get(routes, api + "/project/{project}/statuses", "projectStatuses", (ctx, body) -> {
            ArrayNode answer = NODES.arrayNode();
            for (JsonNode type : issueTypes()) {
                ObjectNode entry = answer.addObject().put("id", type.get("id").asString()).put("name", type.get("name").asString());
                ArrayNode statuses = entry.putArray("statuses");
                List.of("To Do", "In Progress", "Done").forEach(name -> statuses.addObject().put("id", STATUS_IDS.get(name)).put("name", name));
            }
            json(ctx, 200, answer);
        });
        post(routes, api + "/issue", "createIssue", (ctx, body) -> {
            JsonNode fields = body.path("fields");
            String project = fields.at("/project/key").asString(fields.at("/project/id").asString(""));
            if (!project.equals("TEST") && projects.stream().noneMatch(p -> p.get("key").asString().equals(project))) {
                json(ctx, 400, NODES.objectNode().<ObjectNode>set("errorMessages", NODES.arrayNode()).set("errors", NODES.objectNode().put("project", "valid project is required")));
                return;
            }
            if (issueTypes().valueStream().noneMatch(t -> t.get("id").asString().equals(fields.at("/issuetype/id").asString()))) {
                json(ctx, 400, NODES.objectNode().<ObjectNode>set("errorMessages", NODES.arrayNode()).set("errors", NODES.objectNode().put("issuetype", "valid issue type is required")));
                return;
            }
            String refusal = refusal(fields, true);
            if (refusal != null) {
                error(ctx, new VendorError(400, null, refusal));
                return;
            }
            int number = nextIssue.incrementAndGet();
            String key = project + "-" + number;
            ObjectNode issue = NODES.objectNode().put("id", String.valueOf(30_000 + number)).put("key", key);
            ObjectNode stored = issue.putObject("fields");
            stored.setAll((ObjectNode) fields.deepCopy());
            stored.putObject("status").put("name", "To Do").put("id", STATUS_IDS.get("To Do"));
            String now = tick();
            stored.put("created", now).put("updated", now);
            issues.put(key, issue);
            json(ctx, 201, NODES.objectNode().put("id", issue.get("id").asString()).put("key", key).put("self", apiUrl() + "/issue/" + issue.get("id").asString()));
        });
        put(routes, api + "/issue/{key}", "editIssue", (ctx, body) -> withIssue(ctx, issue -> {
            String refusal = refusal(body.path("fields"), false);
            if (refusal != null) {
                error(ctx, new VendorError(400, null, refusal));
                return;
            }
            ((ObjectNode) issue.get("fields")).setAll((ObjectNode) body.path("fields").deepCopy());
            ((ObjectNode) issue.get("fields")).put("updated", tick());
            ctx.status(204);
        }));
        get(routes, api + "/issue/{key}/transitions", "getTransitions", (ctx, body) -> withIssue(ctx, issue -> {
            String from = issue.at("/fields/status/name").asString();
            ArrayNode transitions = NODES.arrayNode();
            WORKFLOW.entrySet().stream().filter(t -> t.getValue()[0].equals(from)).sorted(Map.Entry.comparingByKey()).forEach(t -> {
                ObjectNode transition = transitions.addObject().put("id", t.getKey()).put("name", t.getValue()[2]).put("hasScreen", false).put("isAvailable", true);
                transition.putObject("to").put("id", STATUS_IDS.get(t.getValue()[1])).put("name", t.getValue()[1]);
            });
            json(ctx, 200, NODES.objectNode().set("transitions", transitions));
        }));
        post(routes, api + "/issue/{key}/transitions", "doTransition", (ctx, body) -> withIssue(ctx, issue -> {
            String[] step = WORKFLOW.get(body.at("/transition/id").asString(""));
            if (step == null || !step[0].equals(issue.at("/fields/status/name").asString())) {
                error(ctx, new VendorError(400, null, "Transition id '" + body.at("/transition/id").asString("") + "' is not valid for this issue."));
                return;
            }
            ((ObjectNode) issue.get("fields")).putObject("status").put("name", step[1]).put("id", STATUS_IDS.get(step[1]));
            ((ObjectNode) issue.get("fields")).put("updated", tick());
            ctx.status(204);
        }));
        post(routes, api + "/issue/{key}/attachments", "addAttachment", (ctx, body) -> withIssue(ctx, issue -> {
            if (!"no-check".equals(ctx.header("X-Atlassian-Token"))) {
                json(ctx, 403, NODES.objectNode().put("message", "XSRF check failed"));
                return;
            }
            List<Part> parts = String.valueOf(ctx.contentType()).startsWith("multipart/form-data") ? multipart(ctx.contentType(), ctx.bodyAsBytes()) : null;
            Part file = parts == null ? null : parts.stream().filter(p -> String.valueOf(p.header("Content-Disposition")).contains("name=\"file\""))
                    .findFirst().orElse(null);
            if (file == null) {
                error(ctx, new VendorError(400, null, "No file was attached: send it in the multipart part named file."));
                return;
            }
            attachments.computeIfAbsent(issue.get("key").asString(), k -> new CopyOnWriteArrayList<>()).add(file.content());
            String disposition = String.valueOf(file.header("Content-Disposition"));
            String name = disposition.replaceAll(".*filename=\"([^\"]*)\".*", "$1");
            ArrayNode answer = NODES.arrayNode();
            answer.addObject().put("id", "10" + attachments.size()).put("filename", name).put("size", file.content().length)
                    .put("mimeType", String.valueOf(file.header("Content-Type")));
            json(ctx, 200, answer);
        }));
        post(routes, api + "/issue/{key}/comment", "addComment", (ctx, body) -> withIssue(ctx, issue -> {
            if (!"doc".equals(body.path("body").path("type").asString())) {
                json(ctx, 400, NODES.objectNode().putArray("errorMessages").add("Comment body is not valid!"));
                return;
            }
            comments.computeIfAbsent(issue.get("key").asString(), k -> new CopyOnWriteArrayList<>()).add(body.get("body"));
            ((ObjectNode) issue.get("fields")).put("updated", tick()); // a comment changes the issue's updated time
            json(ctx, 201, NODES.objectNode().put("id", "100" + comments.size()).set("body", body.get("body")));
        }));
    }

    /** The next instant of the fake's clock, a second after the last write, as Jira writes times. */
    private String tick() {
        return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ")
                .format(nextWrite().atOffset(java.time.ZoneOffset.UTC));
    }

    /** The JQL forms the tests send: {@code project = X}, {@code status = "Y"}, joined by AND, with an ORDER BY. */
    private static boolean matches(ObjectNode issue, String jql) {
        String where = jql.replaceAll("(?i)\\s+ORDER BY.*$", "");
        for (String clause : where.split("(?i)\\s+AND\\s+")) {
            if (clause.strip().matches("(?i)(created|updated)\\s*(>=|<=|>|<).*")) {
                continue; // a date restriction (such as updated >= -30d): the fake's issues are all recent
            }
            String[] parts = clause.strip().replaceAll("^\\(|\\)$", "").split("\\s*=\\s*", 2);
            if (parts.length != 2) return false;
            String value = parts[1].replaceAll("^\"|\"$", "");
            String actual = switch (parts[0].strip()) {
                case "project" -> issue.at("/fields/project/key").asString();
                case "status" -> issue.at("/fields/status/name").asString();
                default -> null;
            };
            if (!value.equals(actual)) return false;
        }
        return true;
    }

    private void withIssue(Context ctx, java.util.function.Consumer<ObjectNode> then) {
        ObjectNode issue = issues.get(ctx.pathParam("key"));
        if (issue == null) {
            error(ctx, new VendorError(404, null, "Issue does not exist or you do not have permission to see it."));
            return;
        }
        then.accept(issue);
    }

    @Override
    protected void rejectCredential(Context ctx) {
        json(ctx, 401, NODES.objectNode().put("code", 401).put("message", "Unauthorized"));
    }

    @Override
    protected void rateLimit(Context ctx, int retryAfterSeconds) {
        ctx.header("Retry-After", String.valueOf(retryAfterSeconds)).header("RateLimit-Reason", "jira-burst-based");
        error(ctx, new VendorError(429, null, "Rate limit exceeded."));
    }

    @Override
    protected void error(Context ctx, VendorError error) {
        ObjectNode body = NODES.objectNode();
        body.putArray("errorMessages").add(error.message());
        body.putObject("errors");
        json(ctx, error.status(), body);
    }
}
