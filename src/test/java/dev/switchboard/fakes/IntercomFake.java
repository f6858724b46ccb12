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
 * Intercom's REST API 2.16 as Intercom answers: contacts kept by id, searched with Intercom's query object
 * ({@code {"field", "operator", "value"}} and {@code {"operator": "AND"|"OR", "value": [...]}}, evaluated here for
 * the operators the tests use) and paged by {@code pagination.starting_after} with the next one at
 * {@code pages.next.starting_after}; the {@code Intercom-Version} header required; errors as
 * {@code {"type": "error.list", "errors": [{"code", "message"}]}}; 429 with X-RateLimit-Reset and no Retry-After.
 */
public final class IntercomFake extends VendorFake {
    public static final String APP = "Acme Support";

    private final Map<String, ObjectNode> contacts = new java.util.LinkedHashMap<>();
    private final List<ObjectNode> messages = new ArrayList<>();
    private final AtomicLong ids = new AtomicLong(0x63a07ddf05a32000L);

    public IntercomFake(int contactCount) {
        for (int i = 1; i <= contactCount; i++) {
            add(NODES.objectNode().put("role", i % 3 == 0 ? "lead" : "user").put("email", "person" + i + "@example.com").put("name", "Person " + i)
                    .put("created_at", 1_700_000_000L + i * 86_400L));
        }
    }

    public String apiUrl() {
        return baseUrl();
    }

    public synchronized Map<String, ObjectNode> contacts() {
        return Map.copyOf(contacts);
    }

    public synchronized List<ObjectNode> messages() {
        return List.copyOf(messages);
    }

    private synchronized ObjectNode add(ObjectNode fields) {
        String id = Long.toHexString(ids.incrementAndGet());
        ObjectNode contact = fields.put("type", "contact").put("id", id);
        contact.put("updated_at", contact.path("created_at").asLong());
        contacts.put(id, contact);
        return contact;
    }

    @Override
    protected void routes(RoutesConfig routes) {
        get(routes, "/me", "me", (ctx, body) -> {
            ObjectNode me = NODES.objectNode().put("type", "admin").put("id", "991267816").put("email", "ada@example.com").put("name", "Ada");
            me.putObject("app").put("type", "app").put("id_code", "xyz789").put("name", APP);
            json(ctx, 200, me);
        });
        post(routes, "/contacts", "createContact", (ctx, body) -> {
            if (!body.has("email") && !body.has("external_id") && !body.has("role")) {
                error(ctx, new VendorError(400, "parameter_invalid", "Role must be one of user, lead"));
                return;
            }
            json(ctx, 200, add(((ObjectNode) body.deepCopy()).put("created_at", nextWrite().getEpochSecond())));
        });
        get(routes, "/contacts/{id}", "getContact", (ctx, body) -> withContact(ctx, contact -> json(ctx, 200, contact)));
        put(routes, "/contacts/{id}", "updateContact", (ctx, body) -> withContact(ctx, contact -> {
            body.properties().forEach(e -> contact.set(e.getKey(), e.getValue()));
            contact.put("updated_at", nextWrite().getEpochSecond());
            json(ctx, 200, contact);
        }));
        post(routes, "/contacts/search", "searchContacts", this::search);
        post(routes, "/messages", "createMessage", (ctx, body) -> {
            if (!contacts.containsKey(body.at("/to/id").asString(""))) {
                error(ctx, new VendorError(404, "not_found", "User Not Found"));
                return;
            }
            ObjectNode message = ((ObjectNode) body.deepCopy()).put("type", "admin_message").put("id", String.valueOf(ids.incrementAndGet()));
            synchronized (this) {
                messages.add(message);
            }
            json(ctx, 200, message);
        });
    }

