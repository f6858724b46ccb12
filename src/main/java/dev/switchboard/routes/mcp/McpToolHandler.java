package dev.switchboard.routes.mcp;

import dev.switchboard.actions.ActionLister;
import dev.switchboard.actions.ActionRunner;
import dev.switchboard.actions.IdempotentRuns;
import dev.switchboard.auth.UserPrincipal;
import dev.switchboard.files.HexJsonWriter;
import dev.switchboard.http.ErrorResponses;
import dev.switchboard.json.Json;
import dev.switchboard.outcomes.Failure;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpStatelessServerHandler;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;

/**
 * The MCP methods, answered from the same catalog and runner as the HTTP API: {@code tools/list} is the
 * project's actions with the names, descriptions and input schemas of {@code GET /actions}; {@code tools/call}
 * runs an action exactly as {@code POST /actions} does (validation, account selection with
 * {@code X-Paragon-Credential}, run record). A failed action is a tool result with {@code isError}, not a protocol error.
 */
public final class McpToolHandler implements McpStatelessServerHandler {
    static final String USER = "switchboard.user";
    static final String CREDENTIAL = "switchboard.credential";
    static final String REQUEST_ID = "switchboard.requestId";
    static final String CONNECT_PAGE = "switchboard.connectPage";
    private static final List<String> PROTOCOL_VERSIONS = List.of("2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05");
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private final ActionLister lister;
    private final IdempotentRuns runner;

    /** Each integration's tools, built once: the catalog does not change while the server runs. */
    private final java.util.Map<String, byte[]> toolsByIntegration = new java.util.concurrent.ConcurrentHashMap<>();

    public McpToolHandler(ActionLister lister, IdempotentRuns runner) {
        this.lister = lister;
        this.runner = runner;
    }

    @Override
    public Mono<McpSchema.JSONRPCResponse> handleRequest(McpTransportContext context, McpSchema.JSONRPCRequest request) {
        return Mono.fromCallable(() -> answer(context, request));
    }

    @Override
    public Mono<Void> handleNotification(McpTransportContext context, McpSchema.JSONRPCNotification notification) {
        return Mono.empty();
    }

    private McpSchema.JSONRPCResponse answer(McpTransportContext context, McpSchema.JSONRPCRequest request) {
        UserPrincipal user = (UserPrincipal) context.get(USER);
        JsonNode params = request.params() == null ? Json.object() : Json.tree(request.params());
        return switch (request.method()) {
            case McpSchema.METHOD_INITIALIZE -> McpSchema.JSONRPCResponse.result(request.id(), initialize(params));
            case McpSchema.METHOD_PING -> McpSchema.JSONRPCResponse.result(request.id(), Map.of());
            // tools/list never reaches here: McpRoutes answers it from toolsList, without the SDK's serialisation
            case McpSchema.METHOD_TOOLS_CALL -> call(context, user, request, params);
            default -> McpSchema.JSONRPCResponse.error(request.id(),
                    new McpSchema.JSONRPCResponse.JSONRPCError(McpSchema.ErrorCodes.METHOD_NOT_FOUND, "Method not found: " + request.method()));
        };
    }

    private static McpSchema.InitializeResult initialize(JsonNode params) {
        String asked = params.path("protocolVersion").asString("");
        String version = PROTOCOL_VERSIONS.contains(asked) ? asked : PROTOCOL_VERSIONS.get(0);
        return new McpSchema.InitializeResult(version, McpSchema.ServerCapabilities.builder().tools(false).build(),
                new McpSchema.Implementation("switchboard", "Switchboard", "0.1.0"),
                "Each tool runs an action on one of the user's connected SaaS accounts. A tool whose integration the user has "
                        + "not connected answers with the address of the Connect page.");
    }

