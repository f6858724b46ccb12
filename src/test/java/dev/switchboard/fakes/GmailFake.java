package dev.switchboard.fakes;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Gmail API v1 and the People API's contacts, as Google answers them: messages sent as base64url RFC 822 in
 * {@code raw} (parsed here as Gmail would, refused when it is not a message), {@code messages.list} paged by
 * {@code pageToken} with a {@code q} whose {@code from:} and {@code subject:} terms filter, trash as a label, drafts,
 * labels, threads, contacts by resource name (a path with a slash), Google's error shape, 429 {@code rateLimitExceeded}.
 */
public final class GmailFake extends GoogleFake {
    public static final String EMAIL = "ada@example.com";
    private static final Session MAIL = Session.getInstance(new Properties());

    private final List<ObjectNode> messages = new CopyOnWriteArrayList<>();
    /** Each sent message as Gmail parsed it, by id. */
    private final Map<String, MimeMessage> parsed = new ConcurrentHashMap<>();
    private final Map<String, ObjectNode> drafts = new ConcurrentHashMap<>();
    private final List<ObjectNode> contacts = new CopyOnWriteArrayList<>();
    private final Map<String, byte[]> attachments = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong(0x18c6f1a2b3c4L);
    private volatile boolean warm;

    public GmailFake(int inboxSize) {
        for (int i = 1; i <= inboxSize; i++) {
            ObjectNode message = message("Message " + i, i % 2 == 0 ? "grace@example.com" : "alan@example.com");
            messages.add(message);
        }
    }

    public String apiUrl() { return baseUrl() + "/gmail/v1"; }
    public String peopleUrl() { return baseUrl() + "/v1"; }
    public List<ObjectNode> messages() { return messages; }

    /** A message arrives in the inbox (the newest); returns it. */
    public ObjectNode receive(String subject, String from) {
        ObjectNode message = message(subject, from);
        messages.add(message);
        return message;
    }

    /** A reply arrives in the thread of a message already there; returns it. */
    public ObjectNode reply(String threadId, String subject, String from) {
        ObjectNode message = message(subject, from).put("threadId", threadId);
        messages.add(message);
        return message;
    }
    public MimeMessage sent(String id) { return parsed.get(id); }
    public List<ObjectNode> contacts() { return contacts; }

    private ObjectNode message(String subject, String from) {
        String id = Long.toHexString(ids.incrementAndGet());
        ObjectNode message = NODES.objectNode().put("id", id).put("threadId", id).put("snippet", subject);
        message.putArray("labelIds").add("INBOX").add("UNREAD");
        ArrayNode headers = message.putObject("payload").put("mimeType", "text/html").putArray("headers");
        headers.addObject().put("name", "Subject").put("value", subject);
        headers.addObject().put("name", "From").put("value", from);
        headers.addObject().put("name", "Message-ID").put("value", "<" + id + "@mail.example.com>");
        return message;
    }

    private static String header(JsonNode message, String name) {
        for (JsonNode header : message.at("/payload/headers")) {
            if (header.path("name").asString().equalsIgnoreCase(name)) {
                return header.path("value").asString();
            }
        }
        return "";
    }

