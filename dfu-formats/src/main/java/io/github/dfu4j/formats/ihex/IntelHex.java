package io.github.dfu4j.formats.ihex;

import io.github.dfu4j.formats.WriteOptions.HexAddressing;

import io.github.dfu4j.formats.internal.DataConflictException;
import io.github.dfu4j.formats.FirmwareFormatException;
import io.github.dfu4j.formats.FirmwareImage;
import io.github.dfu4j.formats.ImageBuilder;
import io.github.dfu4j.formats.WriteOptions.LineEnding;
import io.github.dfu4j.formats.Segment;
import io.github.dfu4j.formats.internal.HexDigits;
import io.github.dfu4j.formats.internal.TextBlocks;
import io.github.dfu4j.formats.internal.TextOut;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import java.util.Objects;

/**
 * Intel HEX reader and writer: record types 00 (data), 01 (end of file), 02 (extended segment
 * address, I16HEX), 03 (start segment address), 04 (extended linear address, I32HEX) and 05 (start
 * linear address).
 *
 * <pre>{@code
 * FirmwareImage image = IntelHex.read("blinky.hex", Files.readAllBytes(path));
 * byte[] text = IntelHex.write(image, IntelHex.Options.defaults().withRecordLength(32));
 * }</pre>
 *
 * <p>Reading is one pass over the bytes with no String per line and no regular expressions.
 * Accepted: upper- or lower-case hex, LF, CRLF or CR line ends, empty lines, and whitespace or a
 * DOS end-of-file byte (0x1A) after the end-of-file record. Rejected, with file and line: a record
 * not starting with ':', a non-hex digit, a line shorter or longer than its byte count says, a
 * wrong checksum (both values named), an unknown record type, a wrong byte count for types 01-05,
 * records after the end-of-file record, a missing end-of-file record, two different start
 * addresses, data beyond 4 GiB, and overlapping data with different bytes. The address field of
 * types 01-05 is ignored, as the specification says. Under 02 (and with no extended record at
 * all) a record's offset wraps within its 64 KiB segment; under 04 it runs on linearly.
 * Consecutive data records coalesce into one {@link Segment}; the start address (03 as CS*16+IP,
 * or 05) becomes the entry point. Stateless and thread-safe.
 */
// Over 400 lines: reader (whole text or streamed blocks), its error reports and the writer share the
// record rules and stay together; splitting them would spread one format over several files.
public final class IntelHex {
    /**
     * Writer settings.
     *
     * @param recordLength data bytes per record, 1..255 (objcopy writes 16)
     * @param addressing   extended-address style
     * @param lineEnding   line terminator (objcopy writes CRLF)
     */
    public record Options(int recordLength, HexAddressing addressing, LineEnding lineEnding) {
        /**
         * Checks the settings.
         *
         * @param recordLength data bytes per record, 1..255
         * @param addressing   extended-address style
         * @param lineEnding   line terminator
         * @throws IllegalArgumentException when {@code recordLength} is out of range
         * @throws NullPointerException when {@code addressing} or {@code lineEnding} is {@code null}
         */
        public Options {
            if (recordLength < 1 || recordLength > 255) {
                throw new IllegalArgumentException("Intel HEX record length out of range 1..255: " + recordLength);
            }
            Objects.requireNonNull(addressing, "addressing");
            Objects.requireNonNull(lineEnding, "lineEnding");
        }

        /**
         * 16-byte records, automatic addressing, CRLF: byte-compatible with GNU objcopy.
         *
         * @return the default options
         */
        public static Options defaults() {
            return new Options(16, HexAddressing.AUTO, LineEnding.CRLF);
        }

        /**
         * A copy with another record length.
         *
         * @param length data bytes per record, 1..255
         * @return the new options
         * @throws IllegalArgumentException when {@code length} is out of range
         */
        public Options withRecordLength(int length) {
            return new Options(length, addressing, lineEnding);
        }

        /**
         * A copy with another extended-address style.
         *
         * @param newAddressing the style, not {@code null}
         * @return the new options
         */
        public Options withAddressing(HexAddressing newAddressing) {
            return new Options(recordLength, newAddressing, lineEnding);
        }

        /**
         * A copy with another line terminator.
         *
         * @param newLineEnding the terminator, not {@code null}
         * @return the new options
         */
        public Options withLineEnding(LineEnding newLineEnding) {
            return new Options(recordLength, addressing, newLineEnding);
        }
    }

