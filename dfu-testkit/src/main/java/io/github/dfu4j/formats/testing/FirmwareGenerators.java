package io.github.dfu4j.formats.testing;

import io.github.dfu4j.formats.DfuSuffix;
import io.github.dfu4j.formats.DfuseTarget;
import io.github.dfu4j.formats.FirmwareFiles;
import io.github.dfu4j.formats.FirmwareFormat;
import io.github.dfu4j.formats.FirmwareImage;
import io.github.dfu4j.formats.WriteOptions.LineEnding;
import io.github.dfu4j.formats.ReadOptions;
import io.github.dfu4j.formats.Segment;
import io.github.dfu4j.formats.WriteOptions;
import io.github.dfu4j.formats.ihex.IntelHex;
import io.github.dfu4j.formats.srec.SRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Random valid images and files of every format, for property tests with any test framework:
 * everything is derived from the {@link RandomGenerator} passed in, so a seed reproduces a case.
 *
 * <pre>{@code
 * RandomGenerator rnd = new SplittableRandom(seed);
 * GeneratedFile f = FirmwareGenerators.file(rnd, FirmwareFormat.INTEL_HEX, ImageShape.small());
 * assertEquals(f.image(), FirmwareFiles.read(f.fileName(), f.bytes(), f.readOptions()));
 * byte[] broken = Mutations.mutate(rnd, f.bytes());
 * }</pre>
 *
 * <p>Images are made so that the format can carry them unchanged (what the reader returns equals
 * what was written): for the coalescing formats segments are untargeted and never touch (a gap of
 * at least one byte); S-record and ELF entry points are never 0 (0 means "none" there); raw
 * binaries have one segment and no entry point; DfuSe images carry targets on every segment, a
 * suffix, and no entry point. Addresses are drawn from regions that exercise the formats' edges:
 * below 64 KiB, below 1 MiB, STM32 flash and QSPI, 64 KiB window boundaries and the top of the
 * 32-bit space. Stateless and thread-safe (the generator passed in need not be).
 */
public final class FirmwareGenerators {
    private static final String NAME_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 ._-/@*";

    private FirmwareGenerators() {
    }

