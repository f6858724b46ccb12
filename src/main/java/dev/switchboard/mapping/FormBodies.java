package dev.switchboard.mapping;

import dev.switchboard.outcomes.Echo;
import dev.switchboard.outcomes.Failure;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * A request's fields as an {@code application/x-www-form-urlencoded} body, nested the way Stripe (and Rails, PHP)
 * read brackets: {@code metadata[plan]=pro}, {@code items[0][price]=price_1}. Text, numbers and booleans are written
 * as their text; an empty text is sent (Stripe reads it as "unset"); null is left out. A key holding a bracket could
 * only be read as more nesting, so it is refused, naming it.
 */
public final class FormBodies {
    private FormBodies() {}

    public static String encode(JsonNode fields) {
        List<String> pairs = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : fields.properties()) {
            add(pairs, key(field.getKey(), field.getKey()), field.getValue());
        }
        return String.join("&", pairs);
    }

    private static void add(List<String> pairs, String name, JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return;
        }
        if (value.isObject()) {
            for (Map.Entry<String, JsonNode> field : value.properties()) {
                add(pairs, name + "[" + key(field.getKey(), name) + "]", field.getValue());
            }
        } else if (value.isArray()) {
            for (int i = 0; i < value.size(); i++) {
                add(pairs, name + "[" + i + "]", value.get(i));
            }
        } else {
            pairs.add(URLEncoder.encode(name, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(value.asString(), StandardCharsets.UTF_8));
        }
    }

    private static String key(String key, String within) {
        if (key.indexOf('[') >= 0 || key.indexOf(']') >= 0) {
            throw Failure.invalidInput("invalid_parameters", "parameters: the key " + Echo.quote(key) + " in " + Echo.quote(within)
                    + " holds a square bracket, which a form body can only read as nesting; use a key without [ or ].");
        }
        return key;
    }
}
