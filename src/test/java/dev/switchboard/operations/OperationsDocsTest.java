package dev.switchboard.operations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.config.Setting;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/operations.md lists every setting with its three names and its default, and the README links it. */
class OperationsDocsTest {
    @Test
    void everySettingIsDocumented() throws Exception {
        String doc = Files.readString(Path.of("docs/operations.md"));
        for (Setting setting : Setting.values()) {
            String fallback = setting.defaultValue().isEmpty() ? "none" : "`" + setting.defaultValue() + "`";
            assertThat(doc).as(setting.key()).contains("| `" + setting.key() + "` | `" + setting.flag() + "` | `"
                    + setting.environmentVariable() + "` | " + fallback + " |");
        }
        assertThat(Files.readString(Path.of("README.md"))).contains("## Deploy").contains("(docs/operations.md)");
    }
}
