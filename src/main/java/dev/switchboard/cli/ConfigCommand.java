package dev.switchboard.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Prints the configuration {@code serve} would start with, given the same flags, environment and file. */
@Command(name = "config", mixinStandardHelpOptions = true, modelTransformer = SettingFlags.class,
        description = "Print the effective configuration (each setting, its value and where it came from), secrets masked. "
                + "Takes the same flags as serve; a bad value fails here as it would at start.")
final class ConfigCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        SettingFlags.resolve(spec).describe().forEach(spec.commandLine().getOut()::println);
        return 0;
    }
}
