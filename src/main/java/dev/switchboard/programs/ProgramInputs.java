package dev.switchboard.programs;

import dev.switchboard.json.Json;
import dev.switchboard.outcomes.Failure;
import tools.jackson.databind.JsonNode;

/** What programs do alike with their inputs. */
public final class ProgramInputs {
    private ProgramInputs() {}

    /**
     * A parameter ActionKit's callers may give as JSON or as its text (Jira's additionalFields, Shopify's line items).
     *
     * @param give what to give instead, for the error ("a JSON object")
     */
    public static JsonNode json(JsonNode given, String path, String give) {
        if (!given.isString()) {
            return given;
        }
        try {
            return Json.MAPPER.readTree(given.asString());
        } catch (RuntimeException notJson) {
            throw Failure.invalidInput("invalid_parameters", path + ": is text that is not JSON; give " + give + ", or its text.");
        }
    }
}
