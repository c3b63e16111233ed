package io.github.dfu4j.formats;

import io.github.dfu4j.formats.suffix.DfuSuffixes;
import io.github.dfu4j.formats.suffix.SuffixCheck;

import java.util.Arrays;

/**
 * What a file's own bytes promise, checked before {@link FirmwareFiles} picks a parser, so that a file
 * is read as what it claims or refused:
 * <ul>
 *   <li>a valid DFU suffix (DFU 1.1 appendix B) with a bcdDFU that DFU does not define is refused:
 *       plain DFU files say 0x0100 (the value appendix B gives) or 0x0110 (DFU 1.1, known to
 *       fwupd), ST's DfuSe files 0x011A (UM0391); dfu-util's download accepts only 0x0100 and
 *       0x011A ("Unsupported DFU file revision");</li>
 *   <li>a valid suffix with bcdDFU 0x011A says the body is a DfuSe file: it is parsed as DfuSe or
 *       refused, never taken as raw bytes;</li>
 *   <li>Intel HEX and S-record are ASCII: a UTF-8 byte order mark in front is named as such.</li>
 * </ul>
 */
final class ContentRules {
    private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    /** Enough of a file to judge its first line: a valid Intel HEX or S-record line is at most 523 characters. */
    private static final int HEAD = 1 << 16;

    private ContentRules() {
    }

    /** True for a bcdDFU that a DFU file suffix may carry: 0x0100, 0x0110 or 0x011A. */
    static boolean definedBcdDfu(int bcdDfu) {
        return bcdDfu == DfuSuffix.BCD_DFU_PLAIN || bcdDfu == DfuSuffix.BCD_DFU_1_1 || bcdDfu == DfuSuffix.BCD_DFU_DFUSE;
    }

    /** Offset of bcdDFU in a file of {@code length} bytes that ends in a suffix. */
    private static long bcdDfuOffset(int length) {
        return length - DfuSuffixes.LENGTH + 6L;
    }

    /** Refuses a valid suffix whose bcdDFU DFU does not define. */
    static void checkSuffixVersion(String source, byte[] content, SuffixCheck check) throws FirmwareFormatException {
        if (check.valid() && !definedBcdDfu(check.fields().bcdDfu())) {
            throw FirmwareFormatException.atOffset(source, bcdDfuOffset(content.length), String.format(
                    "DFU suffix bcdDFU 0x%04x is not a DFU file version (DFU files say 0x0100 or 0x0110, DfuSe files 0x011a)",
                    check.fields().bcdDfu()));
        }
    }

    /** True when a valid suffix says the body is a DfuSe file. */
    static boolean suffixSaysDfuse(SuffixCheck check) {
        return check.valid() && check.fields().bcdDfu() == DfuSuffix.BCD_DFU_DFUSE;
    }

    /** A suffix saying DfuSe on a file without the "DfuSe" prefix: a damaged DfuSe file, not raw data. */
    static FirmwareFormatException dfuseWithoutPrefix(String source, byte[] content) {
        int n = Math.min(5, content.length);
        StringBuilder hex = new StringBuilder();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int b = content[i] & 0xFF;
            hex.append(i == 0 ? "" : " ").append(String.format("%02x", b));
            text.append(b >= 0x20 && b < 0x7F ? (char) b : '.');
        }
        return FirmwareFormatException.atOffset(source, 0, String.format("the DFU suffix says DfuSe (bcdDFU 0x011a at offset 0x%x) but"
                + " the file does not start with the \"DfuSe\" signature (it starts with \"%s\", %s): a damaged DfuSe file,"
                + " not read as raw bytes", bcdDfuOffset(content.length), text, hex));
    }

    /** A suffix saying DfuSe on a file the caller asked to read as another format. */
    static FirmwareFormatException dfuseReadAs(String source, byte[] content, FirmwareFormat format) {
        return FirmwareFormatException.atOffset(source, bcdDfuOffset(content.length), "the DFU suffix says DfuSe (bcdDFU 0x011a);"
                + " a DfuSe file cannot be read as " + format.displayName());
    }

    static boolean hasBom(byte[] content) {
        return content.length >= UTF8_BOM.length && content[0] == UTF8_BOM[0] && content[1] == UTF8_BOM[1]
                && content[2] == UTF8_BOM[2];
    }

    /** The first bytes after a UTF-8 byte order mark, enough to recognise a text format's first line. */
    static byte[] headAfterBom(byte[] content) {
        return Arrays.copyOfRange(content, UTF8_BOM.length, (int) Math.min(content.length, (long) UTF8_BOM.length + HEAD));
    }

    static FirmwareFormatException bom(String source, FirmwareFormat format) {
        return FirmwareFormatException.atLine(source, 1, "starts with a UTF-8 byte order mark (bytes ef bb bf at offset 0); "
                + format.displayName() + " is plain ASCII: save the file without the BOM");
    }
}
