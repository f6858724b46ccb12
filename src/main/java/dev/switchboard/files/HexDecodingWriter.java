package dev.switchboard.files;

import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

/**
 * Receives the characters of a hex string as the JSON parser reads them and keeps only the decoded bytes,
 * in 64 KiB chunks: the 10 MB of hex text never exists in memory at once.
 */
final class HexDecodingWriter extends Writer {
    private static final int CHUNK = 64 * 1024;
    /** The value of each hex digit character, -1 for any other; faster than Character.digit on megabytes. */
    private static final byte[] DIGIT = new byte[128];

    static {
        java.util.Arrays.fill(DIGIT, (byte) -1);
        for (int i = 0; i < 10; i++) DIGIT['0' + i] = (byte) i;
        for (int i = 0; i < 6; i++) {
            DIGIT['a' + i] = (byte) (10 + i);
            DIGIT['A' + i] = (byte) (10 + i);
        }
    }

    private final List<byte[]> chunks = new ArrayList<>();
    private byte[] current = new byte[CHUNK];
    private int used;
    private int highNibble = -1;
    private long characters;
    private long badCharacterAt = -1;

    @Override
    public void write(char[] buffer, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            char c = buffer[i];
            int value = c < 128 ? DIGIT[c] : -1;
            if (value < 0 && badCharacterAt < 0) {
                badCharacterAt = characters;
            }
            characters++;
            if (badCharacterAt >= 0) {
                continue;
            }
            if (highNibble < 0) {
                highNibble = value;
                continue;
            }
            if (used == current.length) {
                chunks.add(current);
                current = new byte[CHUNK];
                used = 0;
            }
            current[used++] = (byte) (highNibble << 4 | value);
            highNibble = -1;
        }
    }

    /** Why the text is no hex of whole bytes, or null when it is. */
    String problem() {
        if (badCharacterAt >= 0) {
            return "is not hexadecimal (a character other than 0-9, a-f at position " + badCharacterAt + ")";
        }
        if (highNibble >= 0) {
            return "has an odd number of hex digits";
        }
        return null;
    }

    FileBytes bytes() {
        List<byte[]> all = new ArrayList<>(chunks);
        if (used > 0) {
            byte[] last = new byte[used];
            System.arraycopy(current, 0, last, 0, used);
            all.add(last);
        }
        return new FileBytes(all);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
