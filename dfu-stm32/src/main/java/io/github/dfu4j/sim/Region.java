package io.github.dfu4j.sim;

import io.github.dfu4j.stm32.internal.MemoryKind;
import io.github.dfu4j.layout.Sector;
import io.github.dfu4j.stm32.internal.SpiFlash;
import java.util.List;
import java.util.Optional;

/**
 * One simulated memory: an address range with its contents, its access rights (from the layout
 * string's type letter) and, for flash, its erase units.
 */
final class Region {
    final String name;
    final MemoryKind kind;
    final long base;
    final long size;
    final boolean readable;
    final boolean erasable;
    final boolean writeable;
    /** Internal flash sectors (empty for other kinds); an F76x bank-mode change replaces them. */
    volatile List<Sector> sectors;
    /** The external flash behind an mboot SPI zone, else null. */
    final SpiFlash spi;
    final SparseMemory memory;

    Region(String name, MemoryKind kind, long base, long size, boolean readable, boolean erasable, boolean writeable,
           List<Sector> sectors, SpiFlash spi) {
        this.name = name;
        this.kind = kind;
        this.base = base;
        this.size = size;
        this.readable = readable;
        this.erasable = erasable;
        this.writeable = writeable;
        this.sectors = List.copyOf(sectors);
        this.spi = spi;
        this.memory = new SparseMemory(size);
    }

    /** The same memory cut into other sectors (same extent). */
    void resector(List<Sector> newSectors) {
        this.sectors = List.copyOf(newSectors);
    }

    long end() {
        return base + size;
    }

    boolean contains(long address) {
        return address >= base && address < end();
    }

    boolean contains(long address, long length) {
        return address >= base && length >= 0 && address + length <= end();
    }

    Optional<Sector> sectorAt(long address) {
        for (Sector s : sectors) {
            if (s.contains(address)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    byte[] read(long address, int length) {
        return memory.read(address - base, length);
    }

    void write(long address, byte[] data) {
        memory.write(address - base, data, 0, data.length);
    }

    void erase(long address, long length) {
        memory.erase(address - base, length);
    }

    boolean isErased(long address, long length) {
        return memory.isErased(address - base, length);
    }

    long word(long address) {
        byte[] b = read(address, 4);
        return (b[0] & 0xFFL) | (b[1] & 0xFFL) << 8 | (b[2] & 0xFFL) << 16 | (b[3] & 0xFFL) << 24;
    }

    @Override
    public String toString() {
        return String.format("%s %s [0x%08x, 0x%08x)", kind, name, base, end());
    }
}
