package io.github.dfu4j.stm32;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The sector map of a part's internal flash in one bank configuration (F76x nDBANK=1 vs nDBANK=0,
 * for example), plus the alt-0 memory-layout string the ROM bootloader reports in that
 * configuration.
 *
 * @param mode        short key: "single", "dual"
 * @param description what selects this map, e.g. "nDBANK=0 (dual bank)"
 * @param sectors     in ascending address order, contiguous within a bank
 * @param romLayout   the ROM's alt-0 interface string in this configuration (padding spaces included)
 * @param evidence    how well the map and string are backed (the weaker of the two)
 */
public record FlashMap(String mode, String description, List<Sector> sectors, String romLayout, Evidence evidence) {
    public FlashMap {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(romLayout, "romLayout");
        Objects.requireNonNull(evidence, "evidence");
        sectors = List.copyOf(sectors);
        if (sectors.isEmpty()) {
            throw new IllegalArgumentException("flash map " + mode + " has no sectors");
        }
        for (int i = 1; i < sectors.size(); i++) {
            if (sectors.get(i).address() < sectors.get(i - 1).end()) {
                throw new IllegalArgumentException("sectors overlap or are unordered: " + sectors.get(i - 1) + ", " + sectors.get(i));
            }
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
    public static List<Sector> bank(int bank, long base, int firstNumber, Run... runs) {
        List<Sector> out = new ArrayList<>();
        long address = base;
        int number = firstNumber;
        for (Run r : runs) {
            for (int i = 0; i < r.count(); i++) {
                out.add(new Sector(bank, number++, address, r.sizeKb() * 1024));
                address += r.sizeKb() * 1024L;
            }
        }
        return out;
    }

    /** Concatenates the banks' sector lists. */
    @SafeVarargs
    public static List<Sector> banks(List<Sector>... banks) {
        List<Sector> out = new ArrayList<>();
        for (List<Sector> b : banks) {
            out.addAll(b);
        }
        return out;
    }

    public long base() {
        return sectors.get(0).address();
    }

    /** One past the last byte of the last sector. */
    public long end() {
        return sectors.get(sectors.size() - 1).end();
    }

    /** Total bytes of all sectors. */
    public long size() {
        long total = 0;
        for (Sector s : sectors) {
            total += s.size();
        }
        return total;
    }

    /** The sector holding {@code address}, if any. */
    public Optional<Sector> sectorAt(long address) {
        int lo = 0;
        int hi = sectors.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            Sector s = sectors.get(mid);
            if (address < s.address()) {
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
        return sectors.stream().filter(s -> s.bank() == bank).map(Sector::address).findFirst();
    }

    public boolean isDualBank() {
        return bankBase(2).isPresent();
    }
}
