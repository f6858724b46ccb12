package dev.switchboard.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A vendor that misbehaves on command, written on a bare socket so that it can break HTTP itself: answer
 * anything, hang, send bytes that are not HTTP, or close mid-answer. What it is told holds for every request
 * until it is told otherwise, so retries meet the same behaviour.
 */
public final class ScriptedVendor implements AutoCloseable {
    /** What the vendor does with one request, given its socket after the request was read. */
    public interface Behaviour {
        void serve(Socket socket, OutputStream out) throws IOException;
    }

    private final ServerSocket server;
    private final AtomicInteger requests = new AtomicInteger();
    private volatile String lastRequestLine;
    /** The request line of the request this thread serves (one virtual thread per connection). */
    private static final ThreadLocal<String> REQUEST_LINE = new ThreadLocal<>();
    private volatile Behaviour behaviour = answer(200, "application/json", "{\"ok\":true}");

    public ScriptedVendor() {
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Thread.ofPlatform().daemon().name("scripted-vendor").start(this::acceptLoop);
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    public ScriptedVendor behave(Behaviour next) {
        this.behaviour = next;
        return this;
    }

    /** Requests received since start. */
    public int requests() {
        return requests.get();
    }

    /** The request line of the last request, such as {@code GET /api/users.list?limit=5 HTTP/1.1}. */
    public String lastRequestLine() {
        return lastRequestLine;
    }

    /** An answer with headers of its own, such as {@code Retry-After} or {@code Location}. */
    public static Behaviour answer(int status, Map<String, String> headers, String body) {
        return (socket, out) -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            StringBuilder head = new StringBuilder("HTTP/1.1 " + status + " Status\r\nContent-Length: " + bytes.length + "\r\n");
            headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
        };
    }

    public static Behaviour answer(int status, String contentType, String body) {
        return answer(status, Map.of("Content-Type", contentType), body);
    }

    /** An interim answer ({@code 100}, {@code 102}, {@code 103}) first, then {@code then}. */
    public static Behaviour interimThen(int status, Behaviour then) {
        return (socket, out) -> {
            out.write(("HTTP/1.1 " + status + " Interim\r\nLink: </style.css>; rel=preload\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            then.serve(socket, out);
        };
    }

    /** {@code slow} for requests whose path contains {@code marker}, {@code other} for the rest. */
    public static Behaviour byPath(String marker, Behaviour slow, Behaviour other) {
        return (socket, out) -> (REQUEST_LINE.get().contains(marker) ? slow : other).serve(socket, out);
    }

    /** Reads the request and never answers. */
    public static Behaviour hang() {
        return (socket, out) -> {
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    /** Promises {@code declared} bytes of {@code contentType}, sends {@code sent} of them, and closes the connection. */
    public static Behaviour brokenOff(String contentType, int declared, int sent) {
        return (socket, out) -> {
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: " + contentType + "\r\nContent-Length: " + declared + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write("{\"ok\":true,\"members\":[".repeat(sent / 24 + 1).substring(0, sent).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            socket.close();
        };
    }

    /** A chunked JSON answer that never ends (until the other side gives up). */
    public static Behaviour endless() {
        return (socket, out) -> {
            out.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = ("10000\r\n" + "x".repeat(0x10000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            while (!socket.isClosed()) {
                out.write(chunk);
            }
        };
    }

    /** A small answer sent one byte every {@code millis}. */
    public static Behaviour drip(String body, long millis) {
        return (socket, out) -> {
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            for (byte b : body.getBytes(StandardCharsets.US_ASCII)) {
                out.write(b);
                out.flush();
                try {
                    Thread.sleep(millis);
                } catch (InterruptedException e) {
                    return;
                }
            }
        };
    }

    /** Answers with bytes that are not HTTP. */
    public static Behaviour garbage() {
        return (socket, out) -> {
            out.write("this is not HTTP at all\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        };
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread.ofVirtual().start(() -> serve(socket));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            for (String line = readRequest(in); line != null; line = readRequest(in)) {
                lastRequestLine = line;
                REQUEST_LINE.set(line);
                requests.incrementAndGet();
                behaviour.serve(socket, out);
            }
        } catch (IOException gone) {
            // the client closed the connection
        }
    }

    /** Reads one request's head and body; its request line, or null at the end of the connection. */
    private static String readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
            matched = (b == '\r' || b == '\n') && "\r\n\r\n".charAt(matched) == b ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        long length = 0;
        String[] lines = head.toString(StandardCharsets.US_ASCII).split("\r\n");
        for (String line : lines) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Long.parseLong(line.substring("content-length:".length()).strip());
            }
        }
        in.skipNBytes(length);
        return lines[0];
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
