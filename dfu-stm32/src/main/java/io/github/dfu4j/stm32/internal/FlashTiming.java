package io.github.dfu4j.stm32.internal;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Erase and program times of a part's internal flash (docs/reference/stm32.md §4.3), at the 2.7-3.6 V x32
 * parallelism the ROM bootloaders run with where the datasheet distinguishes.
 *
 * @param sectorErase one entry per sector size that occurs in any of the part's flash maps
 * @param massErase   erase of the whole flash by the mass-erase command
 * @param program     programming of one {@link Programming#unitBytes() programming unit}
 */
public record FlashTiming(List<SectorErase> sectorErase, TimeRange massErase, TimeRange program) {

    /** Erase time of one sector of the given size. */
    public record SectorErase(int sizeBytes, TimeRange time) {
        public SectorErase {
            Objects.requireNonNull(time, "time");
        }
    }

    public FlashTiming {
        sectorErase = List.copyOf(sectorErase);
        Objects.requireNonNull(massErase, "massErase");
        Objects.requireNonNull(program, "program");
    }

    /** Shorthand for the tables. */
    public static SectorErase erase(int sizeKb, TimeRange time) {
        return new SectorErase(sizeKb * 1024, time);
    }

    /** Erase time of a sector of {@code sizeBytes}, if the table has that size. */
    public Optional<TimeRange> sectorErase(int sizeBytes) {
        return sectorErase.stream().filter(e -> e.sizeBytes() == sizeBytes).map(SectorErase::time).findFirst();
    }
}
