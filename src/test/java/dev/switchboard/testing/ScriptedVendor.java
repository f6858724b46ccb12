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

    public static Behaviour answer(int status, String contentType, String body) {
        return (socket, out) -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            out.write(("HTTP/1.1 " + status + " Status\r\nContent-Type: " + contentType + "\r\nContent-Length: " + bytes.length
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
        };
    }

    /** An interim answer ({@code 100}, {@code 102}, {@code 103}) first, then {@code then}. */
    public static Behaviour interimThen(int status, Behaviour then) {
        return (socket, out) -> {
            out.write(("HTTP/1.1 " + status + " Interim\r\nLink: </style.css>; rel=preload\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            then.serve(socket, out);
        };
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
            while (readRequest(in)) {
                requests.incrementAndGet();
                behaviour.serve(socket, out);
            }
        } catch (IOException gone) {
            // the client closed the connection
        }
    }

    /** Reads one request's head and body; false at the end of the connection. */
    private static boolean readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                return false;
            }
            head.write(b);
            matched = (b == '\r' || b == '\n') && "\r\n\r\n".charAt(matched) == b ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        long length = 0;
        for (String line : head.toString(StandardCharsets.US_ASCII).split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Long.parseLong(line.substring("content-length:".length()).strip());
            }
        }
        in.skipNBytes(length);
        return true;
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