    private static final int DATA = 0;
    private static final int END_OF_FILE = 1;
    private static final int EXTENDED_SEGMENT = 2;
    private static final int START_SEGMENT = 3;
    private static final int EXTENDED_LINEAR = 4;
    private static final int START_LINEAR = 5;

    private IntelHex() {
    }

    /**
     * True when the first non-blank line is one well-formed record: ':' and nothing but hex digits up
     * to the line end, exactly as many as its byte count says. (A weaker test, ':' plus a digit,
     * would claim raw binaries that happen to start with 0x3A.)
     *
     * @param content the file's bytes (only the first line is looked at)
     * @return {@code true} when the file starts with a well-formed record
     */
    public static boolean looksLikeIntelHex(byte[] content) {
        int i = 0;
        while (i < content.length && (content[i] == ' ' || content[i] == '\t' || content[i] == '\r' || content[i] == '\n')) {
            i++;
        }
        if (i + 11 > content.length || content[i] != ':') {
            return false;
        }
        int end = i + 1;
        while (end < content.length && content[end] != '\r' && content[end] != '\n') {
            if (HexDigits.VALUE[content[end] & 0xFF] < 0) {
                return false;
            }
            end++;
        }
        int count = HexDigits.byteAt(content, i + 1);
        return end - i == 11 + 2 * count;
    }

    /**
     * Parses Intel HEX text.
     *
     * @param source the name messages give the file
     * @param text   the whole file
     * @throws FirmwareFormatException naming {@code source} and the 1-based line of the first problem
     * @return the image, touching data joined into segments, with the start address as entry point
     */
    public static FirmwareImage read(String source, byte[] text) throws FirmwareFormatException {
        Reader reader = new Reader(source, text.length);
        reader.block(text, 0, text.length, 0);
        return reader.finish(text.length);
    }

    /**
     * Parses Intel HEX text from {@code in} to its end, a block of lines at a time: the text is never
     * held whole, only the image it describes (a 64 MiB image from a 180 MiB file needs little more
     * than 64 MiB). The result and every error are those of {@link #read(String, byte[])} on the same
     * bytes. Does not close {@code in}.
     *
     * @param source the name messages give the file
     * @param in     the text, read to its end and left open
     * @param sizeHint the input's length if known (sizes the image buffer once), else 0
     * @throws FirmwareFormatException naming {@code source} and the 1-based line of the first problem
     * @return the image, as {@link #read(String, byte[])} returns it
     * @throws IOException when reading {@code in} fails
     */
    public static FirmwareImage read(String source, InputStream in, long sizeHint) throws IOException {
        return read(source, in, sizeHint, TextBlocks.WINDOW);
    }

    /** {@link #read(String, InputStream, long)} through a window of {@code window} bytes (tests use tiny ones). */
    static FirmwareImage read(String source, InputStream in, long sizeHint, int window) throws IOException {
        Reader reader = new Reader(source, sizeHint);
        long total = TextBlocks.feed(in, reader, window);
        return reader.finish(total);
    }

    /** The parse state between blocks; the hot loop works on locals, written back after each block. */
    private static final class Reader implements TextBlocks.Parser {
        private final String source;
        private final long total;
        private final byte[] data = new byte[255];
        private final ImageBuilder builder = new ImageBuilder();
        private long line = 1;
        private boolean linear;
        private long base;
        private boolean ended;
        private long entry = -1;
        private long entryLine;

        Reader(String source, long total) {
            this.source = source;
            this.total = total;
        }

