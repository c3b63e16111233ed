package io.github.dfu4j.formats.internal;

/** Hex digit decoding for the text readers: a 256-entry table, -1 for non-digits. Not exported. */
public final class HexDigits {
    /** Value of each byte as a hex digit (either case), or -1. */
    public static final byte[] VALUE = new byte[256];

    static {
        java.util.Arrays.fill(VALUE, (byte) -1);
        for (int i = 0; i < 10; i++) {
            VALUE['0' + i] = (byte) i;
        }
        for (int i = 0; i < 6; i++) {
            VALUE['A' + i] = (byte) (10 + i);
            VALUE['a' + i] = (byte) (10 + i);
        }
    }

    private HexDigits() {
    }

    /**
     * The byte {@code text[at..at+1]} spells, or a negative number when either is not a hex digit.
     *
     * @param text the text
     * @param at   the index of the high digit; {@code at + 1} must be inside {@code text}
     * @return the byte value 0..255, or a negative number
     */
    public static int byteAt(byte[] text, int at) {
        return VALUE[text[at] & 0xFF] << 4 | VALUE[text[at + 1] & 0xFF];
    }

    /**
     * A printable rendering of a byte found where a hex digit or other character was expected.
     *
     * @param b the byte
     * @return the character in single quotes when printable ({@code '\r'} and {@code '\n'} escaped), else {@code byte 0xNN}
     */
    public static String describe(byte b) {
        int c = b & 0xFF;
        if (c == '\r') {
            return "'\\r'";
        }
        if (c == '\n') {
            return "'\\n'";
        }
        if (c >= 0x20 && c < 0x7F) {
            return "'" + (char) c + "'";
        }
        return String.format("byte 0x%02x", c);
    }
}
