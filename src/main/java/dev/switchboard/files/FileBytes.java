package dev.switchboard.files;

import java.util.List;

/**
 * The bytes of a File object, held as the chunks they were decoded into, so that a 5 MB upload is never
 * copied into one array on its way to the vendor.
 */
public final class FileBytes {
    private final List<byte[]> chunks;
    private final long length;

    public FileBytes(List<byte[]> chunks) {
        this.chunks = List.copyOf(chunks);
        this.length = chunks.stream().mapToLong(c -> c.length).sum();
    }

    public static FileBytes of(byte[] bytes) {
        return new FileBytes(List.of(bytes));
    }

    public List<byte[]> chunks() {
        return chunks;
    }

    public long length() {
        return length;
    }

    @Override
    public String toString() {
        return "FileBytes[" + length + " bytes]";
    }
}