    private void search(Context ctx, JsonNode body) {
        JsonNode query = body.path("query");
        List<ObjectNode> found;
        synchronized (this) {
            found = contacts.values().stream().filter(c -> matches(c, query)).toList();
        }
        JsonNode sort = body.path("sort");
        if (sort.isObject()) {
            String order = sort.path("order").asString("descending");
            if (!order.equals("ascending") && !order.equals("descending")) {
                error(ctx, new VendorError(400, "invalid_sort_order", "Invalid sort order '" + order + "'. Must be one of: ascending, descending"));
                return;
            }
            String field = sort.path("field").asString("");
            java.util.Comparator<ObjectNode> by = java.util.Comparator.<ObjectNode>comparingLong(c -> c.path(field).asLong())
                    .thenComparingLong(c -> Long.parseLong(c.get("id").asString(), 16));
            found = found.stream().sorted(order.equals("ascending") ? by : by.reversed()).toList();
        }
        int perPage = body.path("pagination").path("per_page").asInt(50);
        String after = body.path("pagination").path("starting_after").asString(null);
        int start = after == null ? 0 : Integer.parseInt(after.substring("WzE".length()));
        int end = Math.min(found.size(), start + perPage);
        ObjectNode answer = NODES.objectNode().put("type", "list").put("total_count", found.size());
        ArrayNode data = answer.putArray("data");
        found.subList(Math.min(start, found.size()), end).forEach(data::add);
        ObjectNode pages = answer.putObject("pages").put("type", "pages").put("page", start / perPage + 1).put("per_page", perPage)
                .put("total_pages", (found.size() + perPage - 1) / perPage);
        if (end < found.size()) {
            pages.putObject("next").put("per_page", perPage).put("starting_after", "WzE" + end);
        }
        json(ctx, 200, answer);
    }

    /** Intercom's query on one contact: the operators the tests use (=, !=, ~, IN, >, <) and AND/OR groups. */
    private static boolean matches(JsonNode contact, JsonNode query) {
        if (query.path("value").isArray() && ("AND".equals(query.path("operator").asString()) || "OR".equals(query.path("operator").asString()))) {
            boolean and = query.get("operator").asString().equals("AND");
            boolean result = and;
            for (JsonNode part : query.get("value")) {
                result = and ? result && matches(contact, part) : result || matches(contact, part);
            }
            return result;
        }
        JsonNode field = contact.path(query.path("field").asString(""));
        JsonNode value = query.path("value");
        return switch (query.path("operator").asString("")) {
            case "=" -> value.isNull() ? field.isMissingNode() || field.isNull() : field.asString("").equals(value.asString());
            case "!=" -> value.isNull() ? !field.isMissingNode() && !field.isNull() : !field.asString("").equals(value.asString());
            case "~" -> field.asString("").contains(value.asString());
            case "IN" -> {
                boolean in = false;
                for (JsonNode v : value) in |= field.asString("").equals(v.asString());
                yield in;
            }
            case ">" -> field.asLong(0) > value.asLong();
            case "<" -> field.asLong(0) < value.asLong();
            default -> false;
        };
    }

    private synchronized void withContact(Context ctx, java.util.function.Consumer<ObjectNode> action) {
        ObjectNode contact = contacts.get(ctx.pathParam("id"));
        if (contact == null) {
            error(ctx, new VendorError(404, "not_found", "User Not Found"));
        } else {
            action.accept(contact);
        }
    }

    @Override
    protected Operation handle(String operation, Operation action) {
        Operation handled = super.handle(operation, action);
        return (ctx, body) -> {
            if (!"2.16".equals(ctx.header("Intercom-Version"))) {
                error(ctx, new VendorError(400, "intercom_version_invalid", "Requested version is not valid"));
                return;
            }
            handled.answer(ctx, body);
        };
    }

    @Override
    protected void rejectCredential(Context ctx) {
        error(ctx, new VendorError(401, "unauthorized", "Access Token Invalid"));
    }

    @Override
    protected void rateLimit(Context ctx, int retryAfterSeconds) {
        ctx.header("X-RateLimit-Limit", "10000").header("X-RateLimit-Remaining", "0")
                .header("X-RateLimit-Reset", String.valueOf(System.currentTimeMillis() / 1000 + retryAfterSeconds));
        error(ctx, new VendorError(429, "rate_limit_exceeded", "Exceeded rate limit of 10000 in 60 seconds"));
    }

    @Override
    protected void error(Context ctx, VendorError error) {
        ObjectNode body = NODES.objectNode().put("type", "error.list").put("request_id", "000on7t2nhu0ri4d3s2g");
        body.putArray("errors").addObject().put("code", error.code()).put("message", error.message());
        json(ctx, error.status(), body);
    }
}
