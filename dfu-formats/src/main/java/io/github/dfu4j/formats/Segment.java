package io.github.dfu4j.formats;

import io.github.dfu4j.formats.internal.SegmentViews;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * A run of bytes at an address in a 32-bit address space, optionally bound to a DfuSe target
 * (alt setting + name). Immutable: the bytes are copied in and only handed out as copies or
 * read-only views. (Readers may hand over a buffer slightly larger than the bytes it holds, to save
 * a 64 MiB copy; only the first {@link #length()} bytes belong to the segment.)
 */
public final class Segment {
    /** Highest address + 1 of the 32-bit address space every supported format describes. */
    public static final long ADDRESS_SPACE_END = 1L << 32;

    private final long address;
    private final byte[] data;
    private final int offset; // where the segment's bytes start in data
    private final int length;
    private final DfuseTarget target;

    private Segment(long address, byte[] data, int length, DfuseTarget target) {
        this(address, data, 0, length, target);
    }

    private Segment(long address, byte[] data, int offset, int length, DfuseTarget target) {
        if (address < 0 || address + length > ADDRESS_SPACE_END) {
            throw new IllegalArgumentException(String.format(
                    "segment 0x%x+%d does not fit the 32-bit address space", address, length));
        }
        if (offset < 0 || length < 0 || length > data.length - offset) {
            throw new IllegalArgumentException("bytes " + offset + "+" + length + " outside a buffer of " + data.length);
        }
        this.address = address;
        this.data = data;
        this.offset = offset;
        this.length = length;
        this.target = target;
    }

    private Segment(long address, byte[] data, DfuseTarget target) {
        this(address, data, data.length, target);
    }

    /**
     * A segment of a copy of {@code data} at {@code address}, bound to no DfuSe target, for example
     * {@code Segment.of(0x0800_0000L, Files.readAllBytes(bin))}.
     *
     * @param address the address of the first byte, 0..0xFFFFFFFF
     * @param data    the bytes, copied; may be empty
     * @return the segment
     * @throws IllegalArgumentException when {@code address} is negative or the bytes do not fit below 4 GiB from it
     * @throws NullPointerException when {@code data} is {@code null}
     */
    public static Segment of(long address, byte[] data) {
        return new Segment(address, data.clone(), null);
    }

    /**
     * A segment of a copy of {@code data} at {@code address}, bound to a DfuSe target (the alt setting a
     * DfuSe writer files it under).
     *
     * @param address the address of the first byte, 0..0xFFFFFFFF
     * @param data    the bytes, copied; may be empty
     * @param target  the DfuSe target, not {@code null} (use {@link #of(long, byte[])} for none)
     * @return the segment
     * @throws IllegalArgumentException when {@code address} is negative or the bytes do not fit below 4 GiB from it
     * @throws NullPointerException when {@code data} or {@code target} is {@code null}
     */
    public static Segment of(long address, byte[] data, DfuseTarget target) {
        return new Segment(address, data.clone(), Objects.requireNonNull(target, "target"));
    }

    /** Takes ownership of {@code data} without copying; for readers that built the array themselves. */
    static Segment wrap(long address, byte[] data, DfuseTarget target) {
        return new Segment(address, data, target);
    }

    /** Takes ownership of the first {@code length} bytes of {@code data} without copying. */
    static Segment wrap(long address, byte[] data, int length, DfuseTarget target) {
        return new Segment(address, data, length, target);
    }

    static {
        // readers in other packages (ELF) take views through the unexported internal package, so the
        // public API keeps its promise that a Segment's bytes are its own
        SegmentViews.install((address, data, offset, length) -> new Segment(address, data, offset, length, null));
    }

    /**
     * The address of the first byte, an unsigned 32-bit value.
     *
     * @return 0..0xFFFFFFFF
     */
    public long address() {
        return address;
    }

    /**
     * The number of bytes; {@link #end()} minus {@link #address()}.
     *
     * @return 0 or more
     */
    public int length() {
        return length;
    }

    /**
     * Address one past the last byte.
     *
     * @return {@code address() + length()}, at most 0x100000000
     */
    public long end() {
        return address + length;
    }

    /**
     * The DfuSe target this segment belongs to: set by the DfuSe reader from the file's target prefix, or
     * by {@link #of(long, byte[], DfuseTarget)}.
     *
     * @return the target, or empty for segments of formats without targets
     */
    public Optional<DfuseTarget> target() {
        return Optional.ofNullable(target);
    }

    /**
     * A copy of the bytes.
     *
     * @return a new array of {@link #length()} bytes
     */
    public byte[] bytes() {
        return Arrays.copyOfRange(data, offset, offset + length);
    }

    /**
     * A read-only view of the bytes, no copy.
     *
     * @return a read-only buffer positioned at 0 with {@link #length()} bytes remaining
     */
    public ByteBuffer buffer() {
        return ByteBuffer.wrap(data, offset, length).slice().asReadOnlyBuffer();
    }

    /**
     * The byte at an absolute address inside the segment.
     *
     * @param absoluteAddress an address in [{@link #address()}, {@link #end()})
     * @return the byte there
     * @throws IndexOutOfBoundsException when the address is outside the segment
     */
    public byte byteAt(long absoluteAddress) {
        if (!contains(absoluteAddress)) {
            throw new IndexOutOfBoundsException(String.format("0x%08x is outside %s", absoluteAddress, this));
        }
        return data[offset + (int) (absoluteAddress - address)];
    }

    /**
     * Whether an absolute address falls inside the segment.
     *
     * @param absoluteAddress any address
     * @return {@code true} for addresses in [{@link #address()}, {@link #end()}); always {@code false} for
     *         an empty segment
     */
    public boolean contains(long absoluteAddress) {
        return absoluteAddress >= address && absoluteAddress < end();
    }

    /**
     * Whether the address ranges of this segment and another intersect; touching segments ({@code end() ==
     * other.address()}) do not overlap. Targets are not compared.
     *
     * @param other the other segment, not {@code null}
     * @return {@code true} when the address ranges intersect
     */
    public boolean overlaps(Segment other) {
        return address < other.end() && other.address < end();
    }

    /**
     * Copies {@code length} bytes starting at {@code absoluteAddress} into {@code dst}.
     *
     * @param absoluteAddress the address of the first byte to copy, inside the segment
     * @param dst             the destination array
     * @param dstOffset       where in {@code dst} the first byte goes
     * @param length          the number of bytes; {@code absoluteAddress + length} must not pass {@link #end()}
     * @throws IndexOutOfBoundsException when the range is outside the segment or does not fit {@code dst}
     */
    public void copyTo(long absoluteAddress, byte[] dst, int dstOffset, int length) {
        if (absoluteAddress < address || absoluteAddress + length > end()) {
            throw new IndexOutOfBoundsException(String.format(
                    "0x%08x+%d is outside %s", absoluteAddress, length, this));
        }
        System.arraycopy(data, offset + (int) (absoluteAddress - address), dst, dstOffset, length);
    }

    /**
     * The same bytes at another address.
     *
     * @param newAddress the new address of the first byte
     * @return a segment sharing these bytes (no copy), with the same target
     * @throws IllegalArgumentException when the bytes do not fit below 4 GiB from {@code newAddress}
     */
    public Segment withAddress(long newAddress) {
        return new Segment(newAddress, data, offset, length, target);
    }

    /**
     * The same bytes bound to another target (or none).
     *
     * @param newTarget the DfuSe target, or {@code null} for none
     * @return a segment sharing these bytes (no copy) at the same address
     */
    public Segment withTarget(DfuseTarget newTarget) {
        return new Segment(address, data, offset, length, newTarget);
    }

    /**
     * The sub-range [from, to) of this segment, by absolute address.
     *
     * @param from the first address, inclusive
     * @param to   the end address, exclusive
     * @return a segment of a copy of those bytes, with the same target
     * @throws IndexOutOfBoundsException when {@code [from, to)} is not inside the segment
     */
    public Segment slice(long from, long to) {
        if (from < address || to > end() || from > to) {
            throw new IndexOutOfBoundsException(String.format("[0x%x,0x%x) is outside %s", from, to, this));
        }
        return new Segment(from, Arrays.copyOfRange(data, offset + (int) (from - address), offset + (int) (to - address)), target);
    }

    /**
     * Two segments are equal when they have the same address, the same bytes and equal targets (both none
     * or the same alt setting and name).
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof Segment s && s.address == address && Objects.equals(s.target, target)
                && Arrays.equals(s.data, s.offset, s.offset + s.length, data, offset, offset + length);
    }

    /** A hash consistent with {@link #equals(Object)}, computed from the bytes without copying them. */
    @Override
    public int hashCode() {
        int h = 1;
        for (int i = offset; i < offset + length; i++) {
            h = 31 * h + data[i]; // same value as Arrays.hashCode of the bytes
        }
        return Objects.hash(address, target) * 31 + h;
    }

    /**
     * A short description for logs and messages, for example {@code Segment[0x08000000..0x08000400, 1024
     * bytes, alt 0 'Internal Flash']}; the bytes themselves are not shown.
     */
    @Override
    public String toString() {
        return String.format("Segment[0x%08x..0x%08x, %d bytes%s]", address, end(), length,
                target == null ? "" : ", alt " + target.altSetting() + (target.name().isEmpty() ? "" : " '" + target.name() + "'"));
    }
}
