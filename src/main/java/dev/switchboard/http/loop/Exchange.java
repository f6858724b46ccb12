package dev.switchboard.http.loop;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** One request on the hot path, and the one answer it gets. */
public final class Exchange {
    private final FrontConnection connection;
    private final RequestHead head;
    private final byte[] body;
    private final long startedNanos = System.nanoTime();

    Exchange(FrontConnection connection, RequestHead head, byte[] body) {
        this.connection = connection;
        this.head = head;
        this.body = body;
    }

    public RequestHead head() {
        return head;
    }

    public byte[] body() {
        return body;
    }

    public long startedNanos() {
        return startedNanos;
    }

    /** The connection's channel: its event loop is where the hot path's vendor calls run. */
    public Channel channel() {
        return connection.channel();
    }

    /**
     * Sends the answer (from any thread), with {@code Date} and {@code Content-Length} added.
     *
     * @param headers names and values, alternating
     */
    public void respond(int status, List<String> headers, byte[] answer) {
        ByteBuf bytes = channel().alloc().buffer(256 + answer.length);
        ascii(bytes, "HTTP/1.1 ").writeCharSequence(String.valueOf(status), StandardCharsets.ISO_8859_1);
        ascii(ascii(bytes, " "), HttpResponseStatus.valueOf(status).reasonPhrase());
        for (int i = 0; i < headers.size(); i += 2) {
            headerValue(ascii(ascii(ascii(bytes, "\r\n"), headers.get(i)), ": "), headers.get(i + 1));
        }
        ascii(ascii(bytes, "\r\nDate: "), Dates.now());
        ascii(ascii(ascii(bytes, "\r\nContent-Length: "), String.valueOf(answer.length)), "\r\n\r\n");
        connection.answered(this, bytes.writeBytes(answer));
    }

    /**
     * A header's value as Jetty writes one on the ordinary path: a line break, or a character beyond ISO-8859-1,
     * becomes a space (a value that echoes a caller's text, such as an ignored parameter's name, cannot start a
     * header of its own).
     */
    private static void headerValue(ByteBuf bytes, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            bytes.writeByte(c == '\r' || c == '\n' || c > 0xff ? ' ' : c);
        }
    }

    private static ByteBuf ascii(ByteBuf bytes, String text) {
        bytes.writeCharSequence(text, StandardCharsets.ISO_8859_1);
        return bytes;
    }

    /**
     * Gives the request, as it arrived, to the server's ordinary path after all (from any thread): for when the hot
     * path learns only later that it must not answer it, before it has answered or changed anything.
     */
    public void decline() {
        connection.declined(this);
    }

    /** The {@code Date} header's value, made once a second. */
    private static final class Dates {
        private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", java.util.Locale.US);
        private static volatile long second;
        private static volatile String text;

        static String now() {
            long now = System.currentTimeMillis() / 1000;
            String made = text;
            if (now != second || made == null) {
                made = HTTP_DATE.format(ZonedDateTime.now(ZoneOffset.UTC));
                text = made;
                second = now;
            }
            return made;
        }
    }
}
