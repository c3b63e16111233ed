package io.github.dfu4j.plan.internal;

import io.github.dfu4j.layout.Sector;

import java.util.Objects;

/** One erase of a plan: a sector, or a whole alternate setting (mass erase). */
public sealed interface EraseStep permits EraseStep.SectorErase, EraseStep.MassErase {

    int alt();

    /** DfuSe ERASE of one sector, sent with the sector's start address. */
    record SectorErase(int alt, Sector sector, boolean bootSector) implements EraseStep {
        public SectorErase {
            Objects.requireNonNull(sector, "sector");
        }

        public SectorKey key() {
            return new SectorKey(alt, sector.start());
        }
    }

    /** DfuSe mass erase of the memory behind an alternate setting. */
    record MassErase(int alt) implements EraseStep {
    }
}
