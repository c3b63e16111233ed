package io.github.dfu4j.stm32.internal;

import io.github.dfu4j.stm32.Evidence;

import java.util.Objects;

/**
 * How the flash controller programs: the unit it writes at once and what happens when a write asks
 * a 0 bit to become 1 again (NOR flash can only clear bits until the sector is erased).
 *
 * @param unitBytes the programming unit: 2 (F0 half-word), 4 (F4/F7 at x32 parallelism),
 *                  16 (H7A3/B3 128-bit flash word), 32 (H74x/H72x 256-bit flash word)
 * @param overwrite what the controller does with a unit that is not erased
 * @param evidence  how well this is backed
 */
public record Programming(int unitBytes, Overwrite overwrite, Evidence evidence) {

    /** Behaviour when programming over data that is not erased. */
    public enum Overwrite {
        /**
         * The cell ANDs the new value into the old one (bits go 1 to 0 only; a wanted 0 to 1 stays 0).
         * F4/F7: "bits can be re-programmed 1 to 0 without erase" (docs/reference/stm32.md §4.2 [S] RM0090).
         */
        AND_BITS,
        /**
         * The controller refuses to program a unit that is not fully erased and leaves it unchanged:
         * F0 PGERR, H7 flash words carry ECC and may be programmed once per erase (docs/reference/stm32.md §4.2).
         */
        REFUSE_UNIT
    }

    public Programming {
        Objects.requireNonNull(overwrite, "overwrite");
        Objects.requireNonNull(evidence, "evidence");
        if (unitBytes <= 0 || Integer.bitCount(unitBytes) != 1) {
            throw new IllegalArgumentException("programming unit must be a power of two: " + unitBytes);
        }
    }
}
