package io.github.dfu4j.formats.suffix;

/**
 * The CRC of the DFU file suffix (DFU 1.1 appendix B; docs/reference/dfu.md §1.7): reflected CRC-32 with
 * polynomial 0xEDB88320 and start value 0xFFFFFFFF, but without the final XOR that zlib's CRC-32
 * applies (fwupd calls it "JAMCRC"). So {@code "123456789"} gives 0x340BC6D9, the bitwise NOT of the
 * zlib value 0xCBF43926.
 */
public final class DfuCrc {
    private static final int[] TABLE = new int[256];

    static {
        for (int n = 0; n < 256; n++) {
            int c = n;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? 0xEDB88320 ^ (c >>> 1) : c >>> 1;
            }
            TABLE[n] = c;
        }
    }

    private DfuCrc() {
    }

    /**
     * CRC of the whole array, as an unsigned 32-bit value.
     *
     * @param data the bytes
     * @return the CRC, 0..0xFFFFFFFF
     */
    public static long of(byte[] data) {
        return of(data, 0, data.length);
    }

    /**
     * CRC of {@code length} bytes from {@code offset}, as an unsigned 32-bit value.
     *
     * @param data   the array
     * @param offset the first byte
     * @param length the number of bytes
     * @return the CRC, 0..0xFFFFFFFF
     * @throws IndexOutOfBoundsException when the range does not fit {@code data}
     */
    public static long of(byte[] data, int offset, int length) {
        java.util.Objects.checkFromIndexSize(offset, length, data.length);
        int crc = 0xFFFFFFFF;
        for (int i = offset, end = offset + length; i < end; i++) {
            crc = TABLE[(crc ^ data[i]) & 0xFF] ^ (crc >>> 8);
        }
        return Integer.toUnsignedLong(crc);
    }
}
