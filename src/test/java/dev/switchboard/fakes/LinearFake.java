package dev.switchboard.fakes;

import dev.switchboard.fakes.spec.SpecFake;
import graphql.ErrorType;
import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.GraphqlErrorException;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.TypeDefinitionRegistry;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Linear's GraphQL API, answered by executing each request against Linear's own schema (linear-schema.graphql, read
 * with graphql-java): a document with a misspelt field, a variable of the wrong type ({@code priority: "2"}) or a
 * missing required variable is refused as Linear refuses it, before any data is touched. The fields the catalog reads
 * are served from teams, workflow states, issues and projects kept here; issue filters ({@code and}, {@code or},
 * comparators) are evaluated; connections page by {@code first}/{@code after}. Errors come as GraphQL errors with
 * {@code extensions.type}, as Linear's SDK reads them.
 */
public final class LinearFake extends VendorFake {
    public static final String SCHEMA = "linear-schema.graphql";
    /** The workspace the fake's user belongs to, as Linear names it. */
    public static final String WORKSPACE = "Acme Engineering";

    private final Map<String, Map<String, Object>> teams = new LinkedHashMap<>();
    private final Map<String, Map<String, Object>> issues = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Object>> projects = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> numbers = new ConcurrentHashMap<>();
    private final GraphQL graphql;

    public LinearFake(int issueCount) {
        addTeam("9cfb482a-81e3-4154-b5b9-2c805e70a02d", "ENG", "Engineering");
        addTeam("6f0a1b2c-3d4e-4f50-8a61-7b8c9d0e1f23", "DES", "Design");
        for (int i = 1; i <= issueCount; i++) {
            addIssue(Map.of("teamId", "9cfb482a-81e3-4154-b5b9-2c805e70a02d", "title", (i % 2 == 0 ? "Safari checkout bug " : "Android crash ") + i));
        }
        this.graphql = GraphQL.newGraphQL(schema()).build();
    }

    public static boolean available() {
        return Files.isReadable(SpecFake.DOCUMENTS.resolve(SCHEMA));
    }

    public String apiUrl() {
        return baseUrl();
    }

    public Map<String, Map<String, Object>> issues() {
        return issues;
    }

    public Map<String, Map<String, Object>> projects() {
        return projects;
    }

    public String teamId(String key) {
        return teams.values().stream().filter(t -> t.get("key").equals(key)).findFirst().orElseThrow().get("id").toString();
    }

    private void addTeam(String id, String key, String name) {
        Map<String, Object> team = new LinkedHashMap<>(Map.of("id", id, "key", key, "name", name, "description", name + " team",
                "icon", "Code", "color", "#5E6AD2", "timezone", "Europe/London", "createdAt", "2025-01-01T00:00:00.000Z"));
        team.put("states", List.of(state("Backlog", "backlog"), state("Todo", "unstarted"), state("In Progress", "started"), state("Done", "completed")));
        teams.put(id, team);
    }

