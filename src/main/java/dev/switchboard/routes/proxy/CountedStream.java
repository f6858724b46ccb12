package dev.switchboard.routes.proxy;

import io.micrometer.core.instrument.Counter;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** A stream that adds the bytes read through it to a counter (the proxy's bytes in and out). */
final class CountedStream extends FilterInputStream {
    private final Counter bytes;

    CountedStream(InputStream in, Counter bytes) {
        super(in);
        this.bytes = bytes;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            bytes.increment();
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            bytes.increment(n);
        }
        return n;
    }
}
