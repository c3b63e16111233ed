package io.github.dfu4j.ops;

import io.github.dfu4j.dfu.DfuException;
import io.github.dfu4j.dfu.Phase;

/**
 * No safe leave address could be found on the device: a bootloader that branches to the leave address
 * ({@link LeaveMode#RESET_HANDLER}, STM32H7 ROMs) was asked to leave without an address, and the
 * application's vector table in flash is blank or holds a reset vector outside flash. Jumping anyway
 * would crash or come straight back in DFU mode, so nothing was sent; pass the reset handler as an
 * explicit address instead ({@link #remedy()}). {@link #address()} is where the vector table was read.
 */
public final class LeaveAddressException extends DfuException {
    private static final long serialVersionUID = 1L;

    private static final Remedy REMEDY = Remedy.of(Remedy.Kind.EXPLICIT_LEAVE_ADDRESS);

    /** {@code reason} says what is wrong; the message adds the remedy in API terms. */
    public LeaveAddressException(String reason, Long address) {
        super(reason, Phase.LEAVE, address, null, null, null);
    }

    /** Always {@link Remedy.Kind#EXPLICIT_LEAVE_ADDRESS}. */
    public Remedy remedy() {
        return REMEDY;
    }

    /** The message without the remedy, for callers that word the remedy themselves. */
    public String messageWithoutRemedy() {
        return super.getMessage();
    }

    @Override
    public String getMessage() {
        return super.getMessage() + "; " + REMEDY.describe();
    }
}