        @Override
        public void block(byte[] text, int from, int n, long fileOffset) throws FirmwareFormatException {
            final byte[] value = HexDigits.VALUE;
            final byte[] data = this.data;
            final ImageBuilder builder = this.builder;
            final String source = this.source;
            int pos = from;
            long line = this.line;
            boolean linear = this.linear;
            long base = this.base;
            boolean ended = this.ended;
            long entry = this.entry;
            long entryLine = this.entryLine;
            try {
            while (pos < n) {
                byte c = text[pos];
                if (c == '\n') {
                    line++;
                    pos++;
                    continue;
                }
                if (c == '\r') {
                    pos++;
                    if (pos < n && text[pos] == '\n') {
                        pos++;
                    }
                    line++;
                    continue;
                }
                if (ended) {
                    if (c == ' ' || c == '\t' || c == 0x1A) {
                        pos++;
                        continue;
                    }
                    throw FirmwareFormatException.atLine(source, line, "data after the end-of-file record");
                }
                if (c != ':') {
                    throw FirmwareFormatException.atLine(source, line,
                            "expected ':' at the start of a record, found " + HexDigits.describe(c));
                }
                if (n - pos < 11) {
                    throw shortLine(source, line, text, pos, n, -1);
                }
                int count = (value[text[pos + 1] & 0xFF] << 4) | value[text[pos + 2] & 0xFF];
                int addrHi = (value[text[pos + 3] & 0xFF] << 4) | value[text[pos + 4] & 0xFF];
                int addrLo = (value[text[pos + 5] & 0xFF] << 4) | value[text[pos + 6] & 0xFF];
                int type = (value[text[pos + 7] & 0xFF] << 4) | value[text[pos + 8] & 0xFF];
                if ((count | addrHi | addrLo | type) < 0) {
                    throw badDigit(source, line, text, pos, n, 1, 9, -1);
                }
                int end = pos + 11 + 2 * count;
                if (end > n) {
                    throw shortLine(source, line, text, pos, n, count);
                }
                int sum = count + addrHi + addrLo + type;
                int bad = 0;
                for (int i = 0, p = pos + 9; i < count; i++, p += 2) {
                    int v = (value[text[p] & 0xFF] << 4) | value[text[p + 1] & 0xFF];
                    bad |= v;
                    data[i] = (byte) v;
                    sum += v;
                }
                int checksum = (value[text[end - 2] & 0xFF] << 4) | value[text[end - 1] & 0xFF];
                if ((bad | checksum) < 0) {
                    throw badDigit(source, line, text, pos, n, 9, 11 + 2 * count, count);
                }
                if (end < n && text[end] != '\n' && text[end] != '\r') {
                    throw FirmwareFormatException.atLine(source, line, String.format(
                            "%s after the checksum; the byte count 0x%02x says the record ends there",
                            HexDigits.describe(text[end]), count));
                }
                if (((sum + checksum) & 0xFF) != 0) {
                    throw FirmwareFormatException.atLine(source, line, String.format(
                            "checksum 0x%02x, expected 0x%02x", checksum, (-sum) & 0xFF));
                }
                int offset = addrHi << 8 | addrLo;
                switch (type) {
                    case DATA:
                        if (builder.totalBytes() == 0 && count > 0) {
                            // size the first data buffer once: the rest of the file in records like this one
                            int lineLength = end - pos + (end + 1 < n && text[end] == '\r' && text[end + 1] == '\n' ? 2 : 1);
                            builder.expect((total - (fileOffset + pos - from)) / lineLength * count + count);
                        }
                        if (linear) {
                            long address = base + offset;
                            if (address + count > Segment.ADDRESS_SPACE_END) {
                                throw FirmwareFormatException.atLine(source, line, String.format(
                                        "data at 0x%08x+%d runs past the 4 GiB address space", address, count));
                            }
                            builder.put(address, data, 0, count, line);
                        } else if (offset + count <= 0x10000) {
                            builder.put(base + offset, data, 0, count, line);
                        } else {
                            // segment addressing: the offset wraps within the 64 KiB segment (Intel HEX spec)
                            int first = 0x10000 - offset;
                            builder.put(base + offset, data, 0, first, line);
                            builder.put(base, data, first, count - first, line);
                        }
                        break;
                    case END_OF_FILE:
                        expectCount(source, line, type, count, 0);
                        ended = true;
                        break;
                    case EXTENDED_SEGMENT:
                        expectCount(source, line, type, count, 2);
                        linear = false;
                        base = ((data[0] & 0xFFL) << 8 | (data[1] & 0xFFL)) << 4;
                        break;
                    case EXTENDED_LINEAR:
                        expectCount(source, line, type, count, 2);
                        linear = true;
                        base = ((data[0] & 0xFFL) << 8 | (data[1] & 0xFFL)) << 16;
                        break;
                    case START_SEGMENT:
                    case START_LINEAR: {
                        expectCount(source, line, type, count, 4);
                        long start = type == START_LINEAR ? u32(data)
                                : ((data[0] & 0xFFL) << 8 | (data[1] & 0xFFL)) * 16 + ((data[2] & 0xFFL) << 8 | (data[3] & 0xFFL));
                        if (entry >= 0 && entry != start) {
                            throw FirmwareFormatException.atLine(source, line, String.format(
                                    "start address 0x%08x conflicts with 0x%08x from line %d", start, entry, entryLine));
                        }
                        entry = start;
                        entryLine = line;
                        break;
                    }
                    default:
                        throw FirmwareFormatException.atLine(source, line, String.format(
                                "unknown record type 0x%02x (Intel HEX knows 00..05)", type));
                }
                pos = end;
            }
            } finally {
                this.line = line;
                this.linear = linear;
                this.base = base;
                this.ended = ended;
                this.entry = entry;
                this.entryLine = entryLine;
            }
        }

