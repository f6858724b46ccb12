package dev.switchboard.integrations.jira;

import dev.switchboard.json.Json;
import dev.switchboard.outcomes.Echo;
import dev.switchboard.outcomes.Failure;
import dev.switchboard.programs.ActionProgram;
import dev.switchboard.programs.ProgramInputs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Jira's issue writes as ActionKit's callers give them, which Jira's API takes otherwise:
 * <ul>
 *   <li>{@code JIRA_CREATE_ISSUE}: ActionKit's defaults (the user's first project, the type Task, the connected user as
 *       assignee), an issue type by name, a description in Markdown as an Atlassian document, and a status, which Jira
 *       sets only through a workflow transition after the issue exists;</li>
 *   <li>{@code JIRA_UPDATE_ISSUE}: the same fields on an existing issue, and a status reached by a transition;</li>
 *   <li>{@code JIRA_TRANSITION_ISSUE}: a status by name rather than by transition ID.</li>
 * </ul>
 * Everything that can be refused is checked before the first write: an unknown project, issue type or status is a 400
 * that names the values the account has, and nothing is created or changed.
 */
public final class JiraIssues {
    static final String PROJECTS = "JIRA_GET_PROJECTS";
    static final String ISSUE_TYPES = "JIRA_GET_ISSUE_TYPES_BY_PROJECT";
    static final String STATUSES = "JIRA_GET_ISSUE_STATUS_BY_PROJECT";
    static final String CURRENT_USER = "JIRA_GET_CURRENT_USER";
    static final String GET_ISSUE = "JIRA_GET_ISSUE_BY_KEY";
    static final String CREATE = "JIRA_CREATE_ISSUE_WITH_FIELDS";
    static final String EDIT = "JIRA_EDIT_ISSUE_FIELDS";
    static final String TRANSITIONS = "JIRA_GET_TRANSITIONS";
    static final String DO_TRANSITION = "JIRA_DO_TRANSITION";
    /** ActionKit's issue type when none is given. */
    private static final String DEFAULT_TYPE = "Task";

    private JiraIssues() {}

    public static Map<String, ActionProgram> all() {
        return Map.of(
                "jiraCreateIssue", ActionProgram.of(false, Set.of(PROJECTS, ISSUE_TYPES, STATUSES, CURRENT_USER, CREATE, TRANSITIONS, DO_TRANSITION),
                        JiraIssues::create),
                "jiraUpdateIssue", ActionProgram.of(false, Set.of(GET_ISSUE, ISSUE_TYPES, EDIT, TRANSITIONS, DO_TRANSITION), JiraIssues::update),
                "jiraTransitionIssue", ActionProgram.of(false, Set.of(GET_ISSUE, TRANSITIONS, DO_TRANSITION), JiraIssues::transition));
    }

    private static JsonNode create(JsonNode input, ActionProgram.Steps steps) {
        String project = input.hasNonNull("project") ? input.get("project").asString() : firstProject(steps);
        JsonNode type = issueType(steps, project, input.path("issueType").asString(null));
        String status = input.path("jiraIssueStatus").asString(null);
        if (status != null) {
            requireStatusOf(steps, project, type, status);
        }
        ObjectNode fields = additionalFields(input);
        fields.put("summary", input.get("summary").asString());
        fields.putObject("project").put(project.chars().allMatch(Character::isDigit) ? "id" : "key", project);
        fields.putObject("issuetype").put("id", type.get("id").asString());
        String assignee = input.hasNonNull("assignee") ? input.get("assignee").asString() : steps.run(CURRENT_USER, Json.object()).path("accountId").asString(null);
        if (assignee != null) {
            fields.putObject("assignee").put("accountId", assignee);
        }
        ObjectNode step = Json.object().set("fields", fields);
        putDescription(input, step);
        ObjectNode created = (ObjectNode) steps.run(CREATE, step).deepCopy();
        if (status != null) {
            // The issue exists now: a status its workflow cannot reach from the first one is said, not a failure of the create.
            try {
                created.set("transition", moveTo(steps, created.get("key").asString(), status, null, "parameters.jiraIssueStatus"));
            } catch (Failure failure) {
                created.put("transitionError", failure.getMessage());
            }
        }
        return created;
    }

