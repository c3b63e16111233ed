package io.github.dfu4j.formats.bin;

import io.github.dfu4j.formats.FirmwareFormatException;
import io.github.dfu4j.formats.FirmwareImage;
import io.github.dfu4j.formats.FirmwareImages;
import io.github.dfu4j.formats.Segment;
import io.github.dfu4j.formats.internal.SegmentViews;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Raw binary images: bytes with no metadata, placed at a base address the caller supplies.
 *
 * <pre>{@code
 * FirmwareImage image = RawBinary.read("app.bin", bytes, 0x08008000L);
 * byte[] flat = RawBinary.write(image, (byte) 0xFF, RawBinary.DEFAULT_MAX_BYTES);
 * }</pre>
 *
 * <p>A multi-segment image becomes either one file from the lowest to the highest address with the
 * gaps filled ({@link #write}), or one file per segment ({@link #parts}). Stateless and thread-safe.
 */
public final class RawBinary {
    /** Default fill for gaps: the erased value of STM32 flash. */
    public static final byte DEFAULT_FILL = (byte) 0xFF;
    /** Default ceiling for a gap-filled file, 256 MiB, so a stray far-away segment cannot ask for gigabytes. */
    public static final long DEFAULT_MAX_BYTES = 256L << 20;

    private RawBinary() {
    }

    /**
     * The whole content as one segment at {@code baseAddress} (an empty content gives an empty image).
     *
     * @param source      the name messages give the file
     * @param content     the whole file, copied
     * @param baseAddress the address of the first byte, 0..0xFFFFFFFF
     * @throws FirmwareFormatException when the bytes do not fit the 32-bit address space from there
     * @return the image: one segment, or none for an empty file
     */
    public static FirmwareImage read(String source, byte[] content, long baseAddress) throws FirmwareFormatException {
        check(source, content, baseAddress);
        return content.length == 0 ? FirmwareImage.of(List.of()) : FirmwareImage.of(Segment.of(baseAddress, content));
    }

    /**
     * Like {@link #read(String, byte[], long)}, but the image shares {@code content} instead of
     * copying it. The caller hands {@code content} over: it must never change it afterwards.
     *
     * @param source      the name messages give the file
     * @param content     the whole file, handed over to the image
     * @param baseAddress the address of the first byte, 0..0xFFFFFFFF
     * @return the image: one segment, or none for an empty file
     * @throws FirmwareFormatException when the bytes do not fit the 32-bit address space from there
     */
    public static FirmwareImage readOwned(String source, byte[] content, long baseAddress) throws FirmwareFormatException {
        check(source, content, baseAddress);
        return content.length == 0 ? FirmwareImage.of(List.of())
                : FirmwareImage.of(SegmentViews.view(baseAddress, content, 0, content.length));
    }

    private static void check(String source, byte[] content, long baseAddress) throws FirmwareFormatException {
        if (baseAddress < 0 || baseAddress >= Segment.ADDRESS_SPACE_END) {
            throw new IllegalArgumentException(String.format("base address 0x%x outside the 32-bit address space", baseAddress));
        }
        if (baseAddress + content.length > Segment.ADDRESS_SPACE_END) {
            throw FirmwareFormatException.ofFile(source, String.format(
                    "%d bytes at 0x%08x run past the 32-bit address space", content.length, baseAddress));
        }
    }

    /**
     * One flat file from the lowest to the highest address of the image, gaps set to {@code fill}
     * (what {@code objcopy -O binary --gap-fill} does). An empty image gives an empty array.
     *
     * @param image    the image
     * @param fill     the value of gap bytes, usually 0xFF
     * @param maxBytes the largest flat file to produce
     * @throws IllegalArgumentException when the span exceeds {@code maxBytes}; write {@link #parts} instead
     * @return the flat file
     */
    public static byte[] write(FirmwareImage image, byte fill, long maxBytes) {
        if (image.isEmpty()) {
            return new byte[0];
        }
        return FirmwareImages.flatten(image, image.lowestAddress().getAsLong(), image.endAddress().getAsLong(), fill, maxBytes);
    }

    /**
     * Writes {@link #write(FirmwareImage, byte, long)}'s bytes into {@code sink} segment by segment,
     * without building the flat image in memory. The stream is not closed.
     *
     * @param image    the image
     * @param fill     the value of gap bytes, usually 0xFF
     * @param maxBytes the largest flat file to produce
     * @param sink     where the bytes go; left open
     * @throws IllegalArgumentException when the span exceeds {@code maxBytes} (before anything is written)
     * @throws IOException when writing to {@code sink} fails
     */
    public static void write(FirmwareImage image, byte fill, long maxBytes, OutputStream sink) throws IOException {
        if (image.isEmpty()) {
            return;
        }
        long from = image.lowestAddress().getAsLong();
        long to = image.endAddress().getAsLong();
        if (to - from > maxBytes) {
            throw new IllegalArgumentException(String.format(
                    "a flat image of 0x%08x..0x%08x would be %d bytes, more than the limit of %d;"
                            + " write one file per segment instead", from, to, to - from, maxBytes));
        }
        byte[] gap = new byte[1 << 16];
        Arrays.fill(gap, fill);
        long at = from;
        for (Segment s : image.segments()) {
            for (long n = s.address() - at; n > 0; n -= gap.length) {
                sink.write(gap, 0, (int) Math.min(gap.length, n));
            }
            byte[] chunk = gap.length >= s.length() ? new byte[s.length()] : new byte[gap.length];
            for (long a = s.address(); a < s.end(); a += chunk.length) {
                int n = (int) Math.min(chunk.length, s.end() - a);
                s.copyTo(a, chunk, 0, n);
                sink.write(chunk, 0, n);
            }
            at = s.end();
        }
    }

    /**
     * One binary per segment: the segments themselves (address + bytes), in address order.
     *
     * @param image the image
     * @return its segments, in address order
     */
    public static List<Segment> parts(FirmwareImage image) {
        return new ArrayList<>(image.segments());
    }

    /**
     * A file name for one part: {@code stem + "-0x08000000.bin"} with the segment's address.
     *
     * @param stem the start of the name
     * @param part the segment
     * @return the name, the address as 8 lower-case hex digits
     */
    public static String partFileName(String stem, Segment part) {
        return stem + "-0x" + String.format(Locale.ROOT, "%08x", part.address()) + ".bin";
    }
}
