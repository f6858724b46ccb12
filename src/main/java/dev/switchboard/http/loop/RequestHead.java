package dev.switchboard.http.loop;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An HTTP/1.1 request head as the front door reads it: only as much of HTTP as the hot path needs. Anything it
 * does not read plainly (another version, a folded or malformed line, a chunked or announced-but-odd body, an
 * upgrade, {@code Expect}) is left to the server's ordinary path, which reads all of HTTP and answers its errors.
 *
 * @param target the request target as sent: the path and the query
 * @param path the target without its query
 * @param headLength the bytes of the request line and headers, with the blank line that ends them
 * @param contentLength the body's length, 0 when there is none
 */
public record RequestHead(String method, String target, String path, List<String> names, List<String> values, int headLength, int contentLength) {
    /** Jetty's default request header size: a longer head is the ordinary path's to refuse (431). */
    static final int MAX_HEAD = 8 * 1024;

    /** What {@link #read} found. */
    sealed interface Reading permits Incomplete, NotPlain, Head {}

    /** Not all of the head has arrived. */
    record Incomplete() implements Reading {}

    /** A head the ordinary path must read (see the class comment). */
    record NotPlain() implements Reading {}

    record Head(RequestHead head) implements Reading {}

    private static final Incomplete INCOMPLETE = new Incomplete();
    private static final NotPlain NOT_PLAIN = new NotPlain();

    /** Reads the head at the buffer's reader index, leaving the index where it was. */
    static Reading read(ByteBuf in) {
        int start = in.readerIndex();
        int end = in.writerIndex();
        int blank = -1;
        for (int i = in.indexOf(start, end, (byte) '\n'); i >= 0; i = in.indexOf(i + 1, end, (byte) '\n')) {
            if (i >= start + 3 && in.getByte(i - 1) == '\r' && in.getByte(i - 2) == '\n' && in.getByte(i - 3) == '\r') {
                blank = i;
                break;
            }
            if (i - start > MAX_HEAD) {
                return NOT_PLAIN;
            }
        }
        if (blank < 0) {
            return end - start > MAX_HEAD ? NOT_PLAIN : INCOMPLETE;
        }
        int headLength = blank + 1 - start;
        if (headLength > MAX_HEAD) {
            return NOT_PLAIN;
        }
        String text = in.toString(start, headLength - 4, StandardCharsets.ISO_8859_1);
        int lineEnd = text.indexOf("\r\n");
        String requestLine = lineEnd < 0 ? text : text.substring(0, lineEnd);
        int firstSpace = requestLine.indexOf(' ');
        int secondSpace = requestLine.indexOf(' ', firstSpace + 1);
        if (firstSpace <= 0 || secondSpace < 0 || requestLine.indexOf(' ', secondSpace + 1) >= 0
                || !requestLine.regionMatches(secondSpace + 1, "HTTP/1.1", 0, 8) || requestLine.length() != secondSpace + 9) {
            return NOT_PLAIN;
        }
        String method = requestLine.substring(0, firstSpace);
        String target = requestLine.substring(firstSpace + 1, secondSpace);
        if (!token(method, 0, method.length()) || !target.startsWith("/")) {
            return NOT_PLAIN;
        }
        List<String> names = new ArrayList<>(16);
        List<String> values = new ArrayList<>(16);
        int contentLength = 0;
        boolean host = false;
        boolean length = false;
        for (int from = lineEnd < 0 ? text.length() : lineEnd + 2; lineEnd >= 0 && from < text.length(); ) {
            int next = text.indexOf("\r\n", from);
            int lineStop = next < 0 ? text.length() : next;
            int colon = text.indexOf(':', from);
            if (colon < 0 || colon >= lineStop || !token(text, from, colon)) {
                return NOT_PLAIN; // an obs-fold, a space before the colon, a control character: Jetty's to judge
            }
            String name = text.substring(from, colon);
            int valueStart = colon + 1;
            int valueEnd = lineStop;
            while (valueStart < valueEnd && isSpaceOrTab(text.charAt(valueStart))) {
                valueStart++;
            }
            while (valueEnd > valueStart && isSpaceOrTab(text.charAt(valueEnd - 1))) {
                valueEnd--;
            }
            String value = text.substring(valueStart, valueEnd);
            from = next < 0 ? text.length() : next + 2;
            for (int c = 0; c < value.length(); c++) {
                char ch = value.charAt(c);
                if (ch < 0x20 && ch != '\t' || ch == 0x7f) {
                    return NOT_PLAIN;
                }
            }
            if (name.equalsIgnoreCase("Transfer-Encoding") || name.equalsIgnoreCase("Expect")) {
                return NOT_PLAIN;
            }
            // The one upgrade read here is the one declined by answering in HTTP/1.1, as Jetty does too: h2c's (Java's
            // HttpClient asks for it on a first request). Any other (a WebSocket) is the ordinary path's.
            if (name.equalsIgnoreCase("Upgrade") && !value.equalsIgnoreCase("h2c")) {
                return NOT_PLAIN;
            }
            if (name.equalsIgnoreCase("Content-Length")) {
                if (length || value.isEmpty() || value.length() > 9 || !value.chars().allMatch(Character::isDigit)) {
                    return NOT_PLAIN;
                }
                contentLength = Integer.parseInt(value);
                length = true;
            }
            if (name.equalsIgnoreCase("Host")) {
                if (host) {
                    return NOT_PLAIN;
                }
                host = true;
            }
            names.add(name);
            values.add(value);
        }
        if (!host) {
            return NOT_PLAIN; // HTTP/1.1 requires it; Jetty answers 400
        }
        int query = target.indexOf('?');
        return new Head(new RequestHead(method, target, query < 0 ? target : target.substring(0, query), names, values, headLength, contentLength));
    }

    private static boolean isSpaceOrTab(char c) {
        return c == ' ' || c == '\t';
    }

    /** Whether {@code text[from, to)} is an HTTP token (a method, a header's name). */
    private static boolean token(String text, int from, int to) {
        if (from >= to) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c <= 0x20 || c >= 0x7f || "()<>@,;:\\\"/[]?={}".indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }

    /** The first value of a header, or null. */
    public String header(String name) {
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equalsIgnoreCase(name)) {
                return values.get(i);
            }
        }
        return null;
    }

    /** The raw query, or null. */
    public String query() {
        int query = target.indexOf('?');
        return query < 0 ? null : target.substring(query + 1);
    }

    /** Whether the caller asked to close the connection after this answer. */
    boolean closeAfter() {
        String connection = header("Connection");
        return connection != null && connection.toLowerCase(java.util.Locale.ROOT).contains("close");
    }
}