    private static JsonNode update(JsonNode input, ActionProgram.Steps steps) {
        String key = input.get("issueKey").asString();
        ObjectNode fields = additionalFields(input);
        if (input.hasNonNull("summary")) {
            fields.put("summary", input.get("summary").asString());
        }
        if (input.hasNonNull("issueType")) {
            String project = steps.run(GET_ISSUE, Json.object().put("issueKey", key).put("fields", "project")).at("/fields/project/key").asString();
            fields.putObject("issuetype").put("id", issueType(steps, project, input.get("issueType").asString()).get("id").asString());
        }
        if (input.has("assignee")) {
            fields.set("assignee", input.get("assignee").isNull() ? Json.MAPPER.nullNode() : Json.object().put("accountId", input.get("assignee").asString()));
        }
        ObjectNode step = Json.object().put("issueKey", key);
        if (!fields.isEmpty()) {
            step.set("fields", fields);
        }
        putDescription(input, step);
        String status = input.path("jiraIssueStatus").asString(null);
        JsonNode transition = status == null ? null : transitionTo(steps, key, status, "parameters.jiraIssueStatus");
        if (fields.isEmpty() && !step.has("description") && status == null) {
            throw Failure.invalidInput("invalid_parameters", "parameters: give at least one of summary, issueType, jiraIssueStatus, assignee, "
                    + "description or additionalFields to change issue " + key + ".");
        }
        ObjectNode answer = Json.object().put("key", key);
        if (!fields.isEmpty() || step.has("description")) {
            steps.run(EDIT, step);
            List<String> updated = new ArrayList<>(fields.propertyNames());
            if (step.has("description")) {
                updated.add("description");
            }
            answer.set("updatedFields", Json.MAPPER.valueToTree(updated));
        }
        if (transition != null && !transition.isMissingNode()) {
            steps.run(DO_TRANSITION, Json.object().put("issueKey", key).put("transitionId", transition.get("id").asString()));
            answer.set("transition", summary(transition));
        }
        return answer;
    }

    private static JsonNode transition(JsonNode input, ActionProgram.Steps steps) {
        String key = input.get("issueKey").asString();
        String status = input.path("status").asString(null);
        String transitionId = input.path("transitionId").asString(null);
        if ((status == null) == (transitionId == null)) {
            throw Failure.invalidInput("invalid_parameters", "parameters: give either status (the status to reach) or transitionId, not "
                    + (status == null ? "neither." : "both."));
        }
        return Json.object().put("key", key).set("transition", moveTo(steps, key, status, transitionId, "parameters.status"));
    }

    /** Runs the transition to {@code status} (or the one of {@code transitionId}); its summary, or MissingNode when the issue is there already. */
    private static JsonNode moveTo(ActionProgram.Steps steps, String key, String status, String transitionId, String path) {
        JsonNode transition;
        if (transitionId != null) {
            transition = Json.object().put("id", transitionId);
        } else {
            transition = transitionTo(steps, key, status, path);
            if (transition.isMissingNode()) {
                return Json.object().put("status", status).put("alreadyThere", true);
            }
        }
        ObjectNode parameters = Json.object().put("issueKey", key).put("transitionId", transition.get("id").asString());
        steps.run(DO_TRANSITION, parameters);
        return summary(transition);
    }

    /**
     * The transition of the issue that reaches the status (by the target's name ignoring case, its ID, or the
     * transition's own name); MissingNode when the issue already has that status; a 400 naming those reachable.
     */
    private static JsonNode transitionTo(ActionProgram.Steps steps, String key, String status, String path) {
        List<String> reachable = new ArrayList<>();
        for (JsonNode transition : steps.run(TRANSITIONS, Json.object().put("issueKey", key)).path("transitions")) {
            JsonNode to = transition.path("to");
            if (named(to, status) || transition.path("name").asString("").equalsIgnoreCase(status)) {
                return transition;
            }
            reachable.add(to.path("name").asString());
        }
        JsonNode current = steps.run(GET_ISSUE, Json.object().put("issueKey", key).put("fields", "status")).at("/fields/status");
        if (named(current, status)) {
            return Json.MAPPER.missingNode();
        }
        throw Failure.invalidInput("invalid_parameters", path + ": issue " + key + " cannot move from " + Echo.quote(current.path("name").asString())
                + " to " + Echo.quote(status) + " in one transition; it can reach: " + (reachable.isEmpty() ? "no other status" : String.join(", ", reachable)) + ".");
    }

    private static boolean named(JsonNode status, String nameOrId) {
        return status.path("name").asString("").equalsIgnoreCase(nameOrId) || status.path("id").asString("").equals(nameOrId);
    }

