package dev.switchboard.routes.admin;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * What every console page's frame needs: its title, the signed-in session's CSRF token for its forms (null on the
 * sign-in page), the project it is about (for the navigation) and a notice or error to show at the top.
 */
public record ConsoleView(String title, String csrf, String projectId, String projectName, String notice, String error) {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    public boolean signedIn() {
        return csrf != null;
    }

    /** A stored time (epoch milliseconds) as people read it; a dash when there is none. */
    public static String time(Long epochMillis) {
        return epochMillis == null ? "—" : TIME.format(Instant.ofEpochMilli(epochMillis));
    }

    /** A value as one segment or query value of an address. */
    public static String encode(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The console's address of a part of the project this page is about. */
    public String projectPath(String rest) {
        return ConsoleRoutes.PREFIX + "/projects/" + projectId + rest;
    }
}
