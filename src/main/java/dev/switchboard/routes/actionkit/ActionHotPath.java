package dev.switchboard.routes.actionkit;

import dev.switchboard.actions.ActionRunner;
import dev.switchboard.auth.UserPrincipal;
import dev.switchboard.calls.VendorCalls;
import dev.switchboard.files.FileObjects;
import dev.switchboard.files.HexJsonWriter;
import dev.switchboard.http.RequestIds;
import dev.switchboard.http.UserAuthenticator;
import dev.switchboard.http.loop.Exchange;
import dev.switchboard.http.loop.HotPath;
import dev.switchboard.http.loop.LoopRuns;
import dev.switchboard.http.loop.RequestHead;
import dev.switchboard.outbound.VendorRequest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /projects/{id}/actions} on the event loop (issue 24), for an action that is one plain vendor call
 * ({@link ActionRunner#prepareSingleCall}): the same validation, run record and answer as {@link ActionRoutes}. A
 * request with an {@code Idempotency-Key}, a browser's (CORS), one carrying a {@code traceparent}, a body that is not
 * a well-formed action call, and every other kind of action are the ordinary path's; see {@link LoopRuns} for the rest.
 */
public final class ActionHotPath implements HotPath, LoopRuns.Route {
    private final UserAuthenticator users;
    private final ActionRunner runner;
    private final LoopRuns runs;

    public ActionHotPath(UserAuthenticator users, ActionRunner runner, LoopRuns runs) {
        this.users = users;
        this.runner = runner;
        this.runs = runs;
    }

    @Override
    public boolean claims(RequestHead head) {
        String path = head.path();
        String type = head.header("Content-Type");
        return head.method().equals("POST") && projectIdOf(path) != null && type != null
                && type.regionMatches(true, 0, "application/json", 0, "application/json".length())
                && head.header("Idempotency-Key") == null && head.header("Origin") == null && head.header("traceparent") == null;
    }

    /** The project id of {@code /projects/{id}/actions} or {@code /projects/{id}/tools}; null for any other path. */
    private static String projectIdOf(String path) {
        int idEnd = path.indexOf('/', PROJECTS.length());
        if (!path.startsWith(PROJECTS) || idEnd < 0) {
            return null;
        }
        boolean known = path.length() == idEnd + "/actions".length() && path.startsWith("/actions", idEnd)
                || path.length() == idEnd + "/tools".length() && path.startsWith("/tools", idEnd);
        return known ? path.substring(PROJECTS.length(), idEnd) : null;
    }

    private static final String PROJECTS = "/projects/";

    @Override
    public boolean serve(Exchange exchange) {
        return runs.serve(exchange, this);
    }

    @Override
    public String kind() {
        return "action";
    }

    @Override
    public String pattern(RequestHead head) {
        return head.path().endsWith("/tools") ? "/projects/{projectId}/tools" : "/projects/{projectId}/actions";
    }

    @Override
    public LoopRuns.Ready prepare(Exchange exchange, VendorCalls.RunInProgress run) {
        RequestHead head = exchange.head();
        String projectId = projectIdOf(head.path());
        if (projectId == null || projectId.isEmpty() || projectId.indexOf('%') >= 0) {
            return null;
        }
        JsonNode body;
        try {
            body = FileObjects.read(new ByteArrayInputStream(exchange.body()), true);
        } catch (RuntimeException unreadable) {
            return null; // the ordinary path names what is wrong with it
        }
        JsonNode name = body == null ? null : ActionRoutes.actionNamed(body); // a refusal: the ordinary path answers it
        if (name == null) {
            return null;
        }
        UserPrincipal user = users.authenticate(projectId, head.header("Authorization"));
        ActionRunner.SingleCall call = runner.prepareSingleCall(run, user, name.asString(), body.get("parameters"),
                head.header(ActionRoutes.CREDENTIAL_HEADER));
        if (call == null) {
            return null;
        }
        String requestId = RequestIds.idFor(head.header(RequestIds.HEADER));
        VendorRequest request = call.mapped().request();
        if (!request.headers().containsKey(RequestIds.HEADER)) {
            request = request.withHeader(RequestIds.HEADER, requestId);
        }
        return new LoopRuns.Ready(user, requestId, request, response -> {
            JsonNode result = runner.resultOfSingleCall(call, response);
            ByteArrayOutputStream answer = new ByteArrayOutputStream(512);
            HexJsonWriter.write(result, answer);
            List<String> headers = new ArrayList<>(List.of(ActionRoutes.CREDENTIAL_HEADER, call.credentialId()));
            if (!call.ignored().isEmpty()) {
                headers.addAll(List.of(ActionRoutes.IGNORED_PARAMETERS_HEADER, String.join(", ", call.ignored())));
            }
            headers.addAll(List.of("Content-Type", "application/json"));
            return new LoopRuns.Outcome(200, headers, answer.toByteArray(), null);
        });
    }
}
