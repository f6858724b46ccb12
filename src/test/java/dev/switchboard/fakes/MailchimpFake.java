package dev.switchboard.fakes;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Mailchimp Marketing API 3.0 (vendors.md section 7): HTTP Basic with the API key as password, the data center
 * in the address (here the first path segment, {@code /{dc}/3.0}), {@code count}/{@code offset} with
 * {@code total_items}, application/problem+json errors, 429 without Retry-After.
 */
public final class MailchimpFake extends VendorFake {
    private final List<ObjectNode> lists = new ArrayList<>();
    private final List<ObjectNode> members = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<String> dataCenters = new java.util.concurrent.CopyOnWriteArrayList<>();

    public MailchimpFake(int listCount) {
        for (int i = 1; i <= listCount; i++) {
            ObjectNode list = NODES.objectNode().put("id", String.format("a%09d", i)).put("web_id", 380000 + i).put("name", "Audience " + i);
            list.putObject("stats").put("member_count", i);
            lists.add(list);
        }
    }

    public List<ObjectNode> lists() { return lists; }
    public List<ObjectNode> members() { return members; }
    /** The data center of every call, as read from its address. */
    public List<String> dataCenters() { return dataCenters; }
    public String apiUrlTemplate() { return baseUrl() + "/{dc}/3.0"; }

    @Override
    protected void routes(RoutesConfig routes) {
        get(routes, "/{dc}/3.0/lists", "lists", (ctx, body) -> {
            dataCenters.add(ctx.pathParam("dc"));
            int count = intParam(ctx, "count", 10);
            int offset = intParam(ctx, "offset", 0);
            if (count > 1000) {
                error(ctx, new VendorError(400, "Invalid Resource", "count: Must be less than or equal to 1000"));
                return;
            }
            ObjectNode answer = NODES.objectNode();
            ArrayNode page = answer.putArray("lists");
            lists.subList(Math.min(offset, lists.size()), Math.min(lists.size(), offset + count)).forEach(page::add);
            answer.put("total_items", lists.size());
            answer.putArray("_links");
            json(ctx, 200, answer);
        });
        post(routes, "/{dc}/3.0/lists/{listId}/members", "addMember", this::addMember);
        get(routes, "/{dc}/3.0/lists/{listId}/members", "listMembers", this::listMembers);
        patch(routes, "/{dc}/3.0/lists/{listId}/members/{member}", "updateMember", this::updateMember);
    }

    /** The next instant of the fake's clock, as Mailchimp writes times. */
    private String tick() {
        return nextWrite().atOffset(java.time.ZoneOffset.UTC)
                .format(java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME).replace("Z", "+00:00");
    }

    /** Whether the audience exists; answers Mailchimp's 404 when not. */
    private boolean knownList(Context ctx, String listId) {
        if (lists.stream().anyMatch(l -> l.get("id").asString().equals(listId))) {
            return true;
        }
        error(ctx, new VendorError(404, "Resource Not Found", "The requested resource could not be found."));
        return false;
    }

    /** GET /lists/{id}/members: by status, sorted by sort_field and sort_dir (as stored without), count and offset. */
    private void listMembers(Context ctx, JsonNode body) {
        dataCenters.add(ctx.pathParam("dc"));
        String listId = ctx.pathParam("listId");
        if (!knownList(ctx, listId)) {
            return;
        }
        int count = intParam(ctx, "count", 10);
        int offset = intParam(ctx, "offset", 0);
        String status = ctx.queryParam("status");
        String sortField = ctx.queryParam("sort_field");
        java.util.stream.Stream<ObjectNode> found = members.stream().filter(m -> m.get("list_id").asString().equals(listId))
                .filter(m -> status == null || m.get("status").asString().equals(status));
        if (sortField != null) {
            java.util.Comparator<ObjectNode> by = java.util.Comparator.comparing(m -> m.path(sortField).asString(""));
            found = found.sorted("DESC".equals(ctx.queryParam("sort_dir")) ? by.reversed() : by);
        }
        List<ObjectNode> all = found.toList();
        ObjectNode answer = NODES.objectNode();
        ArrayNode page = answer.putArray("members");
        all.subList(Math.min(offset, all.size()), Math.min(all.size(), offset + count)).forEach(page::add);
        answer.put("list_id", listId).put("total_items", all.size());
        answer.putArray("_links");
        json(ctx, 200, answer);
    }