    private static ObjectNode summary(JsonNode transition) {
        ObjectNode out = Json.object().put("id", transition.path("id").asString());
        if (transition.has("to")) {
            out.put("name", transition.path("name").asString()).put("status", transition.at("/to/name").asString());
        }
        return out;
    }

    private static String firstProject(ActionProgram.Steps steps) {
        JsonNode first = steps.run(PROJECTS, Json.object().set("paginationParameters", Json.object().put("pageSize", 1))).at("/values/0/key");
        if (first.isMissingNode()) {
            throw Failure.invalidInput("invalid_parameters", "parameters.project: the connected Jira user sees no project; name one by its key.");
        }
        return first.asString();
    }

    /** The project's issue type of that ID or name (ignoring case); without one, Task, else the first that is not a subtask. */
    private static JsonNode issueType(ActionProgram.Steps steps, String project, String wanted) {
        JsonNode types = steps.run(ISSUE_TYPES, Json.object().put("project", project)).path("issueTypes");
        String name = wanted == null ? DEFAULT_TYPE : wanted;
        for (JsonNode type : types) {
            if (type.path("id").asString("").equals(name) || type.path("name").asString("").equalsIgnoreCase(name)) {
                return type;
            }
        }
        if (wanted == null) {
            for (JsonNode type : types) {
                if (!type.path("subtask").asBoolean(false)) {
                    return type;
                }
            }
        }
        List<String> names = new ArrayList<>();
        types.forEach(type -> names.add(type.path("name").asString()));
        throw Failure.invalidInput("invalid_parameters", "parameters.issueType: project " + project + " has no issue type "
                + Echo.quote(name) + "; it has: " + (names.isEmpty() ? "none the connected user can create" : String.join(", ", names)) + ".");
    }

    /** A status the project's workflow for the issue type has, by name or ID; a 400 listing them otherwise. */
    private static void requireStatusOf(ActionProgram.Steps steps, String project, JsonNode type, String status) {
        List<String> names = new ArrayList<>();
        for (JsonNode ofType : steps.run(STATUSES, Json.object().put("project", project))) {
            if (!ofType.path("id").asString("").equals(type.get("id").asString())) {
                continue;
            }
            for (JsonNode candidate : ofType.path("statuses")) {
                if (named(candidate, status)) {
                    return;
                }
                names.add(candidate.path("name").asString());
            }
        }
        throw Failure.invalidInput("invalid_parameters", "parameters.jiraIssueStatus: " + Echo.quote(status) + " is not a status of "
                + type.path("name").asString() + " issues in project " + project + "; they have: " + String.join(", ", names) + ".");
    }

    /** {@code additionalFields}, an object or its JSON text, as the start of the issue's fields. */
    private static ObjectNode additionalFields(JsonNode input) {
        JsonNode given = input.get("additionalFields");
        if (given == null || given.isNull() || given.isString() && given.asString().isBlank()) {
            return Json.object();
        }
        JsonNode fields = ProgramInputs.json(given, "parameters.additionalFields", "a JSON object");
        if (!fields.isObject()) {
            throw Failure.invalidInput("invalid_parameters", "parameters.additionalFields: must be a JSON object of fields by ID, such as {\"labels\": [\"triage\"]}.");
        }
        return (ObjectNode) fields.deepCopy();
    }

    /**
     * The description as the step takes it (Markdown, or an Atlassian document), into {@code step}: the step writes it
     * as the document Jira takes ({@code as: adf}).
     */
    private static void putDescription(JsonNode input, ObjectNode step) {
        boolean asDocument = "descriptionJSON".equals(input.path("descriptionType").asString(null))
                || !input.hasNonNull("description") && input.hasNonNull("descriptionJSON");
        if (asDocument && input.hasNonNull("descriptionJSON")) {
            JsonNode doc = input.get("descriptionJSON");
            doc = ProgramInputs.json(doc, "parameters.descriptionJSON", "a JSON object");
            if (!doc.isObject()) {
                throw Failure.invalidInput("invalid_parameters", "parameters.descriptionJSON: must be an Atlassian document, {\"type\": \"doc\", ...}.");
            }
            step.set("description", doc);
        } else if (asDocument) {
            throw Failure.invalidInput("invalid_parameters", "parameters.descriptionJSON: descriptionType is descriptionJSON, so give the description there as an Atlassian document.");
        } else if (input.hasNonNull("description")) {
            step.set("description", input.get("description"));
        }
    }
}
