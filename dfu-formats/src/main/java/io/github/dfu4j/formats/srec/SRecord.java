package io.github.dfu4j.formats.srec;

import io.github.dfu4j.formats.WriteOptions.SrecAddressWidth;

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

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Motorola S-record reader and writer: S0 header, S1/S2/S3 data with 16/24/32-bit addresses, S5/S6
 * record counts, S7/S8/S9 termination with the start address.
 *
 * <pre>{@code
 * FirmwareImage image = SRecord.read("blinky.srec", Files.readAllBytes(path));
 * byte[] text = SRecord.write(image, SRecord.Options.defaults().withCountRecord(true));
 * }</pre>
 *
 * <p>Reading is one pass over the bytes. Accepted: either case of hex digits, LF/CRLF/CR line ends,
 * empty lines, S0 anywhere before the termination, any mix of S1/S2/S3 (each record carries its
 * own width), trailing whitespace or 0x1A after the termination record, and no termination record
 * at all (srec_cat omits it when there is no start address; the image then has no entry point).
 * Rejected, with file and line: a line not starting with 'S' and a digit, S4, a non-hex digit, a
 * line shorter or longer than its byte count, a byte count too small for the record's address, a
 * wrong checksum, data in S5-S9, an S5/S6 count different from the number of S1-S3 records before
 * it, records after the termination, an empty file, data beyond 4 GiB and overlapping data with
 * different bytes. Consecutive records coalesce into one {@link Segment}. The termination address becomes the
 * entry point, except 0, which tools write when there is none (so an entry point of 0 does not
 * survive a round trip). The S0 header text is not kept. Stateless and thread-safe.
 */
// Over 400 lines: reader (whole text or streamed blocks), its error reports and the writer share the
// record rules and stay together; splitting them would spread one format over several files.
public final class SRecord {
    /**
     * Writer settings.
     *
     * @param recordLength data bytes per record, 1..250 (objcopy writes 16)
     * @param width        address width
     * @param header       S0 text, ASCII, at most 64 characters ("" writes {@code S0030000FC})
     * @param countRecord  write an S5 (or S6 above 65535 records) data-record count, as srec_cat does
     * @param lineEnding   line terminator (objcopy writes CRLF)
     */
    public record Options(int recordLength, SrecAddressWidth width, String header, boolean countRecord, LineEnding lineEnding) {
        /**
         * Checks the settings.
         *
         * @param recordLength data bytes per record, 1..250
         * @param width        address width
         * @param header       S0 text, at most 64 ASCII characters
         * @param countRecord  whether to write an S5/S6 count record
         * @param lineEnding   line terminator
         * @throws IllegalArgumentException when {@code recordLength} or {@code header} is out of range
         * @throws NullPointerException when {@code width}, {@code header} or {@code lineEnding} is {@code null}
         */
        public Options {
            if (recordLength < 1 || recordLength > 250) {
                throw new IllegalArgumentException("S-record length out of range 1..250: " + recordLength);
            }
            Objects.requireNonNull(width, "width");
            Objects.requireNonNull(header, "header");
            Objects.requireNonNull(lineEnding, "lineEnding");
            if (header.length() > 64 || !StandardCharsets.US_ASCII.newEncoder().canEncode(header)) {
                throw new IllegalArgumentException("S0 header must be at most 64 ASCII characters: " + header);
            }
        }

        /**
         * 16-byte records, automatic width, empty header, no count record, CRLF.
         *
         * @return the default options
         */
        public static Options defaults() {
            return new Options(16, SrecAddressWidth.AUTO, "", false, LineEnding.CRLF);
        }

        /**
         * A copy with another record length.
         *
         * @param length data bytes per record, 1..250
         * @return the new options
         * @throws IllegalArgumentException when {@code length} is out of range
         */
        public Options withRecordLength(int length) {
            return new Options(length, width, header, countRecord, lineEnding);
        }

        /**
         * A copy with another address width.
         *
         * @param newWidth the width, not {@code null}
         * @return the new options
         */
        public Options withWidth(SrecAddressWidth newWidth) {
            return new Options(recordLength, newWidth, header, countRecord, lineEnding);
        }

        /**
         * A copy with another S0 header.
         *
         * @param text the header, at most 64 ASCII characters
         * @return the new options
         * @throws IllegalArgumentException when {@code text} does not fit
         */
        public Options withHeader(String text) {
            return new Options(recordLength, width, text, countRecord, lineEnding);
        }