    /**
     * The answer to {@code tools/list}: every action of the integrations enabled in the project, so an agent also
     * learns what the user could connect. Each integration's tools are written once (the catalog does not change
     * while the server runs), so hundreds of tools cost little more than copying their bytes.
     */
    public byte[] toolsList(UserPrincipal user, JsonNode id) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(8192);
        out.writeBytes(("{\"jsonrpc\":\"2.0\",\"id\":" + Json.write(id) + ",\"result\":{\"tools\":[").getBytes(StandardCharsets.UTF_8));
        boolean first = true;
        for (String integration : lister.listedIntegrations(user, new ActionLister.Query(ActionLister.Format.JSON_SCHEMA, false, null, null, false))) {
            // Actions taking the account's own fields are the user's own; MCP has no errors list, so a failed read lists them as for everyone.
            byte[] tools = lister.differsForUser(user, integration)
                    ? toolsOf(lister.describeForAccount(user, integration, ActionLister.Format.JSON_SCHEMA, false, null, Json.MAPPER.createArrayNode()))
                    : toolsByIntegration.computeIfAbsent(integration, key -> toolsOf(lister.describe(key, ActionLister.Format.JSON_SCHEMA)));
            if (tools.length > 0) {
                if (!first) {
                    out.write(',');
                }
                first = false;
                out.writeBytes(tools);
            }
        }
        out.writeBytes("]}}".getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /** Function schemas as MCP writes tools, comma-separated, without the brackets. */
    private static byte[] toolsOf(tools.jackson.databind.node.ArrayNode functions) {
        List<String> tools = new ArrayList<>();
        functions.forEach(tool -> {
            JsonNode function = tool.get("function");
            tools.add(Json.write(Json.object().put("name", function.get("name").asString())
                    .put("description", function.get("description").asString())
                    .set("inputSchema", function.get("parameters"))));
        });
        return String.join(",", tools).getBytes(StandardCharsets.UTF_8);
    }

    private McpSchema.JSONRPCResponse call(McpTransportContext context, UserPrincipal user, McpSchema.JSONRPCRequest request, JsonNode params) {
        String name = params.path("name").asString(null);
        JsonNode arguments = params.get("arguments");
        try {
            // MCP has no request headers of its own: the key rides in the call's _meta, as {"idempotencyKey": "..."}
            JsonNode key = params.path("_meta").get("idempotencyKey");
            IdempotentRuns.Outcome outcome = runner.run(user, key == null || !key.isString() ? null : key.asString(), name, arguments,
                    (String) context.get(CREDENTIAL), (String) context.get(REQUEST_ID));
            ActionRunner.Result result = outcome.result();
            ByteArrayOutputStream text = new ByteArrayOutputStream();
            HexJsonWriter.write(result.body(), text);
            String json = text.toString(StandardCharsets.UTF_8);
            return McpSchema.JSONRPCResponse.result(request.id(), McpSchema.CallToolResult.builder()
                    .addTextContent(json)
                    // MCP's structured content is an object: an action answering a JSON array gives {"data": [...]}
                    .structuredContent(result.body().isArray() ? Map.of("data", Json.MAPPER.readValue(json, java.util.List.class))
                            : Json.MAPPER.readValue(json, MAP))
                    .isError(false)
                    .meta(result.ignoredParameters().isEmpty()
                            ? Map.of("credentialId", result.credentialId(), "replayed", outcome.replayed())
                            : Map.of("credentialId", result.credentialId(), "replayed", outcome.replayed(), "ignoredParameters", result.ignoredParameters()))
                    .build());
        } catch (Failure e) {
            if (e.code().equals("unknown_action") || e.code().equals("invalid_request")) {
                return McpSchema.JSONRPCResponse.error(request.id(),
                        new McpSchema.JSONRPCResponse.JSONRPCError(McpSchema.ErrorCodes.INVALID_PARAMS, e.getMessage()));
            }
            String message = e.getMessage() + " (" + e.code() + ")";
            if (e.code().equals("integration_not_connected") || e.code().equals("credential_invalid")) {
                message += " The user can connect the account at " + context.get(CONNECT_PAGE);
            }
            // The same code and status that POST /actions answers, for agents that branch on them.
            Map<String, Object> meta = new java.util.LinkedHashMap<>();
            meta.put("code", e.code());
            meta.put("status", ErrorResponses.status(e));
            if (e.credentialId() != null) {
                meta.put("credentialId", e.credentialId());
            }
            return McpSchema.JSONRPCResponse.result(request.id(), McpSchema.CallToolResult.builder()
                    .addTextContent(message).isError(true).meta(meta).build());
        }
    }
}
