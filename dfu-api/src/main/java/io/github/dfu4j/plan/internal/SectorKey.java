package io.github.dfu4j.plan.internal;

/**
 * Names a sector of one alternate setting's layout by its start address.
 *
 * @param alt   alternate setting
 * @param start first address of the sector
 */
public record SectorKey(int alt, long start) {
    @Override
    public String toString() {
        return String.format("alt %d @0x%08x", alt, start);
    }
}