    @Override
    protected void routes(RoutesConfig routes) {
        String users = "/gmail/v1/users/{userId}";
        get(routes, users + "/profile", "profile", (ctx, body) -> json(ctx, 200, NODES.objectNode().put("emailAddress", EMAIL)
                .put("messagesTotal", messages.size()).put("threadsTotal", messages.size()).put("historyId", "1234")));
        post(routes, users + "/messages/send", "send", (ctx, body) -> {
            ObjectNode sent = store(ctx, body.path("raw"));
            if (sent != null && body.has("threadId")) {
                sent.put("threadId", body.get("threadId").asString()); // a reply joins the thread it names
            }
            if (sent != null) {
                ObjectNode answer = NODES.objectNode().put("id", sent.get("id").asString()).put("threadId", sent.get("threadId").asString());
                answer.putArray("labelIds").add("SENT");
                json(ctx, 200, answer);
            }
        });
        get(routes, users + "/messages", "list", (ctx, body) -> {
            String q = ctx.queryParam("q") == null ? "" : ctx.queryParam("q");
            List<ObjectNode> matching = new ArrayList<>();
            for (ObjectNode message : messages.reversed()) { // newest first, as Gmail lists them
                boolean keep = !message.path("labelIds").toString().contains("TRASH");
                for (String term : q.split("\\s+")) {
                    if (term.equals("in:inbox")) keep &= message.path("labelIds").toString().contains("\"INBOX\"");
                    if (term.startsWith("from:")) keep &= header(message, "From").contains(term.substring(5));
                    if (term.startsWith("subject:")) keep &= header(message, "Subject").toLowerCase().contains(term.substring(8).toLowerCase());
                }
                if (keep) matching.add(message);
            }
            int size = intParam(ctx, "maxResults", 100);
            int start = ctx.queryParam("pageToken") == null ? 0 : Integer.parseInt(ctx.queryParam("pageToken"));
            int end = Math.min(matching.size(), start + size);
            ObjectNode answer = NODES.objectNode().put("resultSizeEstimate", matching.size());
            ArrayNode list = answer.putArray("messages");
            matching.subList(start, end).forEach(m -> list.addObject().put("id", m.get("id").asString()).put("threadId", m.get("threadId").asString()));
            if (end < matching.size()) answer.put("nextPageToken", String.valueOf(end));
            json(ctx, 200, answer);
        });
        get(routes, users + "/messages/{id}", "get", (ctx, body) -> {
            ObjectNode message = find(ctx, ctx.pathParam("id"));
            if (message != null) json(ctx, 200, message);
        });
        get(routes, users + "/messages/{id}/attachments/{attachmentId}", "attachment", (ctx, body) -> {
            byte[] bytes = attachments.get(ctx.pathParam("attachmentId"));
            if (find(ctx, ctx.pathParam("id")) == null) return;
            if (bytes == null) {
                error(ctx, new VendorError(400, "invalidArgument", "Invalid attachment token"));
                return;
            }
            json(ctx, 200, NODES.objectNode().put("size", bytes.length).put("data", Base64.getUrlEncoder().encodeToString(bytes)));
        });
        post(routes, users + "/messages/{id}/trash", "trash", (ctx, body) -> {
            ObjectNode message = find(ctx, ctx.pathParam("id"));
            if (message != null) {
                ((ArrayNode) message.get("labelIds")).removeAll().add("TRASH");
                json(ctx, 200, message);
            }
        });
        post(routes, users + "/messages/{id}/modify", "modify", (ctx, body) -> {
            ObjectNode message = find(ctx, ctx.pathParam("id"));
            if (message == null) return;
            List<String> labels = new ArrayList<>();
            message.get("labelIds").forEach(l -> labels.add(l.asString()));
            body.path("removeLabelIds").forEach(l -> labels.remove(l.asString()));
            body.path("addLabelIds").forEach(l -> { if (!labels.contains(l.asString())) labels.add(l.asString()); });
            ArrayNode list = message.putArray("labelIds");
            labels.forEach(list::add);
            json(ctx, 200, message);
        });
        get(routes, users + "/threads/{id}", "thread", (ctx, body) -> {
            ObjectNode thread = NODES.objectNode().put("id", ctx.pathParam("id"));
            ArrayNode list = thread.putArray("messages");
            messages.stream().filter(m -> m.get("threadId").asString().equals(ctx.pathParam("id"))).forEach(list::add);
            if (list.isEmpty()) error(ctx, new VendorError(404, "notFound", "Requested entity was not found."));
            else json(ctx, 200, thread);
        });
        post(routes, users + "/drafts", "createDraft", (ctx, body) -> {
            ObjectNode message = parse(ctx, body.at("/message/raw"));
            if (message == null) return;
            ObjectNode draft = NODES.objectNode().put("id", "r-" + ids.incrementAndGet());
            draft.set("message", message);
            drafts.put(draft.get("id").asString(), draft);
            json(ctx, 200, draft);
        });
        post(routes, users + "/drafts/send", "sendDraft", (ctx, body) -> {
            ObjectNode draft = drafts.remove(body.path("id").asString());
            if (draft == null) {
                error(ctx, new VendorError(404, "notFound", "Requested entity was not found."));
                return;
            }
            ObjectNode message = (ObjectNode) draft.get("message");
            ((ArrayNode) message.get("labelIds")).removeAll().add("SENT");
            messages.add(message);
            json(ctx, 200, message);
        });
        get(routes, users + "/labels", "labels", (ctx, body) -> {
            ObjectNode answer = NODES.objectNode();
            ArrayNode labels = answer.putArray("labels");
            for (String system : List.of("INBOX", "SENT", "TRASH", "UNREAD", "STARRED")) {
                labels.addObject().put("id", system).put("name", system).put("type", "system");
            }
            labels.addObject().put("id", "Label_12").put("name", "Projects").put("type", "user");
            json(ctx, 200, answer);
        });
        post(routes, "/v1/people:createContact", "createContact", (ctx, body) -> {
            if (!body.has("names") && !body.has("emailAddresses")) {
                error(ctx, new VendorError(400, "badRequest", "Request must set at least one field."));
                return;
            }
            ObjectNode person = ((ObjectNode) body.deepCopy()).put("resourceName", "people/c" + ids.incrementAndGet()).put("etag", "%EgUB");
            contacts.add(person);
            json(ctx, 200, person);
        });
        get(routes, "/v1/people/{contact}", "getContact", (ctx, body) -> {
            ObjectNode person = contact(ctx);
            if (person != null) json(ctx, 200, person);
        });
        delete(routes, "/v1/people/{contact}", "deleteContact", (ctx, body) -> {
            // Google's DELETE /v1/people/c123:deleteContact: the colon action arrives as part of the last segment
            String segment = ctx.pathParam("contact");
            if (!segment.endsWith(":deleteContact")) {
                error(ctx, new VendorError(404, "notFound", "Not Found"));
                return;
            }
            ObjectNode person = contacts.stream().filter(c -> c.get("resourceName").asString().equals("people/" + segment.replace(":deleteContact", "")))
                    .findFirst().orElse(null);
            if (person == null) {
                error(ctx, new VendorError(404, "notFound", "Requested entity was not found."));
                return;
            }
            contacts.remove(person);
            json(ctx, 200, NODES.objectNode());
        });
        get(routes, "/v1/people:searchContacts", "searchContacts", (ctx, body) -> {
            String query = ctx.queryParam("query");
            ObjectNode answer = NODES.objectNode();
            if (query == null || query.isEmpty() || !warm) {
                warm = warm || (query != null && query.isEmpty());
                json(ctx, 200, answer);
                return;
            }
            ArrayNode results = answer.putArray("results");
            contacts.stream().filter(c -> c.toString().toLowerCase().contains(query.toLowerCase())).forEach(c -> results.addObject().set("person", c));
            json(ctx, 200, answer);
        });
    }

