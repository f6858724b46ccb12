package dev.switchboard.routes.connect;

import dev.switchboard.integrations.IntegrationDefinition;
import dev.switchboard.integrations.IntegrationDefinition.ConnectField;
import dev.switchboard.outcomes.Echo;
import dev.switchboard.outcomes.Failure;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The values a user gives for an integration's connect fields (Shopify's store, Zendesk's subdomain) before its
 * authorize URL is built: only the fields whose placeholders the project's URLs still hold are asked for, each value
 * is checked against its field's pattern (so it cannot change a host), and what people paste is taken leniently: the
 * whole address ({@code https://acme.myshopify.com/admin}) gives the part the placeholder stands for.
 */
final class ConnectFieldValues {
    private ConnectFieldValues() {}

    /** The fields this project asks for: those whose placeholder is in one of its URLs for the integration. */
    static Map<String, ConnectField> asked(IntegrationDefinition definition, Map<String, String> urls) {
        Map<String, ConnectField> asked = new LinkedHashMap<>();
        definition.connectFields().forEach((name, field) -> {
            if (urls.values().stream().anyMatch(url -> url != null && url.contains("{" + name + "}"))) {
                asked.put(name, field);
            }
        });
        return asked;
    }

    /**
     * @param given the value the user gave for a field name, or null
     * @return the values by field name, each of its field's form
     */
    static Map<String, String> of(IntegrationDefinition definition, Map<String, String> urls, Function<String, String> given) {
        Map<String, String> values = new LinkedHashMap<>();
        asked(definition, urls).forEach((name, field) -> {
            String raw = given.apply(name);
            if (raw == null || raw.isBlank()) {
                throw Failure.invalidInput("connect_field_missing", name + ": connecting " + definition.name() + " needs your "
                        + field.label().toLowerCase(Locale.ROOT) + (field.example() == null ? "" : ", such as " + field.example()) + ".");
            }
            String value = fromAddress(raw.strip(), name, urls);
            if (!field.accepts(value)) {
                throw Failure.invalidInput("connect_field_invalid", name + ": " + Echo.quote(raw.strip()) + " is not a "
                        + field.label().toLowerCase(Locale.ROOT) + (field.description() == null ? "." : ": " + field.description()));
            }
            values.put(name, value);
        });
        return values;
    }

    /**
     * The part of a pasted address that the placeholder stands for: {@code https://acme.myshopify.com/admin} gives
     * {@code acme} for {@code https://{shop}.myshopify.com/...}. Other text is taken as it is.
     */
    private static String fromAddress(String value, String name, Map<String, String> urls) {
        String text = value.replaceFirst("(?i)^https?://", "");
        int slash = text.indexOf('/');
        text = slash < 0 ? text : text.substring(0, slash);
        for (String url : urls.values()) {
            int at = url == null ? -1 : url.indexOf("{" + name + "}");
            if (at < 0) {
                continue;
            }
            String after = url.substring(at + name.length() + 2);
            int end = after.indexOf('/');
            String hostSuffix = (end < 0 ? after : after.substring(0, end)).toLowerCase(Locale.ROOT);
            if (!hostSuffix.isEmpty() && hostSuffix.startsWith(".") && text.toLowerCase(Locale.ROOT).endsWith(hostSuffix)) {
                return text.substring(0, text.length() - hostSuffix.length());
            }
        }
        return value;
    }
}
