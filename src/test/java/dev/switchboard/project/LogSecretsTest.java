package dev.switchboard.project;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testing.SecretScanningAppender;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Runs after every other test class (junit-platform.properties orders classes by {@link Order}): no log line of the
 * whole run held a token, refresh token, API key, admin token, master key or private key.
 */
@Order(Integer.MAX_VALUE)
class LogSecretsTest {
    @Test
    void noLogLineOfTheRunHeldASecret() {
        System.out.printf("secret scan: %d log lines read%n", SecretScanningAppender.linesRead());
        assertThat(SecretScanningAppender.found()).as("log lines with secrets").isEmpty();
    }
}
