package io.github.dfu4j.formats.internal;

import java.util.Arrays;

/** A growable byte buffer for the text writers: ASCII only, upper-case hex. Not exported. */
public final class TextOut {
    private static final byte[] DIGITS = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private byte[] buf;
    private int size;

    public TextOut(int capacity) {
        buf = new byte[Math.max(64, capacity)];
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            long grown = Math.max((long) size + more, 2L * buf.length);
            if (grown > Integer.MAX_VALUE - 8) {
                if ((long) size + more > Integer.MAX_VALUE - 8) {
                    throw new IllegalArgumentException("output would exceed 2 GiB");
                }
                grown = Integer.MAX_VALUE - 8;
            }
            buf = Arrays.copyOf(buf, (int) grown);
        }
    }

    public void ascii(char c) {
        ensure(1);
        buf[size++] = (byte) c;
    }

    public void ascii(String s) {
        ensure(s.length());
        for (int i = 0; i < s.length(); i++) {
            buf[size++] = (byte) s.charAt(i);
        }
    }

    /** Two upper-case hex digits of the low byte of {@code v}. */
    public void hex8(int v) {
        ensure(2);
        buf[size++] = DIGITS[(v >>> 4) & 0xF];
        buf[size++] = DIGITS[v & 0xF];
    }

    /** Hex digits of the low {@code bytes} bytes of {@code v}, most significant first. */
    public void hex(long v, int bytes) {
        for (int i = bytes - 1; i >= 0; i--) {
            hex8((int) (v >>> (8 * i)));
        }
    }

    public int size() {
        return size;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }
}
