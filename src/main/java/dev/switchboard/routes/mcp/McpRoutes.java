package dev.switchboard.routes.mcp;

import dev.switchboard.http.RequestIds;
import dev.switchboard.http.UserAuthenticator;
import dev.switchboard.auth.UserPrincipal;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.transport.HttpServletStatelessServerTransport;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.http.HttpServletRequest;
import java.util.HashMap;
import java.util.Map;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.ser.std.StdSerializer;

/**
 * {@code /projects/{projectId}/mcp}: MCP over Streamable HTTP with the official SDK's servlet transport, in the same
 * server and port. The user token is checked first, as for every user endpoint: without a valid one the caller gets
 * 401 and no MCP exchange happens. The transport is stateless (each POST carries its own token), so any node of a
 * cluster answers any request.
 */
public final class McpRoutes {
    /**
     * The transport answers a message it cannot read by writing its McpError as the body; Jackson would write the
     * whole exception, stack trace included. This writes it as a JSON-RPC error instead.
     */
    private static final SimpleModule ERRORS_AS_JSON_RPC = new SimpleModule().addSerializer(McpError.class,
            new StdSerializer<>(McpError.class) {
                @Override
                public void serialize(McpError error, JsonGenerator json, SerializationContext context) {
                    McpSchema.JSONRPCResponse.JSONRPCError rpc = error.getJsonRpcError();
                    json.writeStartObject();
                    json.writeStringProperty("jsonrpc", McpSchema.JSONRPC_VERSION);
                    json.writeNullProperty("id");
                    json.writeName("error");
                    json.writeStartObject();
                    json.writeNumberProperty("code", rpc == null ? McpSchema.ErrorCodes.INTERNAL_ERROR : rpc.code());
                    json.writeStringProperty("message", rpc == null ? "internal error" : rpc.message());
                    json.writeEndObject();
                    json.writeEndObject();
                }
            });

    private final UserAuthenticator users;
    private final HttpServletStatelessServerTransport transport;
    private final String publicUrl;

    public McpRoutes(UserAuthenticator users, McpToolHandler handler, String publicUrl) {
        this.users = users;
        this.publicUrl = publicUrl;
        this.transport = HttpServletStatelessServerTransport.builder()
                // The SDK's own mapper settings (tolerant of fields newer clients add), not the server's strict one.
                .jsonMapper(new JacksonMcpJsonMapper(JsonMapper.builder().addModule(ERRORS_AS_JSON_RPC).build()))
                .messageEndpoint("/mcp")
                .contextExtractor(McpRoutes::context)
                .build();
        transport.setMcpHandler(handler);
    }

    public void register(RoutesConfig routes) {
        for (HandlerType method : new HandlerType[] {HandlerType.POST, HandlerType.GET, HandlerType.DELETE}) {
            routes.addHttpHandler(method, "/projects/{projectId}/mcp", this::serve);
        }
    }

    private void serve(Context ctx) throws Exception {
        UserPrincipal user = users.authenticate(ctx);
        user.requireActionKit(); // like a bad token, a token without the permission is refused before any MCP exchange
        HttpServletRequest request = ctx.req();
        request.setAttribute(McpToolHandler.USER, user);
        request.setAttribute(McpToolHandler.CREDENTIAL, ctx.header("X-Paragon-Credential"));
        request.setAttribute(McpToolHandler.REQUEST_ID, RequestIds.of(ctx));
        String base = publicUrl != null ? publicUrl.replaceAll("/$", "") : ctx.scheme() + "://" + ctx.host();
        request.setAttribute(McpToolHandler.CONNECT_PAGE, base + "/projects/" + user.projectId() + "/connect");
        transport.service(request, ctx.res());
    }

    private static McpTransportContext context(HttpServletRequest request) {
        Map<String, Object> values = new HashMap<>();
        for (String key : new String[] {McpToolHandler.USER, McpToolHandler.CREDENTIAL, McpToolHandler.REQUEST_ID, McpToolHandler.CONNECT_PAGE}) {
            Object value = request.getAttribute(key);
            if (value != null) {
                values.put(key, value);
            }
        }
        return McpTransportContext.create(values);
    }
}
