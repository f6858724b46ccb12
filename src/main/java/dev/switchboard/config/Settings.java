package dev.switchboard.config;

import dev.switchboard.json.Json;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The effective value of every {@link Setting}, with where it came from. Precedence: a flag, then the environment
 * variable, then the config file ({@code --config FILE} or {@code SWITCHBOARD_CONFIG}, YAML or properties by its
 * extension), then the default. A secret may also be given as a file holding it ({@code SWITCHBOARD_ADMIN_TOKEN_FILE},
 * {@code admin-token-file}), as container secrets are mounted. A value that does not parse, or a key the file should
 * not have, stops here with a message naming the key and its source.
 */
public final class Settings {
    public static final String CONFIG_FLAG = "--config";
    public static final String CONFIG_VARIABLE = "SWITCHBOARD_CONFIG";
    private static final String FILE_SUFFIX = "-file";

    /** One setting's value: the text given, what it parsed to, and its source as an operator would name it. */
    public record Value(String text, Object parsed, String source) {}

    private final Map<Setting, Value> values;

    private Settings(Map<Setting, Value> values) {
        this.values = values;
    }

    /**
     * @param flags the settings given on the command line (and {@link #CONFIG_FLAG}, by its flag name)
     * @param environment the process's environment
     */
    public static Settings resolve(Map<String, String> flags, Map<String, String> environment) {
        Path configFile = null;
        String configSource = null;
        if (flags.get(CONFIG_FLAG) != null) {
            configFile = Path.of(flags.get(CONFIG_FLAG));
            configSource = "flag " + CONFIG_FLAG;
        } else if (!blank(environment.get(CONFIG_VARIABLE))) {
            configFile = Path.of(environment.get(CONFIG_VARIABLE).strip());
            configSource = "environment variable " + CONFIG_VARIABLE;
        }
        Map<String, String> file = configFile == null ? Map.of() : readConfigFile(configFile, configSource);

        Map<Setting, Value> values = new EnumMap<>(Setting.class);
        for (Setting setting : Setting.values()) {
            values.put(setting, choose(setting, flags, environment, file, configFile));
        }
        return new Settings(values);
    }

    /** Defaults overlaid with the given values (tests, and embedding a node in another program). */
    public static Settings of(Map<Setting, String> given) {
        Map<String, String> flags = new LinkedHashMap<>();
        given.forEach((setting, text) -> flags.put(setting.flag(), text));
        return resolve(flags, Map.of());
    }

    private static Value choose(Setting setting, Map<String, String> flags, Map<String, String> environment,
                                Map<String, String> file, Path configFile) {
        if (flags.get(setting.flag()) != null) {
            return parse(setting, flags.get(setting.flag()), "flag " + setting.flag());
        }
        String variable = setting.environmentVariable();
        if (environment.get(variable) != null) {
            return parse(setting, environment.get(variable), "environment variable " + variable);
        }
        if (setting.secret() && !blank(environment.get(variable + "_FILE"))) {
            return parse(setting, readSecretFile(environment.get(variable + "_FILE"), "environment variable " + variable + "_FILE"),
                    "file named by environment variable " + variable + "_FILE");
        }
        if (file.containsKey(setting.key())) {
            return parse(setting, file.get(setting.key()), "config file " + configFile + " (key " + setting.key() + ")");
        }
        if (setting.secret() && file.containsKey(setting.key() + FILE_SUFFIX)) {
            String key = setting.key() + FILE_SUFFIX;
            return parse(setting, readSecretFile(file.get(key), "config file " + configFile + " (key " + key + ")"),
                    "file named by config file " + configFile + " (key " + key + ")");
        }
        return parse(setting, setting.defaultValue(), "default");
    }

    private static Value parse(Setting setting, String text, String source) {
        try {
            return new Value(text, setting.kind().parse(text), source);
        } catch (IllegalArgumentException e) {
            String shown = setting.secret() ? "the value" : Json.write(Json.tree(text.strip()));
            throw new IllegalArgumentException(setting.key() + ": " + shown + " from " + source + " " + e.getMessage());
        }
    }