        /**
         * A copy that does or does not write the count record.
         *
         * @param count whether to write an S5/S6 count record
         * @return the new options
         */
        public Options withCountRecord(boolean count) {
            return new Options(recordLength, width, header, count, lineEnding);
        }

        /**
         * A copy with another line terminator.
         *
         * @param newLineEnding the terminator, not {@code null}
         * @return the new options
         */
        public Options withLineEnding(LineEnding newLineEnding) {
            return new Options(recordLength, width, header, countRecord, newLineEnding);
        }
    }

    /** Address bytes per record type S0..S9; -1 for the reserved S4. */
    private static final int[] ADDRESS_BYTES = {2, 2, 3, 4, -1, 2, 3, 4, 3, 2};

    private SRecord() {
    }

    /**
     * True when the first non-blank line is one well-formed record: 'S', a digit, and nothing but hex
     * digits up to the line end, exactly as many as its byte count says.
     *
     * @param content the file's bytes (only the first line is looked at)
     * @return {@code true} when the file starts with a well-formed record
     */
    public static boolean looksLikeSRecord(byte[] content) {
        int i = 0;
        while (i < content.length && (content[i] == ' ' || content[i] == '\t' || content[i] == '\r' || content[i] == '\n')) {
            i++;
        }
        if (i + 6 > content.length || (content[i] != 'S' && content[i] != 's') || content[i + 1] < '0' || content[i + 1] > '9') {
            return false;
        }
        int end = i + 2;
        while (end < content.length && content[end] != '\r' && content[end] != '\n') {
            if (HexDigits.VALUE[content[end] & 0xFF] < 0) {
                return false;
            }
            end++;
        }
        int count = HexDigits.byteAt(content, i + 2);
        return count > 0 && end - i == 4 + 2 * count;
    }

    /**
     * Parses S-record text.
     *
     * @param source the name messages give the file
     * @param text   the whole file
     * @throws FirmwareFormatException naming {@code source} and the 1-based line of the first problem
     * @return the image, touching data joined into segments, with the termination record's address as
     *        entry point (none when it is 0)
     */
    public static FirmwareImage read(String source, byte[] text) throws FirmwareFormatException {
        Reader reader = new Reader(source, text.length);
        reader.block(text, 0, text.length, 0);
        return reader.finish(text.length);
    }

