package io.github.dfu4j.stm32.internal;

import java.util.Objects;

/**
 * A named address range (RAM block, option-byte block, external flash).
 *
 * @param name    what it is, e.g. "SRAM1" or "AXI SRAM"
 * @param address first byte
 * @param size    bytes
 */
public record MemoryArea(String name, long address, long size) {
    public MemoryArea {
        Objects.requireNonNull(name, "name");
        if (address < 0 || size <= 0 || address + size > 1L << 32) {
            throw new IllegalArgumentException(String.format("%s 0x%x+%d outside the 32-bit address space", name, address, size));
        }
    }

    public long end() {
        return address + size;
    }

    public boolean contains(long a) {
        return a >= address && a < end();
    }
}
