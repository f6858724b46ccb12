package dev.switchboard.fakes;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Microsoft Graph's mail and calendar for the signed-in user ({@code /v1.0/me}), as Graph answers: lists as
 * {@code {"value": [...], "@odata.nextLink": "<absolute URL with %24skip>"}} (no link on the last page), sendMail
 * 202 with no body, events whose start and end are {@code {"dateTime", "timeZone"}} (refused without either), a
 * calendar view that needs both ends, file attachments with base64 {@code contentBytes}, errors as
 * Graph's errors and lists as {@link GraphFake} writes them.
 */
public final class OutlookFake extends GraphFake {
    public static final String USER = "ada@contoso.onmicrosoft.com";

    private final List<ObjectNode> inbox = new CopyOnWriteArrayList<>();
    private final List<ObjectNode> sent = new CopyOnWriteArrayList<>();
    private final Map<String, ObjectNode> events = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong(100);

    public OutlookFake(int inboxSize) {
        for (int i = 1; i <= inboxSize; i++) {
            ObjectNode message = NODES.objectNode().put("id", "AAMkMsg" + i).put("subject", "Message " + i).put("isRead", i % 2 == 0)
                    .put("receivedDateTime", String.format("2026-11-%02dT09:00:00Z", i));
            message.putObject("from").putObject("emailAddress").put("address", "grace@example.com").put("name", "Grace Hopper");
            message.putObject("body").put("contentType", "html").put("content", "<p>Body " + i + "</p>");
            inbox.add(message);
        }
    }

    /** The messages sendMail accepted, as sent. */
    public List<ObjectNode> sent() {
        return List.copyOf(sent);
    }

    public Map<String, ObjectNode> events() {
        return events;
    }

    /** A message arrives in the inbox (received now, after every other); returns it. */
    public ObjectNode receive(String subject, String from) {
        String now = java.time.Instant.parse("2026-12-01T00:00:00Z").plusSeconds(ids.incrementAndGet()).toString();
        ObjectNode message = NODES.objectNode().put("id", "AAMkMsg" + ids.get()).put("subject", subject).put("isRead", false)
                .put("receivedDateTime", now).put("lastModifiedDateTime", now);
        message.putObject("from").putObject("emailAddress").put("address", from).put("name", from);
        message.putObject("body").put("contentType", "html").put("content", "<p>" + subject + "</p>");
        inbox.add(message);
        return message;
    }

    /** $orderby on one date property (its times have one width here, so text order is time order); as stored without one. */
    private static java.util.Comparator<ObjectNode> order(String orderBy) {
        if (orderBy == null) {
            return (a, b) -> 0;
        }
        String[] key = orderBy.trim().split("\\s+");
        java.util.Comparator<ObjectNode> by = java.util.Comparator.comparing(m -> m.path(key[0]).asString(""));
        return key.length > 1 && key[1].equalsIgnoreCase("desc") ? by.reversed() : by;
    }

