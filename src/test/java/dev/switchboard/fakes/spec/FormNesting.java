package dev.switchboard.fakes.spec;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A form-encoded body read the way Stripe (and Rails, PHP) read brackets: {@code items[0][price]=p&metadata[k]=v} is
 * {@code {"items": [{"price": "p"}], "metadata": {"k": "v"}}}; every value stays text, as it came.
 */
public final class FormNesting {
    private FormNesting() {}

    public static ObjectNode read(String form) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        for (String pair : form.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            put(root, name, value);
        }
        return root;
    }

    private static void put(ObjectNode root, String name, String value) {
        int open = name.indexOf('[');
        String head = open < 0 ? name : name.substring(0, open);
        java.util.List<String> keys = new java.util.ArrayList<>();
        keys.add(head);
        for (int i = open; i >= 0 && i < name.length(); ) {
            int close = name.indexOf(']', i);
            keys.add(name.substring(i + 1, close));
            i = close + 1 < name.length() && name.charAt(close + 1) == '[' ? close + 1 : -1;
        }
        JsonNode node = root;
        for (int k = 0; k < keys.size(); k++) {
            String key = keys.get(k);
            boolean last = k == keys.size() - 1;
            boolean nextIsIndex = !last && keys.get(k + 1).matches("\\d*");
            if (node instanceof ObjectNode object) {
                if (last) {
                    object.put(key, value);
                } else {
                    node = object.has(key) ? object.get(key) : nextIsIndex ? object.putArray(key) : object.putObject(key);
                }
            } else if (node instanceof ArrayNode array) {
                int index = key.isEmpty() ? array.size() : Integer.parseInt(key);
                while (array.size() <= index) {
                    array.add(nextIsIndex ? JsonNodeFactory.instance.arrayNode() : last ? JsonNodeFactory.instance.nullNode() : JsonNodeFactory.instance.objectNode());
                }
                if (last) {
                    array.set(index, JsonNodeFactory.instance.stringNode(value));
                } else {
                    node = array.get(index);
                }
            }
        }
    }
}
