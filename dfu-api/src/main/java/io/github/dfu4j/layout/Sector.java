package io.github.dfu4j.layout;

import java.util.Objects;

/**
 * One erase unit of a memory layout.
 *
 * @param index  0-based position among all sectors of the layout, in the order the string lists them
 *               (the sector number as the device describes it, e.g. sector 5 of an STM32F4 is index 5)
 * @param start  first address
 * @param size   bytes
 * @param access what the sector allows
 */
public record Sector(int index, long start, long size, SectorAccess access) {
    /**
     * Checks the values.
     *
     * @param index  0-based position among all sectors of the layout, in the order the string lists them
     *               (the sector number as the device describes it, e.g. sector 5 of an STM32F4 is index 5)
     * @param start  first address
     * @param size   bytes
     * @param access what the sector allows
     * @throws NullPointerException when {@code access} is {@code null}
     * @throws IllegalArgumentException when {@code index} or {@code start} is negative or {@code size} is below 1
     */
    public Sector {
        Objects.requireNonNull(access, "access");
        if (index < 0 || start < 0 || size < 1) {
            throw new IllegalArgumentException("bad sector " + index + " " + start + "+" + size);
        }
    }

    /**
     * One past the last byte.
     *
     * @return {@code start + size}
     */
    public long end() {
        return start + size;
    }

    /**
     * Whether an address lies in the sector.
     *
     * @param address any address
     * @return {@code true} for addresses in [{@link #start()}, {@link #end()})
     */
    public boolean contains(long address) {
        return address >= start && address < end();
    }

    /** A description for messages, e.g. {@code sector 4 [0x08010000..0x08020000) rew}. */
    @Override
    public String toString() {
        return String.format("sector %d [0x%08x..0x%08x) %s", index, start, end(), access);
    }
}
