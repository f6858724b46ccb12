package dev.switchboard.http.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What the front door reads itself, and what it leaves to the ordinary path (which reads all of HTTP). */
class RequestHeadTest {
    private static RequestHead.Reading read(String text) {
        ByteBuf bytes = Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1);
        int before = bytes.readerIndex();
        RequestHead.Reading reading = RequestHead.read(bytes);
        assertThat(bytes.readerIndex()).as("the reader index stays").isEqualTo(before);
        return reading;
    }

    @Test
    void aPlainHeadIsRead() {
        RequestHead.Reading reading = read("POST /projects/p1/actions?x=1 HTTP/1.1\r\nHost: a\r\nContent-Length: 12\r\n"
                + "Authorization:  Bearer t \r\n\r\n{\"action\":1}");
        assertThat(reading).isInstanceOf(RequestHead.Head.class);
        RequestHead head = ((RequestHead.Head) reading).head();
        assertThat(head.method()).isEqualTo("POST");
        assertThat(head.path()).isEqualTo("/projects/p1/actions");
        assertThat(head.query()).isEqualTo("x=1");
        assertThat(head.header("authorization")).isEqualTo("Bearer t");
        assertThat(head.contentLength()).isEqualTo(12);
        assertThat(head.headLength()).isEqualTo("POST /projects/p1/actions?x=1 HTTP/1.1\r\nHost: a\r\nContent-Length: 12\r\nAuthorization:  Bearer t \r\n\r\n".length());
    }

    @Test
    void valuesAreReadAsLatin1AndMayBeEmpty() {
        RequestHead head = ((RequestHead.Head) read("GET /a HTTP/1.1\r\nHost: a\r\nX-Name: caf\u00e9\r\nX-Empty:\r\nX-Tab:\t1\t\r\n\r\n")).head();
        assertThat(head.header("x-name")).isEqualTo("caf\u00e9");
        assertThat(head.header("X-Empty")).isEmpty();
        assertThat(head.header("X-Tab")).isEqualTo("1");
        assertThat(head.names()).containsExactly("Host", "X-Name", "X-Empty", "X-Tab");
        assertThat(head.contentLength()).isZero();
    }

    @Test
    void anH2cUpgradeIsReadAndDeclinedByAnsweringInHttp11() {
        assertThat(read("GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n"))
                .isInstanceOf(RequestHead.Head.class);
    }

    @Test
    void aHeadNotYetWholeWaits() {
        assertThat(read("GET / HTTP/1.1\r\nHost: a\r\n")).isInstanceOf(RequestHead.Incomplete.class);
        assertThat(read("")).isInstanceOf(RequestHead.Incomplete.class);
    }

    @Test
    void whatIsNotPlainGoesToTheOrdinaryPath() {
        String[] heads = {
                "GET / HTTP/1.0\r\nHost: a\r\n\r\n",                                  // another version
                "GET / HTTP/1.1\r\n\r\n",                                             // no Host
                "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",                       // two Hosts
                "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n",   // chunked
                "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\n",
                "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n",
                "POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: a\r\nX-A: 1\r\n folded\r\n\r\n",             // obs-fold
                "GET / HTTP/1.1\r\nHost: a\r\nX-A : 1\r\n\r\n",                       // a space before the colon
                "GET / HTTP/1.1\r\nHost: a\r\nX-A: \u0001\r\n\r\n",                   // a control character
                "GET / HTTP/1.1\r\nHost: a\r\nX-A: 1\u007f\r\n\r\n",                  // DEL
                "GET / HTTP/1.1\r\nHost: a\r\nX-A: 1\n2\r\n\r\n",                      // a bare line feed
                "GET / HTTP/1.1\r\nHost: a\r\nX-\u00e9: 1\r\n\r\n",                   // a name beyond ASCII
                "GET / HTTP/1.1\r\nHost: a\r\nX(A): 1\r\n\r\n",                       // a separator in a name
                "G\u00c9T / HTTP/1.1\r\nHost: a\r\n\r\n",                             // a method beyond ASCII
                "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1a\r\n\r\n",
                "GET  / HTTP/1.1\r\nHost: a\r\n\r\n",
                "GET http://a/ HTTP/1.1\r\nHost: a\r\n\r\n",                          // absolute form
                "GET / HTTP/1.1\r\nHost: a\r\nX: " + "y".repeat(9000) + "\r\n\r\n",   // over 8 KiB
        };
        for (String head : heads) {
            assertThat(read(head)).as(head.length() > 80 ? head.substring(0, 80) : head).isInstanceOf(RequestHead.NotPlain.class);
        }
        assertThat(read("GET / HTTP/1.1\r\nX: " + "y".repeat(9000))).as("a head that never ends within 8 KiB").isInstanceOf(RequestHead.NotPlain.class);
    }
}
