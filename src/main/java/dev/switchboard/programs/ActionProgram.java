package dev.switchboard.programs;

import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Code for an action that one vendor request cannot do, written as a sequence of other actions of the same
 * integration (Notion's page from Markdown: create the page, then append the blocks a hundred at a time). Each step
 * is an action of the catalog, so its request is built, checked against the vendor's description, sent, paged and
 * mapped as for any action; the program only decides which steps to run and combines their answers.
 *
 * <p>A definition names its program ({@code program: notionCreatePageWithMarkdown}); the action keeps its own
 * input schema, checked before the program starts.
 */
public interface ActionProgram {

    /** Runs the actions a program needs, for the caller's account, within the caller's run. */
    interface Steps {
        /**
         * Runs one action of the same integration (one vendor request, or one page of a list).
         *
         * @return the action's result, as a caller of that action would get it
         * @throws dev.switchboard.outcomes.Failure as that action would fail; the program ends with it
         */
        JsonNode run(String action, JsonNode parameters);
    }

    /** Whether the program only reads (safe to repeat, like a GET). */
    boolean readsOnly();

    /** The actions it runs, which its integration must have. */
    Set<String> steps();

    /** @param input the action's parameters, validated against its schema */
    JsonNode run(JsonNode input, Steps steps);

    /** What a program does with its input and steps. */
    interface Body {
        JsonNode run(JsonNode input, Steps steps);
    }

    /** A program from what it is: whether it only reads, the actions it runs, and what it does. */
    static ActionProgram of(boolean readsOnly, Set<String> steps, Body body) {
        Set<String> runs = Set.copyOf(steps);
        return new ActionProgram() {
            @Override
            public boolean readsOnly() {
                return readsOnly;
            }

            @Override
            public Set<String> steps() {
                return runs;
            }

            @Override
            public JsonNode run(JsonNode input, Steps run) {
                return body.run(input, run);
            }
        };
    }
}
