package io.github.dfu4j.stm32.internal;

import java.util.Objects;

/**
 * An external SPI/QSPI NOR flash that mboot exposes at a virtual DFU address.
 *
 * @param name           e.g. "SPI flash #1 (software QSPI, storage)"
 * @param address        the DFU address of its first byte (0x80000000 or 0x90000000 on PYBD)
 * @param size           bytes
 * @param layoutPageSize the page size the layout string advertises (and hosts erase by)
 * @param eraseBytes     bytes one page-erase command erases, from the given address rounded down
 *                       to 4 KB ({@code MBOOT_SPIFLASHx_ERASE_BLOCKS_PER_PAGE} x 4 KB)
 * @param erase4k        time of one 4 KB sector erase (opcode 0x20)
 * @param pageProgram    time of one 256-byte page program (opcode 0x02)
 */
public record SpiFlash(String name, long address, int size, int layoutPageSize, int eraseBytes,
                       TimeRange erase4k, TimeRange pageProgram) {
    public static final int ERASE_BLOCK = 4096;
    public static final int PAGE = 256;

    public SpiFlash {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(erase4k, "erase4k");
        Objects.requireNonNull(pageProgram, "pageProgram");
        if (eraseBytes % ERASE_BLOCK != 0 || eraseBytes <= 0) {
            throw new IllegalArgumentException("erase size must be a multiple of 4 KB: " + eraseBytes);
        }
    }

    public long end() {
        return address + size;
    }
}
