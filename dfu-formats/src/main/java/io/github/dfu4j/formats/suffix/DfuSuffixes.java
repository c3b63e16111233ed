package io.github.dfu4j.formats.suffix;

import io.github.dfu4j.formats.DfuSuffix;
import io.github.dfu4j.formats.FirmwareFormatException;

import java.util.Arrays;
import java.util.Optional;

/**
 * The jobs of dfu-util's {@code dfu-suffix} tool as an API: check, read, add and strip the 16-byte
 * DFU file suffix (DFU 1.1 appendix B) on any file.
 *
 * <pre>{@code
 * byte[] dfu = DfuSuffixes.add(bin, new DfuSuffix(0xFFFF, 0xDF11, 0x0483, DfuSuffix.BCD_DFU_PLAIN));
 * DfuSuffix s = DfuSuffixes.verify("fw.dfu", dfu);      // throws when absent or damaged
 * byte[] again = DfuSuffixes.strip("fw.dfu", dfu);
 * }</pre>
 *
 * Layout (little-endian): bcdDevice, idProduct, idVendor, bcdDFU (2 bytes each), "UFD", bLength = 16,
 * dwCRC over every byte of the file before dwCRC ({@link DfuCrc}). Stateless and thread-safe.
 */
public final class DfuSuffixes {
    /** Size of the suffix; DFU 1.1 fixes bLength at 16. */
    public static final int LENGTH = 16;

    private static final String DEFAULT_SOURCE = "<input>";

    private DfuSuffixes() {
    }

    /**
     * Examines the last 16 bytes; never throws for any content.
     *
     * @param content the whole file
     * @return what the end of the file holds: no suffix, a damaged one, or a valid one with its fields
     */
    public static SuffixCheck check(byte[] content) {
        int n = content.length;
        if (n < LENGTH) {
            return new SuffixCheck(SuffixCheck.Status.TOO_SHORT, null, -1, -1);
        }
        int s = n - LENGTH;
        if (content[s + 8] != 'U' || content[s + 9] != 'F' || content[s + 10] != 'D') {
            return new SuffixCheck(SuffixCheck.Status.NO_SIGNATURE, null, -1, -1);
        }
        if ((content[s + 11] & 0xFF) != LENGTH) {
            return new SuffixCheck(SuffixCheck.Status.BAD_LENGTH, null, -1, -1);
        }
        DfuSuffix fields = new DfuSuffix(u16(content, s), u16(content, s + 2), u16(content, s + 4), u16(content, s + 6));
        long stored = Integer.toUnsignedLong(u16(content, s + 12) | u16(content, s + 14) << 16);
        long computed = DfuCrc.of(content, 0, n - 4);
        return new SuffixCheck(stored == computed ? SuffixCheck.Status.VALID : SuffixCheck.Status.CRC_MISMATCH,
                fields, stored, computed);
    }

    /**
     * The fields of a valid suffix (signature, length and CRC correct), else empty.
     *
     * @param content the whole file
     * @return the suffix fields, or empty when there is no valid suffix
     */
    public static Optional<DfuSuffix> read(byte[] content) {
        return check(content).suffix();
    }

    /**
     * {@link #verify(String, byte[])} with the source named "&lt;input&gt;".
     *
     * @param content the whole file
     * @return the suffix fields
     * @throws FirmwareFormatException when the suffix is absent or damaged
     */
    public static DfuSuffix verify(byte[] content) throws FirmwareFormatException {
        return verify(DEFAULT_SOURCE, content);
    }

