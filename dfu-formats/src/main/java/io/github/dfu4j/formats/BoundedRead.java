package io.github.dfu4j.formats;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The one way {@link FirmwareFiles} reads bytes: never more than {@link FirmwareFiles#MAX_FILE_BYTES}.
 * A regular file is sized first and read into an array of that size; anything else (a pipe, a FIFO,
 * standard input, a character device such as {@code /dev/zero}) is read once, to its end, and refused
 * as soon as it passes the cap: its size is unknown until then, and a FIFO cannot be read twice.
 */
final class BoundedRead {
    private static final int CHUNK = 1 << 20;

    private BoundedRead() {
    }

    /** "SOURCE: [file is N bytes, ]more than the 1 GiB (1073741824-byte) limit for a firmware file[...]" */
    static FirmwareFormatException tooLarge(String source, String before, long cap, String after) {
        String limit = cap == (1L << 30) ? "1 GiB (" + cap + "-byte)" : cap + "-byte";
        return FirmwareFormatException.ofFile(source, before + "more than the " + limit + " limit for a firmware file" + after);
    }

    /** All bytes of {@code file}; a file that is not a regular file is streamed to its end. */
    static byte[] load(Path file) throws IOException {
        if (Files.exists(file) && !Files.isRegularFile(file) && !Files.isDirectory(file)) {
            // FileInputStream, not Files.newInputStream: the NIO stream asks a FIFO for its position ("Illegal seek")
            try (InputStream in = new FileInputStream(file.toFile())) {
                return toEnd(file.toString(), in);
            }
        }
        long size = Files.size(file);
        if (size > FirmwareFiles.MAX_FILE_BYTES) {
            throw tooLarge(file.toString(), "file is " + size + " bytes, ", FirmwareFiles.MAX_FILE_BYTES, "");
        }
        // Read in 1 MiB steps into the final array: Files.readAllBytes hands a large file to the OS in one
        // read through a temporary native buffer as large as the file, which costs ten times more than
        // the read itself on a 64 MiB image (page faults on that buffer). The size is re-checked against
        // what the file really holds, since it may change while it is read.
        try (SeekableByteChannel channel = Files.newByteChannel(file)) {
            byte[] content = new byte[(int) size];
            int at = 0;
            while (at < content.length) {
                int n = channel.read(ByteBuffer.wrap(content, at, Math.min(CHUNK, content.length - at)));
                if (n < 0) {
                    return Arrays.copyOf(content, at); // the file shrank while we read it
                }
                at += n;
            }
            if (channel.read(ByteBuffer.allocate(1)) >= 0) {
                throw FirmwareFormatException.ofFile(file.toString(), "file grew while it was read; read it again");
            }
            return content;
        }
    }

    /**
     * Every byte of {@code in} up to its end. Holds at most the cap plus one chunk: past the cap it
     * stops reading and throws.
     */
    static byte[] toEnd(String source, InputStream in) throws IOException {
        return toEnd(source, in, FirmwareFiles.MAX_FILE_BYTES);
    }

    /** {@link #toEnd(String, InputStream)} with another cap (tests use a small one). */
    static byte[] toEnd(String source, InputStream in, long cap) throws IOException {
        List<byte[]> chunks = new ArrayList<>();
        long total = 0;
        int chunk = 1 << 12; // small inputs stay small; the chunk grows to 1 MiB for large ones
        while (true) {
            byte[] buffer = new byte[chunk];
            int n = in.readNBytes(buffer, 0, chunk);
            total += n;
            if (total > cap) {
                throw tooLarge(source, "", cap, "; stopped reading there");
            }
            if (n > 0) {
                chunks.add(n == chunk ? buffer : Arrays.copyOf(buffer, n));
            }
            if (n < chunk) {
                break; // readNBytes returns less than asked only at the end of the stream
            }
            chunk = Math.min(CHUNK, chunk * 2);
        }
        if (chunks.size() == 1) {
            return chunks.get(0);
        }
        byte[] content = new byte[(int) total];
        int at = 0;
        for (byte[] c : chunks) {
            System.arraycopy(c, 0, content, at, c.length);
            at += c.length;
        }
        return content;
    }
}
