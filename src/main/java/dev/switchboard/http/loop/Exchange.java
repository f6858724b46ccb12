package dev.switchboard.http.loop;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
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
        ByteBuf bytes = head(status, headers, answer.length, 256 + answer.length);
        connection.answered(this, bytes.writeBytes(answer));
    }

    /**
     * Starts an answer whose body follows in parts, on the connection's loop: framed by {@code Content-Length} when
     * {@code length} is known (not negative), chunked otherwise. The listener hears when the client takes bytes again
     * after a {@link Parts#write} said it could not, and when the client goes away before the end.
     *
     * @param headers names and values, alternating
     */
    public Parts respondInParts(int status, List<String> headers, long length, PartsListener listener) {
        Parts parts = new Parts(length < 0);
        connection.partsStarted(this, head(status, headers, length, 256), listener);
        return parts;
    }

    /** What the client does while an answer goes to it in parts. */
    public interface PartsListener {
        /** The client takes bytes again. */
        void writable();

        /** The client's connection closed before the answer's end. */
        void gone();
    }

    /** An answer on its way in parts (see {@link #respondInParts}); on the connection's loop only. */
    public final class Parts {
        private static final byte[] CRLF = {'\r', '\n'};
        private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        private final boolean chunked;

        private Parts(boolean chunked) {
            this.chunked = chunked;
        }

        /** Writes the body's next bytes, and releases them; false when the client is not taking them this fast. */
        public boolean write(ByteBuf bytes) {
            if (!bytes.isReadable()) {
                bytes.release();
                return true; // an empty chunk would end a chunked answer
            }
            ByteBuf framed = !chunked ? bytes : Unpooled.wrappedBuffer(Unpooled.copiedBuffer(Integer.toHexString(bytes.readableBytes())
                    + "\r\n", StandardCharsets.US_ASCII), bytes, Unpooled.wrappedBuffer(CRLF));
            return connection.part(framed);
        }

        /** The answer is complete: the connection reads its next request. */
        public void end() {
            connection.partsEnded(chunked ? Unpooled.wrappedBuffer(LAST_CHUNK) : Unpooled.EMPTY_BUFFER);
        }

        /** The answer cannot be completed: the connection closes, so that the client sees it cut short. */
        public void abort() {
            connection.close();
        }
    }

    private ByteBuf head(int status, List<String> headers, long length, int capacity) {
        return writeHead(channel().alloc().buffer(capacity), status, headers, length);
    }

    /**
     * Writes an answer's status line and headers, with {@code Date}, and {@code Content-Length} (or chunked when it is
     * negative). Public for {@code bench-micro}.
     *
     * @param headers names and values, alternating
     */
    public static ByteBuf writeHead(ByteBuf bytes, int status, List<String> headers, long length) {
        bytes.writeBytes(statusLine(status));
        for (int i = 0; i < headers.size(); i += 2) {
            headerValue(ascii(bytes.writeBytes(CRLF), headers.get(i)).writeBytes(COLON), headers.get(i + 1));
        }
        ascii(bytes.writeBytes(DATE), Dates.now());
        if (length < 0) {
            bytes.writeBytes(CHUNKED_END);
        } else {
            ascii(bytes.writeBytes(CONTENT_LENGTH), String.valueOf(length)).writeBytes(HEAD_END);
        }
        return bytes;
    }

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] COLON = {':', ' '};
    private static final byte[] DATE = latin1("\r\nDate: ");
    private static final byte[] CONTENT_LENGTH = latin1("\r\nContent-Length: ");
    private static final byte[] HEAD_END = latin1("\r\n\r\n");
    private static final byte[] CHUNKED_END = latin1("\r\nTransfer-Encoding: chunked\r\n\r\n");
    private static final byte[][] STATUS_LINES = new byte[600][];

    static {
        for (int status = 100; status < STATUS_LINES.length; status++) {
            STATUS_LINES[status] = statusLineOf(status);
        }
    }

    private static byte[] statusLine(int status) {
        return status >= 100 && status < STATUS_LINES.length ? STATUS_LINES[status] : statusLineOf(status);
    }

    private static byte[] statusLineOf(int status) {
        return latin1("HTTP/1.1 " + status + " " + HttpResponseStatus.valueOf(status).reasonPhrase());
    }

    private static byte[] latin1(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * A header's value as Jetty writes one on the ordinary path: a line break, or a character beyond ISO-8859-1,
     * becomes a space (a value that echoes a caller's text, such as an ignored parameter's name, cannot start a
     * header of its own).
     */
    private static void headerValue(ByteBuf bytes, String value) {
        int first = 0;
        while (first < value.length() && !spaceInHeader(value.charAt(first))) {
            first++;
        }
        if (first == value.length()) {
            ascii(bytes, value); // the common case: one copy, not a bounds-checked write per byte
            return;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            bytes.writeByte(spaceInHeader(c) ? ' ' : c);
        }
    }

    private static boolean spaceInHeader(int c) {
        return c == '\r' || c == '\n' || c > 0xff;
    }

    /** The text's Latin-1 bytes in one bulk copy: the loops' buffers take {@code writeCharSequence} a byte at a time. */
    private static ByteBuf ascii(ByteBuf bytes, String text) {
        return bytes.writeBytes(latin1(text));
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
