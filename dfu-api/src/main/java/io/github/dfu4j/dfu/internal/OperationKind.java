package io.github.dfu4j.dfu.internal;

import io.github.dfu4j.dfu.DfuQuirks;
import java.time.Duration;

/**
 * What a DNLOAD asks the device to do. The kind decides the busy budget (how long the device may stay
 * in dfuDNBUSY), whether bwPollTimeout is honoured on the first reply, and which end states count as
 * success.
 */
public enum OperationKind {
    /** DfuSe SET_ADDRESS (0x21): quick; ST ROMs report bogus poll timeouts for it. */
    SET_ADDRESS,
    /** DfuSe ERASE of one page/sector (0x41 + address). */
    ERASE,
    /** DfuSe mass erase (0x41 alone): may take tens of seconds whatever the device reports. */
    MASS_ERASE,
    /** DfuSe READ_UNPROTECT (0x92): the device mass-erases and resets after the first GETSTATUS. */
    READ_UNPROTECT,
    /** Any other DfuSe command sent in block 0. */
    COMMAND,
    /** A data block (DfuSe block &ge; 2, or any block of plain DFU). */
    WRITE,
    /** The zero-length DNLOAD that ends a download: manifestation, or DfuSe "leave". */
    LEAVE;

    /** The minimum time the device may stay busy for this kind of work. */
    public Duration budget(DfuQuirks quirks) {
        return switch (this) {
            case SET_ADDRESS, COMMAND, READ_UNPROTECT -> quirks.budgets().commandBudget();
            case ERASE -> quirks.budgets().eraseBudget();
            case MASS_ERASE -> quirks.budgets().massEraseBudget();
            case WRITE -> quirks.budgets().writeBudget();
            case LEAVE -> quirks.budgets().manifestBudget();
        };
    }
}
