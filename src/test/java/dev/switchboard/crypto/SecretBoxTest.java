package dev.switchboard.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.config.DataDirSecrets;
import org.junit.jupiter.api.Test;

class SecretBoxTest {
    private final String key = DataDirSecrets.randomBase64(32);

    @Test
    void sealedValuesOpenOnlyInTheirOwnContext() {
        SecretBox box = new SecretBox(key);
        String sealed = box.seal("xoxb-secret", "credential/1/access_token");

        assertThat(sealed).startsWith("v1.").doesNotContain("xoxb-secret");
        assertThat(box.open(sealed, "credential/1/access_token")).isEqualTo("xoxb-secret");
        assertThat(box.seal("xoxb-secret", "credential/1/access_token")).as("fresh IV each time").isNotEqualTo(sealed);
        assertThatThrownBy(() -> box.open(sealed, "credential/2/access_token")).hasMessageContaining("does not open");
    }

    @Test
    void tamperedValuesDoNotOpen() {
        SecretBox box = new SecretBox(key);
        String sealed = box.seal("xoxb-secret", "c");
        char last = sealed.charAt(sealed.length() - 3);
        String tampered = sealed.substring(0, sealed.length() - 3) + (last == 'A' ? 'B' : 'A') + sealed.substring(sealed.length() - 2);
        assertThatThrownBy(() -> box.open(tampered, "c")).hasMessageContaining("does not open");
    }

    @Test
    void rotatedKeysStillOpenOldValues() {
        String newKey = DataDirSecrets.randomBase64(32);
        String old = new SecretBox(key).seal("refresh", "c");
        SecretBox rotated = new SecretBox(newKey + "," + key);

        assertThat(rotated.open(old, "c")).isEqualTo("refresh");
        String fresh = rotated.seal("refresh", "c");
        assertThat(fresh.split("\\.")[1]).isNotEqualTo(old.split("\\.")[1]);
        assertThatThrownBy(() -> new SecretBox(key).open(fresh, "c")).hasMessageContaining("not configured");
    }

    @Test
    void badMasterKeysAreRefusedWithAReason() {
        assertThatThrownBy(() -> new SecretBox("c2hvcnQ=")).hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> new SecretBox("!!!")).hasMessageContaining("base64");
    }
}