    /**
     * Parses S-record text from {@code in} to its end, a block of lines at a time: the text is never
     * held whole, only the image it describes. The result and every error are those of
     * {@link #read(String, byte[])} on the same bytes. Does not close {@code in}.
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
        private long dataRecords;
        private boolean ended;
        private long entry;

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
            long dataRecords = this.dataRecords;
            boolean ended = this.ended;
            long entry = this.entry;
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
                    throw FirmwareFormatException.atLine(source, line, "data after the termination record");
                }
                if (c != 'S' && c != 's') {
                    throw FirmwareFormatException.atLine(source, line,
                            "expected 'S' at the start of a record, found " + HexDigits.describe(c));
                }
                if (n - pos < 4) {
                    throw shortLine(source, line, text, pos, n, -1);
                }
                int type = text[pos + 1] - '0';
                if (type < 0 || type > 9) {
                    throw FirmwareFormatException.atLine(source, line,
                            "record type " + HexDigits.describe(text[pos + 1]) + " is not S0..S9");
                }
                int addressBytes = ADDRESS_BYTES[type];
                if (addressBytes < 0) {
                    throw FirmwareFormatException.atLine(source, line, "record type S4 is reserved");
                }
                int count = (value[text[pos + 2] & 0xFF] << 4) | value[text[pos + 3] & 0xFF];
                if (count < 0) {
                    throw badDigit(source, line, text, pos, n, 2, 4, -1);
                }
                if (count < addressBytes + 1) {
                    throw FirmwareFormatException.atLine(source, line, String.format(
                            "byte count 0x%02x is too small for an S%d record (address %d bytes + checksum)",
                            count, type, addressBytes));
                }
                int end = pos + 4 + 2 * count;
                if (end > n) {
                    throw shortLine(source, line, text, pos, n, count);
                }
                int sum = count;
                long address = 0;
                int bad = 0;
                int p = pos + 4;
                for (int i = 0; i < addressBytes; i++, p += 2) {
                    int v = (value[text[p] & 0xFF] << 4) | value[text[p + 1] & 0xFF];
                    bad |= v;
                    address = address << 8 | (v & 0xFF);
                    sum += v;
                }
                int length = count - addressBytes - 1;
                for (int i = 0; i < length; i++, p += 2) {
                    int v = (value[text[p] & 0xFF] << 4) | value[text[p + 1] & 0xFF];
                    bad |= v;
                    data[i] = (byte) v;
                    sum += v;
                }
                int checksum = (value[text[p] & 0xFF] << 4) | value[text[p + 1] & 0xFF];
                if ((bad | checksum) < 0) {
                    throw badDigit(source, line, text, pos, n, 4, 4 + 2 * count, count);
                }
                if (end < n && text[end] != '\n' && text[end] != '\r') {
                    throw FirmwareFormatException.atLine(source, line, String.format(
                            "%s after the checksum; the byte count 0x%02x says the record ends there",
                            HexDigits.describe(text[end]), count));
                }
                if (checksum != (~sum & 0xFF)) {
                    throw FirmwareFormatException.atLine(source, line, String.format(
                            "checksum 0x%02x, expected 0x%02x", checksum, ~sum & 0xFF));
                }
                switch (type) {
                    case 0:
                        break;
                    case 1:
                    case 2:
                    case 3:
                        if (address + length > Segment.ADDRESS_SPACE_END) {
                            throw FirmwareFormatException.atLine(source, line, String.format(
                                    "data at 0x%08x+%d runs past the 4 GiB address space", address, length));
                        }
                        if (builder.totalBytes() == 0 && length > 0) {
                            // size the first data buffer once: the rest of the file in records like this one
                            int lineLength = end - pos + (end + 1 < n && text[end] == '\r' && text[end + 1] == '\n' ? 2 : 1);
                            builder.expect((total - (fileOffset + pos - from)) / lineLength * length + length);
                        }
                        builder.put(address, data, 0, length, line);
                        dataRecords++;
                        break;
                    case 5:
                    case 6:
                        if (length != 0) {
                            throw FirmwareFormatException.atLine(source, line, String.format(
                                    "S%d record carries %d data bytes, expected none", type, length));
                        }
                        if (address != dataRecords) {
                            throw FirmwareFormatException.atLine(source, line, String.format(
                                    "S%d record count %d, but %d data records precede it", type, address, dataRecords));
                        }
                        break;
                    default: // 7, 8, 9
                        if (length != 0) {
                            throw FirmwareFormatException.atLine(source, line, String.format(
                                    "S%d record carries %d data bytes, expected none", type, length));
                        }
                        entry = address;
                        ended = true;
                        break;
                }
                pos = end;
            }
            } finally {
                this.line = line;
                this.dataRecords = dataRecords;
                this.ended = ended;
                this.entry = entry;
            }
        }

        FirmwareImage finish(long n) throws FirmwareFormatException {
            if (n == 0) {
                throw FirmwareFormatException.atLine(source, line, "empty file, no S-records");
            }
            FirmwareImage image;
            try {
                image = builder.build();
            } catch (DataConflictException e) {
                boolean firstLater = e.firstOrigin() > e.secondOrigin();
                throw FirmwareFormatException.atLine(source, Math.max(e.firstOrigin(), e.secondOrigin()), String.format(
                        "data at 0x%08x (%s) conflicts with the record run starting at line %d (%s)",
                        e.address(), firstLater ? e.firstValue() : e.secondValue(),
                        Math.min(e.firstOrigin(), e.secondOrigin()), firstLater ? e.secondValue() : e.firstValue()));
            }
            return entry != 0 ? image.withEntryPoint(entry) : image;
        }
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
                    "record of %d characters is shorter than the 4 every record starts with", length));
        }
        return FirmwareFormatException.atLine(source, line, String.format(
                "record of %d characters is shorter than the %d its byte count 0x%02x needs",
                length, 4 + 2 * count, count));
    }

    private static FirmwareFormatException badDigit(String source, long line, byte[] text, int pos, int n, int from,
                                                    int to, int count) {
        for (int i = from; i < to; i++) {
            byte b = text[pos + i];
            if (HexDigits.VALUE[b & 0xFF] < 0) {
                if (b == '\n' || b == '\r') {
                    return shortLine(source, line, text, pos, n, count);
                }
                return FirmwareFormatException.atLine(source, line, String.format(
                        "%s in column %d is not a hex digit", HexDigits.describe(b), i + 1));
            }
        }
        throw new AssertionError("no bad digit found");
    }

    /**
     * Writes {@code image} as S-records: S0 header, data records of one width, optional S5/S6 count,
     * S7/S8/S9 termination carrying the entry point (0 when there is none). DfuSe targets and the
     * suffix are not stored.
     *
     * @param image   the image
     * @param options record length, width, header, count record and line ending
     * @throws IllegalArgumentException when a forced width cannot address the data or entry point
     * @return the text, ASCII
     */
    public static byte[] write(FirmwareImage image, Options options) {
        int perRecord = Math.min(options.recordLength(), 254 - 4);
        long estimate = image.totalBytes() * (2L * perRecord + 2 * 4 + 6 + options.lineEnding().text().length()) / perRecord + 256;
        TextOut out = new TextOut((int) Math.min(estimate, Integer.MAX_VALUE - 8));
        write(image, options, out);
        return out.toByteArray();
    }

