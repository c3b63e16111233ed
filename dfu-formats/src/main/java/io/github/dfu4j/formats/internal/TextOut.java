package io.github.dfu4j.formats.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * A byte buffer for the text writers: ASCII only, upper-case hex. Either it grows to hold the whole
 * text ({@link #TextOut(int)}, for writers that return a byte array), or it drains into a stream
 * whenever it is full ({@link #TextOut(OutputStream)}), so writing a 64 MiB image as Intel HEX does
 * not hold ~180 MB of text in memory twice. Not exported.
 */
public final class TextOut {
    private static final byte[] DIGITS = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final int STREAM_BUFFER = 1 << 16;

    private byte[] buf;
    private int size;
    private final OutputStream sink;

    /**
     * A growing buffer; {@link #toByteArray()} returns the text.
     *
     * @param capacity the initial size in bytes
     */
    public TextOut(int capacity) {
        buf = new byte[Math.max(64, capacity)];
        sink = null;
    }

    /**
     * A fixed 64 KiB buffer that drains into {@code sink}; call {@link #flush()} at the end. I/O
     * errors surface as {@link UncheckedIOException} (the record writers have no checked exceptions).
     *
     * @param sink where the text goes; left open
     */
    public TextOut(OutputStream sink) {
        buf = new byte[STREAM_BUFFER];
        this.sink = sink;
    }

    private void ensure(int more) {
        if (size + more <= buf.length) {
            return;
        }
        if (sink != null && more <= buf.length) {
            drain();
            return;
        }
        long grown = Math.max((long) size + more, 2L * buf.length);
        if (grown > Integer.MAX_VALUE - 8) {
            if ((long) size + more > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("output would exceed 2 GiB");
            }
            grown = Integer.MAX_VALUE - 8;
        }
        buf = Arrays.copyOf(buf, (int) grown);
    }

    private void drain() {
        try {
            sink.write(buf, 0, size);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        size = 0;
    }

    /**
     * Appends one ASCII character (the low byte of {@code c}).
     *
     * @param c the character, 0..127
     */
    public void ascii(char c) {
        ensure(1);
        buf[size++] = (byte) c;
    }

    /**
     * Appends an ASCII string, one byte per character (the low byte of each).
     *
     * @param s the text, ASCII only
     */
    public void ascii(String s) {
        ensure(s.length());
        for (int i = 0; i < s.length(); i++) {
            buf[size++] = (byte) s.charAt(i);
        }
    }

    /**
     * Two upper-case hex digits of the low byte of {@code v}.
     *
     * @param v the value; only its low 8 bits are written
     */
    public void hex8(int v) {
        ensure(2);
        buf[size++] = DIGITS[(v >>> 4) & 0xF];
        buf[size++] = DIGITS[v & 0xF];
    }

    /**
     * Hex digits of the low {@code bytes} bytes of {@code v}, most significant first.
     *
     * @param v     the value
     * @param bytes the number of low bytes to write, each as two digits
     */
    public void hex(long v, int bytes) {
        for (int i = bytes - 1; i >= 0; i--) {
            hex8((int) (v >>> (8 * i)));
        }
    }

    /** A record writer that fills a {@link TextOut}. */
    @FunctionalInterface
    public interface Writer {
        /**
         * Writes the records.
         *
         * @param out the buffer to fill
         */
        void write(TextOut out);
    }

    /**
     * Runs {@code writer} into a streaming buffer over {@code sink} and drains it; I/O errors come out checked.
     *
     * @param sink   where the text goes; flushed, left open
     * @param writer what writes the records
     * @throws IOException when writing to {@code sink} fails
     */
    public static void stream(OutputStream sink, Writer writer) throws IOException {
        TextOut out = new TextOut(sink);
        try {
            writer.write(out);
            out.flush();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /**
     * Bytes held and not yet drained.
     *
     * @return the byte count, 0 or more
     */
    public int size() {
        return size;
    }

    /** Drains what is buffered into the sink (a streaming buffer only). */
    public void flush() {
        if (sink == null) {
            throw new IllegalStateException("not a streaming buffer");
        }
        if (size > 0) {
            drain();
        }
    }

    /**
     * The text written so far, for a growing buffer.
     *
     * @return a copy of the bytes
     * @throws IllegalStateException for a streaming buffer, which keeps no text
     */
    public byte[] toByteArray() {
        if (sink != null) {
            throw new IllegalStateException("a streaming buffer keeps no text");
        }
        return Arrays.copyOf(buf, size);
    }
}
