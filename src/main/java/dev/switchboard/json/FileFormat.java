package dev.switchboard.json;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * A file format described by a JSON Schema (the integration and trigger files'): a file that breaks it is refused
 * with every problem named by its field, such as {@code actions.X.method: does not have a value in the enumeration}.
 */
public final class FileFormat {
    private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private static final int MAX_REPORTED_PROBLEMS = 10;

    private final Schema schema;

    private FileFormat(Schema schema) {
        this.schema = schema;
    }

    /** The format whose schema is this text. */
    public static FileFormat of(String schemaJson) {
        return new FileFormat(SCHEMAS.getSchema(Json.MAPPER.readTree(schemaJson)));
    }

    /** Throws {@link IllegalArgumentException} naming up to ten problems when the file breaks the format. */
    public void check(JsonNode file) {
        List<Error> problems = schema.validate(file);
        if (problems.isEmpty()) {
            return;
        }
        List<String> described = problems.stream().map(FileFormat::describe).distinct().toList();
        throw new IllegalArgumentException(String.join("; ", described.subList(0, Math.min(described.size(), MAX_REPORTED_PROBLEMS)))
                + (described.size() > MAX_REPORTED_PROBLEMS ? "; and " + (described.size() - MAX_REPORTED_PROBLEMS) + " more" : ""));
    }

    private static String describe(Error error) {
        String pointer = error.getInstanceLocation().toString();
        StringBuilder field = new StringBuilder();
        for (String part : pointer.split("/")) {
            if (!part.isEmpty()) {
                field.append(field.isEmpty() ? "" : ".").append(part.replace("~1", "/").replace("~0", "~"));
            }
        }
        String message = error.getMessage();
        if (message.startsWith(pointer + ": ")) {
            message = message.substring(pointer.length() + 2);
        }
        if ("required".equals(error.getKeyword()) && error.getProperty() != null) {
            field.append(field.isEmpty() ? "" : ".").append(error.getProperty());
            message = "is required";
        }
        return (field.isEmpty() ? "the file" : field) + ": " + message;
    }
}
