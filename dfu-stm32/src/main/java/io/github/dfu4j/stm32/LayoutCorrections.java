package io.github.dfu4j.stm32;

import io.github.dfu4j.layout.MemoryLayout;
import io.github.dfu4j.layout.MemoryRegion;
import io.github.dfu4j.layout.SectorAccess;
import io.github.dfu4j.stm32.Stm32DeviceProfile.RealFlash;
import java.util.ArrayList;
import java.util.List;

/**
 * The layout arithmetic of {@link Stm32DeviceProfile#correctLayout}: clipping a reported layout to a
 * smaller part of the die, and to the flash a bootloader really has (mboot over-claims, and its own
 * sectors are read-only).
 */
final class LayoutCorrections {
    private LayoutCorrections() {
    }

    static boolean inFlashWindow(MemoryRegion r, RealFlash f) {
        return r.start() >= f.base() && r.start() < f.base() + Stm32DeviceProfile.FLASH_WINDOW;
    }

    /** The internal-flash regions of a layout reduced to the sectors wholly inside the part's flash (at {@code base}). */
    static MemoryLayout clippedToPart(MemoryLayout reported, long base, DieVariants.Part p) {
        List<MemoryRegion> out = new ArrayList<>();
        for (MemoryRegion r : reported.regions()) {
            if (r.start() < base || r.start() >= base + Stm32DeviceProfile.FLASH_WINDOW) {
                out.add(r);
                continue;
            }
            int first = -1;
            for (int i = 0; i <= r.count(); i++) {
                long s = r.start() + (long) i * r.sectorSize();
                boolean inside = i < r.count() && p.holds(s - base, s + r.sectorSize() - base);
                if (inside && first < 0) {
                    first = i;
                } else if (!inside && first >= 0) {
                    out.add(new MemoryRegion(r.start() + (long) first * r.sectorSize(), i - first, r.sectorSize(), r.access()));
                    first = -1;
                }
            }
        }
        return new MemoryLayout(reported.name(), out);
    }

    /**
     * A layout corrected to the flash that exists: sectors wholly below the bootloader's end become
     * read-only, sectors not wholly below the flash's end are dropped.
     */
    static MemoryLayout corrected(MemoryLayout reported, RealFlash f) {
        List<MemoryRegion> out = new ArrayList<>();
        for (MemoryRegion r : reported.regions()) {
            if (!inFlashWindow(r, f)) {
                out.add(r);
                continue;
            }
            // sectors wholly below bootloaderEnd become read-only; sectors not wholly below end are dropped
            int protectedCount = 0;
            int keptCount = 0;
            for (int i = 0; i < r.count(); i++) {
                long s = r.start() + i * r.sectorSize();
                long e = s + r.sectorSize();
                if (e > f.end()) {
                    break;
                }
                keptCount++;
                if (s < f.bootloaderEnd()) {
                    protectedCount++;
                }
            }
            if (protectedCount > 0) {
                SectorAccess ro = new SectorAccess(r.access().readable(), false, false);
                out.add(new MemoryRegion(r.start(), protectedCount, r.sectorSize(), ro));
            }
            if (keptCount > protectedCount) {
                out.add(new MemoryRegion(r.start() + protectedCount * r.sectorSize(), keptCount - protectedCount,
                        r.sectorSize(), r.access()));
            }
        }
        return new MemoryLayout(reported.name(), out);
    }
}
