package dev.switchboard.files;

import dev.switchboard.json.Json;
import dev.switchboard.outcomes.Echo;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.POJONode;

/**
 * ActionKit's File objects, {@code {"dataType": "FILE", "mimeType", "data": "<hex>", "name"?}}: their schema,
 * their reading from a request body, and their checking.
 *
 * <p>The body is parsed token by token. In an object that has said {@code "dataType": "FILE"} before its
 * {@code data}, the hex is decoded while it is read into {@link FileBytes} (held in a {@link POJONode}); the
 * text is never held. When {@code data} comes first it is read as text and decoded when checked, which costs
 * more memory for the same result.
 */
public final class FileObjects {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** type/subtype with optional parameters, as RFC 9110 writes media types; no control characters anywhere. */
    private static final Pattern MEDIA_TYPE = Pattern.compile("[A-Za-z0-9!#$&^_.+-]+/[A-Za-z0-9!#$&^_.+-]+(\\s*;[^\\p{Cntrl}]*)?");
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

    private FileObjects() {}

    /** The JSON Schema of a File input, put where a definition says {@code type: file}. */
    public static ObjectNode schema(String description) {
        ObjectNode schema = Json.object().put("type", "object").put("description",
                (description == null ? "A file." : description) + " A File object: {\"dataType\": \"FILE\", \"mimeType\": \"...\", "
                        + "\"data\": \"<the bytes in hex>\", \"name\": \"optional\"}. Bodies are limited to 10 MiB, so files up to "
                        + "about 5 MB; send larger files through the Proxy API.");
        ObjectNode properties = schema.putObject("properties");
        properties.putObject("dataType").put("type", "string").putArray("enum").add("FILE");
        properties.putObject("mimeType").put("type", "string").put("minLength", 1).put("description", "Such as text/plain or application/pdf.");
        properties.putObject("data").put("type", "string").put("description", "The file's bytes, hex-encoded (two digits per byte).");
        properties.putObject("name").put("type", "string").put("description", "The file's name.");
        schema.putArray("required").add("dataType").add("mimeType").add("data");
        schema.put("additionalProperties", false);
        return schema;
    }

    public static boolean isFileSchema(JsonNode schema) {
        for (JsonNode value : schema.path("properties").path("dataType").path("enum")) {
            if (value.asString("").equals("FILE")) {
                return true;
            }
        }
        return false;
    }

    /** A File object as an action's result, its bytes written as hex when the answer is sent. */
    public static ObjectNode result(String mimeType, String name, FileBytes bytes) {
        ObjectNode file = Json.object().put("dataType", "FILE").put("mimeType", mimeType);
        if (name != null) {
            file.put("name", name);
        }
        file.set("data", new POJONode(bytes));
        return file;
    }

    public static FileBytes bytesOf(JsonNode data) {
        return data instanceof POJONode pojo && pojo.getPojo() instanceof FileBytes bytes ? bytes : null;
    }

    /**
     * Checks every File input of an action's parameters against its schema, turning hex text into bytes where
     * the parser could not yet.
     *
     * @return one problem per bad File input, naming it
     */
    public static List<String> check(JsonNode schema, ObjectNode parameters) {
        List<String> problems = new ArrayList<>();
        schema.path("properties").properties().forEach(property -> {
            JsonNode value = parameters.get(property.getKey());
            if (!isFileSchema(property.getValue()) || !(value instanceof ObjectNode file)) {
                return;
            }
            String where = "parameters." + property.getKey();
            if (!"FILE".equals(file.path("dataType").asString(null))) {
                problems.add(where + ".dataType: must be \"FILE\"");
            }
            if (!file.path("mimeType").isString() || file.get("mimeType").asString().isBlank()) {
                problems.add(where + ".mimeType: is required, such as text/plain");
            } else if (!MEDIA_TYPE.matcher(file.get("mimeType").asString()).matches()) {
                // it becomes a header of the multipart body sent to the vendor: a line break would forge headers
                problems.add(where + ".mimeType: must be a media type such as text/plain or application/pdf; charset=utf-8");
            }
            if (file.path("name").isString() && CONTROL.matcher(file.get("name").asString()).find()) {
                problems.add(where + ".name: must not hold control characters (line breaks, NUL, ...)");
            }
            JsonNode data = file.get("data");
            if (data instanceof HexProblem problem) {
                problems.add(where + ".data: " + problem.getPojo());
            } else if (data != null && data.isString()) {
                HexDecodingWriter decoder = new HexDecodingWriter();
                String text = data.asString();
                decoder.write(text.toCharArray(), 0, text.length());
                if (decoder.problem() != null) {
                    problems.add(where + ".data: " + decoder.problem());
                } else {
                    file.set("data", new POJONode(decoder.bytes()));
                }
            } else if (data == null) {
                problems.add(where + ".data: is required (the file's bytes in hex)");
            } else if (bytesOf(data) == null) {
                problems.add(where + ".data: must be a string of hex digits");
            }
        });
        return problems;
    }

