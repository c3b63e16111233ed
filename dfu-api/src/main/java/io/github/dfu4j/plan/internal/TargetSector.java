package io.github.dfu4j.plan.internal;

import io.github.dfu4j.layout.Sector;

import java.util.Objects;

/**
 * An erasable sector the image touches: what incremental flashing reads back and compares.
 *
 * @param alt    alternate setting
 * @param sector the sector
 */
public record TargetSector(int alt, Sector sector) {
    public TargetSector {
        Objects.requireNonNull(sector, "sector");
    }

    public SectorKey key() {
        return new SectorKey(alt, sector.start());
    }
}