    private ObjectNode contact(Context ctx) {
        ObjectNode person = contacts.stream().filter(c -> c.get("resourceName").asString().equals("people/" + ctx.pathParam("contact")))
                .findFirst().orElse(null);
        if (person == null) {
            error(ctx, new VendorError(404, "notFound", "Requested entity was not found."));
        }
        return person;
    }

    private ObjectNode find(Context ctx, String id) {
        ObjectNode message = messages.stream().filter(m -> m.get("id").asString().equals(id)).findFirst().orElse(null);
        if (message == null) {
            error(ctx, new VendorError(404, "notFound", "Requested entity was not found."));
        }
        return message;
    }

    /** The raw message as Gmail reads it: base64url (padding optional) of an RFC 822 message with a recipient. */
    private ObjectNode parse(Context ctx, JsonNode raw) {
        try {
            MimeMessage mime = new MimeMessage(MAIL, new ByteArrayInputStream(Base64.getUrlDecoder().decode(raw.asString())));
            ObjectNode message = message(mime.getSubject() == null ? "" : mime.getSubject(), EMAIL);
            parsed.put(message.get("id").asString(), mime);
            // Attachments become parts with an attachmentId, as Gmail lists them; their bytes are fetched by that id.
            if (mime.getContent() instanceof jakarta.mail.Multipart multipart) {
                ArrayNode parts = ((ObjectNode) message.get("payload")).putArray("parts");
                for (int i = 0; i < multipart.getCount(); i++) {
                    jakarta.mail.BodyPart part = multipart.getBodyPart(i);
                    if (part.getFileName() == null) continue;
                    String attachmentId = "ANGjdJ" + ids.incrementAndGet();
                    attachments.put(attachmentId, part.getInputStream().readAllBytes());
                    parts.addObject().put("filename", jakarta.mail.internet.MimeUtility.decodeText(part.getFileName()))
                            .put("mimeType", part.getContentType().split(";")[0]).putObject("body").put("attachmentId", attachmentId);
                }
            }
            ((ArrayNode) message.get("labelIds")).removeAll().add("DRAFT");
            return message;
        } catch (Exception e) {
            error(ctx, new VendorError(400, "invalidArgument", "Invalid value for ByteString: " + e.getMessage()));
            return null;
        }
    }

    private ObjectNode store(Context ctx, JsonNode raw) {
        ObjectNode message = parse(ctx, raw);
        if (message == null) {
            return null;
        }
        try {
            if (sent(message.get("id").asString()).getAllRecipients() == null) {
                error(ctx, new VendorError(400, "invalidArgument", "Recipient address required"));
                return null;
            }
        } catch (jakarta.mail.MessagingException e) {
            error(ctx, new VendorError(400, "invalidArgument", e.getMessage()));
            return null;
        }
        ((ArrayNode) message.get("labelIds")).removeAll().add("SENT");
        messages.add(message);
        return message;
    }
}
