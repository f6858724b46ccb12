package dev.switchboard.http;

import io.javalin.http.Context;

/** Where a user connects their accounts: named in every "not connected" answer, as ActionKit's clients need to send them there. */
public final class ConnectPage {
    private ConnectPage() {}

    /** The Connect page of a project, at the server's public address (or, when none is set, the one this request used). */
    public static String address(Context ctx, String publicUrl, String projectId) {
        return address(ctx.scheme(), ctx.host(), publicUrl, projectId);
    }

    /** @param host the request's {@code Host} header, for when no public URL is set */
    public static String address(String scheme, String host, String publicUrl, String projectId) {
        String base = publicUrl != null ? publicUrl.replaceAll("/$", "") : scheme + "://" + host;
        return base + "/projects/" + projectId + "/connect";
    }
}
