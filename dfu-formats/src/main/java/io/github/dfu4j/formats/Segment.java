package io.github.dfu4j.formats;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * A run of bytes at an address in a 32-bit address space, optionally bound to a DfuSe target
 * (alt setting + name). Immutable: the bytes are copied in and only handed out as copies or
 * read-only views.
 */
public final class Segment {
    /** Highest address + 1 of the 32-bit address space every supported format describes. */
    public static final long ADDRESS_SPACE_END = 1L << 32;

    private final long address;
    private final byte[] data;
    private final DfuseTarget target;

    private Segment(long address, byte[] data, DfuseTarget target) {
        if (address < 0 || address + data.length > ADDRESS_SPACE_END) {
            throw new IllegalArgumentException(String.format(
                    "segment 0x%x+%d does not fit the 32-bit address space", address, data.length));
        }
        this.address = address;
        this.data = data;
        this.target = target;
    }

    public static Segment of(long address, byte[] data) {
        return new Segment(address, data.clone(), null);
    }

    public static Segment of(long address, byte[] data, DfuseTarget target) {
        return new Segment(address, data.clone(), Objects.requireNonNull(target, "target"));
    }

    /** Takes ownership of {@code data} without copying; for readers that built the array themselves. */
    static Segment wrap(long address, byte[] data, DfuseTarget target) {
        return new Segment(address, data, target);
    }

    public long address() {
        return address;
    }

    public int length() {
        return data.length;
    }

    /** Address one past the last byte. */
    public long end() {
        return address + data.length;
    }

    public Optional<DfuseTarget> target() {
        return Optional.ofNullable(target);
    }

    /** A copy of the bytes. */
    public byte[] bytes() {
        return data.clone();
    }

    /** A read-only view of the bytes, no copy. */
    public ByteBuffer buffer() {
        return ByteBuffer.wrap(data).asReadOnlyBuffer();
    }

    public byte byteAt(long absoluteAddress) {
        if (!contains(absoluteAddress)) {
            throw new IndexOutOfBoundsException(String.format("0x%08x is outside %s", absoluteAddress, this));
        }
        return data[(int) (absoluteAddress - address)];
    }

    public boolean contains(long absoluteAddress) {
        return absoluteAddress >= address && absoluteAddress < end();
    }

    public boolean overlaps(Segment other) {
        return address < other.end() && other.address < end();
    }

    /** Copies {@code length} bytes starting at {@code absoluteAddress} into {@code dst}. */
    public void copyTo(long absoluteAddress, byte[] dst, int dstOffset, int length) {
        if (absoluteAddress < address || absoluteAddress + length > end()) {
            throw new IndexOutOfBoundsException(String.format(
                    "0x%08x+%d is outside %s", absoluteAddress, length, this));
        }
        System.arraycopy(data, (int) (absoluteAddress - address), dst, dstOffset, length);
    }

    /** The same bytes at another address. */
    public Segment withAddress(long newAddress) {
        return new Segment(newAddress, data, target);
    }

    /** The same bytes bound to another target (or none). */
    public Segment withTarget(DfuseTarget newTarget) {
        return new Segment(address, data, newTarget);
    }

    /** The sub-range [from, to) of this segment, by absolute address. */
    public Segment slice(long from, long to) {
        if (from < address || to > end() || from > to) {
            throw new IndexOutOfBoundsException(String.format("[0x%x,0x%x) is outside %s", from, to, this));
        }
        return new Segment(from, Arrays.copyOfRange(data, (int) (from - address), (int) (to - address)), target);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Segment s && s.address == address && Objects.equals(s.target, target)
                && Arrays.equals(s.data, data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(address, target) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return String.format("Segment[0x%08x..0x%08x, %d bytes%s]", address, end(), data.length,
                target == null ? "" : ", alt " + target.altSetting() + (target.name().isEmpty() ? "" : " '" + target.name() + "'"));
    }
}
