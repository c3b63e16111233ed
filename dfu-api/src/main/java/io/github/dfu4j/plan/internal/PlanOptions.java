package io.github.dfu4j.plan.internal;

import io.github.dfu4j.ops.AddressingMode;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;

/**
 * What the planner needs besides the image and the layouts.
 *
 * @param transferSize     wTransferSize: bytes per block
 * @param addressing       {@link AddressingMode#SET_ADDRESS_PER_BLOCK} or block-number addressing
 *                         ({@link AddressingMode#AUTO} plans like {@link AddressingMode#BLOCK_NUMBER})
 * @param force            write outside the layout and into sectors not marked writable
 * @param massErase        one mass erase per alternate setting instead of sector erases
 * @param altOverride      send every segment to this alternate setting, whatever its target says
 * @param unchangedSectors sectors already holding what the image puts there: neither erased nor written
 * @param writeAlignment   runs in erased sectors are padded with 0xFF up to a multiple of this many
 *                         bytes (the flash programming unit, e.g. 32 on STM32H7); 1 = no padding
 */
public record PlanOptions(int transferSize, AddressingMode addressing, boolean force, boolean massErase,
                          OptionalInt altOverride, Set<SectorKey> unchangedSectors, int writeAlignment) {
    public PlanOptions {
        Objects.requireNonNull(addressing, "addressing");
        Objects.requireNonNull(altOverride, "altOverride");
        unchangedSectors = Set.copyOf(unchangedSectors);
        if (transferSize < 1 || transferSize > 0xFFFF) {
            throw new IllegalArgumentException("transfer size must be 1..65535: " + transferSize);
        }
        if (writeAlignment < 1 || Integer.bitCount(writeAlignment) != 1 || writeAlignment > 4096) {
            throw new IllegalArgumentException("write alignment must be a power of two up to 4096: " + writeAlignment);
        }
        if (massErase && !unchangedSectors.isEmpty()) {
            throw new IllegalArgumentException("a mass erase cannot keep unchanged sectors (incremental flashing)");
        }
    }

    /** Block-number addressing, no force, no mass erase, no alignment padding. */
    public static PlanOptions of(int transferSize) {
        return new PlanOptions(transferSize, AddressingMode.AUTO, false, false, OptionalInt.empty(), Set.of(), 1);
    }

    public PlanOptions withAddressing(AddressingMode mode) {
        return new PlanOptions(transferSize, mode, force, massErase, altOverride, unchangedSectors, writeAlignment);
    }

    public PlanOptions withForce(boolean value) {
        return new PlanOptions(transferSize, addressing, value, massErase, altOverride, unchangedSectors, writeAlignment);
    }

    public PlanOptions withMassErase(boolean value) {
        return new PlanOptions(transferSize, addressing, force, value, altOverride, unchangedSectors, writeAlignment);
    }

    public PlanOptions withAltOverride(OptionalInt alt) {
        return new PlanOptions(transferSize, addressing, force, massErase, alt, unchangedSectors, writeAlignment);
    }

    public PlanOptions withUnchangedSectors(Set<SectorKey> sectors) {
        return new PlanOptions(transferSize, addressing, force, massErase, altOverride, sectors, writeAlignment);
    }

    public PlanOptions withWriteAlignment(int alignment) {
        return new PlanOptions(transferSize, addressing, force, massErase, altOverride, unchangedSectors, alignment);
    }

    boolean perBlock() {
        return addressing == AddressingMode.SET_ADDRESS_PER_BLOCK;
    }
}