    @Override
    protected void routes(RoutesConfig routes) {
        String me = "/v1.0/me";
        get(routes, me, "me", (ctx, body) -> json(ctx, 200, NODES.objectNode().put("id", "87d349ed-44d7-43e1-9a83-5f2406dee5bd")
                .put("userPrincipalName", USER).put("displayName", "Ada Lovelace").put("mail", USER)));
        post(routes, me + "/sendMail", "sendMail", (ctx, body) -> {
            JsonNode message = body.path("message");
            if (!message.path("toRecipients").isArray() || message.path("toRecipients").isEmpty()) {
                error(ctx, new VendorError(400, "ErrorInvalidRecipients", "At least one recipient is not valid."));
                return;
            }
            for (JsonNode attachment : message.path("attachments")) {
                if (!"#microsoft.graph.fileAttachment".equals(attachment.path("@odata.type").asString())) {
                    error(ctx, new VendorError(400, "ErrorInvalidAttachmentType", "The attachment type is missing or not valid."));
                    return;
                }
                Base64.getDecoder().decode(attachment.path("contentBytes").asString(""));
            }
            sent.add((ObjectNode) message.deepCopy());
            ctx.status(202);
        });
        get(routes, me + "/mailFolders/{folder}/messages", "listMessages", (ctx, body) -> {
            if (!ctx.pathParam("folder").equalsIgnoreCase("inbox")) {
                error(ctx, new VendorError(404, "ErrorItemNotFound", "The specified object was not found in the store."));
                return;
            }
            List<JsonNode> found = new ArrayList<>();
            String search = ctx.queryParam("$search");
            inbox.stream().filter(m -> search == null || m.get("subject").asString().toLowerCase().contains(search.replace("\"", "").toLowerCase()))
                    .sorted(order(ctx.queryParam("$orderby"))).forEach(found::add);
            list(ctx, found, "$skip", 10);
        });
        get(routes, me + "/messages/{id}", "getMessage", (ctx, body) -> {
            ObjectNode message = inbox.stream().filter(m -> m.get("id").asString().equals(ctx.pathParam("id"))).findFirst().orElse(null);
            if (message == null) {
                error(ctx, new VendorError(404, "ErrorItemNotFound", "The specified object was not found in the store."));
                return;
            }
            json(ctx, 200, message);
        });
        post(routes, me + "/calendar/events", "createEvent", (ctx, body) -> {
            if (!validTime(body.path("start")) || !validTime(body.path("end"))) {
                error(ctx, new VendorError(400, "ErrorInvalidRequest", "Your request can't be completed. The event's start and end need a dateTime and a timeZone."));
                return;
            }
            ObjectNode event = ((ObjectNode) body.deepCopy()).put("id", "AAMkEvt" + ids.incrementAndGet());
            events.put(event.get("id").asString(), event);
            json(ctx, 201, event);
        });
        patch(routes, me + "/events/{id}", "updateEvent", (ctx, body) -> {
            ObjectNode event = events.get(ctx.pathParam("id"));
            if (event == null) {
                error(ctx, new VendorError(404, "ErrorItemNotFound", "The specified object was not found in the store."));
                return;
            }
            body.properties().forEach(e -> event.set(e.getKey(), e.getValue()));
            json(ctx, 200, event);
        });
        get(routes, me + "/events/{id}", "getEvent", (ctx, body) -> {
            ObjectNode event = events.get(ctx.pathParam("id"));
            if (event == null) {
                error(ctx, new VendorError(404, "ErrorItemNotFound", "The specified object was not found in the store."));
                return;
            }
            json(ctx, 200, event);
        });
        delete(routes, me + "/events/{id}", "deleteEvent", (ctx, body) -> {
            if (events.remove(ctx.pathParam("id")) == null) {
                error(ctx, new VendorError(404, "ErrorItemNotFound", "The specified object was not found in the store."));
                return;
            }
            ctx.status(204);
        });
        get(routes, me + "/calendars", "calendars", (ctx, body) -> list(ctx, List.of(NODES.objectNode().put("id", "AAMkCal1")
                .put("name", "Calendar").put("isDefaultCalendar", true).put("canEdit", true)), "$skip", 10));
        get(routes, me + "/calendar/calendarView", "calendarView", (ctx, body) -> {
            if (ctx.queryParam("startDateTime") == null || ctx.queryParam("endDateTime") == null) {
                error(ctx, new VendorError(400, "ErrorInvalidParameter", "This request requires a time window specified by the query string parameters StartDateTime and EndDateTime."));
                return;
            }
            list(ctx, new ArrayList<>(events.values()), "$skip", 10);
        });
    }

    private static boolean validTime(JsonNode time) {
        return time.path("dateTime").isString() && time.path("dateTime").asString().matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?")
                && time.path("timeZone").isString() && !time.path("timeZone").asString().isBlank();
    }
}