        FirmwareImage finish(long n) throws FirmwareFormatException {
            if (!ended) {
                throw FirmwareFormatException.atLine(source, line, n == 0 ? "empty file, no Intel HEX records"
                        : "missing end-of-file record (:00000001FF)");
            }
            FirmwareImage image;
            try {
                image = builder.build();
            } catch (DataConflictException e) {
                throw FirmwareFormatException.atLine(source, Math.max(e.firstOrigin(), e.secondOrigin()), String.format(
                        "data at 0x%08x (%s) conflicts with the record run starting at line %d (%s)",
                        e.address(), e.firstOrigin() > e.secondOrigin() ? e.firstValue() : e.secondValue(),
                        Math.min(e.firstOrigin(), e.secondOrigin()),
                        e.firstOrigin() > e.secondOrigin() ? e.secondValue() : e.firstValue()));
            }
            return entry >= 0 ? image.withEntryPoint(entry) : image;
        }
    }

    private static void expectCount(String source, long line, int type, int count, int expected)
            throws FirmwareFormatException {
        if (count != expected) {
            throw FirmwareFormatException.atLine(source, line, String.format(
                    "record type 0x%02x needs byte count 0x%02x, found 0x%02x", type, expected, count));
        }
    }

    private static long u32(byte[] b) {
        return (b[0] & 0xFFL) << 24 | (b[1] & 0xFFL) << 16 | (b[2] & 0xFFL) << 8 | (b[3] & 0xFFL);
    }

    private static int lineLength(byte[] text, int pos, int n) {
        int end = pos;
        while (end < n && text[end] != '\n' && text[end] != '\r') {
            end++;
        }
        return end - pos;
    }

    private static FirmwareFormatException shortLine(String source, long line, byte[] text, int pos, int n, int count) {
        int length = lineLength(text, pos, n);
        if (count < 0) {
            return FirmwareFormatException.atLine(source, line, String.format(
                    "record of %d characters is shorter than the 11 every record needs", length));
        }
        return FirmwareFormatException.atLine(source, line, String.format(
                "record of %d characters is shorter than the %d its byte count 0x%02x needs",
                length, 11 + 2 * count, count));
    }

    /** The error for the first non-hex character in columns [from, to) of the record at pos. */
    private static FirmwareFormatException badDigit(String source, long line, byte[] text, int pos, int n, int from,
                                                    int to, int count) {
        for (int i = from; i < to; i++) {
            byte b = text[pos + i];
            if (HexDigits.VALUE[b & 0xFF] < 0) {
                if ((b == '\n' || b == '\r') && count >= 0) {
                    return shortLine(source, line, text, pos, n, count);
                }
                if (b == '\n' || b == '\r') {
                    return shortLine(source, line, text, pos, n, -1);
                }
                return FirmwareFormatException.atLine(source, line, String.format(
                        "%s in column %d is not a hex digit", HexDigits.describe(b), i + 1));
            }
        }
        throw new AssertionError("no bad digit found");
    }

    /**
     * Writes {@code image} as Intel HEX. Segments' DfuSe targets and the suffix are not stored.
     * Records never cross a 64 KiB boundary; an extended address record precedes the first record of
     * each new 64 KiB window; the start record (if the image has an entry point) comes just before
     * the end-of-file record, as objcopy does.
     *
     * @param image   the image
     * @param options record length, addressing and line ending
     * @throws IllegalArgumentException when the data or entry point do not fit the chosen addressing
     * @return the text, ASCII
     */
    public static byte[] write(FirmwareImage image, Options options) {
        int perRecord = options.recordLength();
        long estimate = image.totalBytes() * (2L * perRecord + 11 + options.lineEnding().text().length()) / perRecord + 64;
        TextOut out = new TextOut((int) Math.min(estimate, Integer.MAX_VALUE - 8));
        write(image, options, out);
        return out.toByteArray();
    }