    /** A {@code data} value that was read as hex and was not. */
    static final class HexProblem extends POJONode {
        HexProblem(String problem) {
            super(problem);
        }
    }

    /**
     * Reads a JSON document from a stream, strictly (a key given twice is refused).
     *
     * @param decodeFiles decode File data on the way (see the class comment): for action parameters, never for
     *                    bodies that store what they are given (a user's metadata)
     */
    public static JsonNode read(InputStream in, boolean decodeFiles) {
        try (JsonParser parser = Json.MAPPER.tokenStreamFactory().createParser(ObjectReadContext.empty(), in)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return null;
            }
            JsonNode node = value(parser, first, decodeFiles);
            if (parser.nextToken() != null) {
                throw new IllegalStateException("unexpected content after the JSON document");
            }
            return node;
        }
    }

    private static JsonNode value(JsonParser parser, JsonToken token, boolean decodeFiles) {
        return switch (token) {
            case START_OBJECT -> object(parser, decodeFiles);
            case START_ARRAY -> {
                ArrayNode array = NODES.arrayNode();
                for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
                    array.add(value(parser, t, decodeFiles));
                }
                yield array;
            }
            case VALUE_STRING -> NODES.stringNode(parser.getString());
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> number(parser, token);
            case VALUE_TRUE -> NODES.booleanNode(true);
            case VALUE_FALSE -> NODES.booleanNode(false);
            case VALUE_NULL -> NODES.nullNode();
            default -> throw new IllegalStateException("unexpected " + token);
        };
    }

    /** A number as written; one past the parser's limits (an exponent of a billion) is a refused body, not a crash. */
    private static JsonNode number(JsonParser parser, JsonToken token) {
        try {
            if (token == JsonToken.VALUE_NUMBER_FLOAT) {
                return NODES.numberNode(parser.getDecimalValue());
            }
            return switch (parser.getNumberType()) {
                case INT -> NODES.numberNode(parser.getIntValue());
                case LONG -> NODES.numberNode(parser.getLongValue());
                default -> NODES.numberNode(parser.getBigIntegerValue());
            };
        } catch (NumberFormatException beyondLimits) {
            throw new IllegalStateException("a number is beyond what can be read: " + Echo.quote(parser.getText()));
        }
    }

    private static ObjectNode object(JsonParser parser, boolean decodeFiles) {
        ObjectNode object = NODES.objectNode();
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
            String name = parser.currentName();
            if (object.has(name)) {
                // JSON parsers disagree on which of the two counts; refusing is the only answer that guesses nothing.
                throw new IllegalStateException("'" + name + "' appears twice in one object");
            }
            JsonToken valueToken = parser.nextToken();
            if (decodeFiles && name.equals("data") && valueToken == JsonToken.VALUE_STRING && "FILE".equals(object.path("dataType").asString(null))) {
                HexDecodingWriter decoder = new HexDecodingWriter();
                parser.readString(decoder);
                object.set(name, decoder.problem() == null ? new POJONode(decoder.bytes()) : new HexProblem(decoder.problem()));
            } else {
                object.set(name, value(parser, valueToken, decodeFiles));
            }
        }
        return object;
    }

}
