package dev.switchboard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One name per setting, as a flag, an environment variable and a config file key; flag > env > file > default. */
class SettingsTest {
    @Test
    void eachSourceWinsOverTheNextAndIsNamed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("switchboard.yaml");
        Files.writeString(file, """
                port: 9100
                cache-ttl-ms: 500
                log-format: json
                max-body-bytes: 2MiB
                """);
        Settings settings = Settings.resolve(Map.of("--port", "9300", "--config", file.toString()),
                Map.of("SWITCHBOARD_PORT", "9200", "SWITCHBOARD_CACHE_TTL_MS", "700"));

        assertThat(settings.<Integer>get(Setting.PORT)).isEqualTo(9300);
        assertThat(settings.value(Setting.PORT).source()).isEqualTo("flag --port");
        assertThat(settings.<Duration>get(Setting.CACHE_TTL_MS)).isEqualTo(Duration.ofMillis(700));
        assertThat(settings.value(Setting.CACHE_TTL_MS).source()).isEqualTo("environment variable SWITCHBOARD_CACHE_TTL_MS");
        assertThat(settings.<String>get(Setting.LOG_FORMAT)).isEqualTo("json");
        assertThat(settings.value(Setting.LOG_FORMAT).source()).isEqualTo("config file " + file + " (key log-format)");
        assertThat(settings.<Long>get(Setting.MAX_BODY_BYTES)).isEqualTo(2L * 1024 * 1024);
        assertThat(settings.<Integer>get(Setting.RUN_RETENTION_DAYS)).isEqualTo(30);
        assertThat(settings.value(Setting.RUN_RETENTION_DAYS).source()).isEqualTo("default");
    }

    @Test
    void aPropertiesFileNamedByTheEnvironmentWorksTheSame(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("switchboard.properties");
        Files.writeString(file, "vendor-attempt-timeout-ms=1500\nrun-retention-days=0\n");
        ServerConfig config = ServerConfig.from(Settings.resolve(Map.of(), Map.of("SWITCHBOARD_CONFIG", file.toString())));
        assertThat(config.vendorTimeouts().attempt()).isEqualTo(Duration.ofMillis(1500));
        assertThat(config.runRetention()).isZero();
        assertThat(config.port()).isEqualTo(8080);
    }

    @Test
    void aBadValueNamesTheKeyAndWhereItCameFrom(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> Settings.resolve(Map.of(), Map.of("SWITCHBOARD_PORT", "70000")))
                .hasMessage("port: \"70000\" from environment variable SWITCHBOARD_PORT is out of range: expected a port (0 to 65535)");
        assertThatThrownBy(() -> Settings.resolve(Map.of("--cache-ttl-ms", "soon"), Map.of()))
                .hasMessage("cache-ttl-ms: \"soon\" from flag --cache-ttl-ms is not a number of milliseconds (0 or more)");
        assertThatThrownBy(() -> Settings.resolve(Map.of("--db-url", "mysql://db/switchboard"), Map.of()))
                .hasMessageStartingWith("db-url: \"mysql://db/switchboard\" from flag --db-url is not a jdbc:postgresql:// URL");
        assertThatThrownBy(() -> Settings.resolve(Map.of("--log-format", "xml"), Map.of()))
                .hasMessage("log-format: \"xml\" from flag --log-format is neither 'text' nor 'json'");
        assertThatThrownBy(() -> Settings.resolve(Map.of(), Map.of("SWITCHBOARD_EVENT_LOOP", "kqueue")))
                .hasMessage("event-loop: \"kqueue\" from environment variable SWITCHBOARD_EVENT_LOOP is none of 'auto', 'io_uring', 'epoll', 'nio', 'off'");

        Path file = dir.resolve("switchboard.yaml");
        Files.writeString(file, "prot: 8081\n");
        assertThatThrownBy(() -> Settings.resolve(Map.of("--config", file.toString()), Map.of()))
                .hasMessageStartingWith("prot: unknown key in config file " + file + "; known keys: port, management-port,");
        Files.writeString(file, "max-body-bytes: [1, 2]\n");
        assertThatThrownBy(() -> Settings.resolve(Map.of("--config", file.toString()), Map.of()))
                .hasMessage("max-body-bytes: config file " + file + " gives a list; a setting takes one value");
        Files.writeString(file, "shutdown-grace-ms: -1\n");
        assertThatThrownBy(() -> Settings.resolve(Map.of("--config", file.toString()), Map.of()))
                .hasMessage("shutdown-grace-ms: \"-1\" from config file " + file + " (key shutdown-grace-ms) is out of range: "
                        + "expected a number of milliseconds (0 or more)");
        assertThatThrownBy(() -> Settings.resolve(Map.of("--config", dir.resolve("missing.yaml").toString()), Map.of()))
                .hasMessageStartingWith("cannot read the config file " + dir.resolve("missing.yaml") + " (from flag --config)");
    }

    @Test
    void secretsComeFromFilesTooAndAreNeverPrinted(@TempDir Path dir) throws Exception {
        Path adminToken = dir.resolve("admin_token");
        Files.writeString(adminToken, "s3cret-admin-token-from-a-file\n");
        Path file = dir.resolve("switchboard.yaml");
        Files.writeString(file, "master-key-file: " + dir.resolve("master_key") + "\n");
        Files.writeString(dir.resolve("master_key"), "dGVzdC1tYXN0ZXIta2V5LTMyLWJ5dGVzLWxvbmctLS0=");
        Settings settings = Settings.resolve(Map.of("--config", file.toString(),
                        "--db-url", "jdbc:postgresql://db:5432/switchboard?user=sb&password=hunter2hunter2"),
                Map.of("SWITCHBOARD_ADMIN_TOKEN_FILE", adminToken.toString()));

        assertThat(settings.<String>get(Setting.ADMIN_TOKEN)).isEqualTo("s3cret-admin-token-from-a-file");
        assertThat(settings.value(Setting.ADMIN_TOKEN).source()).isEqualTo("file named by environment variable SWITCHBOARD_ADMIN_TOKEN_FILE");
        assertThat(settings.text(Setting.MASTER_KEY)).isEqualTo("dGVzdC1tYXN0ZXIta2V5LTMyLWJ5dGVzLWxvbmctLS0=");

        String printed = String.join("\n", settings.describe());
        assertThat(printed).doesNotContain("s3cret-admin-token-from-a-file").doesNotContain("dGVzdC1tYXN0ZXIta2V5").doesNotContain("hunter2")
                .containsPattern("admin-token +" + java.util.regex.Pattern.quote("= ******** (set, 30 characters)  (file named by environment variable SWITCHBOARD_ADMIN_TOKEN_FILE)"))
                .containsPattern("db-url +" + java.util.regex.Pattern.quote("= jdbc:postgresql://db:5432/switchboard?user=sb&password=********  (flag --db-url)"))
                .containsPattern("metrics-token +" + java.util.regex.Pattern.quote("= (not set)  (default)"));
        assertThat(Settings.shown(Setting.DB_URL, "jdbc:postgresql://sb:pw@db/switchboard")).isEqualTo("jdbc:postgresql://sb:********@db/switchboard");

        // A bad secret is named, never shown.
        assertThatThrownBy(() -> Settings.resolve(Map.of(), Map.of("SWITCHBOARD_ADMIN_TOKEN_FILE", dir.resolve("none").toString())))
                .hasMessageStartingWith("cannot read the secret file " + dir.resolve("none"));
    }

    @Test
    void everySettingHasOneNameInEachForm() {
        for (Setting setting : Setting.values()) {
            assertThat(setting.key()).matches("[a-z]+(-[a-z]+)*");
            assertThat(setting.flag()).isEqualTo("--" + setting.key());
            assertThat(setting.environmentVariable()).isEqualTo("SWITCHBOARD_" + setting.key().toUpperCase().replace('-', '_'));
            assertThat(setting.description()).endsWith(".");
            // Every default parses: a node with no configuration at all starts.
            assertThat(Settings.of(Map.of()).value(setting).source()).isEqualTo("default");
        }
    }
}
