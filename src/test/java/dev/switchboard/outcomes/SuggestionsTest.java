package dev.switchboard.outcomes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SuggestionsTest {
    @ParameterizedTest
    @CsvSource({
            "mesage, message",
            "Channel, channel",
            "email, email_address",
            "threadts, threadTs",
            "pageCurser, pageCursor",
            "msg, message",
    })
    void suggestsTheIntendedName(String typed, String expected) {
        assertThat(Suggestions.closest(typed, List.of("channel", "message", "threadTs", "email_address", "name", "pageCursor"))).isEqualTo(expected);
    }
}
