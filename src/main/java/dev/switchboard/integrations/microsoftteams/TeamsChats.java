package dev.switchboard.integrations.microsoftteams;

import dev.switchboard.json.Json;
import dev.switchboard.outcomes.Echo;
import dev.switchboard.outcomes.Failure;
import dev.switchboard.programs.ActionProgram;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Microsoft Teams' message to a chat or a person, ActionKit's {@code TEAMS_SEND_MESSAGE_IN_CHAT}: its
 * {@code chatRecipient} is a chat's ID, or {@code "chatType|id"} as its member list gives them, where
 * {@code oneOnOne|<user id>} means a person. Graph posts only to chats, so for a person the one-on-one chat is made
 * first ({@code POST /chats} answers the existing one when the two already have one), with the connected user's own
 * ID read from {@code /me}.
 */
public final class TeamsChats {
    static final String ME = "TEAMS_GET_CURRENT_USER";
    static final String CREATE_CHAT = "TEAMS_CREATE_CHAT";
    static final String SEND = "TEAMS_SEND_CHAT_MESSAGE";
    /** A directory object's ID (a GUID), which goes into an OData key between quotes. */
    private static final Pattern USER_ID = Pattern.compile("[0-9A-Za-z-]{1,64}");

    private TeamsChats() {}

    public static Map<String, ActionProgram> all() {
        return Map.of("teamsSendMessageInChat", ActionProgram.of(false, Set.of(ME, CREATE_CHAT, SEND), TeamsChats::send));
    }

    private static JsonNode send(JsonNode input, ActionProgram.Steps steps) {
        String recipient = input.get("chatRecipient").asString().strip();
        String chatId = recipient;
        int bar = recipient.indexOf('|');
        if (bar >= 0) {
            String type = recipient.substring(0, bar);
            String id = recipient.substring(bar + 1);
            switch (type) {
                case "oneOnOne" -> chatId = oneOnOneChat(id, steps);
                case "group", "meeting" -> chatId = id;
                default -> throw Failure.invalidInput("invalid_parameters", "parameters.chatRecipient: " + Echo.quote(type)
                        + " is not a chat type; give oneOnOne|<user id>, group|<chat id>, meeting|<chat id> or a chat ID.");
            }
        }
        if (chatId.isBlank()) {
            throw Failure.invalidInput("invalid_parameters", "parameters.chatRecipient: names no chat or person.");
        }
        ObjectNode message = Json.object().put("chatId", chatId).put("message", input.get("message").asString());
        for (String optional : List.of("subject", "contentType", "importance")) {
            if (input.hasNonNull(optional)) {
                message.set(optional, input.get(optional));
            }
        }
        return steps.run(SEND, message);
    }

    /** The one-on-one chat of the connected user and this person: made, or (Graph's answer) the one they have. */
    private static String oneOnOneChat(String userId, ActionProgram.Steps steps) {
        if (!USER_ID.matcher(userId).matches()) {
            throw Failure.invalidInput("invalid_parameters", "parameters.chatRecipient: " + Echo.quote(userId)
                    + " is not a user's ID (TEAMS_MEMBER_LIST gives them as userId).");
        }
        String me = steps.run(ME, Json.object()).path("id").asString(null);
        if (me == null) {
            throw new Failure(Failure.Kind.VENDOR_FAILED, "integration_response_unreadable", "Microsoft Graph's /me answer has no id.");
        }
        ObjectNode chat = Json.object().put("chatType", "oneOnOne");
        ArrayNode members = chat.putArray("members");
        for (String id : List.of(me, userId)) {
            members.addObject().put("@odata.type", "#microsoft.graph.aadUserConversationMember").put("user@odata.bind",
                    "https://graph.microsoft.com/v1.0/users('" + id + "')").putArray("roles").add("owner");
        }
        String chatId = steps.run(CREATE_CHAT, chat).path("id").asString(null);
        if (chatId == null) {
            throw new Failure(Failure.Kind.VENDOR_FAILED, "integration_response_unreadable", "Microsoft Graph's answer to making the chat has no id.");
        }
        return chatId;
    }
}
