package dev.switchboard.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "switchboard", mixinStandardHelpOptions = true, version = "Switchboard 0.1.0",
        description = "Run actions on your users' connected SaaS accounts through one ActionKit-compatible API.",
        subcommands = {ServeCommand.class, AdminCommand.class, TokenCommand.class, McpCommand.class})
public final class Main {
    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }
}
