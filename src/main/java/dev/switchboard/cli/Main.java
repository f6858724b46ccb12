package dev.switchboard.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine;

@Command(name = "switchboard", mixinStandardHelpOptions = true, version = "Switchboard 0.1.0",
        description = "Run actions on your users' connected SaaS accounts through one ActionKit-compatible API.",
        subcommands = {ServeCommand.class, ConfigCommand.class, StoreCommands.Backup.class, StoreCommands.Restore.class, StoreCommands.RotateEncryptionKey.class, AdminCommand.class, TokenCommand.class, McpCommand.class, ImportOpenApiCommand.class})
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
