package io.github.dfu4j.formats;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Builds binary test vectors field by field, independently of the writers under test. The DFU
 * suffix CRC is computed from java.util.zip.CRC32 (the DFU CRC is its bitwise NOT), so it is a
 * second implementation, not the one being tested.
 */
public final class LittleEndianWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public LittleEndianWriter u8(int v) {
        out.write(v);
        return this;
    }

    public LittleEndianWriter u16(int v) {
        return u8(v & 0xFF).u8((v >>> 8) & 0xFF);
    }

    public LittleEndianWriter u32(long v) {
        return u16((int) (v & 0xFFFF)).u16((int) ((v >>> 16) & 0xFFFF));
    }

    public LittleEndianWriter ascii(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        out.write(b, 0, b.length);
        return this;
    }

    /** {@code s} NUL-padded to exactly {@code width} bytes. */
    public LittleEndianWriter fixed(String s, int width) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        out.write(b, 0, Math.min(b.length, width));
        for (int i = b.length; i < width; i++) {
            out.write(0);
        }
        return this;
    }

    public LittleEndianWriter bytes(byte... b) {
        out.write(b, 0, b.length);
        return this;
    }

    /** Appends each value's low byte. */
    public LittleEndianWriter u8s(int... values) {
        for (int v : values) {
            out.write(v);
        }
        return this;
    }

    public LittleEndianWriter zeros(int n) {
        for (int i = 0; i < n; i++) {
            out.write(0);
        }
        return this;
    }

    public int size() {
        return out.size();
    }

    public byte[] toByteArray() {
        return out.toByteArray();
    }

    /** Appends a DFU suffix with the given fields and a correct CRC. */
    public LittleEndianWriter suffix(int bcdDevice, int pid, int vid, int bcdDfu) {
        u16(bcdDevice).u16(pid).u16(vid).u16(bcdDfu).ascii("UFD").u8(16);
        return u32(dfuCrc(out.toByteArray()));
    }

    /** The DFU suffix CRC via the JDK's CRC-32: same polynomial and start, no final XOR, so NOT. */
    public static long dfuCrc(byte[] data) {
        CRC32 crc = new CRC32();
        crc.update(data);
        return ~crc.getValue() & 0xFFFFFFFFL;
    }

    /** Overwrites 4 little-endian bytes of {@code b} at {@code at}. */
    public static void put32(byte[] b, int at, long v) {
        for (int i = 0; i < 4; i++) {
            b[at + i] = (byte) (v >>> (8 * i));
        }
    }

    public static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }
}