    /**
     * Writes {@code image} as S-records into {@code sink} as it goes (the bytes of
     * {@link #write(FirmwareImage, Options)}), so a large image is never held as text in memory.
     * The stream is not closed.
     *
     * @param image   the image
     * @param options record length, width, header, count record and line ending
     * @param sink    where the text goes; left open
     * @throws IllegalArgumentException when a forced width cannot address the data or entry point
     *                                  (before anything is written)
     * @throws IOException when writing to {@code sink} fails
     */
    public static void write(FirmwareImage image, Options options, OutputStream sink) throws IOException {
        TextOut.stream(sink, out -> write(image, options, out));
    }

    private static void write(FirmwareImage image, Options options, TextOut out) {
        long highest = Math.max(image.endAddress().orElse(0) - 1, image.entryPoint().orElse(0));
        SrecAddressWidth width = options.width();
        if (width == SrecAddressWidth.AUTO) {
            width = highest < SrecAddressWidth.S1.limit() ? SrecAddressWidth.S1
                    : highest < SrecAddressWidth.S2.limit() ? SrecAddressWidth.S2 : SrecAddressWidth.S3;
        } else if (highest >= width.limit()) {
            throw new IllegalArgumentException(String.format(
                    "address 0x%08x does not fit %d-bit %s records", highest, 8 * width.bytes(), width));
        }
        int addressBytes = width.bytes();
        int perRecord = Math.min(options.recordLength(), 254 - addressBytes);
        String eol = options.lineEnding().text();
        byte[] header = options.header().getBytes(StandardCharsets.US_ASCII);
        record(out, 0, 0, 2, header, header.length, eol);
        byte[] chunk = new byte[255];
        long records = 0;
        for (Segment s : image.segments()) {
            long address = s.address();
            while (address < s.end()) {
                int length = (int) Math.min(perRecord, s.end() - address);
                s.copyTo(address, chunk, 0, length);
                record(out, addressBytes - 1, address, addressBytes, chunk, length, eol);
                address += length;
                records++;
            }
        }
        if (options.countRecord()) {
            if (records <= 0xFFFF) {
                record(out, 5, records, 2, chunk, 0, eol);
            } else if (records <= 0xFFFFFF) {
                record(out, 6, records, 3, chunk, 0, eol);
            }
        }
        record(out, 11 - addressBytes, image.entryPoint().orElse(0), addressBytes, chunk, 0, eol);
    }

    private static void record(TextOut out, int type, long address, int addressBytes, byte[] data, int length, String eol) {
        int count = addressBytes + length + 1;
        out.ascii('S');
        out.ascii((char) ('0' + type));
        out.hex8(count);
        int sum = count;
        for (int i = addressBytes - 1; i >= 0; i--) {
            int b = (int) (address >>> (8 * i)) & 0xFF;
            out.hex8(b);
            sum += b;
        }
        for (int i = 0; i < length; i++) {
            out.hex8(data[i]);
            sum += data[i] & 0xFF;
        }
        out.hex8(~sum);
        out.ascii(eol);
    }
}
