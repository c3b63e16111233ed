package io.github.dfu4j.formats;

import java.io.IOException;
import java.util.OptionalLong;

/**
 * A firmware file that cannot be read: the one exception type every reader throws for bad input.
 * It names the file (or source) and, where known, the 1-based line of a text format or the byte
 * offset of a binary format, so that {@link #getMessage()} is a complete one-line diagnosis such as
 * {@code blinky.hex:12: checksum 0x3c, expected 0x3d} or
 * {@code fw.dfu@0x0000011b: element size 4294967295 exceeds the 58 bytes left in the file}.
 */
public class FirmwareFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Serialized: the source label, or null when the failure names none. */
    private final String source;
    /** Serialized: the 1-based line, or -1 when unknown. */
    private final long line;
    /** Serialized: the 0-based byte offset, or -1 when unknown. */
    private final long offset;
    /** Serialized: the message without the location prefix. */
    private final String reason;

    private FirmwareFormatException(String source, long line, long offset, String reason, Throwable cause) {
        super(format(source, line, offset, reason), cause);
        this.source = source;
        this.line = line;
        this.offset = offset;
        this.reason = reason;
    }

    /**
     * A failure that is not tied to a file position (for subclasses, e.g. the internal image builder's data conflict):
     * the message is {@code reason} as it is, and source, line and offset are unknown.
     *
     * @param reason the whole message
     */
    protected FirmwareFormatException(String reason) {
        super(reason);
        this.source = null;
        this.line = -1;
        this.offset = -1;
        this.reason = reason;
    }

    /**
     * A problem at a 1-based line of a text file.
     *
     * @param source the file name or other label of the input
     * @param line   the 1-based line
     * @param reason what is wrong, without the location
     * @return the exception, message {@code source:line: reason}
     */
    public static FirmwareFormatException atLine(String source, long line, String reason) {
        return new FirmwareFormatException(source, line, -1, reason, null);
    }

    /**
     * A problem at a byte offset of a binary file.
     *
     * @param source the file name or other label of the input
     * @param offset the 0-based byte offset
     * @param reason what is wrong, without the location
     * @return the exception, message {@code source@0xOFFSET: reason} (offset as 8 hex digits)
     */
    public static FirmwareFormatException atOffset(String source, long offset, String reason) {
        return new FirmwareFormatException(source, -1, offset, reason, null);
    }

    /**
     * A problem with the file as a whole (unknown format, empty file, conflicting inputs).
     *
     * @param source the file name or other label of the input
     * @param reason what is wrong, without the location
     * @return the exception, message {@code source: reason}
     */
    public static FirmwareFormatException ofFile(String source, String reason) {
        return new FirmwareFormatException(source, -1, -1, reason, null);
    }

    /**
     * The file name or other source label the reader was given (what the message starts with), or
     * {@code null} for a failure not tied to a source (the {@code protected} constructor's subclasses).
     *
     * @return the source label, possibly {@code null}
     */
    public String source() {
        return source;
    }

    /**
     * The 1-based line of a text format (Intel HEX, S-record) where the problem is.
     *
     * @return the line, or empty when the problem has a byte offset instead or no position at all
     */
    public OptionalLong line() {
        return line < 0 ? OptionalLong.empty() : OptionalLong.of(line);
    }

    /**
     * The 0-based byte offset into a binary format (DfuSe, DFU suffix, ELF) where the problem is.
     *
     * @return the offset, or empty when the problem has a line instead or no position at all
     */
    public OptionalLong offset() {
        return offset < 0 ? OptionalLong.empty() : OptionalLong.of(offset);
    }

    /**
     * The message without the location prefix.
     *
     * @return the reason the factory was given, e.g. {@code checksum 0x3c, expected 0x3d}
     */
    public String reason() {
        return reason;
    }

    private static String format(String source, long line, long offset, String reason) {
        String where = source == null ? "<input>" : source;
        if (line >= 0) {
            where += ":" + line;
        } else if (offset >= 0) {
            where += String.format("@0x%08x", offset);
        }
        return where + ": " + reason;
    }
}
