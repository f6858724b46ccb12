package dev.switchboard.cli;

import dev.switchboard.config.Setting;
import dev.switchboard.config.Settings;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Gives a command one flag per {@link Setting} (and {@code --config}), built from the settings themselves so that
 * the flags, the environment variables and the config file's keys cannot drift apart.
 */
final class SettingFlags implements CommandLine.IModelTransformer {
    @Override
    public CommandSpec transform(CommandSpec spec) {
        spec.addOption(OptionSpec.builder(Settings.CONFIG_FLAG).paramLabel("FILE").type(String.class)
                .description("A config file, YAML (.yaml, .yml) or properties, whose keys are the settings' names "
                        + "(env " + Settings.CONFIG_VARIABLE + "). Precedence: flag > environment > file > default.").build());
        for (Setting setting : Setting.values()) {
            String fallback = setting.defaultValue().isEmpty() ? "none" : setting.defaultValue();
            spec.addOption(OptionSpec.builder(setting.flag()).paramLabel("<" + setting.key() + ">").type(String.class)
                    .description(setting.description() + " (env " + setting.environmentVariable()
                            + (setting.secret() ? " or " + setting.environmentVariable() + "_FILE" : "") + ", default " + fallback + ")")
                    .build());
        }
        return spec;
    }

    /** The node's settings from this command's flags, the environment and the config file. */
    static Settings resolve(CommandSpec spec) {
        Map<String, String> flags = new HashMap<>();
        for (OptionSpec option : spec.options()) {
            if (option.longestName().equals(Settings.CONFIG_FLAG) || Setting.byKey(option.longestName().substring(2)) != null) {
                String given = option.getValue();
                if (given != null) {
                    flags.put(option.longestName(), given);
                }
            }
        }
        return Settings.resolve(flags, System.getenv());
    }
}