    /**
     * A random image {@code format} carries unchanged, within {@code shape}.
     *
     * @param rnd    the source of randomness; seed it (see {@link Seeds}) so a failure can be replayed
     * @param format the format the image must fit (a raw binary gets one segment, DfuSe images get targets)
     * @param shape  the limits on segment count and size
     * @return a new image; the same {@code rnd} state gives the same image
     */
    public static FirmwareImage image(RandomGenerator rnd, FirmwareFormat format, ImageShape shape) {
        boolean dfuse = format == FirmwareFormat.DFUSE;
        int count = format == FirmwareFormat.BINARY ? 1 : 1 + rnd.nextInt(shape.maxSegments());
        List<DfuseTarget> targets = new ArrayList<>();
        if (dfuse) {
            int distinct = 1 + rnd.nextInt(Math.min(3, count));
            for (int i = 0; i < distinct; i++) {
                targets.add(new DfuseTarget(rnd.nextInt(4) == 0 ? rnd.nextInt(256) : i, targetName(rnd)));
            }
        }
        long address = startAddress(rnd);
        List<Segment> segments = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int length = segmentLength(rnd, shape.maxSegmentBytes());
            if (i > 0) {
                long gap = gap(rnd);
                address += dfuse ? gap - 1 : gap; // DfuSe keeps touching elements apart; others would coalesce them
            }
            if (address + length > Segment.ADDRESS_SPACE_END) {
                break;
            }
            byte[] data = data(rnd, length);
            segments.add(dfuse ? Segment.of(address, data, targets.get(rnd.nextInt(targets.size())))
                    : Segment.of(address, data));
            address += length;
        }
        if (segments.isEmpty()) {
            byte[] data = data(rnd, 1 + rnd.nextInt(16));
            segments.add(dfuse ? Segment.of(0x08000000L, data, targets.get(0)) : Segment.of(0x08000000L, data));
        }
        FirmwareImage image = FirmwareImage.of(segments);
        if (dfuse) {
            return image.withSuffix(new DfuSuffix(rnd.nextInt(0x10000), rnd.nextInt(0x10000), rnd.nextInt(0x10000),
                    DfuSuffix.BCD_DFU_DFUSE));
        }
        if (format != FirmwareFormat.BINARY && rnd.nextInt(3) > 0) {
            long entry = rnd.nextBoolean() ? segments.get(0).address() + 1 + rnd.nextInt(64)
                    : rnd.nextLong(Segment.ADDRESS_SPACE_END);
            entry = Math.min(entry, Segment.ADDRESS_SPACE_END - 1);
            if (entry == 0 && format != FirmwareFormat.INTEL_HEX) {
                entry = 1;
            }
            image = image.withEntryPoint(entry);
        }
        return image;
    }

    /**
     * {@link #image(RandomGenerator, FirmwareFormat, ImageShape)} with {@link ImageShape#small()}.
     *
     * @param rnd    the source of randomness, seeded for replay
     * @param format the format the image must fit
     * @return a new small image
     */
    public static FirmwareImage image(RandomGenerator rnd, FirmwareFormat format) {
        return image(rnd, format, ImageShape.small());
    }

    /**
     * Random writer settings valid for {@code image} in {@code format}: Intel HEX record lengths
     * 1..255 and every addressing the data fits; S-record lengths 1..250, every width that fits,
     * headers, count records; both line endings; both DFUImageSize conventions. Never settings that
     * change the data (no DfuSe element padding).
     *
     * @param rnd    the source of randomness, seeded for replay
     * @param format the format to be written
     * @param image  the image to be written, which decides the addressing that fits
     * @return options that write {@code image} without changing its data
     */
    public static WriteOptions writeOptions(RandomGenerator rnd, FirmwareFormat format, FirmwareImage image) {
        WriteOptions.Builder b = WriteOptions.builder();
        b.lineEnding(rnd.nextBoolean() ? LineEnding.CRLF : LineEnding.LF);
        long end = image.endAddress().orElse(0);
        long entry = image.entryPoint().orElse(0);
        switch (format) {
            case INTEL_HEX: {
                b.hexRecordLength(recordLength(rnd, 255));
                List<WriteOptions.HexAddressing> fits = new ArrayList<>(List.of(WriteOptions.HexAddressing.AUTO, WriteOptions.HexAddressing.I32HEX));
                if (end <= 0x10000) {
                    fits.add(WriteOptions.HexAddressing.I8HEX);
                }
                if (end <= 0x100000 && entry <= 0xFFFF0 + 0xFFFF) {
                    fits.add(WriteOptions.HexAddressing.I16HEX);
                }
                b.hexAddressing(fits.get(rnd.nextInt(fits.size())));
                break;
            }
            case SREC: {
                b.srecRecordLength(recordLength(rnd, 250));
                long highest = Math.max(end - 1, entry);
                List<WriteOptions.SrecAddressWidth> fits = new ArrayList<>(List.of(WriteOptions.SrecAddressWidth.AUTO, WriteOptions.SrecAddressWidth.S3));
                if (highest < 1L << 24) {
                    fits.add(WriteOptions.SrecAddressWidth.S2);
                }
                if (highest < 1L << 16) {
                    fits.add(WriteOptions.SrecAddressWidth.S1);
                }
                b.srecAddressWidth(fits.get(rnd.nextInt(fits.size())));
                b.srecCountRecord(rnd.nextBoolean());
                b.srecHeader(rnd.nextBoolean() ? "" : asciiText(rnd, 1 + rnd.nextInt(64)));
                break;
            }
            case DFUSE:
                b.dfuseImageSizeIncludesSuffix(rnd.nextBoolean());
                b.dfuseTargetName(targetName(rnd));
                if (rnd.nextBoolean() && image.suffix().isPresent()) {
                    b.dfuSuffix(image.suffix().get());
                }
                break;
            case BINARY:
                b.fillByte(rnd.nextInt(256));
                break;
            default:
                break;
        }
        return b.build();
    }

    /**
     * A valid file of {@code format} with its image and options.
     *
     * @param rnd    the source of randomness, seeded for replay
     * @param format the format of the file
     * @param shape  the limits on the image's segment count and size
     * @return the file, with the image it encodes and the options to write and read it
     */
    public static GeneratedFile file(RandomGenerator rnd, FirmwareFormat format, ImageShape shape) {
        FirmwareImage image = image(rnd, format, shape);
        WriteOptions options = writeOptions(rnd, format, image);
        ReadOptions read = ReadOptions.builder().format(format).build();
        if (format == FirmwareFormat.BINARY) {
            read = read.toBuilder().baseAddress(image.lowestAddress().getAsLong()).build();
        }
        return new GeneratedFile(format, image, options, read, FirmwareFiles.write(image, format, options));
    }

    /**
     * {@link #file(RandomGenerator, FirmwareFormat, ImageShape)} with {@link ImageShape#small()}.
     *
     * @param rnd    the source of randomness, seeded for replay
     * @param format the format of the file
     * @return a small file with its image and options
     */
    public static GeneratedFile file(RandomGenerator rnd, FirmwareFormat format) {
        return file(rnd, format, ImageShape.small());
    }

    private static long startAddress(RandomGenerator rnd) {
        switch (rnd.nextInt(8)) {
            case 0:
                return rnd.nextInt(0x10000);
            case 1:
                return rnd.nextInt(0x100000);
            case 2:
                return 0x08000000L + rnd.nextInt(0x100000);
            case 3:
                return 0x90000000L + rnd.nextInt(0x10000);
            case 4: // just below a 64 KiB window boundary, so records and segments straddle it
                return ((rnd.nextLong(Segment.ADDRESS_SPACE_END) & ~0xFFFFL) | 0x10000L) - 1 - rnd.nextInt(600) & 0xFFFFFFFFL;
            case 5: // near the top of the address space
                return Segment.ADDRESS_SPACE_END - 1 - rnd.nextInt(4096);
            case 6:
                return 0;
            default:
                return rnd.nextLong(Segment.ADDRESS_SPACE_END);
        }
    }

    private static long gap(RandomGenerator rnd) {
        switch (rnd.nextInt(4)) {
            case 0:
                return 1;
            case 1:
                return 1 + rnd.nextInt(64);
            case 2:
                return 1 + rnd.nextInt(0x20000);
            default:
                return 1 + rnd.nextLong(0x10000000L);
        }
    }

    private static int segmentLength(RandomGenerator rnd, int max) {
        int pick = rnd.nextInt(4);
        if (pick == 0) {
            return 1 + rnd.nextInt(Math.min(max, 8));
        }
        return 1 + rnd.nextInt(max);
    }

    private static byte[] data(RandomGenerator rnd, int length) {
        byte[] data = new byte[length];
        switch (rnd.nextInt(3)) {
            case 0:
                rnd.nextBytes(data);
                break;
            case 1:
                java.util.Arrays.fill(data, (byte) 0xFF);
                if (length > 0) {
                    data[rnd.nextInt(length)] = (byte) rnd.nextInt(256);
                }
                break;
            default:
                for (int i = 0; i < length; i++) {
                    data[i] = (byte) (i * 31 + 7);
                }
                break;
        }
        return data;
    }

    private static int recordLength(RandomGenerator rnd, int max) {
        switch (rnd.nextInt(4)) {
            case 0:
                return 16;
            case 1:
                return 32;
            default:
                return 1 + rnd.nextInt(max);
        }
    }

    private static String targetName(RandomGenerator rnd) {
        switch (rnd.nextInt(4)) {
            case 0:
                return "";
            case 1:
                return "ST...";
            case 2:
                return "Internal Flash";
            default:
                return asciiText(rnd, 1 + rnd.nextInt(rnd.nextInt(8) == 0 ? 255 : 24));
        }
    }

    private static String asciiText(RandomGenerator rnd, int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(NAME_CHARS.charAt(rnd.nextInt(NAME_CHARS.length())));
        }
        return sb.toString();
    }
}
