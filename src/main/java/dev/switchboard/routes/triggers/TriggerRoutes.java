package dev.switchboard.routes.triggers;

import dev.switchboard.auth.UserPrincipal;
import dev.switchboard.http.JsonBodies;
import dev.switchboard.http.UserAuthenticator;
import dev.switchboard.json.Json;
import dev.switchboard.triggers.SlackEvents;
import dev.switchboard.triggers.TriggerSubscriptions;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Optional;

/**
 * ActionKit's Triggers API ({@code /projects/{id}/triggers}, {@code /projects/{id}/trigger-subscriptions}) with the
 * user token, and the endpoint where vendors push their events for a project ({@code /projects/{id}/webhooks/slack}),
 * which authenticates by the vendor's signature instead.
 */
public final class TriggerRoutes {
    private static final String CREDENTIAL_HEADER = "X-Paragon-Credential";

    private final UserAuthenticator users;
    private final TriggerSubscriptions subscriptions;
    private final SlackEvents slack;

    public TriggerRoutes(UserAuthenticator users, TriggerSubscriptions subscriptions, SlackEvents slack) {
        this.users = users;
        this.subscriptions = subscriptions;
        this.slack = slack;
    }

    public void register(RoutesConfig routes) {
        routes.get("/projects/{projectId}/triggers", ctx -> respond(ctx, 200,
                subscriptions.available(users.authenticate(ctx), ctx.queryParam("integrations"))));
        routes.post("/projects/{projectId}/triggers/examples", ctx -> {
            UserPrincipal user = users.authenticate(ctx);
            respond(ctx, 200, subscriptions.examples(user, JsonBodies.read(ctx), ctx.header(CREDENTIAL_HEADER)));
        });
        routes.post("/projects/{projectId}/trigger-subscriptions", ctx -> {
            UserPrincipal user = users.authenticate(ctx);
            respond(ctx, 200, TriggerSubscriptions.describe(subscriptions.subscribe(user, JsonBodies.read(ctx), ctx.header(CREDENTIAL_HEADER))));
        });
        routes.get("/projects/{projectId}/trigger-subscriptions", ctx -> respond(ctx, 200, subscriptions.list(users.authenticate(ctx),
                ctx.queryParam("integrations"), ctx.queryParam("status"), ctx.queryParam("type"), ctx.header(CREDENTIAL_HEADER))));
        routes.get("/projects/{projectId}/trigger-subscriptions/{subscriptionId}", ctx -> respond(ctx, 200,
                TriggerSubscriptions.describe(subscriptions.get(users.authenticate(ctx), ctx.pathParam("subscriptionId")))));
        routes.patch("/projects/{projectId}/trigger-subscriptions/{subscriptionId}", ctx -> {
            UserPrincipal user = users.authenticate(ctx);
            respond(ctx, 200, TriggerSubscriptions.describe(subscriptions.update(user, ctx.pathParam("subscriptionId"), JsonBodies.read(ctx))));
        });
        routes.delete("/projects/{projectId}/trigger-subscriptions/{subscriptionId}", ctx -> {
            subscriptions.delete(users.authenticate(ctx), ctx.pathParam("subscriptionId"));
            respond(ctx, 200, Json.object().put("success", true));
        });
        routes.post("/projects/{projectId}/webhooks/slack", this::slackEvent);
    }

    private void slackEvent(Context ctx) {
        Optional<String> answer = slack.receive(ctx.pathParam("projectId"), ctx.header("X-Slack-Request-Timestamp"),
                ctx.header("X-Slack-Signature"), JsonBodies.rawBytes(ctx));
        ctx.status(200).contentType("application/json").result(answer.orElse("{\"ok\":true}"));
    }

    private static void respond(Context ctx, int status, Object body) {
        ctx.status(status).contentType("application/json").result(Json.write(body));
    }
}
