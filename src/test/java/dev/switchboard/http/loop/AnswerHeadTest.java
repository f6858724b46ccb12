package dev.switchboard.http.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bytes of an answer's head as the event loop writes them (FrontDoorTest sends them through real clients). */
class AnswerHeadTest {
    private static final String DATE = "[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT";

    private static String head(int status, List<String> headers, long length) {
        ByteBuf bytes = Unpooled.buffer();
        try {
            return Exchange.writeHead(bytes, status, headers, length).toString(StandardCharsets.ISO_8859_1);
        } finally {
            bytes.release();
        }
    }

    @Test
    void statusLineHeadersDateAndLength() {
        assertThat(head(200, List.of("X-Paragon-Credential", "c-1", "Content-Type", "application/json"), 187))
                .matches("HTTP/1\\.1 200 OK\r\nX-Paragon-Credential: c-1\r\nContent-Type: application/json\r\nDate: " + DATE
                        + "\r\nContent-Length: 187\r\n\r\n");
        assertThat(head(404, List.of(), 0)).matches("HTTP/1\\.1 404 Not Found\r\nDate: " + DATE + "\r\nContent-Length: 0\r\n\r\n");
    }

    @Test
    void aNegativeLengthIsChunked() {
        assertThat(head(502, List.of("Content-Type", "text/plain"), -1))
                .matches("HTTP/1\\.1 502 Bad Gateway\r\nContent-Type: text/plain\r\nDate: " + DATE + "\r\nTransfer-Encoding: chunked\r\n\r\n");
    }

    @Test
    void aStatusBeyondTheKnownOnesStillHasAStatusLine() {
        assertThat(head(799, List.of(), 2)).startsWith("HTTP/1.1 799 ").contains("\r\nContent-Length: 2\r\n\r\n");
        assertThat(head(299, List.of(), 2)).startsWith("HTTP/1.1 299 ");
    }

    @Test
    void aValueWithALineBreakOrBeyondLatin1HasSpacesInstead() {
        assertThat(head(200, List.of("X-Switchboard-Ignored-Parameters", "parameters.x\r\nX-Injected: yes", "X-Name", "caf\u00e9 \u20ac"), 0))
                .contains("\r\nX-Switchboard-Ignored-Parameters: parameters.x  X-Injected: yes\r\n")
                .contains("\r\nX-Name: caf\u00e9  \r\n")
                .doesNotContain("\r\nX-Injected");
    }
}
