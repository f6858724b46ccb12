package dev.switchboard.fakes;

import io.javalin.config.RoutesConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Microsoft Graph's Teams for the signed-in user ({@value #ME_ID}): one team with channels (paged by
 * {@code %24skiptoken} links) and members, chats and their messages, the directory's users filtered by OData
 * {@code mail eq '...' or userPrincipalName eq '...'}, and {@code POST /chats} answering the existing one-on-one chat
 * of two users, as Graph does. Errors and lists as {@link GraphFake} writes them.
 */
public final class TeamsFake extends GraphFake {
    public static final String ME_ID = "87d349ed-44d7-43e1-9a83-5f2406dee5bd";
    public static final String USER = "ada@contoso.onmicrosoft.com";
    public static final String TEAM = "fbe2bf47-16c8-47cf-b4a5-4b9b187c508b";
    public static final String GRACE_ID = "48d31887-5fad-4d73-a9f5-3c356e68a038";

    private final List<ObjectNode> channels = new CopyOnWriteArrayList<>();
    private final Map<String, ObjectNode> chats = new ConcurrentHashMap<>();
    private final Map<String, List<ObjectNode>> messages = new ConcurrentHashMap<>();

    public TeamsFake(int channelCount) {
        for (int i = 1; i <= channelCount; i++) {
            channels.add(NODES.objectNode().put("id", "19:channel" + i + "@thread.tacv2").put("displayName", "Channel " + i)
                    .put("membershipType", "standard"));
        }
    }

    /** A channel made in the team by other means (the Teams app); returns its id. */
    public String addChannel(String name) {
        String id = "19:" + java.util.UUID.randomUUID().toString().replace("-", "") + "@thread.tacv2";
        channels.add(NODES.objectNode().put("id", id).put("displayName", name).put("membershipType", "standard"));
        return id;
    }

    /** Messages posted to a chat or channel, by its id. */
    public List<ObjectNode> messages(String conversationId) {
        return messages.getOrDefault(conversationId, List.of());
    }

    public Map<String, ObjectNode> chats() {
        return chats;
    }

    @Override
    protected void routes(RoutesConfig routes) {
        get(routes, "/v1.0/me", "me", (ctx, body) -> json(ctx, 200, NODES.objectNode().put("id", ME_ID).put("userPrincipalName", USER)
                .put("displayName", "Ada Lovelace")));
        get(routes, "/v1.0/me/joinedTeams", "joinedTeams", (ctx, body) -> list(ctx, List.of(NODES.objectNode().put("id", TEAM)
                .put("displayName", "Release crew")), "$skiptoken", 100));
        get(routes, "/v1.0/teams/{team}/channels", "channels", (ctx, body) -> {
            if (!ctx.pathParam("team").equals(TEAM)) {
                notFound(ctx);
                return;
            }
            String filter = ctx.queryParam("$filter");
            List<ObjectNode> found = channels.stream().filter(c -> filter == null
                    || filter.equals("membershipType eq '" + c.get("membershipType").asString() + "'")).toList();
            list(ctx, found, "$skiptoken", 2); // Graph pages channels at its own size
        });
        get(routes, "/v1.0/teams/{team}/members", "members", (ctx, body) -> list(ctx, List.of(
                member("m-1", ME_ID, "Ada Lovelace", USER), member("m-2", GRACE_ID, "Grace Hopper", "grace@contoso.onmicrosoft.com")), "$skiptoken", 100));
        get(routes, "/v1.0/users", "users", (ctx, body) -> {
            String filter = String.valueOf(ctx.queryParam("$filter"));
            List<ObjectNode> users = new ArrayList<>();
            if (filter.contains("'grace@contoso.onmicrosoft.com'")) {
                users.add(NODES.objectNode().put("id", GRACE_ID).put("displayName", "Grace Hopper").put("mail", "grace@contoso.onmicrosoft.com"));
            }
            list(ctx, users, "$skiptoken", 100);
        });
        post(routes, "/v1.0/teams/{team}/channels/{channel}/messages", "channelMessage", (ctx, body) -> post(ctx, ctx.pathParam("channel"), body));
        post(routes, "/v1.0/chats", "createChat", (ctx, body) -> {
            List<String> members = new ArrayList<>();
            body.path("members").forEach(m -> members.add(m.path("user@odata.bind").asString("")));
            if (!"oneOnOne".equals(body.path("chatType").asString()) || members.size() != 2
                    || members.stream().noneMatch(m -> m.contains("'" + ME_ID + "'"))) {
                error(ctx, new VendorError(400, "BadRequest", "A one-on-one chat has the caller and one other user as members."));
                return;
            }
            String other = members.stream().filter(m -> !m.contains(ME_ID)).findFirst().orElseThrow();
            String id = "19:" + ME_ID + "_" + other.replaceAll(".*'(.*)'.*", "$1") + "@unq.gbl.spaces";
            boolean existing = chats.containsKey(id);
            chats.computeIfAbsent(id, k -> NODES.objectNode().put("id", k).put("chatType", "oneOnOne"));
            json(ctx, existing ? 200 : 201, chats.get(id));
        });
        post(routes, "/v1.0/chats/{chat}/messages", "chatMessage", (ctx, body) -> post(ctx, ctx.pathParam("chat"), body));
        get(routes, "/v1.0/chats/{chat}/messages", "listChatMessages", (ctx, body) -> list(ctx, messages(ctx.pathParam("chat")), "$skiptoken", 50));
    }

    private void post(io.javalin.http.Context ctx, String conversation, JsonNode body) {
        if (!body.path("body").path("content").isString()) {
            error(ctx, new VendorError(400, "BadRequest", "Missing body content"));
            return;
        }
        ObjectNode message = ((ObjectNode) body.deepCopy()).put("id", String.valueOf(1616990000000L + messages(conversation).size()));
        messages.computeIfAbsent(conversation, k -> new CopyOnWriteArrayList<>()).add(message);
        json(ctx, 201, message);
    }

    private static ObjectNode member(String id, String userId, String name, String email) {
        ObjectNode member = NODES.objectNode().put("@odata.type", "#microsoft.graph.aadUserConversationMember").put("id", id)
                .put("userId", userId).put("displayName", name).put("email", email);
        member.putArray("roles").add("owner");
        return member;
    }
}
