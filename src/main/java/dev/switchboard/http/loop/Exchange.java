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
        StringBuilder text = new StringBuilder(256).append("HTTP/1.1 ").append(status).append(' ')
                .append(HttpResponseStatus.valueOf(status).reasonPhrase()).append("\r\n");
        for (int i = 0; i < headers.size(); i += 2) {
            text.append(headers.get(i)).append(": ").append(headers.get(i + 1)).append("\r\n");
        }
        text.append("Date: ").append(Dates.now()).append("\r\n");
        text.append("Content-Length: ").append(answer.length).append("\r\n\r\n");
        byte[] start = text.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteBuf bytes = channel().alloc().buffer(start.length + answer.length).writeBytes(start).writeBytes(answer);
        connection.answered(this, bytes);
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
