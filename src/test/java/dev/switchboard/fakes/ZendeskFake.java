package dev.switchboard.fakes;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Zendesk Support API v2 for one account ({@value #SUBDOMAIN}.zendesk.com), as Zendesk answers: writes wrapped in
 * {@code {"ticket": {...}}} or {@code {"user": {...}}} (an update without the object refused), a comment added by
 * updating the ticket, the search API's {@code type:ticket status:open ...} syntax (the qualifiers the tests use)
 * paged by page/per_page with an absolute {@code next_page} URL and refused past 1,000 results, errors as
 * {@code {"error": "RecordNotFound", "description"}}, 401 {@code invalid_token}, 429 with Retry-After.
 */
public final class ZendeskFake extends VendorFake {
    public static final String SUBDOMAIN = "acme";

    private final Map<Long, ObjectNode> tickets = new ConcurrentHashMap<>();
    private final Map<Long, List<ObjectNode>> comments = new ConcurrentHashMap<>();
    private final Map<Long, ObjectNode> users = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong(35_000);

    public ZendeskFake(int ticketCount) {
        for (int i = 1; i <= ticketCount; i++) {
            long id = ids.incrementAndGet();
            ObjectNode ticket = NODES.objectNode().put("id", id).put("subject", "Printer " + i).put("status", i % 2 == 0 ? "pending" : "open")
                    .put("type", "incident").put("created_at", "2026-01-" + String.format("%02d", i) + "T09:00:00Z");
            ticket.set("updated_at", ticket.get("created_at"));
            // The last ticket has no priority (Zendesk's priority:none).
            if (i < ticketCount) ticket.put("priority", "normal"); else ticket.putNull("priority");
            tickets.put(id, ticket);
        }
    }

    public String apiUrl() {
        return baseUrl() + "/api/v2";
    }

    public Map<Long, ObjectNode> tickets() {
        return tickets;
    }

    public Map<Long, ObjectNode> users() {
        return users;
    }

    public List<ObjectNode> comments(long ticket) {
        return comments.getOrDefault(ticket, List.of());
    }

    @Override
    protected void routes(RoutesConfig routes) {
        post(routes, "/api/v2/tickets", "createTicket", (ctx, body) -> {
            JsonNode given = body.path("ticket");
            if (!given.path("comment").path("body").isString()) {
                error(ctx, new VendorError(422, "RecordInvalid", "Record validation errors: Description: cannot be blank"));
                return;
            }
            long id = ids.incrementAndGet();
            String now = tick();
            ObjectNode ticket = ((ObjectNode) given.deepCopy()).put("id", id).put("status", given.path("status").asString("new"))
                    .put("created_at", now).put("updated_at", now);
            ticket.remove("comment");
            tickets.put(id, ticket);
            addComment(id, given.get("comment"));
            json(ctx, 201, NODES.objectNode().set("ticket", ticket));
        });
        get(routes, "/api/v2/tickets/{id}", "getTicket", (ctx, body) -> withTicket(ctx, ticket -> json(ctx, 200, NODES.objectNode().set("ticket", ticket))));
        put(routes, "/api/v2/tickets/{id}", "updateTicket", (ctx, body) -> withTicket(ctx, ticket -> {
            JsonNode changes = body.path("ticket");
            changes.properties().forEach(e -> {
                if (!e.getKey().equals("comment")) ticket.set(e.getKey(), e.getValue());
            });
            if (changes.has("comment")) {
                addComment(ticket.get("id").asLong(), changes.get("comment"));
            }
            ticket.put("updated_at", tick());
            json(ctx, 200, NODES.objectNode().set("ticket", ticket));
        }));
        delete(routes, "/api/v2/tickets/{id}", "deleteTicket", (ctx, body) -> withTicket(ctx, ticket -> {
            tickets.remove(ticket.get("id").asLong());
            ctx.status(204);
        }));
        get(routes, "/api/v2/tickets/{id}/comments", "listComments", (ctx, body) -> withTicket(ctx, ticket -> {
            ObjectNode answer = NODES.objectNode();
            ArrayNode list = answer.putArray("comments");
            comments(ticket.get("id").asLong()).forEach(list::add);
            answer.putNull("next_page").putNull("previous_page").put("count", list.size());
            json(ctx, 200, answer);
        }));
        post(routes, "/api/v2/users", "createUser", (ctx, body) -> {
            long id = ids.incrementAndGet();
            ObjectNode user = ((ObjectNode) body.path("user").deepCopy()).put("id", id);
            users.put(id, user);
            json(ctx, 201, NODES.objectNode().set("user", user));
        });
        put(routes, "/api/v2/users/{id}", "updateUser", (ctx, body) -> {
            ObjectNode user = users.get(Long.parseLong(ctx.pathParam("id")));
            if (user == null) {
                error(ctx, new VendorError(404, "RecordNotFound", "Not found"));
                return;
            }
            if (!body.path("user").isObject()) {
                error(ctx, new VendorError(400, "InvalidEndpoint", "user parameter is required"));
                return;
            }
            body.get("user").properties().forEach(e -> user.set(e.getKey(), e.getValue()));
            json(ctx, 200, NODES.objectNode().set("user", user));
        });
        get(routes, "/api/v2/search", "search", this::search);
    }

    private void addComment(long ticket, JsonNode comment) {
        ObjectNode stored = NODES.objectNode().put("id", ids.incrementAndGet()).put("body", comment.path("body").asString(""))
                .put("public", comment.path("public").asBoolean(true));
        comments.computeIfAbsent(ticket, k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(stored);
    }

    /** The search API for tickets: type:ticket and status:/priority: qualifiers. */
    private void search(Context ctx, JsonNode body) {
        String query = String.valueOf(ctx.queryParam("query"));
        int perPage = intParam(ctx, "per_page", 100);
        int page = intParam(ctx, "page", 1);
        if ((page - 1) * perPage >= 1000) {
            error(ctx, new VendorError(422, "InvalidPaginationParameter", "Invalid search: Requested response size was greater than Search Response Limits"));
            return;
        }
        List<ObjectNode> found = new ArrayList<>();
        if (query.contains("type:ticket")) {
            for (ObjectNode ticket : tickets.values().stream().sorted(java.util.Comparator.comparingLong(t -> t.get("id").asLong())).toList()) {
                boolean matches = true;
                for (String term : query.split(" ")) {
                    if (term.startsWith("status:")) matches &= ticket.path("status").asString().equals(term.substring(7));
                    if (term.equals("priority:none")) matches &= ticket.path("priority").isNull();
                    else if (term.startsWith("priority:")) matches &= ticket.path("priority").asString().equals(term.substring(9));
                    // created:, created>=, created<= on the ticket's day (Zendesk compares dates in the account's zone)
                    java.util.regex.Matcher created = java.util.regex.Pattern.compile("^created(:|>=|<=)(\\d{4}-\\d{2}-\\d{2})$").matcher(term);
                    if (created.matches()) {
                        int compared = ticket.path("created_at").asString("").substring(0, 10).compareTo(created.group(2));
                        matches &= switch (created.group(1)) {
                            case ">=" -> compared >= 0;
                            case "<=" -> compared <= 0;
                            default -> compared == 0;
                        };
                    }
                }
                if (matches) found.add(ticket.deepCopy().put("result_type", "ticket"));
            }
        }
        String sortBy = ctx.queryParam("sort_by");
        if ("created_at".equals(sortBy) || "updated_at".equals(sortBy)) {
            java.util.Comparator<ObjectNode> by = java.util.Comparator.<ObjectNode, java.time.Instant>comparing(t -> java.time.Instant.parse(t.get(sortBy).asString()))
                    .thenComparingLong(t -> t.get("id").asLong());
            found.sort("asc".equals(ctx.queryParam("sort_order")) ? by : by.reversed());
        }
        int start = (page - 1) * perPage;
        int end = Math.min(found.size(), start + perPage);
        ObjectNode answer = NODES.objectNode();
        ArrayNode results = answer.putArray("results");
        found.subList(Math.min(start, found.size()), end).forEach(results::add);
        answer.put("count", found.size()).putNull("previous_page").putObject("facets");
        if (end < found.size()) {
            answer.put("next_page", "https://" + SUBDOMAIN + ".zendesk.com/api/v2/search.json?page=" + (page + 1) + "&per_page=" + perPage
                    + "&query=" + query); // unencoded, as Zendesk's own examples write it: the link must still be read
        } else {
            answer.putNull("next_page");
        }
        json(ctx, 200, answer);
    }

    /** The next instant of the fake's clock, as Zendesk writes times. */
    private String tick() {
        return nextWrite().toString();
    }

    private void withTicket(Context ctx, java.util.function.Consumer<ObjectNode> action) {
        ObjectNode ticket = tickets.get(Long.parseLong(ctx.pathParam("id")));
        if (ticket == null) {
            error(ctx, new VendorError(404, "RecordNotFound", "Not found"));
        } else {
            action.accept(ticket);
        }
    }

    @Override
    protected void rejectCredential(Context ctx) {
        json(ctx, 401, NODES.objectNode().put("error", "invalid_token").put("error_description", "The access token provided is expired, revoked, malformed or invalid for other reasons."));
    }

    @Override
    protected void rateLimit(Context ctx, int retryAfterSeconds) {
        ctx.header("Retry-After", String.valueOf(retryAfterSeconds));
        json(ctx, 429, NODES.objectNode().put("error", "TooManyRequests").put("description", "Rate limit exceeded"));
    }

    @Override
    protected void error(Context ctx, VendorError error) {
        json(ctx, error.status(), NODES.objectNode().put("error", error.code()).put("description", error.message()));
    }
}
