package io.github.dfu4j.layout;

import java.util.Objects;

/**
 * One {@code count*size type} entry of a layout string: {@code count} equal sectors laid back to back
 * from {@code start}.
 *
 * @param start      address of the first sector
 * @param count      number of sectors, &ge; 1
 * @param sectorSize bytes per sector, &ge; 1
 * @param access     what the sectors allow
 */
public record MemoryRegion(long start, int count, long sectorSize, SectorAccess access) {
    // equals/hashCode written out: the generated ones bootstrap through java.lang.runtime.ObjectMethods
    // on first use, which spins dozens of classes in every short-lived JVM that compares two layouts

    /**
     * Two regions are equal when start, sector count, sector size and access are equal (as the record's own
     * equals would say; written out to keep short-lived JVMs from bootstrapping it).
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof MemoryRegion r && start == r.start && count == r.count && sectorSize == r.sectorSize
                && access.equals(r.access);
    }

    /** A hash consistent with {@link #equals(Object)}. */
    @Override
    public int hashCode() {
        return ((Long.hashCode(start) * 31 + count) * 31 + Long.hashCode(sectorSize)) * 31 + access.hashCode();
    }

    static final long ADDRESS_SPACE_END = 1L << 32;

    /**
     * Checks that the region lies within the 32-bit address space.
     *
     * @param start      address of the first sector
     * @param count      number of sectors, &ge; 1
     * @param sectorSize bytes per sector, &ge; 1
     * @param access     what the sectors allow
     * @throws NullPointerException when {@code access} is {@code null}
     * @throws IllegalArgumentException when {@code start} is outside 0..0xFFFFFFFF, {@code count} is below
     *         1, {@code sectorSize} is below 1 or above 4 GiB, or the region ends beyond 4 GiB
     */
    public MemoryRegion {
        Objects.requireNonNull(access, "access");
        if (start < 0 || start >= ADDRESS_SPACE_END) {
            throw new IllegalArgumentException("region start outside the 32-bit address space: " + start);
        }
        if (count < 1) {
            throw new IllegalArgumentException("sector count must be at least 1: " + count);
        }
        if (sectorSize < 1 || sectorSize > ADDRESS_SPACE_END) {
            throw new IllegalArgumentException("sector size out of range: " + sectorSize);
        }
        if (sectorSize * count > ADDRESS_SPACE_END - start) {
            throw new IllegalArgumentException(String.format("region 0x%08x + %d*%d ends beyond 4 GiB", start, count, sectorSize));
        }
    }

    /**
     * One past the last byte.
     *
     * @return {@code start + count * sectorSize}, at most 0x100000000
     */
    public long end() {
        return start + sectorSize * count;
    }

    /**
     * The number of bytes the region spans: {@code count * sectorSize}, at most 4 GiB.
     *
     * @return the size in bytes, &ge; 1
     */
    public long size() {
        return sectorSize * count;
    }

    /**
     * Whether an address lies in the region.
     *
     * @param address any address
     * @return {@code true} for addresses in [{@link #start()}, {@link #end()})
     */
    public boolean contains(long address) {
        return address >= start && address < end();
    }
}
