package io.github.dfu4j.ops;

/**
 * An address range of one alternate setting, [start, end).
 *
 * @param alt   alternate setting
 * @param start first address
 * @param end   one past the last address
 */
public record MemoryRange(int alt, long start, long end) {
    public MemoryRange {
        if (end < start) {
            throw new IllegalArgumentException("end before start");
        }
    }

    /** The number of bytes in the range, {@code end - start} (0 for an empty range). */
    public long length() {
        return end - start;
    }

    /** E.g. {@code alt 0 [0x08000000..0x08004000)}: the alt setting and the half-open range in hex. */
    @Override
    public String toString() {
        return String.format("alt %d [0x%08x..0x%08x)", alt, start, end);
    }
}