    private static Map<String, Object> state(String name, String type) {
        return Map.of("id", UUID.nameUUIDFromBytes(name.getBytes()).toString(), "name", name, "type", type);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> addIssue(Map<String, Object> input) {
        Map<String, Object> team = teams.get(String.valueOf(input.get("teamId")));
        if (team == null) {
            throw invalid("Entity not found: Team - Could not find referenced Team.");
        }
        int number = numbers.computeIfAbsent(team.get("key").toString(), k -> new AtomicInteger()).incrementAndGet();
        String now = Instant.now().toString();
        Map<String, Object> issue = new ConcurrentHashMap<>();
        issue.put("id", UUID.randomUUID().toString());
        issue.put("identifier", team.get("key") + "-" + number);
        issue.put("number", (double) number);
        issue.put("url", "https://linear.app/acme/issue/" + team.get("key") + "-" + number);
        issue.put("priority", 0.0);
        issue.put("createdAt", now);
        issue.put("updatedAt", now);
        issue.put("trashed", false);
        issue.put("team", Map.of("id", team.get("id"), "key", team.get("key"), "name", team.get("name")));
        issue.put("state", ((List<Map<String, Object>>) team.get("states")).get(0));
        apply(issue, input);
        issues.put(issue.get("id").toString(), issue);
        return issue;
    }

    @SuppressWarnings("unchecked")
    private void apply(Map<String, Object> issue, Map<String, Object> input) {
        input.forEach((field, value) -> {
            switch (field) {
                case "teamId", "assigneeId", "labelIds", "subscriberIds" -> { }
                case "stateId" -> {
                    Map<String, Object> team = teams.get(((Map<String, Object>) issue.get("team")).get("id").toString());
                    issue.put("state", ((List<Map<String, Object>>) team.get("states")).stream().filter(s -> s.get("id").equals(value)).findFirst()
                            .orElseThrow(() -> invalid("Entity not found: WorkflowState - Could not find referenced WorkflowState.")));
                }
                case "parentId" -> issue.put("parent", Map.of("id", value, "identifier", issue(value.toString()).get("identifier")));
                case "priority" -> issue.put("priority", ((Number) value).doubleValue());
                default -> {
                    if (value != null) issue.put(field, value);
                }
            }
        });
        issue.put("updatedAt", Instant.now().toString());
    }

    private Map<String, Object> issue(String id) {
        Map<String, Object> found = issues.get(id);
        if (found == null) {
            found = issues.values().stream().filter(i -> i.get("identifier").toString().equalsIgnoreCase(id)).findFirst().orElse(null);
        }
        if (found == null || Boolean.TRUE.equals(found.get("trashed"))) {
            throw invalid("Entity not found: Issue - Could not find referenced Issue.");
        }
        return found;
    }

    private Map<String, Object> project(String id) {
        Map<String, Object> found = projects.get(id);
        if (found == null) {
            throw invalid("Entity not found: Project - Could not find referenced Project.");
        }
        return found;
    }

    private static GraphqlErrorException invalid(String message) {
        return GraphqlErrorException.newErrorException().message(message)
                .extensions(Map.of("type", "invalid input", "code", "INPUT_ERROR", "userError", true, "userPresentableMessage", message)).build();
    }

    @SuppressWarnings("unchecked")
    private GraphQLSchema schema() {
        TypeDefinitionRegistry registry;
        try {
            registry = new SchemaParser().parse(Files.readString(SpecFake.DOCUMENTS.resolve(SCHEMA)));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return GraphQlSchemas.executable(registry, wiring -> wiring.type("Query", type -> type
                .dataFetcher("organization", env -> Map.of("id", "8a1d0c2e-0000-4000-8000-00000000acme", "name", WORKSPACE, "urlKey", "acme"))
                .dataFetcher("issue", env -> issue(env.getArgument("id")))
                .dataFetcher("project", env -> project(env.getArgument("id")))
                .dataFetcher("searchIssues", env -> {
                    String term = env.<String>getArgument("term").toLowerCase(Locale.ROOT);
                    List<Map<String, Object>> found = sorted(issues.values()).stream()
                            .filter(i -> !Boolean.TRUE.equals(i.get("trashed")) && i.get("archivedAt") == null)
                            .filter(i -> java.util.Arrays.stream(term.split("\\s+")).allMatch(word -> i.get("title").toString().toLowerCase(Locale.ROOT).contains(word)))
                            .filter(i -> LinearFilter.matches(i, env.getArgument("filter"))).toList();
                    Map<String, Object> page = GraphQlSchemas.page(found, env.getArgument("first"), env.getArgument("after"));
                    page.put("totalCount", (double) found.size());
                    return page;
                })
                .dataFetcher("issues", env -> {
                    // newest first by createdAt (the default) or updatedAt, as instants (their text has varying widths); ties by number
                    String by = env.getArgumentOrDefault("orderBy", "createdAt").toString();
                    java.util.Comparator<Map<String, Object>> newest = java.util.Comparator.<Map<String, Object>, Instant>comparing(i -> Instant.parse(i.get(by).toString()))
                            .thenComparingDouble(i -> ((Number) i.get("number")).doubleValue()).reversed();
                    List<Map<String, Object>> found = issues.values().stream()
                            .filter(i -> !Boolean.TRUE.equals(i.get("trashed")) && i.get("archivedAt") == null)
                            .filter(i -> LinearFilter.matches(i, env.getArgument("filter"))).sorted(newest).toList();
                    return GraphQlSchemas.page(found, env.getArgument("first"), env.getArgument("after"));
                })
                .dataFetcher("teams", env -> GraphQlSchemas.page(teams.values().stream().filter(t -> LinearFilter.matches(t, env.getArgument("filter"))).toList(),
                        env.getArgument("first"), env.getArgument("after"))))
                .type("Mutation", type -> type
                .dataFetcher("issueCreate", env -> Map.of("success", true, "issue", addIssue(env.getArgument("input"))))
                .dataFetcher("issueUpdate", env -> {
                    Map<String, Object> issue = issue(env.getArgument("id"));
                    apply(issue, env.getArgument("input"));
                    return Map.of("success", true, "issue", issue);
                })
                .dataFetcher("issueDelete", env -> {
                    Map<String, Object> issue = issue(env.getArgument("id"));
                    issue.put("trashed", true);
                    return Map.of("success", true, "entity", issue);
                })
                .dataFetcher("issueArchive", env -> {
                    Map<String, Object> issue = issue(env.getArgument("id"));
                    issue.put("archivedAt", Instant.now().toString());
                    return Map.of("success", true, "entity", issue);
                })
                .dataFetcher("projectCreate", env -> {
                    Map<String, Object> input = env.getArgument("input");
                    Map<String, Object> project = new ConcurrentHashMap<>(input);
                    String id = UUID.randomUUID().toString();
                    project.put("id", id);
                    project.put("url", "https://linear.app/acme/project/" + id);
                    project.put("priority", 0);
                    project.put("createdAt", Instant.now().toString());
                    project.put("updatedAt", Instant.now().toString());
                    project.put("status", Map.of("id", "planned-status", "name", "Planned", "type", "planned"));
                    List<Object> ids = (List<Object>) input.get("teamIds");
                    project.put("teams", Map.of("nodes", ids.stream().map(t -> teams.get(String.valueOf(t))).filter(java.util.Objects::nonNull).toList()));
                    projects.put(id, project);
                    return Map.of("success", true, "project", project);
                })
                .dataFetcher("projectUpdate", env -> {
                    Map<String, Object> project = project(env.getArgument("id"));
                    Map<String, Object> input = env.getArgument("input");
                    input.forEach((k, v) -> {
                        if (v != null) project.put(k, v);
                    });
                    return Map.of("success", true, "project", project);
                })
                .dataFetcher("projectDelete", env -> {
                    Map<String, Object> project = project(env.getArgument("id"));
                    projects.remove(project.get("id").toString());
                    project.put("archivedAt", Instant.now().toString());
                    return Map.of("success", true, "entity", project);
                })));
    }

    private static List<Map<String, Object>> sorted(java.util.Collection<Map<String, Object>> all) {
        List<Map<String, Object>> list = new ArrayList<>(all);
        list.sort(java.util.Comparator.comparing(i -> i.get("createdAt").toString() + i.get("identifier")));
        return list;
    }

    @Override
    protected void routes(RoutesConfig routes) {
        post(routes, "/graphql", "graphql", (ctx, body) -> {
            Map<String, Object> variables = body.has("variables") ? JSON.convertValue(body.get("variables"), Map.class) : Map.of();
            ExecutionResult result = graphql.execute(ExecutionInput.newExecutionInput(body.path("query").asString(""))
                    .operationName(body.path("operationName").asString(null)).variables(variables).build());
            ObjectNode answer = JSON.valueToTree(result.toSpecification());
            boolean invalidRequest = result.getErrors().stream().anyMatch(e -> e.getErrorType() instanceof ErrorType type
                    && (type == ErrorType.ValidationError || type == ErrorType.InvalidSyntax));
            for (JsonNode error : answer.path("errors")) {
                if (!error.path("extensions").has("type")) {
                    ((ObjectNode) error).putObject("extensions").put("type", "graphql error").put("code", "GRAPHQL_VALIDATION_FAILED");
                }
            }
            // Linear answers a document it cannot run with 400, a failure inside a running one with 200 and errors.
            json(ctx, invalidRequest ? 400 : 200, answer);
        });
    }

    @Override
    protected void rejectCredential(Context ctx) {
        error(ctx, new VendorError(400, "authentication error", "Authentication required, not authenticated"));
    }

    @Override
    protected void rateLimit(Context ctx, int retryAfterSeconds) {
        ctx.header("Retry-After", String.valueOf(retryAfterSeconds)).header("X-RateLimit-Requests-Remaining", "0");
        error(ctx, new VendorError(400, "ratelimited", "Rate limit exceeded"));
    }

    @Override
    protected void error(Context ctx, VendorError error) {
        ObjectNode body = NODES.objectNode();
        body.putArray("errors").addObject().put("message", error.message()).putObject("extensions").put("type", error.code())
                .put("userPresentableMessage", error.message());
        body.putNull("data");
        json(ctx, error.status(), body);
    }
}
