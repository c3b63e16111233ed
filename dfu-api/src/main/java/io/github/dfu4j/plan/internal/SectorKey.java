package io.github.dfu4j.plan.internal;

/**
 * Names a sector of one alternate setting's layout by its start address.
 *
 * @param alt   alternate setting
 * @param start first address of the sector
 */
public record SectorKey(int alt, long start) {
    // equals/hashCode written out: a set key of every plan (no java.lang.runtime.ObjectMethods bootstrap)

    @Override
    public boolean equals(Object o) {
        return o instanceof SectorKey k && alt == k.alt && start == k.start;
    }

    @Override
    public int hashCode() {
        return alt * 31 + Long.hashCode(start);
    }

    @Override
    public String toString() {
        return String.format("alt %d @0x%08x", alt, start);
    }
}
