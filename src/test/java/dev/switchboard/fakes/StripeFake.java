package dev.switchboard.fakes;

import dev.switchboard.fakes.spec.FormNesting;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Stripe's API v1 as Stripe answers it, written from its API reference: form-encoded bodies only (a JSON body is
 * refused as Stripe refuses it), read with bracket nesting ({@code metadata[plan]=pro}, {@code items[0][price]=...});
 * customers, products, subscriptions, plans, balance transactions, invoices, payment intents, refunds, prices and
 * checkout sessions kept by id; lists newest first, paged by {@code starting_after} (an object's id) and
 * {@code has_more}, filtered by {@code created[gt]}/{@code created[lt]} and each list's own fields; errors as
 * {@code {"error": {"type", "code", "message", "param"}}}; 429 with no Retry-After.
 */
public final class StripeFake extends VendorFake {
    private final Map<String, Map<String, ObjectNode>> objects = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong(1_000);
    private final AtomicLong clock = new AtomicLong(1_700_000_000L);

    public StripeFake(int customerCount) {
        for (int i = 1; i <= customerCount; i++) {
            add("customer", "cus", NODES.objectNode().put("email", "person" + i + "@example.com").put("name", "Person " + i));
        }
        add("plan", "plan", NODES.objectNode().put("active", true).put("amount", 2000).put("currency", "usd").put("interval", "month"));
        add("plan", "plan", NODES.objectNode().put("active", false).put("amount", 900).put("currency", "usd").put("interval", "month"));
    }

    public String apiUrl() {
        return baseUrl() + "/v1";
    }

    public Map<String, ObjectNode> objects(String kind) {
        return objects.computeIfAbsent(kind, k -> new ConcurrentHashMap<>());
    }

    /** Each object is created one second after the one before, as its {@code created} shows. */
    public ObjectNode add(String kind, String prefix, ObjectNode fields) {
        String id = prefix + "_" + Long.toString(ids.incrementAndGet(), 36).toUpperCase() + "Xk2";
        ObjectNode object = NODES.objectNode().put("id", id).put("object", kind).put("created", clock.incrementAndGet()).put("livemode", false);
        if (!fields.has("metadata")) {
            object.putObject("metadata");
        }
        object.setAll(fields);
        objects(kind).put(id, object);
        return object;
    }

    /** The account the key belongs to, named as its dashboard shows it. */
    public static final String ACCOUNT_NAME = "Acme Payments";

    @Override
    protected void routes(RoutesConfig routes) {
        get(routes, "/v1/account", "account", (ctx, ignored) -> json(ctx, 200, NODES.objectNode().put("id", "acct_1Acme").put("object", "account")
                .set("settings", NODES.objectNode().set("dashboard", NODES.objectNode().put("display_name", ACCOUNT_NAME)))));
        // Before the customers' {id} route, which would take "search" for an id.
        get(routes, "/v1/customers/search", "search:customer", (ctx, ignored) -> search(ctx));
        resource(routes, "customers", "customer", "cus");
        resource(routes, "products", "product", "prod");
        resource(routes, "subscriptions", "subscription", "sub");
        resource(routes, "plans", "plan", "plan");
        resource(routes, "balance_transactions", "balance_transaction", "txn");
        resource(routes, "invoices", "invoice", "in");
        resource(routes, "payment_intents", "payment_intent", "pi");
        resource(routes, "refunds", "refund", "re");
        resource(routes, "prices", "price", "price");
        resource(routes, "checkout/sessions", "checkout.session", "cs");
    }

    /** Create, read, update, delete and list for one kind of object, as every Stripe resource has them. */
    private void resource(RoutesConfig routes, String path, String kind, String prefix) {
        post(routes, "/v1/" + path, "create:" + kind, (ctx, ignored) -> withForm(ctx, form -> {
            if (kind.equals("subscription") && !objects("customer").containsKey(form.path("customer").asString(""))) {
                error(ctx, new VendorError(400, "resource_missing", "No such customer: '" + form.path("customer").asString("") + "'"));
                return;
            }
            if (kind.equals("customer") && form.has("email") && !form.get("email").asString().contains("@")) {
                error(ctx, new VendorError(400, "email_invalid", "Invalid email address: " + form.get("email").asString()));
                return;
            }
            json(ctx, 200, add(kind, prefix, form));
        }));
        get(routes, "/v1/" + path + "/{id}", "get:" + kind, (ctx, ignored) -> withObject(ctx, kind, object -> json(ctx, 200, object)));
        post(routes, "/v1/" + path + "/{id}", "update:" + kind, (ctx, ignored) -> withObject(ctx, kind, object -> withForm(ctx, form -> {
            form.properties().forEach(e -> {
                if (e.getKey().equals("metadata") && e.getValue().isObject()) {
                    ((ObjectNode) object.get("metadata")).setAll((ObjectNode) e.getValue()); // Stripe merges metadata
                } else {
                    object.set(e.getKey(), e.getValue());
                }
            });
            json(ctx, 200, object);
        })));
        delete(routes, "/v1/" + path + "/{id}", "delete:" + kind, (ctx, ignored) -> withObject(ctx, kind, object -> {
            if (kind.equals("subscription")) {
                json(ctx, 200, object.put("status", "canceled"));
                return;
            }
            objects(kind).remove(object.get("id").asString());
            json(ctx, 200, NODES.objectNode().put("id", object.get("id").asString()).put("object", kind).put("deleted", true));
        }));
        get(routes, "/v1/" + path, "list:" + kind, (ctx, ignored) -> list(ctx, kind));
    }

    /**
     * Stripe's customer search: clauses {@code field:"v"} (exact, ignoring case), {@code field~"v"} (within), a leading
     * {@code -}, {@code created>n} (and >=, <, <=), joined by AND or by OR (never both); pages by a {@code page} token.
     */
    private void search(Context ctx) {
        String query = ctx.queryParam("query");
        if (query == null || query.isBlank()) {
            error(ctx, new VendorError(400, "parameter_missing", "Missing required param: query."));
            return;
        }
        List<String> clauses = new ArrayList<>();
        java.util.Set<String> joiners = new java.util.HashSet<>();
        splitOutsideQuotes(query, clauses, joiners);
        if (joiners.size() > 1) {
            error(ctx, new VendorError(400, "parameter_invalid_string", "Invalid query: AND and OR cannot be combined."));
            return;
        }
        boolean or = joiners.contains("OR");
        List<ObjectNode> all = new ArrayList<>(objects("customer").values());
        all.sort(Comparator.comparingLong((ObjectNode o) -> o.get("created").asLong()).reversed());
        List<ObjectNode> matching = all.stream().filter(o -> or ? clauses.stream().anyMatch(c -> clause(o, c)) : clauses.stream().allMatch(c -> clause(o, c))).toList();
        int limit = intParam(ctx, "limit", 10);
        int start = ctx.queryParam("page") == null ? 0 : Integer.parseInt(ctx.queryParam("page").substring("page_".length()));
        int end = Math.min(matching.size(), start + limit);
        ObjectNode answer = NODES.objectNode().put("object", "search_result").put("url", "/v1/customers/search").put("has_more", end < matching.size());
        answer.putArray("data").addAll(matching.subList(Math.min(start, end), end));
        if (end < matching.size()) answer.put("next_page", "page_" + end); else answer.putNull("next_page");
        json(ctx, 200, answer);
    }

    /** Clauses and the words joining them, read outside double quotes (where a backslash escapes). */
    private static void splitOutsideQuotes(String query, List<String> clauses, java.util.Set<String> joiners) {
        StringBuilder clause = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < query.length(); i++) {
            char ch = query.charAt(i);
            if (quoted && ch == '\\' && i + 1 < query.length()) {
                clause.append(ch).append(query.charAt(++i));
                continue;
            }
            if (ch == '"') {
                quoted = !quoted;
            }
            String rest = query.substring(i);
            if (!quoted && (rest.startsWith(" AND ") || rest.startsWith(" OR "))) {
                String joiner = rest.startsWith(" AND ") ? "AND" : "OR";
                joiners.add(joiner);
                clauses.add(clause.toString());
                clause.setLength(0);
                i += joiner.length() + 1;
                continue;
            }
            clause.append(ch);
        }
        clauses.add(clause.toString());
    }

    private static boolean clause(ObjectNode customer, String clause) {
        boolean negated = clause.startsWith("-");
        String text = negated ? clause.substring(1) : clause;
        java.util.regex.Matcher compared = java.util.regex.Pattern.compile("^created(>=|<=|>|<)(\\d+)$").matcher(text);
        boolean result;
        if (compared.matches()) {
            long created = customer.get("created").asLong();
            long value = Long.parseLong(compared.group(2));
            result = switch (compared.group(1)) {
                case ">" -> created > value;
                case ">=" -> created >= value;
                case "<" -> created < value;
                default -> created <= value;
            };
        } else {
            java.util.regex.Matcher matched = java.util.regex.Pattern.compile("^([a-z_]+)([:~])\"((?:[^\"\\\\]|\\\\.)*)\"$").matcher(text);
            if (!matched.matches()) {
                throw new IllegalArgumentException("the fake cannot read the clause " + clause);
            }
            String actual = customer.path(matched.group(1)).asString("").toLowerCase(java.util.Locale.ROOT);
            String value = matched.group(3).replaceAll("\\\\(.)", "$1").toLowerCase(java.util.Locale.ROOT);
            result = matched.group(2).equals(":") ? actual.equals(value) : actual.contains(value);
        }
        return negated != result;
    }

    private void list(Context ctx, String kind) {
        int limit = intParam(ctx, "limit", 10);
        if (limit < 1 || limit > 100) {
            error(ctx, new VendorError(400, "parameter_invalid_integer", "Invalid integer: limit must be between 1 and 100"));
            return;
        }
        List<ObjectNode> all = new ArrayList<>(objects(kind).values());
        all.sort(Comparator.comparingLong((ObjectNode o) -> o.get("created").asLong()).reversed()); // newest first
        List<ObjectNode> matching = all.stream().filter(o -> {
            for (Map.Entry<String, List<String>> query : ctx.queryParamMap().entrySet()) {
                String name = query.getKey();
                String value = query.getValue().get(0);
                if (name.equals("created[gt]") && o.get("created").asLong() <= Long.parseLong(value)) return false;
                if (name.equals("created[lt]") && o.get("created").asLong() >= Long.parseLong(value)) return false;
                if (List.of("email", "customer", "status", "active", "type").contains(name) && !value.equals(o.path(name).asString(null))) return false;
            }
            return true;
        }).toList();
        String after = ctx.queryParam("starting_after");
        int start = 0;
        if (after != null) {
            start = -1;
            for (int i = 0; i < matching.size(); i++) {
                if (matching.get(i).get("id").asString().equals(after)) start = i + 1;
            }
            if (start < 0) {
                error(ctx, new VendorError(400, "resource_missing", "No such " + kind + ": '" + after + "'"));
                return;
            }
        }
        List<ObjectNode> page = matching.subList(start, Math.min(matching.size(), start + limit));
        ObjectNode answer = NODES.objectNode().put("object", "list").put("url", ctx.path()).put("has_more", start + limit < matching.size());
        answer.putArray("data").addAll(page);
        json(ctx, 200, answer);
    }

    /** The request's form body, nested; a body of another type is refused as Stripe refuses it. */
    private void withForm(Context ctx, java.util.function.Consumer<ObjectNode> then) {
        String type = ctx.contentType() == null ? "" : ctx.contentType();
        if (!ctx.body().isEmpty() && !type.startsWith("application/x-www-form-urlencoded")) {
            error(ctx, new VendorError(400, null, "Invalid request (check that your POST content type is application/x-www-form-urlencoded)."));
            return;
        }
        then.accept(FormNesting.read(ctx.body()));
    }

    private void withObject(Context ctx, String kind, java.util.function.Consumer<ObjectNode> then) {
        ObjectNode object = objects(kind).get(ctx.pathParam("id"));
        if (object == null) {
            error(ctx, new VendorError(404, "resource_missing", "No such " + kind + ": '" + ctx.pathParam("id") + "'"));
            return;
        }
        then.accept(object);
    }

    @Override
    protected void rejectCredential(Context ctx) {
        // Stripe's 401 has no code: the status says it.
        ObjectNode body = NODES.objectNode();
        body.putObject("error").put("type", "invalid_request_error")
                .put("message", "Invalid API Key provided: " + String.valueOf(credentialOf(ctx)).replaceAll("(?<=.{8}).", "*"));
        json(ctx, 401, body);
    }

    @Override
    protected void rateLimit(Context ctx, int retryAfterSeconds) {
        error(ctx, new VendorError(429, "rate_limit", "Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits."));
    }

    @Override
    protected void error(Context ctx, VendorError error) {
        ObjectNode body = NODES.objectNode();
        ObjectNode inner = body.putObject("error").put("type", "invalid_request_error")
                .put("message", error.message());
        if (error.code() != null) {
            inner.put("code", error.code()).put("doc_url", "https://stripe.com/docs/error-codes/" + error.code().replace('_', '-'));
        }
        json(ctx, error.status(), body);
    }
}