    /**
     * Writes {@code image} as Intel HEX into {@code sink} as it goes (the bytes of
     * {@link #write(FirmwareImage, Options)}), so a large image is never held as text in memory.
     * The stream is not closed.
     *
     * @param image   the image
     * @param options record length, addressing and line ending
     * @param sink    where the text goes; left open
     * @throws IllegalArgumentException when the data or entry point do not fit the chosen addressing
     *                                  (before anything is written)
     * @throws IOException when writing to {@code sink} fails
     */
    public static void write(FirmwareImage image, Options options, OutputStream sink) throws IOException {
        TextOut.stream(sink, out -> write(image, options, out));
    }

    private static void write(FirmwareImage image, Options options, TextOut out) {
        HexAddressing mode = options.addressing();
        long end = image.endAddress().orElse(0);
        if (mode == HexAddressing.AUTO) {
            mode = end <= 0x10000 ? HexAddressing.I8HEX : HexAddressing.I32HEX;
        }
        if (mode == HexAddressing.I8HEX && end > 0x10000) {
            throw new IllegalArgumentException(String.format("data ends at 0x%x, beyond I8HEX's 64 KiB", end));
        }
        if (mode == HexAddressing.I16HEX && end > 0x100000) {
            throw new IllegalArgumentException(String.format("data ends at 0x%x, beyond I16HEX's 1 MiB", end));
        }
        String eol = options.lineEnding().text();
        int perRecord = options.recordLength();
        long window = 0; // upper address bits currently selected (bits 16+)
        byte[] chunk = new byte[255];
        for (Segment s : image.segments()) {
            long address = s.address();
            long stop = s.end();
            while (address < stop) {
                long thisWindow = address & ~0xFFFFL;
                if (thisWindow != window) {
                    if (mode == HexAddressing.I32HEX) {
                        record(out, EXTENDED_LINEAR, 0, new byte[] {(byte) (thisWindow >>> 24), (byte) (thisWindow >>> 16)}, 2, eol);
                    } else {
                        long segment = thisWindow >>> 4;
                        record(out, EXTENDED_SEGMENT, 0, new byte[] {(byte) (segment >>> 8), (byte) segment}, 2, eol);
                    }
                    window = thisWindow;
                }
                int length = (int) Math.min(Math.min(perRecord, stop - address), thisWindow + 0x10000 - address);
                s.copyTo(address, chunk, 0, length);
                record(out, DATA, (int) (address & 0xFFFF), chunk, length, eol);
                address += length;
            }
        }
        if (image.entryPoint().isPresent()) {
            long entry = image.entryPoint().getAsLong();
            if (mode == HexAddressing.I16HEX) {
                long cs;
                long ip;
                if (entry <= 0xFFFFF) {
                    cs = (entry & 0xF0000) >>> 4;
                    ip = entry & 0xFFFF;
                } else if (entry <= 0xFFFF0 + 0xFFFF) {
                    cs = 0xFFFF;
                    ip = entry - 0xFFFF0;
                } else {
                    throw new IllegalArgumentException(String.format(
                            "entry point 0x%08x cannot be written as an I16HEX CS:IP start address", entry));
                }
                record(out, START_SEGMENT, 0, new byte[] {(byte) (cs >>> 8), (byte) cs, (byte) (ip >>> 8), (byte) ip}, 4, eol);
            } else {
                record(out, START_LINEAR, 0, new byte[] {(byte) (entry >>> 24), (byte) (entry >>> 16),
                        (byte) (entry >>> 8), (byte) entry}, 4, eol);
            }
        }
        record(out, END_OF_FILE, 0, chunk, 0, eol);
    }

    private static void record(TextOut out, int type, int offset, byte[] data, int length, String eol) {
        out.ascii(':');
        out.hex8(length);
        out.hex8(offset >>> 8);
        out.hex8(offset);
        out.hex8(type);
        int sum = length + (offset >>> 8) + offset + type;
        for (int i = 0; i < length; i++) {
            out.hex8(data[i]);
            sum += data[i];
        }
        out.hex8(-sum);
        out.ascii(eol);
    }
}
