package dev.switchboard.routes.actionkit;

import dev.switchboard.actions.ActionLister;
import dev.switchboard.actions.ActionRunner;
import dev.switchboard.actions.IdempotentRuns;
import dev.switchboard.calls.VendorCalls;
import dev.switchboard.auth.UserPrincipal;
import dev.switchboard.files.HexJsonWriter;
import dev.switchboard.http.JsonBodies;
import dev.switchboard.http.RequestIds;
import dev.switchboard.http.ServerTiming;
import dev.switchboard.http.UserAuthenticator;
import dev.switchboard.outcomes.Echo;
import dev.switchboard.outcomes.Failure;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import tools.jackson.databind.JsonNode;

/** The ActionKit endpoints: {@code GET|POST /projects/{projectId}/actions}, with {@code /tools} as alias. */
public final class ActionRoutes {
    public static final String CREDENTIAL_HEADER = "X-Paragon-Credential";
    /** Names the parameters dropped when the project ignores unknown ones ({@code PATCH /admin/projects/{id}}). */
    public static final String IGNORED_PARAMETERS_HEADER = "X-Switchboard-Ignored-Parameters";

    private final UserAuthenticator users;
    private final ActionLister lister;
    private final IdempotentRuns runner;
    private final VendorCalls calls;

    public ActionRoutes(UserAuthenticator users, ActionLister lister, IdempotentRuns runner, VendorCalls calls) {
        this.users = users;
        this.lister = lister;
        this.runner = runner;
        this.calls = calls;
    }

    /**
     * The action a run's body names ({@code action} or {@code tool}), or null when it names none; a body of another
     * shape is refused, naming what is wrong. The event loop's route checks its bodies here too.
     */
    static JsonNode actionNamed(JsonNode body) {
        if (!body.isObject()) {
            throw Failure.invalidInput("invalid_request", "The body must be a JSON object {\"action\": ..., \"parameters\": {...}}.");
        }
        for (String field : body.propertyNames()) {
            if (!field.equals("action") && !field.equals("tool") && !field.equals("parameters")) {
                throw Failure.invalidInput("invalid_request", "Unknown field " + Echo.quote(field) + "; the body takes 'action' (or 'tool') and 'parameters'.");
            }
        }
        if (body.has("action") && body.has("tool") && !body.get("action").equals(body.get("tool"))) {
            throw Failure.invalidInput("invalid_request", "'action' and 'tool' name different actions; give one of them.");
        }
        JsonNode name = body.has("action") ? body.get("action") : body.get("tool");
        if (name != null && !name.isString()) {
            throw Failure.invalidInput("invalid_request", "'action' must be a string.");
        }
        return name;
    }

    public void register(RoutesConfig routes) {
        for (String listKey : new String[] {"actions", "tools"}) {
            routes.get("/projects/{projectId}/" + listKey, ctx -> list(ctx, listKey));
            routes.post("/projects/{projectId}/" + listKey, this::run);
        }
    }

    private void list(Context ctx, String listKey) {
        long started = System.nanoTime();
        UserPrincipal user = users.authenticate(ctx);
        ActionLister.Query query = ActionLister.Query.parse(ctx.queryParam("format"), ctx.queryParam("limit_to_available"),
                ctx.queryParam("integrations"), ctx.queryParam("categories"), ctx.queryParam("reload_fields"));
        byte[] listing = lister.listJson(user, query, listKey, RequestIds.of(ctx));
        ServerTiming.stamp(ctx, started);
        ctx.contentType("application/json").result(listing);
    }

    private void run(Context ctx) {
        UserPrincipal user = users.authenticate(ctx);
        JsonNode body = JsonBodies.readAction(ctx);
        JsonNode name = actionNamed(body);
        try (VendorCalls.AnswerHold held = calls.keepAnswerUntilWritten()) {
            IdempotentRuns.Outcome outcome = runner.run(user, ctx.header("Idempotency-Key"), name == null ? null : name.asString(),
                    body.get("parameters"), ctx.header(CREDENTIAL_HEADER), RequestIds.of(ctx));
            if (outcome.replayed()) {
                ctx.header("Idempotent-Replayed", "true");
            }
            ActionRunner.Result result = outcome.result();
            ctx.header(CREDENTIAL_HEADER, result.credentialId());
            if (!result.ignoredParameters().isEmpty()) {
                ctx.header(IGNORED_PARAMETERS_HEADER, String.join(", ", result.ignoredParameters()));
            }
            ctx.contentType("application/json");
            HexJsonWriter.write(result.body(), ctx.outputStream());
        }
    }
}
