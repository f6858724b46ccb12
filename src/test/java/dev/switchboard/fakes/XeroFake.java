package dev.switchboard.fakes;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Xero Accounting API 2.0 (vendors.md section 12): bearer token plus {@code xero-tenant-id} on every call,
 * {@code page}/{@code pageSize} with a {@code pagination} object, validation errors as {@code ValidationException},
 * 401/403 with {@code Detail}, 429 with Retry-After and {@code X-Rate-Limit-Problem}.
 */
public final class XeroFake extends VendorFake {
    public static final String TENANT_ID = "fe79f7dd-b4c2-4b9d-a1b6-6a4cd4f9b6e9";
    /** A second organisation the same tokens may reach. */
    public static final String OTHER_TENANT_ID = "0b6d8bd3-4f9e-4c39-9b3e-2d1f5a8c7e41";

    private final List<ObjectNode> invoices = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<ObjectNode> contacts = new java.util.concurrent.CopyOnWriteArrayList<>();

    public XeroFake(int invoiceCount) {
        for (int i = 1; i <= invoiceCount; i++) {
            ObjectNode invoice = NODES.objectNode().put("Type", "ACCREC").put("InvoiceID", UUID.nameUUIDFromBytes(("inv" + i).getBytes()).toString())
                    .put("InvoiceNumber", String.format("INV-%04d", i)).put("Status", "AUTHORISED").put("Total", 40.0 + i);
            invoice.putObject("Contact").put("ContactID", "430fa14a-f945-44d3-9f97-5df5e28441b8").put("Name", "Acme");
            invoice.put("UpdatedDateUTC", tick());
            invoices.add(invoice);
        }
    }

    /** The next instant of the fake's clock, in Xero's JSON date form. */
    private String tick() {
        return "/Date(" + nextWrite().toEpochMilli() + "+0000)/";
    }

    /** An invoice made in Xero by other means (its web app, another integration); returns it. */
    public ObjectNode addInvoice(String number, double total) {
        ObjectNode invoice = NODES.objectNode().put("Type", "ACCREC").put("InvoiceID", UUID.randomUUID().toString())
                .put("InvoiceNumber", number).put("Status", "DRAFT").put("Total", total).put("UpdatedDateUTC", tick());
        invoice.putObject("Contact").put("ContactID", "430fa14a-f945-44d3-9f97-5df5e28441b8").put("Name", "Acme");
        invoices.add(invoice);
        return invoice;
    }

    /** Someone changes an invoice in Xero (such as approving it). */
    public void change(String invoiceId, String status) {
        invoices.stream().filter(i -> i.get("InvoiceID").asString().equals(invoiceId)).findFirst().orElseThrow()
                .put("Status", status).put("UpdatedDateUTC", tick());
    }

    /** The invoices in order={@code UpdatedDateUTC DESC|ASC} (the field the tests sort by); as stored otherwise. */
    private List<ObjectNode> ordered(String order) {
        if (order == null || !order.startsWith("UpdatedDateUTC")) {
            return invoices;
        }
        java.util.Comparator<ObjectNode> by = java.util.Comparator.comparingLong(i -> Long.parseLong(i.get("UpdatedDateUTC").asString().replaceAll("\\D*(\\d+).*", "$1")));
        return invoices.stream().sorted(order.endsWith("DESC") ? by.reversed() : by).toList();
    }

    public List<ObjectNode> invoices() { return invoices; }
    public List<ObjectNode> contacts() { return contacts; }
    public String apiUrl() { return baseUrl() + "/api.xro/2.0"; }
    public String connectionsUrl() { return baseUrl() + "/connections"; }

    private static ObjectNode envelope() {
        return NODES.objectNode().put("Id", UUID.randomUUID().toString()).put("Status", "OK")
                .put("ProviderName", "Switchboard").put("DateTimeUTC", "/Date(1552326816230)/");
    }

