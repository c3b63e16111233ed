package io.github.dfu4j.stm32;

/**
 * One erasable unit of internal flash: a sector on F2/F4/F7/H7, a page on F0.
 *
 * @param bank    flash bank, 1 or 2 (1 on single-bank parts)
 * @param number  the sector number the reference manual uses (F42x/F76x dual-bank: bank 2 starts at 12;
 *                H7: numbered 0..n-1 within each bank)
 * @param address first byte
 * @param size    bytes
 */
public record Sector(int bank, int number, long address, int size) {
    public Sector {
        if (bank < 1 || bank > 2) {
            throw new IllegalArgumentException("bank must be 1 or 2: " + bank);
        }
        if (number < 0) {
            throw new IllegalArgumentException("negative sector number: " + number);
        }
        if (address < 0 || size <= 0 || address + size > 1L << 32) {
            throw new IllegalArgumentException(String.format("sector 0x%x+%d outside the 32-bit address space", address, size));
        }
    }

    /** One past the last byte. */
    public long end() {
        return address + size;
    }

    public boolean contains(long a) {
        return a >= address && a < end();
    }

    @Override
    public String toString() {
        return String.format("bank %d sector %d [0x%08x, %d KB)", bank, number, address, size / 1024);
    }
}
