package dev.switchboard.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine;

@Command(name = "switchboard", mixinStandardHelpOptions = true, version = "Switchboard " + dev.switchboard.SwitchboardServer.VERSION,
        description = "Run actions on your users' connected SaaS accounts through one ActionKit-compatible API.",
        subcommands = {ServeCommand.class, ConfigCommand.class, AdminCommand.class, TokenCommand.class, McpCommand.class,
                ImportOpenApiCommand.class, StoreCommands.Backup.class, StoreCommands.Restore.class,
                StoreCommands.RotateEncryptionKey.class, CommandLine.HelpCommand.class},
        footer = {"", "Commands of the ./switchboard launcher, from a checkout (each takes --help):",
                "  test           run the test suite (what CI runs)",
                "  image          build the container image into target/jib-image.tar",
                "  docs           rewrite the generated tables of docs/integrations.md",
                "  fake-slack     run the Slack fake of the test tree, for the README's walkthrough",
                "  bench          gateway overhead: the fake, nginx, actions and the proxy under wrk",
                "  bench-micro    JMH: the per-request steps beside their baselines",
                "  bench-catalog  the catalog at scale: start-up, listings, heap",
                "  bench-files    memory of file transfers (1 GiB through the proxy)",
                "  soak           mixed load with faulted vendor calls"})
public final class Main {
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line as main runs it: tests execute commands on it in their own JVM. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        // A bad flag or setting ends with one line naming it, not a stack trace.
        cli.setExecutionExceptionHandler((e, command, parsed) -> {
            boolean badInput = e instanceof IllegalArgumentException;
            command.getErr().println("switchboard: " + (badInput ? "" : e.getClass().getSimpleName() + ": ") + e.getMessage());
            return badInput ? CommandLine.ExitCode.USAGE : CommandLine.ExitCode.SOFTWARE;
        });
        return cli;
    }
}
