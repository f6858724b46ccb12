package dev.switchboard.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Assumptions;

/**
 * A test that needs something outside the JVM (a browser, the MCP Inspector, a container image): when it is missing the
 * test fails if the run requires it (the variable .ci/run and ./switchboard test set), and otherwise says on the console
 * why it does not run, so that a run never reports "Tests run: 0" without a reason.
 */
public final class Prerequisites {
    private Prerequisites() {}

    /**
     * @param present         whether what the test needs is here
     * @param requireVariable set (to anything) when the run must not go without it
     * @param why             what is missing and how to get it
     */
    public static void require(boolean present, String requireVariable, String why) {
        if (present) {
            return;
        }
        assertThat(System.getenv(requireVariable)).as(why + " (" + requireVariable + " is set: this run requires it)").isNull();
        // The test class that is running: the outermost of ours (a test may ask through another's helper).
        String test = StackWalker.getInstance().walk(frames -> frames.map(StackWalker.StackFrame::getClassName)
                .filter(name -> name.startsWith("dev.switchboard.") && name.endsWith("Test")).reduce((inner, outer) -> outer)).orElse("a test");
        System.out.println("SKIPPED " + test.replaceAll(".*\\.", "") + ": " + why);
        Assumptions.abort(why);
    }
}
