package dev.switchboard.outbound;

import java.io.InputStream;
import java.util.List;

/** A request body for a vendor: bytes held in memory (can be sent again) or a stream passed through once. */
public sealed interface VendorBody {
    /** Whether the body can be sent a second time, which a retry needs. */
    boolean replayable();

    /** Bytes in memory, in chunks (a multipart body around a file's own chunks is never copied into one array). */
    record Bytes(List<byte[]> chunks) implements VendorBody {
        public static Bytes of(byte[] bytes) {
            return new Bytes(List.of(bytes));
        }

        @Override
        public boolean replayable() {
            return true;
        }
    }

    /**
     * Bytes that carry the account's secret between {@code before} and {@code after} (SOAP's session header), written
     * in at each attempt, so that a retry after a refresh sends the new token. {@code escape} writes the secret as the
     * body's format needs it.
     */
    record WithSecret(byte[] before, byte[] after, java.util.function.UnaryOperator<String> escape) implements VendorBody {
        public Bytes filled(String secret) {
            return new Bytes(List.of(before, escape.apply(secret).getBytes(java.nio.charset.StandardCharsets.UTF_8), after));
        }

        @Override
        public boolean replayable() {
            return true;
        }
    }

    /** @param length the byte count when the caller declared it, else -1 (sent chunked) */
    record Streamed(InputStream stream, long length) implements VendorBody {
        @Override
        public boolean replayable() {
            return false;
        }
    }
}
