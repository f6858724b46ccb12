package dev.switchboard.routes.mcp;

import dev.switchboard.actions.InputValidator;
import dev.switchboard.auth.UserPrincipal;
import dev.switchboard.http.JsonBodies;
import dev.switchboard.http.ConnectPage;
import dev.switchboard.http.RequestIds;
import dev.switchboard.http.ServerTiming;
import dev.switchboard.http.UserAuthenticator;
import dev.switchboard.json.Json;
import dev.switchboard.outcomes.Failure;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.transport.HttpServletStatelessServerTransport;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.node.ObjectNode;
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
    private final McpToolHandler handler;

    public McpRoutes(UserAuthenticator users, McpToolHandler handler, String publicUrl) {
        this.users = users;
        this.handler = handler;
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
        long started = System.nanoTime();
        UserPrincipal user = users.authenticate(ctx);
        user.requireActionKit(); // like a bad token, a token without the permission is refused before any MCP exchange
        HttpServletRequest request = ctx.req();
        if (ctx.method() == HandlerType.POST) {
            JsonNode message = strictlyRead(ctx);
            if (message == null) {
                return;
            }
            if (message.path("method").asString("").equals(McpSchema.METHOD_TOOLS_LIST) && message.has("id")) {
                byte[] tools = handler.toolsList(user, message.get("id"));
                ServerTiming.stamp(ctx, started);
                ctx.contentType("application/json").result(tools);
                return;
            }
            request = withBody(ctx, message);
        }
        request.setAttribute(McpToolHandler.USER, user);
        request.setAttribute(McpToolHandler.CREDENTIAL, ctx.header("X-Paragon-Credential"));
        request.setAttribute(McpToolHandler.REQUEST_ID, RequestIds.of(ctx));
        request.setAttribute(McpToolHandler.CONNECT_PAGE, ConnectPage.address(ctx, publicUrl, user.projectId()));
        transport.service(request, ctx.res());
    }

    /**
     * The message read as {@code POST /actions} reads a body (the 10 MiB limit, a key given twice refused, numbers
     * past a 64-bit integer refused), to be handed to the SDK as it was read. The SDK's own parser would let the
     * last of two keys win and read 1e400 as Infinity. A message refused here is answered as the SDK answers an
     * unreadable one (HTTP 400, JSON-RPC -32600); null then.
     */
    private static JsonNode strictlyRead(Context ctx) {
        JsonNode message;
        List<String> problems = new ArrayList<>();
        try {
            message = JsonBodies.read(ctx);
            InputValidator.numbersOutOfRange(message, "message", problems);
        } catch (Failure failure) {
            if (failure.kind() == Failure.Kind.TOO_LARGE || failure.kind() == Failure.Kind.UNSUPPORTED_MEDIA_TYPE) {
                throw failure;
            }
            problems.add(failure.getMessage());
            message = null;
        }
        if (!problems.isEmpty()) {
            ObjectNode error = Json.object().put("jsonrpc", McpSchema.JSONRPC_VERSION).putNull("id");
            error.putObject("error").put("code", McpSchema.ErrorCodes.INVALID_REQUEST).put("message", String.join("; ", problems));
            ctx.status(400).contentType("application/json").result(Json.write(error));
            return null;
        }
        return message;
    }

    /** The request with the message as read, for the SDK. */
    private static HttpServletRequest withBody(Context ctx, JsonNode message) {
        byte[] body = Json.write(message).getBytes(StandardCharsets.UTF_8);
        return new HttpServletRequestWrapper(ctx.req()) {
            @Override
            public ServletInputStream getInputStream() {
                ByteArrayInputStream bytes = new ByteArrayInputStream(body);
                return new ServletInputStream() {
                    @Override public int read() { return bytes.read(); }
                    @Override public int read(byte[] b, int off, int len) { return bytes.read(b, off, len); }
                    @Override public boolean isFinished() { return bytes.available() == 0; }
                    @Override public boolean isReady() { return true; }
                    @Override public void setReadListener(ReadListener listener) { throw new UnsupportedOperationException(); }
                };
            }

            @Override
            public BufferedReader getReader() {
                return new BufferedReader(new InputStreamReader(new ByteArrayInputStream(body), StandardCharsets.UTF_8));
            }

            @Override
            public int getContentLength() {
                return body.length;
            }

            @Override
            public long getContentLengthLong() {
                return body.length;
            }
        };
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
