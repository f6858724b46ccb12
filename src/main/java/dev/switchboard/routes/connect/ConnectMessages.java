package dev.switchboard.routes.connect;

import dev.switchboard.json.Json;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/**
 * What an end user reads when connecting an account fails or an account stops working: what happened in plain words
 * and what to do next. The code stays available for a details line and for support, never as the message itself.
 */
public final class ConnectMessages {
    private static final String FALLBACK = "Connecting did not work. Try again; if it keeps failing, contact the application's support.";

    private static final Map<String, String> MESSAGES = Map.ofEntries(
            Map.entry("access_denied", "You did not allow access, so nothing was connected. Connect again and choose Allow to continue."),
            Map.entry("no_code", "The service did not confirm the connection. Try connecting again."),
            Map.entry("invalid_grant", "The service did not accept this sign-in, perhaps because it took too long. Try connecting again."),
            Map.entry("invalid_client", "This application's settings for the service are not right, so accounts cannot be connected now. "
                    + "Contact the application's support."),
            Map.entry("token_endpoint_unavailable", "The service could not be reached to finish connecting. Try again in a few minutes."),
            Map.entry("account_lookup_failed", "The service did not tell us which workspace or organisation to use. Try connecting again; "
                    + "if your sign-in covers several, make sure one is selected."),
            Map.entry("invalid_token_answer", "The service answered in a way we could not use. Try again; if it keeps failing, contact the "
                    + "application's support."),
            Map.entry("invalid_state", "This connection attempt expired or was started in another browser. Start connecting again from here."),
            Map.entry("connect_not_available", "This service cannot be connected here yet. Contact the application's support."),
            Map.entry("credential_invalid", "This account stopped working, perhaps because access was removed or a password changed. "
                    + "Reconnect it to continue."),
            Map.entry("refresh_failed", "This account's sign-in expired and could not be renewed. Reconnect it to continue."),
            Map.entry("invalid_api_key", "The service did not accept this API key. Check it and try again."));

    private ConnectMessages() {}

    /** The plain-language message for a code; a general one for codes not known here. */
    public static String plain(String code) {
        return code == null ? FALLBACK : MESSAGES.getOrDefault(code, FALLBACK);
    }

    /** Every message by code, and the general one under {@code ""}, for the Connect page. */
    static ObjectNode all() {
        ObjectNode all = Json.object().put("", FALLBACK);
        MESSAGES.forEach(all::put);
        return all;
    }
}
