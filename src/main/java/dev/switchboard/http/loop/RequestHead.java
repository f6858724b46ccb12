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
    public sealed interface Reading permits Incomplete, NotPlain, Head {}

    /** Not all of the head has arrived. */
    record Incomplete() implements Reading {}

    /** A head the ordinary path must read (see the class comment). */
    record NotPlain() implements Reading {}

    record Head(RequestHead head) implements Reading {}

    private static final Incomplete INCOMPLETE = new Incomplete();
    private static final NotPlain NOT_PLAIN = new NotPlain();

    /** Reads the head at the buffer's reader index, leaving the index where it was. */
    public static Reading read(ByteBuf in) {
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
        // Read as bytes: a scan of a byte array is a plain load per character, where String.charAt checks the
        // string's coding and bounds each time (this method was 5 to 8 % of the hot path's CPU, issue 24).
        byte[] text = new byte[headLength - 4];
        in.getBytes(start, text);
        int lineEnd = indexOfLineEnd(text, 0);
        int requestLineEnd = lineEnd < 0 ? text.length : lineEnd;
        int firstSpace = indexOf(text, (byte) ' ', 0, requestLineEnd);
        int secondSpace = firstSpace < 0 ? -1 : indexOf(text, (byte) ' ', firstSpace + 1, requestLineEnd);
        if (firstSpace <= 0 || secondSpace < 0 || indexOf(text, (byte) ' ', secondSpace + 1, requestLineEnd) >= 0
                || requestLineEnd != secondSpace + 9 || !startsWith(text, secondSpace + 1, HTTP_1_1)) {
            return NOT_PLAIN;
        }
        if (!token(text, 0, firstSpace) || text[firstSpace + 1] != '/') {
            return NOT_PLAIN;
        }
        String method = latin1(text, 0, firstSpace);
        String target = latin1(text, firstSpace + 1, secondSpace);
        List<String> names = new ArrayList<>(16);
        List<String> values = new ArrayList<>(16);
        int contentLength = 0;
        boolean host = false;
        boolean length = false;
        for (int from = requestLineEnd + 2; lineEnd >= 0 && from < text.length; ) {
            int next = indexOfLineEnd(text, from);
            int lineStop = next < 0 ? text.length : next;
            int colon = indexOf(text, (byte) ':', from, lineStop);
            if (colon < 0 || !token(text, from, colon)) {
                return NOT_PLAIN; // an obs-fold, a space before the colon, a control character: Jetty's to judge
            }
            int valueStart = colon + 1;
            int valueEnd = lineStop;
            while (valueStart < valueEnd && isSpaceOrTab(text[valueStart])) {
                valueStart++;
            }
            while (valueEnd > valueStart && isSpaceOrTab(text[valueEnd - 1])) {
                valueEnd--;
            }
            for (int c = valueStart; c < valueEnd; c++) {
                int ch = text[c] & 0xff;
                if (ch < 0x20 && ch != '\t' || ch == 0x7f) {
                    return NOT_PLAIN;
                }
            }
            String name = latin1(text, from, colon);
            String value = latin1(text, valueStart, valueEnd);
            from = next < 0 ? text.length : next + 2;
            if (name.equalsIgnoreCase("Transfer-Encoding") || name.equalsIgnoreCase("Expect")) {
                return NOT_PLAIN;
            }
            // The one upgrade read here is the one declined by answering in HTTP/1.1, as Jetty does too: h2c's (Java's
            // HttpClient asks for it on a first request). Any other (a WebSocket) is the ordinary path's.
            if (name.equalsIgnoreCase("Upgrade") && !value.equalsIgnoreCase("h2c")) {
                return NOT_PLAIN;
            }
            if (name.equalsIgnoreCase("Content-Length")) {
                if (length || value.isEmpty() || value.length() > 9 || !digits(value)) {
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

    private static final byte[] HTTP_1_1 = "HTTP/1.1".getBytes(StandardCharsets.US_ASCII);

    private static String latin1(byte[] text, int from, int to) {
        return new String(text, from, to - from, StandardCharsets.ISO_8859_1);
    }

    /** Where the next CRLF starts at or after {@code from}, or -1. */
    private static int indexOfLineEnd(byte[] text, int from) {
        for (int i = from; i + 1 < text.length; i++) {
            if (text[i] == '\r' && text[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static int indexOf(byte[] text, byte wanted, int from, int to) {
        for (int i = from; i < to; i++) {
            if (text[i] == wanted) {
                return i;
            }
        }
        return -1;
    }

    private static boolean startsWith(byte[] text, int at, byte[] prefix) {
        return at + prefix.length <= text.length && java.util.Arrays.equals(text, at, at + prefix.length, prefix, 0, prefix.length);
    }

    private static boolean isSpaceOrTab(byte c) {
        return c == ' ' || c == '\t';
    }

    /** The characters of an HTTP token (RFC 9110's tchar), by code: a table, as every header name passes here. */
    private static final boolean[] TOKEN = new boolean[0x80];

    static {
        for (char c = 0x21; c < 0x7f; c++) {
            TOKEN[c] = "()<>@,;:\\\"/[]?={}".indexOf(c) < 0;
        }
    }

    /** Whether {@code text[from, to)} is an HTTP token (a method, a header's name). */
    private static boolean token(byte[] text, int from, int to) {
        if (from >= to) {
            return false;
        }
        for (int i = from; i < to; i++) {
            int c = text[i];
            if (c < 0 || !TOKEN[c]) {
                return false;
            }
        }
        return true;
    }

    private static boolean digits(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
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
