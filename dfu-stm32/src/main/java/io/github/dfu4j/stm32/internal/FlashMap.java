package io.github.dfu4j.stm32.internal;

import io.github.dfu4j.stm32.Evidence;

import io.github.dfu4j.layout.Sector;
import io.github.dfu4j.layout.SectorAccess;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The sector map of a part's internal flash in one bank configuration (F76x nDBANK=1 vs nDBANK=0,
 * for example), plus the alt-0 memory-layout string the ROM bootloader reports in that
 * configuration.
 *
 * <p>Sectors are dfu-api {@link Sector}s: {@link Sector#index()} is the sector number the
 * reference manual uses (F42x/F76x dual-bank: bank 2 starts at 12; H7: numbered 0..n-1 within each
 * bank), and every internal-flash sector is read/erase/write.
 *
 * @param mode        short key: "single", "dual"
 * @param description what selects this map, e.g. "nDBANK=0 (dual bank)"
 * @param banks       the flash banks in ascending address order, each with its sectors
 * @param romLayout   the ROM's alt-0 interface string in this configuration (padding spaces included)
 * @param evidence    how well the map and string are backed (the weaker of the two)
 */
public record FlashMap(String mode, String description, List<Bank> banks, String romLayout, Evidence evidence) {
    public FlashMap {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(romLayout, "romLayout");
        Objects.requireNonNull(evidence, "evidence");
        banks = List.copyOf(banks);
        List<Sector> sectors = concat(banks);
        if (sectors.isEmpty()) {
            throw new IllegalArgumentException("flash map " + mode + " has no sectors");
        }
        for (int i = 1; i < sectors.size(); i++) {
            if (sectors.get(i).start() < sectors.get(i - 1).end()) {
                throw new IllegalArgumentException("sectors overlap or are unordered: " + sectors.get(i - 1) + ", " + sectors.get(i));
            }
        }
    }

    /** A single-bank map. */
    public FlashMap(String mode, String description, Bank bank, String romLayout, Evidence evidence) {
        this(mode, description, List.of(bank), romLayout, evidence);
    }

    /**
     * One flash bank.
     *
     * @param number  1 or 2
     * @param sectors its sectors, back to back
     */
    public record Bank(int number, List<Sector> sectors) {
        public Bank {
            if (number < 1 || number > 2) {
                throw new IllegalArgumentException("bank must be 1 or 2: " + number);
            }
            sectors = List.copyOf(sectors);
        }
    }

    /** A run of {@code count} sectors of {@code sizeKb} kilobytes, for building maps. */
    public record Run(int count, int sizeKb) {
    }

    /** Shorthand for building the tables: {@code run(4, 16)} = four 16 KB sectors. */
    public static Run run(int count, int sizeKb) {
        return new Run(count, sizeKb);
    }

    /** The sectors of one bank laid out back to back from {@code base}, numbered from {@code firstNumber}. */
    public static Bank bank(int bank, long base, int firstNumber, Run... runs) {
        List<Sector> out = new ArrayList<>();
        long address = base;
        int number = firstNumber;
        for (Run r : runs) {
            for (int i = 0; i < r.count(); i++) {
                out.add(new Sector(number++, address, r.sizeKb() * 1024L, SectorAccess.READ_ERASE_WRITE));
                address += r.sizeKb() * 1024L;
            }
        }
        return new Bank(bank, out);
    }

    /** The banks of a dual-bank map. */
    public static List<Bank> banks(Bank... banks) {
        return List.of(banks);
    }

    private static List<Sector> concat(List<Bank> banks) {
        List<Sector> out = new ArrayList<>();
        for (Bank b : banks) {
            out.addAll(b.sectors());
        }
        return List.copyOf(out);
    }

    /** Every sector of every bank, in ascending address order. */
    public List<Sector> sectors() {
        return concat(banks);
    }

    public long base() {
        return banks.get(0).sectors().get(0).start();
    }

    /** One past the last byte of the last sector. */
    public long end() {
        List<Sector> last = banks.get(banks.size() - 1).sectors();
        return last.get(last.size() - 1).end();
    }

    /** Total bytes of all sectors. */
    public long size() {
        long total = 0;
        for (Sector s : sectors()) {
            total += s.size();
        }
        return total;
    }

    /** The sector holding {@code address}, if any. */
    public Optional<Sector> sectorAt(long address) {
        List<Sector> sectors = sectors();
        int lo = 0;
        int hi = sectors.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            Sector s = sectors.get(mid);
            if (address < s.start()) {
                hi = mid - 1;
            } else if (address >= s.end()) {
                lo = mid + 1;
            } else {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** Lowest address of the given bank, if the map has it. */
    public Optional<Long> bankBase(int bank) {
        return banks.stream().filter(b -> b.number() == bank).map(b -> b.sectors().get(0).start()).findFirst();
    }

    public boolean isDualBank() {
        return bankBase(2).isPresent();
    }
}