    /** PATCH /lists/{id}/members/{hash, email address or contact id}. */
    private void updateMember(Context ctx, JsonNode body) {
        dataCenters.add(ctx.pathParam("dc"));
        String key = ctx.pathParam("member");
        String hash = key.contains("@") ? md5(key.toLowerCase(Locale.ROOT)) : key;
        ObjectNode member = members.stream().filter(m -> m.get("list_id").asString().equals(ctx.pathParam("listId")))
                .filter(m -> m.get("id").asString().equals(hash) || m.path("contact_id").asString("").equals(key)).findFirst().orElse(null);
        if (member == null) {
            error(ctx, new VendorError(404, "Resource Not Found", "The requested resource could not be found."));
            return;
        }
        if (body.has("status")) member.put("status", body.get("status").asString());
        if (body.has("merge_fields")) member.set("merge_fields", body.get("merge_fields"));
        if (body.has("email_address")) member.put("email_address", body.get("email_address").asString());
        String now = tick();
        member.put("last_changed", now);
        if ("subscribed".equals(member.get("status").asString()) && member.path("timestamp_opt").asString("").isEmpty()) {
            member.put("timestamp_opt", now);
        }
        json(ctx, 200, member);
    }

    private void addMember(Context ctx, JsonNode body) {
        dataCenters.add(ctx.pathParam("dc"));
        String listId = ctx.pathParam("listId");
        if (!knownList(ctx, listId)) {
            return;
        }
        String email = body.path("email_address").asString("");
        if (!email.contains("@")) {
            error(ctx, new VendorError(400, "Invalid Resource", "Please provide a valid email address."));
            return;
        }
        String hash = md5(email.toLowerCase(Locale.ROOT));
        if (members.stream().anyMatch(m -> m.get("id").asString().equals(hash) && m.get("list_id").asString().equals(listId))) {
            error(ctx, new VendorError(400, "Member Exists", email + " is already a list member. Use PUT to insert or update list members."));
            return;
        }
        ObjectNode member = NODES.objectNode().put("id", hash).put("email_address", email).put("unique_email_id", hash.substring(0, 10))
                .put("status", body.path("status").asString()).put("list_id", listId);
        String now = tick();
        member.put("timestamp_signup", now).put("timestamp_opt", "subscribed".equals(body.path("status").asString()) ? now : "").put("last_changed", now);
        member.set("merge_fields", body.has("merge_fields") ? body.get("merge_fields") : NODES.objectNode());
        members.add(member);
        json(ctx, 200, member);
    }

    private static String md5(String text) {
        try {
            return String.format("%032x", new BigInteger(1, MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8))));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected String credentialOf(Context ctx) {
        return basicPassword(ctx);
    }

    @Override
    protected void rejectCredential(Context ctx) {
        error(ctx, new VendorError(401, "API Key Invalid", "Your API key may be invalid, or you've attempted to access the wrong datacenter."));
    }

    @Override
    protected void rateLimit(Context ctx, int retryAfterSeconds) {
        // Mailchimp sends no Retry-After.
        error(ctx, new VendorError(429, "Too Many Requests", "You have exceeded the limit of 10 simultaneous connections."));
    }

    @Override
    protected void error(Context ctx, VendorError error) {
        ObjectNode body = NODES.objectNode().put("type", "https://mailchimp.com/developer/marketing/docs/errors/")
                .put("title", error.code()).put("status", error.status()).put("detail", error.message())
                .put("instance", UUID.randomUUID().toString());
        ctx.status(error.status()).contentType("application/problem+json; charset=utf-8").result(body.toString());
    }
}