    @Override
    protected void routes(RoutesConfig routes) {
        // The organisations the token may reach (vendors.md section 12): what a connect reads the tenant id from.
        get(routes, "/connections", "connections", (ctx, body) -> {
            ArrayNode tenants = NODES.arrayNode();
            tenants.addObject().put("id", "7cb59f93-2964-421d-bb5e-a0f7a4572a44").put("authEventId", "b8e1e4bd-0b3b-4bd5-9d6c-6f7f5d1c9e6c")
                    .put("tenantId", TENANT_ID).put("tenantType", "ORGANISATION").put("tenantName", "Demo Company (NZ)")
                    .put("createdDateUtc", "2019-07-09T23:40:30.1833130").put("updatedDateUtc", "2020-05-15T01:35:13.8491980");
            json(ctx, 200, tenants);
        });
        get(routes, "/api.xro/2.0/Invoices", "invoices", (ctx, body) -> {
            if (!tenantOk(ctx)) return;
            int pageSize = intParam(ctx, "pageSize", 100);
            int page = intParam(ctx, "page", 1);
            int pageCount = (invoices.size() + pageSize - 1) / pageSize;
            ObjectNode answer = envelope();
            answer.putObject("pagination").put("page", page).put("pageSize", pageSize).put("pageCount", pageCount).put("itemCount", invoices.size());
            ArrayNode list = answer.putArray("Invoices");
            int start = (page - 1) * pageSize;
            List<ObjectNode> ordered = ordered(ctx.queryParam("order"));
            if (start < ordered.size()) ordered.subList(start, Math.min(ordered.size(), start + pageSize)).forEach(list::add);
            ctx.header("X-MinLimit-Remaining", "59").header("X-DayLimit-Remaining", "4999");
            json(ctx, 200, answer);
        });
        put(routes, "/api.xro/2.0/Contacts", "createContact", (ctx, body) -> {
            if (!tenantOk(ctx)) return;
            JsonNode input = body.path("Contacts").path(0);
            String name = input.path("Name").asString("");
            if (name.isBlank()) {
                validationError(ctx, "The contact name must be specified.");
                return;
            }
            if (contacts.stream().anyMatch(c -> c.get("Name").asString().equals(name))) {
                validationError(ctx, "The contact name " + name + " is already assigned to another contact. The contact name must be unique across all active contacts.");
                return;
            }
            ObjectNode contact = ((ObjectNode) input.deepCopy()).put("ContactID", UUID.randomUUID().toString()).put("ContactStatus", "ACTIVE");
            contacts.add(contact);
            ObjectNode answer = envelope();
            answer.putArray("Contacts").add(contact);
            json(ctx, 200, answer);
        });
    }

    private boolean tenantOk(Context ctx) {
        if (TENANT_ID.equals(ctx.header("xero-tenant-id")) || OTHER_TENANT_ID.equals(ctx.header("xero-tenant-id"))) {
            return true;
        }
        json(ctx, 403, NODES.objectNode().putNull("Type").put("Title", "Forbidden").put("Status", 403).put("Detail", "AuthenticationUnsuccessful"));
        return false;
    }

    private static void validationError(Context ctx, String message) {
        ObjectNode body = NODES.objectNode().put("ErrorNumber", 10).put("Type", "ValidationException").put("Message", "A validation exception occurred");
        body.putArray("Elements").addObject().putArray("ValidationErrors").addObject().put("Message", message);
        json(ctx, 400, body);
    }


    @Override
    protected void rejectCredential(Context ctx) {
        json(ctx, 401, NODES.objectNode().putNull("Type").put("Title", "Unauthorized").put("Status", 401)
                .put("Detail", "TokenExpired: token expired at 11/29/2026 08:23:47").put("Instance", UUID.randomUUID().toString()));
    }

    @Override
    protected void rateLimit(Context ctx, int retryAfterSeconds) {
        ctx.header("Retry-After", String.valueOf(retryAfterSeconds)).header("X-Rate-Limit-Problem", "minute");
        json(ctx, 429, NODES.objectNode().put("Title", "Too Many Requests").put("Status", 429).put("Detail", "Rate limit exceeded"));
    }

    @Override
    protected void error(Context ctx, VendorError error) {
        validationError(ctx, error.message());
    }
}