    private static String readSecretFile(String file, String source) {
        try {
            return Files.readString(Path.of(file.strip()), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the secret file " + file.strip() + " named by " + source + ": "
                    + e.getClass().getSimpleName());
        }
    }

    /** The file's keys and values as text; a key that names no setting stops here. */
    static Map<String, String> readConfigFile(Path file, String source) {
        Map<String, String> entries = new LinkedHashMap<>();
        String name = file.getFileName().toString();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            if (name.endsWith(".yaml") || name.endsWith(".yml")) {
                JsonNode root = new YAMLMapper().readTree(reader);
                if (root != null && !root.isMissingNode() && !root.isNull()) {
                    if (!root.isObject()) {
                        throw new IllegalArgumentException("the config file " + file + " (from " + source + ") must be a map of settings");
                    }
                    for (Map.Entry<String, JsonNode> entry : root.properties()) {
                        if (entry.getValue().isContainer()) {
                            throw new IllegalArgumentException(entry.getKey() + ": config file " + file + " gives a "
                                    + (entry.getValue().isObject() ? "map" : "list") + "; a setting takes one value");
                        }
                        entries.put(entry.getKey(), entry.getValue().isNull() ? "" : entry.getValue().asString());
                    }
                }
            } else {
                Properties properties = new Properties();
                properties.load(reader);
                properties.stringPropertyNames().stream().sorted().forEach(key -> entries.put(key, properties.getProperty(key)));
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the config file " + file + " (from " + source + "): "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()));
        } catch (tools.jackson.core.JacksonException e) {
            throw new IllegalArgumentException("the config file " + file + " is not valid YAML: " + e.getOriginalMessage());
        }
        for (String key : entries.keySet()) {
            Setting setting = Setting.byKey(key);
            if (setting == null && key.endsWith(FILE_SUFFIX)) {
                Setting named = Setting.byKey(key.substring(0, key.length() - FILE_SUFFIX.length()));
                setting = named != null && named.secret() ? named : null;
            }
            if (setting == null) {
                throw new IllegalArgumentException(key + ": unknown key in config file " + file + "; known keys: "
                        + String.join(", ", Arrays.stream(Setting.values()).map(Setting::key).toList()));
            }
        }
        return entries;
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    @SuppressWarnings("unchecked")
    public <T> T get(Setting setting) {
        return (T) values.get(setting).parsed();
    }

    /** The text given, or null when it is empty (an unset optional setting). */
    public String text(Setting setting) {
        String text = values.get(setting).text();
        return text == null || text.isBlank() ? null : text.strip();
    }

    public Value value(Setting setting) {
        return values.get(setting);
    }

    /** One line per setting, {@code key = value  (source)}, secrets masked: what {@code ./switchboard config} prints. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        int width = Arrays.stream(Setting.values()).mapToInt(s -> s.key().length()).max().orElse(0);
        for (Setting setting : Setting.values()) {
            Value value = values.get(setting);
            lines.add(String.format("%-" + width + "s = %s  (%s)", setting.key(), shown(setting, value.text()), value.source()));
        }
        return lines;
    }

    private static final Pattern URL_PASSWORD = Pattern.compile("(?i)(password=)[^&;]*|(//[^/:@]*:)[^@/]*@");

    static String shown(Setting setting, String text) {
        if (blank(text)) {
            return setting.secret() ? "(not set)" : "";
        }
        if (setting.secret()) {
            return "******** (set, " + text.strip().length() + " characters)";
        }
        if (setting == Setting.DB_URL) {
            Matcher matcher = URL_PASSWORD.matcher(text.strip());
            StringBuilder masked = new StringBuilder();
            while (matcher.find()) {
                matcher.appendReplacement(masked, matcher.group(1) != null ? "$1********" : "$2********@");
            }
            return matcher.appendTail(masked).toString();
        }
        return text.strip();
    }
}
