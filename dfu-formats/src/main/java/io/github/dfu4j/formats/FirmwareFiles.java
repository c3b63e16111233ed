package io.github.dfu4j.formats;

import io.github.dfu4j.formats.bin.RawBinary;
import io.github.dfu4j.formats.dfuse.DfuseFile;
import io.github.dfu4j.formats.elf.Elf32;
import io.github.dfu4j.formats.ihex.IntelHex;
import io.github.dfu4j.formats.srec.SRecord;
import io.github.dfu4j.formats.suffix.DfuSuffixes;
import io.github.dfu4j.formats.suffix.SuffixCheck;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The entry point for reading and writing firmware files of every supported format.
 *
 * <pre>{@code
 * FirmwareImage image = FirmwareFiles.read(Path.of("blinky.hex"));
 * FirmwareImage app = FirmwareFiles.read(Path.of("app.bin"), ReadOptions.builder().baseAddress(0x08008000L).build());
 * byte[] dfu = FirmwareFiles.write(image, FirmwareFormat.DFUSE, WriteOptions.defaults());
 * FirmwareFileInfo info = FirmwareFiles.inspect(Path.of("fw.dfu"));
 * }</pre>
 *
 * <p>Detection looks at the content, never only at the name: "DfuSe" prefix, ELF magic, a first
 * line that is a well-formed Intel HEX record or S-record. A file with none of these is a raw
 * binary only when asked ({@link ReadOptions.Builder#format}) or when named {@code .bin}, or a
 * {@code .dfu} file that is a plain DFU file (binary + valid suffix, no DfuSe prefix). Otherwise a
 * file that merely starts like a text format (':' and a hex digit, or 'S', a digit and a hex digit)
 * is parsed as that format, so that the parser reports the broken line; anything else is rejected
 * with a message that shows its first bytes. A valid DFU suffix at the end of a
 * non-DfuSe file is removed before parsing and reported in {@link FirmwareImage#suffix()}, as
 * dfu-util does. A suffix is taken at its word: bcdDFU 0x011A means a DfuSe file (parsed as one or
 * refused, never read as raw bytes), and a bcdDFU that DFU does not define is refused.
 *
 * <p>Every reader holds at most {@link #MAX_FILE_BYTES}: a regular file is sized first, anything
 * else (pipe, FIFO, standard input, device) is read once to its end and refused past the cap.
 *
 * <p>Every problem with a file's content is a {@link FirmwareFormatException} naming the file and
 * the line or byte offset. Stateless and thread-safe.
 */
// Over 400 lines because of its javadoc (under 300 lines of code): the facade's read/detect/inspect/write
// overloads are the module's entry points, each documented with its parameters and failures.
public final class FirmwareFiles {
    /** Largest file the facade reads (1 GiB); larger ones are refused before reading. */
    public static final long MAX_FILE_BYTES = 1L << 30;

    private FirmwareFiles() {
    }

    /**
     * Reads {@code file}, detecting its format.
     *
     * @param file the firmware file; a raw binary is recognised by its {@code .bin} extension and placed at
     *       {@link ReadOptions#DEFAULT_BINARY_BASE}
     * @return the image, segments in address order, with the file's suffix and entry point if it had them
     * @throws FirmwareFormatException when the content is not a valid file of any supported format
     *        (message names the file and the line or byte offset)
     * @throws IOException when the file cannot be read or is larger than {@link #MAX_FILE_BYTES}
     */
    public static FirmwareImage read(Path file) throws IOException {
        return read(file, ReadOptions.defaults());
    }

    /**
     * Reads {@code file} with the given options; the file name is the source named in errors.
     *
     * @param file    the firmware file
     * @param options the format to force (detected when unset) and a raw binary's base address
     * @return the image, segments in address order
     * @throws FirmwareFormatException when the content is not valid for the forced or detected format
     * @throws IOException when the file cannot be read or is larger than {@link #MAX_FILE_BYTES}
     */
    public static FirmwareImage read(Path file, ReadOptions options) throws IOException {
        Optional<FirmwareFileInfo> streamed = StreamedRead.inspect(file, options);
        if (streamed.isPresent()) {
            return streamed.get().image();
        }
        return parse(file.toString(), load(file), options, true).image();
    }

    /**
     * Reads {@code content}; {@code sourceName} names it in errors and decides raw-binary detection
     * by its extension.
     *
     * @param sourceName the name errors give the content, e.g. a file name; its extension matters for raw binaries
     * @param content    the whole file; not changed, and the image does not share it
     * @param options    the format to force (detected when unset) and a raw binary's base address
     * @return the image, segments in address order
     * @throws FirmwareFormatException when the content is not valid for the forced or detected format
     */
    public static FirmwareImage read(String sourceName, byte[] content, ReadOptions options) throws FirmwareFormatException {
        return parse(sourceName, content, options, false).image();
    }

    /**
     * Reads {@code in} to its end (a pipe, a FIFO, standard input), refusing more than
     * {@link #MAX_FILE_BYTES}, and parses it; {@code sourceName} names it in errors and decides
     * raw-binary detection by its extension. Does not close {@code in}.
     *
     * @param sourceName the name errors give the stream, e.g. {@code "<stdin>"} or a file name
     * @param in         the stream, read to its end and left open
     * @param options    the format to force (detected when unset) and a raw binary's base address
     * @return the image, segments in address order
     * @throws FirmwareFormatException when the content is not valid for the forced or detected format
     * @throws IOException when the stream fails or holds more than {@link #MAX_FILE_BYTES}
     */
    public static FirmwareImage read(String sourceName, InputStream in, ReadOptions options) throws IOException {
        return parse(sourceName, BoundedRead.toEnd(sourceName, in), options, true).image();
    }

    /**
     * The format of {@code file} by its content (and name, for raw binaries).
     *
     * @param file the firmware file
     * @return the format a {@link #read(Path)} would parse it as
     * @throws FirmwareFormatException when the content matches no format and the name does not say raw
     *        binary, or a DFU suffix names an unknown DFU version
     * @throws IOException when the file cannot be read or is larger than {@link #MAX_FILE_BYTES}
     */
    public static FirmwareFormat detect(Path file) throws IOException {
        return detect(file.toString(), load(file));
    }

    /**
     * The format of {@code content}.
     *
     * @throws FirmwareFormatException when the content matches no format and the name does not say
     *                                 raw binary
     * @param sourceName the name errors give the content; a {@code .bin} extension means raw binary when
     *                  the content shows no other format
     * @param content    the whole file
     * @return the format a read with default options would parse it as
     */
    public static FirmwareFormat detect(String sourceName, byte[] content) throws FirmwareFormatException {
        return detect(sourceName, content, DfuSuffixes.check(content));
    }

    private static FirmwareFormat detect(String sourceName, byte[] content, SuffixCheck suffix) throws FirmwareFormatException {
        ContentRules.checkSuffixVersion(sourceName, content, suffix);
        if (ContentRules.suffixSaysDfuse(suffix)) {
            return FirmwareFormat.DFUSE; // whatever the body starts with: parsed as DfuSe or refused
        }
        Optional<FirmwareFormat> byContent = detectByContent(content);
        if (byContent.isPresent()) {
            return byContent.get();
        }
        if (content.length == 0) {
            throw FirmwareFormatException.ofFile(sourceName, "file is empty");
        }
        Optional<FirmwareFormat> byName = FirmwareFormat.forFileName(sourceName);
        if (byName.isPresent() && byName.get() == FirmwareFormat.BINARY) {
            return FirmwareFormat.BINARY;
        }
        if (byName.isPresent() && byName.get() == FirmwareFormat.DFUSE && suffix.valid()) {
            return FirmwareFormat.BINARY; // a plain DFU 1.1 file: raw bytes + suffix
        }
        if (suffix.status() == SuffixCheck.Status.CRC_MISMATCH) {
            DfuSuffixes.verify(sourceName, content); // throws "DFU suffix CRC mismatch", which says more than "unknown format"
        }
        Optional<FirmwareFormat> startsLike = startsLikeText(ContentRules.hasBom(content) ? ContentRules.headAfterBom(content) : content);
        if (startsLike.isPresent()) {
            return startsLike.get(); // a damaged text file: let its parser name the line
        }
        StringBuilder first = new StringBuilder();
        for (int i = 0; i < Math.min(8, content.length); i++) {
            first.append(i == 0 ? "" : " ").append(String.format("%02x", content[i] & 0xFF));
        }
        String hint = byName.map(f -> " although the name says " + f.displayName()).orElse("");
        throw FirmwareFormatException.ofFile(sourceName, "unknown format" + hint + " (starts with " + first
                + "): not DfuSe, ELF, Intel HEX or S-record; for a raw binary name it .bin or choose the binary"
                + " format and a base address");
    }

    /**
     * The format the content's signature shows, if any. A text format behind a UTF-8 byte order mark
     * is recognised (reading it then fails, naming the mark). Never throws.
     *
     * @param content the file's bytes (only the first ones are looked at)
     * @return the format, or empty when the content has no signature (raw binaries have none)
     */
    public static Optional<FirmwareFormat> detectByContent(byte[] content) {
        if (ContentRules.hasBom(content)) {
            byte[] text = ContentRules.headAfterBom(content);
            return IntelHex.looksLikeIntelHex(text) ? Optional.of(FirmwareFormat.INTEL_HEX)
                    : SRecord.looksLikeSRecord(text) ? Optional.of(FirmwareFormat.SREC) : Optional.empty();
        }
        if (DfuseFile.hasSignature(content)) {
            return Optional.of(FirmwareFormat.DFUSE);
        }
        if (Elf32.hasMagic(content)) {
            return Optional.of(FirmwareFormat.ELF);
        }
        if (IntelHex.looksLikeIntelHex(content)) {
            return Optional.of(FirmwareFormat.INTEL_HEX);
        }
        if (SRecord.looksLikeSRecord(content)) {
            return Optional.of(FirmwareFormat.SREC);
        }
        return Optional.empty();
    }

    private static Optional<FirmwareFormat> startsLikeText(byte[] content) {
        int i = 0;
        while (i < content.length && (content[i] == ' ' || content[i] == '\t' || content[i] == '\r' || content[i] == '\n')) {
            i++;
        }
        if (i + 1 < content.length && content[i] == ':' && isHexDigit(content[i + 1])) {
            return Optional.of(FirmwareFormat.INTEL_HEX);
        }
        if (i + 2 < content.length && content[i] == 'S' && content[i + 1] >= '0' && content[i + 1] <= '9'
                && isHexDigit(content[i + 2])) {
            return Optional.of(FirmwareFormat.SREC);
        }
        return Optional.empty();
    }

    private static boolean isHexDigit(byte b) {
        return (b >= '0' && b <= '9') || (b >= 'A' && b <= 'F') || (b >= 'a' && b <= 'f');
    }

    /**
     * {@link #inspect(Path, ReadOptions)} with default options.
     *
     * @param file the firmware file
     * @return the file's description: format, size, segments, suffix, DfuSe targets and elements
     * @throws FirmwareFormatException when the content is not a valid file of any supported format
     * @throws IOException when the file cannot be read or is larger than {@link #MAX_FILE_BYTES}
     */
    public static FirmwareFileInfo inspect(Path file) throws IOException {
        return inspect(file, ReadOptions.defaults());
    }

    /**
     * Reads {@code file} and describes it for {@code dfu info}.
     *
     * @param file    the firmware file
     * @param options the format to force (detected when unset) and a raw binary's base address
     * @return the file's description, including the image read
     * @throws FirmwareFormatException when the content is not valid for the forced or detected format
     * @throws IOException when the file cannot be read or is larger than {@link #MAX_FILE_BYTES}
     */
    public static FirmwareFileInfo inspect(Path file, ReadOptions options) throws IOException {
        Optional<FirmwareFileInfo> streamed = StreamedRead.inspect(file, options);
        if (streamed.isPresent()) {
            return streamed.get();
        }
        return parse(file.toString(), load(file), options, true);
    }

    /**
     * Reads {@code in} to its end under {@link #MAX_FILE_BYTES} and describes it (see
     * {@link #read(String, InputStream, ReadOptions)}).
     *
     * @param sourceName the name errors and the description give the stream
     * @param in         the stream, read to its end and left open
     * @param options    the format to force (detected when unset) and a raw binary's base address
     * @return the description, including the image read
     * @throws FirmwareFormatException when the content is not valid for the forced or detected format
     * @throws IOException when the stream fails or holds more than {@link #MAX_FILE_BYTES}
     */
    public static FirmwareFileInfo inspect(String sourceName, InputStream in, ReadOptions options) throws IOException {
        return parse(sourceName, BoundedRead.toEnd(sourceName, in), options, true);
    }

    /**
     * Reads {@code content} and describes it.
     *
     * @param sourceName the name errors and the description give the content
     * @param content    the whole file; not changed
     * @param options    the format to force (detected when unset) and a raw binary's base address
     * @return the description, including the image read
     * @throws FirmwareFormatException when the content is not valid for the forced or detected format
     */
    public static FirmwareFileInfo inspect(String sourceName, byte[] content, ReadOptions options)
            throws FirmwareFormatException {
        return parse(sourceName, content, options, false);
    }

    /** {@code owned}: the buffer is the facade's own (read from a file), so images may share it instead of copying. */
    private static FirmwareFileInfo parse(String source, byte[] content, ReadOptions options, boolean owned)
            throws FirmwareFormatException {
        Objects.requireNonNull(source, "sourceName");
        Objects.requireNonNull(options, "options");
        if (content.length == 0) {
            throw FirmwareFormatException.ofFile(source, "file is empty");
        }
        SuffixCheck check = DfuSuffixes.check(content);
        ContentRules.checkSuffixVersion(source, content, check);
        FirmwareFormat format = options.format().isPresent() ? options.format().get() : detect(source, content, check);
        if (ContentRules.suffixSaysDfuse(check) && format != FirmwareFormat.DFUSE) {
            throw ContentRules.dfuseReadAs(source, content, format);
        }
        if ((format == FirmwareFormat.INTEL_HEX || format == FirmwareFormat.SREC) && ContentRules.hasBom(content)) {
            throw ContentRules.bom(source, format);
        }
        if (format == FirmwareFormat.DFUSE) {
            if (ContentRules.suffixSaysDfuse(check) && !DfuseFile.hasSignature(content)) {
                throw ContentRules.dfuseWithoutPrefix(source, content);
            }
            DfuseFile file = owned ? DfuseFile.readOwned(source, content) : DfuseFile.read(source, content);
            List<FirmwareFileInfo.TargetInfo> targets = new ArrayList<>();
            for (DfuseFile.Target t : file.targets()) {
                List<FirmwareFileInfo.ElementInfo> elements = new ArrayList<>();
                for (Segment e : t.elements()) {
                    elements.add(new FirmwareFileInfo.ElementInfo(e.address(), e.length(), e.end()));
                }
                targets.add(new FirmwareFileInfo.TargetInfo(t.altSetting(), t.name(), t.named(), t.size(), elements));
            }
            return info(source, format, content.length, file.toImage(),
                    Optional.of(new FirmwareFileInfo.SuffixInfo(file.suffix(), file.crc())),
                    Optional.of(new FirmwareFileInfo.DfuseInfo(file.imageSize(), file.imageSizeIncludesSuffix(), targets)),
                    OptionalLong.empty());
        }
        byte[] body = content;
        Optional<FirmwareFileInfo.SuffixInfo> suffix = Optional.empty();
        if (check.valid()) {
            body = Arrays.copyOf(content, content.length - DfuSuffixes.LENGTH);
            suffix = Optional.of(new FirmwareFileInfo.SuffixInfo(check.fields(), check.storedCrc()));
        } else if (check.status() == SuffixCheck.Status.CRC_MISMATCH && format == FirmwareFormat.BINARY) {
            DfuSuffixes.verify(source, content); // throws: a damaged suffix must not be flashed as data
        }
        FirmwareImage image;
        OptionalLong base = OptionalLong.empty();
        switch (format) {
            case INTEL_HEX:
                image = IntelHex.read(source, body);
                break;
            case SREC:
                image = SRecord.read(source, body);
                break;
            case ELF:
                image = owned ? Elf32.readOwned(source, body) : Elf32.read(source, body);
                break;
            default:
                base = OptionalLong.of(options.effectiveBaseAddress());
                image = owned ? RawBinary.readOwned(source, body, base.getAsLong()) : RawBinary.read(source, body, base.getAsLong());
                break;
        }
        if (suffix.isPresent()) {
            image = image.withSuffix(suffix.get().fields());
        }
        return info(source, format, content.length, image, suffix, Optional.empty(), base);
    }

    static FirmwareFileInfo info(String source, FirmwareFormat format, long size, FirmwareImage image,
                                         Optional<FirmwareFileInfo.SuffixInfo> suffix,
                                         Optional<FirmwareFileInfo.DfuseInfo> dfuse, OptionalLong base) {
        List<FirmwareFileInfo.SegmentInfo> segments = new ArrayList<>();
        for (Segment s : image.segments()) {
            segments.add(FirmwareFileInfo.SegmentInfo.of(s));
        }
        return new FirmwareFileInfo(source, format, size, image, segments, image.entryPoint(), suffix, dfuse, base);
    }

    /**
     * The bytes of {@code image} in {@code format}. For {@link FirmwareFormat#BINARY} a multi-segment
     * image is laid out flat from its lowest to its highest address with gaps set to
     * {@link WriteOptions#fillByte()}; see {@link #writeBinaryParts} for one file per segment. When
     * {@link WriteOptions#dfuSuffix()} is set it is appended to non-DfuSe output.
     *
     * @throws IllegalArgumentException when the image does not fit the format's settings (addressing,
     *                                  flat size, target count)
     * @param image   the image to write
     * @param format  the output format
     * @param options the layout; {@link WriteOptions#defaults()} for objcopy-like output
     * @return the complete file
     * @throws NullPointerException when an argument is {@code null}
     */
    public static byte[] write(FirmwareImage image, FirmwareFormat format, WriteOptions options) {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(options, "options");
        byte[] out;
        switch (Objects.requireNonNull(format, "format")) {
            case DFUSE:
                return DfuseFile.write(image, options.dfuse());
            case INTEL_HEX:
                out = IntelHex.write(image, options.intelHex());
                break;
            case SREC:
                out = SRecord.write(image, options.srec());
                break;
            case ELF:
                out = Elf32.write(image);
                break;
            default:
                out = RawBinary.write(image, options.fillByte(), options.maxBinaryBytes());
                break;
        }
        return options.dfuSuffix().isPresent() ? DfuSuffixes.append(out, options.dfuSuffix().get()) : out;
    }

    /**
     * Writes {@link #write(FirmwareImage, FirmwareFormat, WriteOptions)}'s bytes to {@code file}.
     * Intel HEX, S-record and raw binary output without a suffix is streamed (a large image is never
     * held as text or as a flat copy in memory). The bytes go to a temporary file beside
     * {@code file} that replaces it only when complete, so a failed write leaves no half-written
     * firmware file behind.
     *
     * @param file    the file to create or replace; a device or pipe that exists is written in place
     * @param image   the image to write
     * @param format  the output format
     * @param options the layout; {@link WriteOptions#defaults()} for objcopy-like output
     * @throws IllegalArgumentException when the image does not fit the format's settings; a regular {@code file} is
     *        then left as it was
     * @throws IOException when writing or replacing the file fails; a regular {@code file} is then left as it was
     */
    public static void write(Path file, FirmwareImage image, FirmwareFormat format, WriteOptions options) throws IOException {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(format, "format");
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            // a device or pipe (-o /dev/stdout): write in place, never replace it
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
                writeTo(out, image, format, options);
            }
            return;
        }
        Path temp = file.resolveSibling("." + file.getFileName() + "." + ProcessHandle.current().pid() + ".part");
        boolean done = false;
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temp), 1 << 16)) {
                writeTo(out, image, format, options);
            }
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            done = true;
        } finally {
            if (!done) {
                Files.deleteIfExists(temp);
            }
        }
    }

    private static void writeTo(OutputStream out, FirmwareImage image, FirmwareFormat format, WriteOptions options)
            throws IOException {
        boolean plain = options.dfuSuffix().isEmpty(); // the suffix CRC covers the whole file: build it in memory
        if (plain && format == FirmwareFormat.INTEL_HEX) {
            IntelHex.write(image, options.intelHex(), out);
        } else if (plain && format == FirmwareFormat.SREC) {
            SRecord.write(image, options.srec(), out);
        } else if (plain && format == FirmwareFormat.BINARY) {
            RawBinary.write(image, options.fillByte(), options.maxBinaryBytes(), out);
        } else {
            out.write(write(image, format, options));
        }
    }

    /**
     * Writes one raw binary per segment into {@code directory}, named
     * {@code stem-0x<address>.bin}, each with {@link WriteOptions#dfuSuffix()} if set.
     *
     * @param directory an existing directory; files of the same names are replaced
     * @param stem      the start of every file name, e.g. {@code "firmware"}
     * @param image     the image whose segments to write
     * @param options   only {@link WriteOptions#dfuSuffix()} is used
     * @return the files written, in address order
     * @throws IOException when a file cannot be written (earlier parts stay written)
     */
    public static List<Path> writeBinaryParts(Path directory, String stem, FirmwareImage image, WriteOptions options)
            throws IOException {
        List<Path> written = new ArrayList<>();
        for (Segment part : RawBinary.parts(image)) {
            Path file = directory.resolve(RawBinary.partFileName(stem, part));
            byte[] bytes = part.bytes();
            Files.write(file, options.dfuSuffix().isPresent() ? DfuSuffixes.append(bytes, options.dfuSuffix().get()) : bytes);
            written.add(file);
        }
        return written;
    }

    private static byte[] load(Path file) throws IOException {
        return BoundedRead.load(file);
    }
}