    /**
     * The fields of the suffix, which must be present and correct.
     *
     * @param source  the name messages give the file
     * @param content the whole file
     * @throws FirmwareFormatException naming {@code source} and the offset of the offending field
     * @return the suffix fields
     */
    public static DfuSuffix verify(String source, byte[] content) throws FirmwareFormatException {
        SuffixCheck check = check(content);
        int s = content.length - LENGTH;
        switch (check.status()) {
            case TOO_SHORT:
                throw FirmwareFormatException.atOffset(source, 0, String.format(
                        "file of %d bytes is too short for a 16-byte DFU suffix", content.length));
            case NO_SIGNATURE:
                throw FirmwareFormatException.atOffset(source, s + 8, "no DFU suffix: \"UFD\" signature missing");
            case BAD_LENGTH:
                throw FirmwareFormatException.atOffset(source, s + 11, String.format(
                        "DFU suffix bLength is %d, expected 16", content[s + 11] & 0xFF));
            case CRC_MISMATCH:
                throw FirmwareFormatException.atOffset(source, s + 12, String.format(
                        "DFU suffix CRC mismatch: dwCRC says 0x%08x, the file's bytes give 0x%08x",
                        check.storedCrc(), check.computedCrc()));
            default:
                return check.fields();
        }
    }

    /**
     * {@link #add(String, byte[], DfuSuffix)} with the source named "&lt;input&gt;".
     *
     * @param content the file without a suffix
     * @param suffix  the suffix fields
     * @return a new array, 16 bytes longer than {@code content}
     * @throws FirmwareFormatException when {@code content} already ends in a valid suffix
     */
    public static byte[] add(byte[] content, DfuSuffix suffix) throws FirmwareFormatException {
        return add(DEFAULT_SOURCE, content, suffix);
    }

    /**
     * {@code content} followed by {@code suffix} and its CRC.
     *
     * @param source  the name messages give the file
     * @param content the file without a suffix
     * @param suffix  the suffix fields
     * @throws FirmwareFormatException when {@code content} already ends in a valid suffix (strip it
     *                                 first, as {@code dfu-suffix -a} demands)
     * @return a new array, 16 bytes longer than {@code content}
     */
    public static byte[] add(String source, byte[] content, DfuSuffix suffix) throws FirmwareFormatException {
        if (check(content).valid()) {
            throw FirmwareFormatException.atOffset(source, content.length - LENGTH,
                    "already has a valid DFU suffix; strip it before adding another");
        }
        return append(content, suffix);
    }

    /**
     * {@code content} followed by {@code suffix} and its CRC, without looking at what {@code content}
     * ends with. Writers use it for data they produced themselves.
     *
     * @param content the data
     * @param suffix  the suffix fields
     * @return a new array, 16 bytes longer than {@code content}
     */
    public static byte[] append(byte[] content, DfuSuffix suffix) {
        if (content.length > Integer.MAX_VALUE - 8 - LENGTH) {
            throw new IllegalArgumentException("content too large for a suffix: " + content.length);
        }
        byte[] out = Arrays.copyOf(content, content.length + LENGTH);
        int s = content.length;
        put16(out, s, suffix.bcdDevice());
        put16(out, s + 2, suffix.idProduct());
        put16(out, s + 4, suffix.idVendor());
        put16(out, s + 6, suffix.bcdDfu());
        out[s + 8] = 'U';
        out[s + 9] = 'F';
        out[s + 10] = 'D';
        out[s + 11] = LENGTH;
        long crc = DfuCrc.of(out, 0, out.length - 4);
        put16(out, s + 12, (int) crc & 0xFFFF);
        put16(out, s + 14, (int) (crc >>> 16) & 0xFFFF);
        return out;
    }

    /**
     * {@link #strip(String, byte[])} with the source named "&lt;input&gt;".
     *
     * @param content the whole file
     * @return a new array without the last 16 bytes
     * @throws FirmwareFormatException when the suffix is absent or damaged
     */
    public static byte[] strip(byte[] content) throws FirmwareFormatException {
        return strip(DEFAULT_SOURCE, content);
    }

    /**
     * {@code content} without its suffix, which must be present and correct.
     *
     * @param source  the name messages give the file
     * @param content the whole file
     * @throws FirmwareFormatException when the suffix is absent or damaged (see {@link #verify})
     * @return a new array without the last 16 bytes
     */
    public static byte[] strip(String source, byte[] content) throws FirmwareFormatException {
        verify(source, content);
        return Arrays.copyOf(content, content.length - LENGTH);
    }

    private static int u16(byte[] b, int i) {
        return (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8;
    }

    private static void put16(byte[] b, int i, int v) {
        b[i] = (byte) v;
        b[i + 1] = (byte) (v >>> 8);
    }
}
