package dev.switchboard.routes.admin;

import dev.switchboard.auth.ConsoleSessions;
import dev.switchboard.http.ErrorResponses;
import dev.switchboard.json.Json;
import dev.switchboard.integrations.IntegrationDefinition;
import dev.switchboard.outcomes.Failure;
import dev.switchboard.routes.admin.Administration.IntegrationSettings;
import dev.switchboard.routes.admin.ConsoleModels.IntegrationRow;
import dev.switchboard.routes.admin.ConsoleModels.UrlField;
import dev.switchboard.store.ConnectedUserRepository.ConnectedUser;
import dev.switchboard.store.IntegrationConfigRepository.IntegrationConfig;
import dev.switchboard.store.ProjectRepository.Branding;
import dev.switchboard.store.ProjectRepository.Project;
import dev.switchboard.store.Run;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpStatus;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator console: server-rendered pages under {@code /admin/console} for everything the admin API does,
 * through the same {@link Administration}. Signing in with the admin token opens a session held in an HttpOnly,
 * SameSite=Strict cookie; every form carries the session's CSRF token and is refused without it. A form that
 * succeeds redirects (POST, then GET); one that is refused shows its page again with the reason.
 */
final class ConsoleRoutes {
    static final String PREFIX = "/admin/console";
    private static final String COOKIE = "switchboard_console";
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleRoutes.class);
    /** What a redirect's {@code done} parameter may announce: codes, never text from the address. */
    private static final Map<String, String> NOTICES = Map.of(
            "created", "Project created.",
            "saved", "Saved.",
            "key-added", "Signing key added.",
            "key-retired", "Signing key retired: tokens it signed are refused from now on.",
            "disconnected", "Account disconnected.",
            "imported", "Account imported.",
            "webhook-saved", "Trigger webhook saved.",
            "replayed", "The event will be delivered again, with the same id.",
            "deleted", "Project deleted.",
            "signed-out", "Signed out.");
    private static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /** Who is signed in, and the token their forms must carry. */
    private record Signed(String sessionId, String csrf) {}

    @FunctionalInterface
    private interface Page {
        /** @param error why the form shown on this page was just refused; null when showing the page anew */
        void show(Context ctx, Signed signed, String error) throws Exception;
    }

    @FunctionalInterface
    private interface Form {
        /** Does what the form asks; returns where to go next, or null when it rendered the answer itself. */
        String submit(Context ctx, Signed signed) throws Exception;
    }

    private final Administration admin;
    private final ConsoleSessions sessions;
    private final TemplateEngine templates = TemplateEngine.createPrecompiled(ContentType.Html);

    ConsoleRoutes(Administration admin, ConsoleSessions sessions) {
        this.admin = admin;
        this.sessions = sessions;
    }

    /** Whether the console (not the bearer-token API) answers this path. */
    static boolean serves(String path) {
        return path.equals("/admin") || path.equals(PREFIX) || path.startsWith(PREFIX + "/");
    }

    void register(RoutesConfig routes) {
        routes.get("/admin", ctx -> ctx.redirect(PREFIX + "/projects", HttpStatus.SEE_OTHER));
        routes.get(PREFIX + "/sign-in", this::signInPage);
        routes.post(PREFIX + "/sign-in", this::signIn);
        routes.post(PREFIX + "/sign-out", form(this::signOut, null));
        routes.get(PREFIX + "/projects", page(this::projectsPage));
        routes.post(PREFIX + "/projects", form(this::createProject, this::projectsPage));
        routes.get(PREFIX + "/projects/{projectId}", page(this::projectPage));
        routes.post(PREFIX + "/projects/{projectId}", form(this::updateProject, this::projectPage));
        routes.get(PREFIX + "/projects/{projectId}/delete", page(this::deletePage));
        routes.post(PREFIX + "/projects/{projectId}/delete", form(this::deleteProject, this::deletePage));
        routes.post(PREFIX + "/projects/{projectId}/signing-keys", form(this::addSigningKey, this::projectPage));
        routes.post(PREFIX + "/projects/{projectId}/signing-keys/{kid}/retire", form(this::retireSigningKey, this::projectPage));
        routes.get(PREFIX + "/projects/{projectId}/integrations/{integration}", page(this::integrationPage));
        routes.post(PREFIX + "/projects/{projectId}/integrations/{integration}", form(this::saveIntegration, this::integrationPage));
        routes.get(PREFIX + "/projects/{projectId}/users", page(this::usersPage));
        routes.post(PREFIX + "/projects/{projectId}/users", form(this::importAccount, this::usersPage));
        routes.get(PREFIX + "/projects/{projectId}/users/{userId}", page(this::userPage));
        routes.post(PREFIX + "/projects/{projectId}/users/{userId}/accounts/{credentialId}/disconnect", form(this::disconnect, this::userPage));
        routes.post(PREFIX + "/projects/{projectId}/trigger-webhook", form(this::setTriggerWebhook, this::projectPage));
        routes.get(PREFIX + "/projects/{projectId}/trigger-events", page(this::triggerEventsPage));
        routes.get(PREFIX + "/projects/{projectId}/trigger-events/{eventId}", page(this::triggerEventPage));
        routes.post(PREFIX + "/projects/{projectId}/trigger-events/{eventId}/replay", form(this::replayTriggerEvent, this::triggerEventsPage));
        routes.get(PREFIX + "/projects/{projectId}/runs", page(this::runsPage));
        routes.get(PREFIX + "/projects/{projectId}/runs/{runId}", page(this::runPage));
    }

    // ---- the frame: sessions, CSRF, rendering ----

    private Handler page(Page page) {
        return ctx -> {
            Signed signed = signedIn(ctx);
            if (signed == null) {
                return;
            }
            try {
                page.show(ctx, signed, null);
            } catch (Failure failure) {
                showFailure(ctx, signed, failure);
            }
        };
    }

    private Handler form(Form form, Page onRefusal) {
        return ctx -> {
            Signed signed = signedIn(ctx);
            if (signed == null) {
                return;
            }
            if (!fromThisSite(ctx) || !sessions.csrfMatches(signed.sessionId(), ctx.formParam("csrf"))) {
                LOG.info("403 {} {}: the console form's CSRF token or origin is not this console's", ctx.method(), ctx.path());
                ctx.status(403);
                render(ctx, "error", Map.of("view", view(ctx, signed, "Refused", null), "message",
                        "This form did not come from this console's page (its CSRF token is missing or stale). Go back, reload the page and try again."));
                return;
            }
            try {
                String next = form.submit(ctx, signed);
                if (next != null) {
                    ctx.redirect(next, HttpStatus.SEE_OTHER);
                }
            } catch (Failure failure) {
                if (onRefusal != null && (failure.kind() == Failure.Kind.INVALID_INPUT || failure.kind() == Failure.Kind.CONFLICT)) {
                    ctx.status(ErrorResponses.status(failure));
                    onRefusal.show(ctx, signed, failure.getMessage());
                } else {
                    showFailure(ctx, signed, failure);
                }
            }
        };
    }

    /** The session the request's cookie names; null (having sent the browser to the sign-in page) when there is none. */
    private Signed signedIn(Context ctx) {
        protect(ctx);
        Optional<String> session = sessions.active(ctx.cookie(COOKIE));
        if (session.isEmpty()) {
            ctx.redirect(PREFIX + "/sign-in", HttpStatus.SEE_OTHER);
            return null;
        }
        return new Signed(session.get(), sessions.csrfToken(session.get()));
    }

    /** A form posted from another site's page carries its own Origin; browsers send one with every POST. */
    private static boolean fromThisSite(Context ctx) {
        String origin = ctx.header("Origin");
        if (origin == null) {
            return true; // the CSRF token alone decides
        }
        try {
            return URI.create(origin).getRawAuthority() != null && URI.create(origin).getRawAuthority().equalsIgnoreCase(ctx.header("Host"));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static void protect(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "same-origin"); // "no-referrer" would make browsers send "Origin: null" with the forms
        ctx.header("X-Content-Type-Options", "nosniff");
    }

    private void showFailure(Context ctx, Signed signed, Failure failure) {
        ctx.status(ErrorResponses.status(failure));
        String title = failure.kind() == Failure.Kind.NOT_FOUND ? "Not found" : "Refused";
        render(ctx, "error", Map.of("view", view(ctx, signed, title, null), "message", failure.getMessage()));
    }

    private void render(Context ctx, String template, Map<String, Object> params) {
        StringOutput out = new StringOutput();
        templates.render("console/" + template + ".jte", params, out);
        ctx.contentType("text/html; charset=utf-8").result(out.toString());
    }

    private static ConsoleView view(Context ctx, Signed signed, String title, Project project) {
        String notice = NOTICES.get(Optional.ofNullable(ctx.queryParam("done")).orElse(""));
        return new ConsoleView(title, signed == null ? null : signed.csrf(), project == null ? null : project.id(),
                project == null ? null : project.name(), notice, null);
    }

    private static ConsoleView withError(ConsoleView view, String error) {
        return error == null ? view : new ConsoleView(view.title(), view.csrf(), view.projectId(), view.projectName(), null, error);
    }

    private static String projectPath(Project project, String rest) {
        return PREFIX + "/projects/" + project.id() + rest;
    }

    /** A form field as given; null when left empty. */
    private static String field(Context ctx, String name) {
        String value = ctx.formParam(name);
        return value == null || value.isBlank() ? null : value.strip();
    }

    // ---- sign-in ----

    private void signInPage(Context ctx) {
        protect(ctx);
        if (sessions.active(ctx.cookie(COOKIE)).isPresent()) {
            ctx.redirect(PREFIX + "/projects", HttpStatus.SEE_OTHER);
            return;
        }
        render(ctx, "sign-in", Map.of("view", view(ctx, null, "Sign in", null)));
    }

    private void signIn(Context ctx) {
        protect(ctx);
        if (!fromThisSite(ctx)) {
            ctx.status(403);
            render(ctx, "sign-in", Map.of("view", withError(view(ctx, null, "Sign in", null), "This form did not come from this console's page.")));
            return;
        }
        String sessionId;
        try {
            sessionId = sessions.signIn(ctx.formParam("token"));
        } catch (Failure failure) {
            LOG.info("401 {} {}: {}", ctx.method(), ctx.path(), failure.logReason());
            ctx.status(401);
            render(ctx, "sign-in", Map.of("view", withError(view(ctx, null, "Sign in", null),
                    "That is not this server's admin token (the value of admin-token, or of the file admin-token in its data directory).")));
            return;
        }
        boolean secure = "https".equals(ctx.scheme()) || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
        ctx.header("Set-Cookie", COOKIE + "=" + sessionId + "; Path=/admin; Max-Age=" + ConsoleSessions.LIFETIME.toSeconds()
                + "; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : ""));
        ctx.redirect(PREFIX + "/projects", HttpStatus.SEE_OTHER);
    }

    private String signOut(Context ctx, Signed signed) {
        sessions.signOut(signed.sessionId());
        ctx.header("Set-Cookie", COOKIE + "=; Path=/admin; Max-Age=0; HttpOnly; SameSite=Strict");
        return PREFIX + "/sign-in?done=signed-out";
    }

    // ---- projects ----

    private void projectsPage(Context ctx, Signed signed, String error) {
        render(ctx, "projects", Map.of("view", withError(view(ctx, signed, "Projects", null), error), "projects", admin.projects.list()));
    }

    private String createProject(Context ctx, Signed signed) {
        Project project = admin.createProject(ctx.formParam("name"));
        return projectPath(project, "?done=created");
    }

    private void projectPage(Context ctx, Signed signed, String error) {
        Project project = admin.project(ctx.pathParam("projectId"));
        List<IntegrationRow> integrations = new ArrayList<>();
        Map<String, IntegrationConfig> configured = new LinkedHashMap<>();
        admin.configs.list(project.id()).forEach(config -> configured.put(config.integration(), config));
        for (String key : new TreeSet<>(admin.catalog.integrationKeys())) {
            IntegrationDefinition definition = admin.catalog.integration(key).orElseThrow();
            IntegrationConfig config = configured.get(key);
            integrations.add(new IntegrationRow(key, definition.name(), definition.auth().type(), admin.catalog.actionsOf(key).size(),
                    config == null ? "not configured" : config.enabled() ? "enabled" : "disabled"));
        }
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("view", withError(view(ctx, signed, project.name(), project), error));
        params.put("project", project);
        params.put("signingKeys", admin.signingKeys.list(project.id()));
        params.put("integrations", integrations);
        params.put("webhook", admin.triggerWebhooks.find(project.id()).orElse(null));
        render(ctx, "project", params);
    }

    private String updateProject(Context ctx, Signed signed) {
        Branding branding = new Branding(field(ctx, "displayName"), field(ctx, "logoUrl"), field(ctx, "accentColor"));
        Project project = admin.updateProject(ctx.pathParam("projectId"), ctx.formParam("name"), field(ctx, "unknownParameters"), branding);
        return projectPath(project, "?done=saved");
    }

    private void deletePage(Context ctx, Signed signed, String error) {
        Project project = admin.project(ctx.pathParam("projectId"));
        render(ctx, "delete", Map.of("view", withError(view(ctx, signed, "Delete " + project.name(), project), error), "project", project));
    }

    private String deleteProject(Context ctx, Signed signed) {
        Project project = admin.project(ctx.pathParam("projectId"));
        if (!project.name().equals(field(ctx, "confirm"))) {
            throw Failure.invalidInput("invalid_request", "To delete the project, type its name exactly as shown.");
        }
        admin.deleteProject(project.id());
        return PREFIX + "/projects?done=deleted";
    }

    // ---- signing keys ----

    private String addSigningKey(Context ctx, Signed signed) {
        Project project = admin.project(ctx.pathParam("projectId"));
        boolean generate = "generate".equals(ctx.formParam("mode"));
        String publicKeyPem = field(ctx, "publicKeyPem");
        if (!generate && publicKeyPem == null) {
            throw Failure.invalidInput("invalid_request", "Paste a public key in PEM (-----BEGIN PUBLIC KEY-----), or generate a key pair.");
        }
        Administration.AddedKey added = admin.addSigningKey(project.id(), generate ? null : publicKeyPem);
        if (added.privateKeyPem() == null) {
            return projectPath(project, "?done=key-added");
        }
        // The private key exists only in this answer: it is shown once, to download, and never stored.
        String download = "data:application/x-pem-file;base64,"
                + Base64.getEncoder().encodeToString(added.privateKeyPem().getBytes(StandardCharsets.UTF_8));
        ctx.status(201);
        render(ctx, "key", Map.of("view", view(ctx, signed, "New signing key", project), "kid", added.kid(),
                "privateKeyPem", added.privateKeyPem(), "download", download));
        return null;
    }

    private String retireSigningKey(Context ctx, Signed signed) {
        Project project = admin.project(ctx.pathParam("projectId"));
        admin.retireSigningKey(project.id(), ctx.pathParam("kid"));
        return projectPath(project, "?done=key-retired");
    }

    // ---- integrations ----

    private void integrationPage(Context ctx, Signed signed, String error) {
        Project project = admin.project(ctx.pathParam("projectId"));
        IntegrationDefinition definition = admin.integration(ctx.pathParam("integration"));
        IntegrationConfig config = admin.configs.find(project.id(), definition.key()).orElse(null);
        List<UrlField> urls = new ArrayList<>();
        new TreeSet<>(definition.urls().keySet()).forEach(role -> urls.add(new UrlField(role, definition.urls().get(role),
                config == null ? "" : config.urls().getOrDefault(role, ""))));
        IntegrationDefinition.RateLimit limit = definition.rateLimit();
        String rateLimit = limit == null ? "None: the vendor documents no limit, so calls go out as they come."
                : limit.requests() + " requests per " + limit.seconds() + " s for each " + (limit.per() == null ? "account" : limit.per())
                + ", kept by each node before a call goes out (the vendor's documented limit).";
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("view", withError(view(ctx, signed, definition.name(), project), error));
        params.put("definition", definition);
        params.put("config", config);
        params.put("oauth", !definition.auth().isApiKey() && !definition.auth().isInBody());
        params.put("urls", urls);
        params.put("rateLimit", rateLimit);
        params.put("unknownParameters", project.unknownParameters());
        render(ctx, "integration", params);
    }

    private String saveIntegration(Context ctx, Signed signed) {
        Project project = admin.project(ctx.pathParam("projectId"));
        IntegrationDefinition definition = admin.integration(ctx.pathParam("integration"));
        Map<String, String> urls = new LinkedHashMap<>();
        definition.urls().keySet().forEach(role -> {
            String url = field(ctx, "url." + role);
            if (url != null) {
                urls.put(role, url);
            }
        });
        String scopes = field(ctx, "scopes");
        admin.putIntegration(project.id(), definition.key(), new IntegrationSettings(ctx.formParam("enabled") != null,
                field(ctx, "clientId"), field(ctx, "clientSecret"),
                scopes == null ? List.of() : Arrays.stream(scopes.split("[\\s,]+")).filter(s -> !s.isEmpty()).toList(), urls,
                field(ctx, "signingSecret")));
        return projectPath(project, "/integrations/" + definition.key() + "?done=saved");
    }

    // ---- users and their accounts ----

    private void usersPage(Context ctx, Signed signed, String error) {
        Project project = admin.project(ctx.pathParam("projectId"));
        int limit = 50;
        List<ConnectedUser> users = admin.users.list(project.id(), limit, ctx.queryParam("after"));
        String next = users.size() == limit ? projectPath(project, "/users?after=" + ConsoleView.encode(users.get(users.size() - 1).userId())) : null;
        render(ctx, "users", Map.of("view", withError(view(ctx, signed, "Users", project), error), "users", users,
                "next", new ConsoleModels.NextPage(next), "integrationKeys", new TreeSet<>(admin.catalog.integrationKeys())));
    }

    /** An account whose tokens were obtained elsewhere (a migration from another system, a service account). */
    private String importAccount(Context ctx, Signed signed) {
        Project project = admin.project(ctx.pathParam("projectId"));
        String userId = field(ctx, "userId");
        Map<String, Object> providerData = new LinkedHashMap<>();
        String lines = field(ctx, "providerData");
        if (lines != null) {
            for (String line : lines.split("\\R")) {
                if (line.isBlank()) {
                    continue;
                }
                String[] pair = line.split("=", 2);
                if (pair.length != 2 || pair[0].isBlank()) {
                    throw Failure.invalidInput("invalid_request", "providerData: write one key=value a line, such as cloudId=1234.");
                }
                providerData.put(pair[0].strip(), pair[1].strip());
            }
        }
        admin.importCredential(project.id(), userId, new Administration.ImportedAccount(field(ctx, "integration"), field(ctx, "accessToken"),
                field(ctx, "refreshToken"), field(ctx, "expiresAt"), field(ctx, "apiKey"), field(ctx, "providerId"),
                providerData.isEmpty() ? null : providerData));
        return projectPath(project, "/users/" + ConsoleView.encode(userId) + "?done=imported");
    }

    private void userPage(Context ctx, Signed signed, String error) {
        Project project = admin.project(ctx.pathParam("projectId"));
        String userId = ctx.pathParam("userId");
        render(ctx, "user", Map.of("view", withError(view(ctx, signed, "User " + userId, project), error), "userId", userId,
                "userPath", projectPath(project, "/users/" + ConsoleView.encode(userId)),
                "accounts", admin.credentials.listForUserFromDatabase(project.id(), userId),
                "subscriptions", admin.triggerSubscriptions(project.id(), userId)));
    }

    private String disconnect(Context ctx, Signed signed) {
        Project project = admin.project(ctx.pathParam("projectId"));
        String userId = ctx.pathParam("userId");
        admin.disconnect(project.id(), userId, ctx.pathParam("credentialId"));
        return projectPath(project, "/users/" + ConsoleView.encode(userId) + "?done=disconnected");
    }

    // ---- triggers ----

    private String setTriggerWebhook(Context ctx, Signed signed) {
        Project project = admin.project(ctx.pathParam("projectId"));
        admin.setTriggerWebhook(project.id(), field(ctx, "url"), ctx.formParam("newSecret") != null);
        return projectPath(project, "?done=webhook-saved#triggers");
    }

    private static final List<String> EVENT_STATUSES = List.of("PENDING", "DELIVERED", "FAILED");

    private void triggerEventsPage(Context ctx, Signed signed, String error) {
        Project project = admin.project(ctx.pathParam("projectId"));
        String status = Optional.ofNullable(ctx.queryParam("status")).filter(EVENT_STATUSES::contains).orElse(null);
        render(ctx, "trigger-events", Map.of("view", withError(view(ctx, signed, "Trigger events", project), error),
                "events", admin.triggerEvents.list(project.id(), null, status, 100), "status", status == null ? "" : status));
    }

    private void triggerEventPage(Context ctx, Signed signed, String error) {
        Project project = admin.project(ctx.pathParam("projectId"));
        var event = admin.triggerEvent(project.id(), ctx.pathParam("eventId"));
        render(ctx, "trigger-event", Map.of("view", view(ctx, signed, "Event " + event.id(), project), "event", event,
                "body", Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(Json.parse(event.body())),
                "deliveries", admin.triggerEvents.attempts(event.id())));
    }

    private String replayTriggerEvent(Context ctx, Signed signed) {
        Project project = admin.project(ctx.pathParam("projectId"));
        admin.replayTriggerEvent(project.id(), ctx.pathParam("eventId"));
        return projectPath(project, "/trigger-events?done=replayed");
    }

    // ---- runs ----

    private static final List<String> RUN_FILTERS = List.of("userId", "integration", "action", "status", "outcome", "since", "until");

    private void runsPage(Context ctx, Signed signed, String error) {
        Project project = admin.project(ctx.pathParam("projectId"));
        int limit = 50;
        Map<String, String> filters = new LinkedHashMap<>();
        RUN_FILTERS.forEach(name -> filters.put(name, Optional.ofNullable(ctx.queryParam(name)).map(String::strip).orElse("")));
        List<Run> runs;
        String refusal = null;
        try {
            runs = admin.runs(project.id(), name -> name.equals("limit") ? String.valueOf(limit) : ctx.queryParam(name), limit);
        } catch (Failure failure) {
            if (failure.kind() != Failure.Kind.INVALID_INPUT) {
                throw failure;
            }
            ctx.status(400);
            runs = List.of();
            refusal = failure.getMessage();
        }
        String next = null;
        if (runs.size() == limit) {
            StringBuilder href = new StringBuilder(projectPath(project, "/runs?cursor=" + RunFilters.cursorAfter(runs.get(runs.size() - 1))));
            filters.forEach((name, value) -> {
                if (!value.isEmpty()) {
                    href.append('&').append(name).append('=').append(ConsoleView.encode(value));
                }
            });
            next = href.toString();
        }
        render(ctx, "runs", Map.of("view", withError(view(ctx, signed, "Runs", project), refusal), "runs", runs, "filters", filters,
                "integrationKeys", new TreeSet<>(admin.catalog.integrationKeys()), "next", new ConsoleModels.NextPage(next)));
    }

    private void runPage(Context ctx, Signed signed, String error) {
        Project project = admin.project(ctx.pathParam("projectId"));
        Run run = admin.run(project.id(), ctx.pathParam("runId"));
        render(ctx, "run", Map.of("view", view(ctx, signed, "Run " + run.id(), project), "run", run));
    }
}
