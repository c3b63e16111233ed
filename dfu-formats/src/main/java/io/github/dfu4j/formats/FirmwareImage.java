package io.github.dfu4j.formats;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A firmware image as every format reader produces it and every writer consumes it: segments in
 * ascending address order that never overlap, an optional entry point (ELF {@code e_entry}, the
 * start record of Intel HEX / S-record) and the DFU suffix metadata when the file carried one.
 * Immutable.
 */
public final class FirmwareImage {
    private final List<Segment> segments;
    private final Long entryPoint;
    private final DfuSuffix suffix;

    private FirmwareImage(List<Segment> sorted, Long entryPoint, DfuSuffix suffix) {
        this.segments = List.copyOf(sorted);
        this.entryPoint = entryPoint;
        this.suffix = suffix;
    }

    /**
     * An image of the given segments in any order.
     *
     * @param segments the segments in any order; none may be {@code null}
     * @throws IllegalArgumentException when two segments overlap
     * @return the image, no entry point, no suffix
     */
    public static FirmwareImage of(List<Segment> segments) {
        return new FirmwareImage(sortedChecked(segments), null, null);
    }

    /**
     * An image of the given segments in any order, for example
     * {@code FirmwareImage.of(Segment.of(0x0800_0000L, bytes))}; no entry point, no suffix.
     *
     * @param segments the segments; none may be {@code null}
     * @return the image, its segments sorted by address
     * @throws IllegalArgumentException when two segments overlap
     * @throws NullPointerException when a segment is {@code null}
     */
    public static FirmwareImage of(Segment... segments) {
        return of(List.of(segments));
    }

    private static List<Segment> sortedChecked(List<Segment> segments) {
        List<Segment> sorted = new ArrayList<>(segments);
        sorted.forEach(s -> Objects.requireNonNull(s, "segment"));
        sorted.sort(Comparator.comparingLong(Segment::address));
        for (int i = 1; i < sorted.size(); i++) {
            Segment previous = sorted.get(i - 1);
            Segment current = sorted.get(i);
            if (previous.overlaps(current)) {
                throw new IllegalArgumentException("overlapping segments: " + previous + " and " + current);
            }
        }
        return sorted;
    }

    /**
     * The segments in ascending address order; no two overlap, though they may touch.
     *
     * @return an unmodifiable list, empty for an empty image
     */
    public List<Segment> segments() {
        return segments;
    }

    /**
     * Whether the image has no segments at all (an image with only zero-length segments is not empty).
     *
     * @return {@code true} when {@link #segments()} is empty
     */
    public boolean isEmpty() {
        return segments.isEmpty();
    }

    /**
     * The execution start address the file gave (ELF {@code e_entry}, Intel HEX record 05 or 03, S-record
     * S7/S8/S9), as an unsigned 32-bit address.
     *
     * @return the entry point, or empty when the file named none
     */
    public OptionalLong entryPoint() {
        return entryPoint == null ? OptionalLong.empty() : OptionalLong.of(entryPoint);
    }

    /**
     * The DFU suffix of the file this image was read from, when it had a valid one (a plain DFU
     * file, a DfuSe file, or any other file ending in a suffix): {@link DfuSuffix#idVendor()},
     * {@link DfuSuffix#idProduct()} and {@link DfuSuffix#bcdDevice()} say which device the file is
     * for (0xFFFF = any; {@link DfuSuffix#matches(int, int)} compares them with a device). Merged
     * images carry a suffix that names every device any input names ({@link FirmwareImages#merge}).
     *
     * @return the suffix, or empty when the file had none (or the image was built in code)
     */
    public Optional<DfuSuffix> suffix() {
        return Optional.ofNullable(suffix);
    }

    /**
     * A copy of this image with the given entry point; segments and suffix are kept.
     *
     * @param address the start address, 0..0xFFFFFFFF
     * @return the new image
     * @throws IllegalArgumentException when {@code address} is outside the 32-bit address space
     */
    public FirmwareImage withEntryPoint(long address) {
        if (address < 0 || address >= Segment.ADDRESS_SPACE_END) {
            throw new IllegalArgumentException("entry point outside the 32-bit address space: " + address);
        }
        return new FirmwareImage(segments, address, suffix);
    }

    /**
     * A copy of this image with no entry point (writers then emit no start record); segments and suffix are kept.
     *
     * @return the new image
     */
    public FirmwareImage withoutEntryPoint() {
        return new FirmwareImage(segments, null, suffix);
    }

    /**
     * A copy of this image with another DFU suffix; segments and entry point are kept.
     *
     * @param newSuffix the suffix, or {@code null} for none
     * @return the new image
     */
    public FirmwareImage withSuffix(DfuSuffix newSuffix) {
        return new FirmwareImage(segments, entryPoint, newSuffix);
    }

    /**
     * A copy of this image with other segments, in any order; entry point and suffix are kept.
     *
     * @param newSegments the segments; none may be {@code null}
     * @return the new image, its segments sorted by address
     * @throws IllegalArgumentException when two segments overlap
     */
    public FirmwareImage withSegments(List<Segment> newSegments) {
        return new FirmwareImage(sortedChecked(newSegments), entryPoint, suffix);
    }

    /**
     * Sum of all segment lengths.
     *
     * @return the number of data bytes, gaps not counted; 0 for an empty image
     */
    public long totalBytes() {
        long total = 0;
        for (Segment s : segments) {
            total += s.length();
        }
        return total;
    }

    /**
     * Lowest address of any segment.
     *
     * @return the first segment's address, or empty for an empty image
     */
    public OptionalLong lowestAddress() {
        return segments.isEmpty() ? OptionalLong.empty() : OptionalLong.of(segments.get(0).address());
    }

    /**
     * One past the highest byte of any segment.
     *
     * @return the last segment's end, or empty for an empty image
     */
    public OptionalLong endAddress() {
        return segments.isEmpty() ? OptionalLong.empty() : OptionalLong.of(segments.get(segments.size() - 1).end());
    }

    /**
     * Two images are equal when they have equal segments (address, bytes and DfuSe target), the same entry
     * point and equal suffixes.
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof FirmwareImage i && i.segments.equals(segments)
                && Objects.equals(i.entryPoint, entryPoint) && Objects.equals(i.suffix, suffix);
    }

    /** A hash consistent with {@link #equals(Object)}. */
    @Override
    public int hashCode() {
        return Objects.hash(segments, entryPoint, suffix);
    }

    /**
     * A short description for logs: the segments, then the entry point and the suffix when present. Not
     * a stable format.
     */
    @Override
    public String toString() {
        return "FirmwareImage" + segments + (entryPoint == null ? "" : String.format(" entry 0x%08x", entryPoint))
                + (suffix == null ? "" : " " + suffix);
    }
}
