package dev.switchboard.http;

import dev.switchboard.auth.UserPrincipal;
import dev.switchboard.auth.UserTokenVerifier;
import dev.switchboard.outcomes.Failure;
import dev.switchboard.store.ConnectedUserRepository;
import dev.switchboard.store.ProjectRepository;
import io.javalin.http.Context;

/** The first step of every user-facing endpoint: the project must exist (404), then the token must verify (401). */
public final class UserAuthenticator {
    private final ProjectRepository projects;
    private final UserTokenVerifier tokens;
    private final ConnectedUserRepository users;

    public UserAuthenticator(ProjectRepository projects, UserTokenVerifier tokens, ConnectedUserRepository users) {
        this.projects = projects;
        this.tokens = tokens;
        this.users = users;
    }

    public UserPrincipal authenticate(Context ctx) {
        return authenticate(ctx.pathParam("projectId"), ctx.header("Authorization"));
    }

    /** @param authorization the request's {@code Authorization} header, or null */
    public UserPrincipal authenticate(String projectId, String authorization) {
        if (projects.find(projectId).isEmpty()) {
            throw Failure.notFound("project_not_found", "No project with this id.");
        }
        UserPrincipal user = tokens.verify(projectId, authorization);
        users.ensure(user.projectId(), user.userId());
        return user;
    }
}
